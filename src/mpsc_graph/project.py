"""Where a project's inputs live: ``ontology/``, ``shapes/``, ``data/``, ``queries/`` under one root."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

DATA_SUFFIXES = (".ttl", ".csv")


@dataclass(frozen=True)
class Project:
    """A project root; every subcommand reads its inputs through one of these."""

    root: Path

    @classmethod
    def at(cls, root: str | os.PathLike[str] | None = None) -> Project:
        """The project at ``root`` (default: the current directory), checked to hold ``data/``."""
        path = Path(root or ".").resolve()
        if not (path / "data").is_dir() or not (path / "ontology").is_dir():
            raise InputError(
                "not a project root: it needs ontology/, shapes/, data/ and queries/ "
                "(run from the repository or pass --root DIR)",
                path=path,
            )
        return cls(path)

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def ontology_files(self) -> list[Path]:
        return sorted(self.ontology_dir.glob("*.ttl"))

    def shape_files(self) -> list[Path]:
        return sorted(self.shapes_dir.glob("*.ttl")) if self.shapes_dir.is_dir() else []

    def data_files(self) -> list[Path]:
        """Source files of the dataset, one named graph each; stems must be unique."""
        files = sorted(p for p in self.data_dir.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())
        seen: dict[str, Path] = {}
        for path in files:
            if path.stem in seen:
                raise InputError(
                    f"two data files share the graph name '{path.stem}' ({seen[path.stem].name})", path=path
                )
            seen[path.stem] = path
        return files

    def input_files(self) -> list[Path]:
        """Everything a build depends on, for change detection."""
        return self.ontology_files() + self.shape_files() + self.data_files()

    def fingerprint(self) -> str:
        """A hash of every input file's name and bytes: equal fingerprints, equal builds."""
        digest = hashlib.sha256()
        for path in self.input_files():
            digest.update(str(path.relative_to(self.root)).encode())
            with path.open("rb") as stream:  # in pieces: a 400 MB input need not be in memory at once
                while piece := stream.read(1 << 20):
                    digest.update(piece)
        return digest.hexdigest()


def shared_dir(repo_root: Path | None = None) -> Path | None:
    """The read-only ``shared/`` folder beside the repository (or ``$MPSC_SHARED``), if present."""
    env = os.environ.get("MPSC_SHARED")
    candidate = Path(env) if env else (repo_root or Path(__file__).resolve().parents[2]).parent / "shared"
    return candidate if candidate.is_dir() else None
