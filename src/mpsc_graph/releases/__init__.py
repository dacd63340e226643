"""Releases of the dataset: what changed between two versions (:mod:`.diff`), how the changes are
written (:mod:`.report`) and versioned release folders (:mod:`.release`)."""
