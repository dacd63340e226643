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
        if not is_project_root(path):
            raise InputError(
                "not a project root: it needs ontology/, shapes/, data/ and queries/ "
                "(run from the repository or pass --root DIR)",
                path=path,
            )
        return cls(path)

    @classmethod
    def find(cls, root: str | os.PathLike[str] | None = None) -> Project:
        """The project ``--root`` means, in every command and in ``Graph.open()``.

        ``root`` when given (it must be a project). Otherwise the first of: the current directory
        if it is a project; ``$MPSC_ROOT`` (it must be a project); the repository this package was
        installed from (the bundled project). So a command run inside a copy of the project reads
        that copy, and one run anywhere else reads the bundled data.
        """
        if root is not None:
            return cls.at(root)
        if is_project_root(Path.cwd()):
            return cls.at(Path.cwd())
        env = os.environ.get("MPSC_ROOT")
        if env:
            return cls.at(env)
        source_tree = Path(__file__).resolve().parents[2]
        return cls.at(source_tree if is_project_root(source_tree) else Path.cwd())

    @classmethod
    def find_optional(cls, root: str | os.PathLike[str] | None = None) -> Project | None:
        """As :meth:`find`, but None when no ``root`` is given and no project is found (for commands
        that can run without one); a ``root`` or ``$MPSC_ROOT`` that is no project is still an error."""
        try:
            return cls.find(root)
        except InputError:
            if root is not None or os.environ.get("MPSC_ROOT"):
                raise
            return None

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


def is_project_root(path: Path) -> bool:
    """Whether ``path`` holds a project: at least ``data/`` and ``ontology/`` (shapes and queries may be absent)."""
    return (path / "data").is_dir() and (path / "ontology").is_dir()


def shared_dir(repo_root: Path | None = None) -> Path | None:
    """The read-only ``shared/`` folder beside the repository (or ``$MPSC_SHARED``), if present."""
    env = os.environ.get("MPSC_SHARED")
    candidate = Path(env) if env else (repo_root or Path(__file__).resolve().parents[2]).parent / "shared"
    return candidate if candidate.is_dir() else None
