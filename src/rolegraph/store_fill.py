"""``rolegraph --store DIR load``: fill a store folder with validated data.

The store folder itself (:mod:`rolegraph.store.folder`) knows nothing of graphs or validation (``rolegraph.store``
imports nothing above it); this module, above both, validates the loaded data through the folder's check hook.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import RolegraphError
from .store.folder import StoreMeta, fill
from .store.oxigraph import OxigraphBackend


class CheckFailed(RolegraphError):
    """Data that loads but fails validation, so the store was not replaced (exit status 1)."""

    exit_code = 1


@dataclass(frozen=True)
class Filled:
    """What ``rolegraph --store DIR load`` did: the store's new :class:`StoreMeta`, and the number of
    violations and warnings validation found (``None`` when not validated)."""

    store: str
    meta: StoreMeta
    violations: int | None
    warnings: int | None

    def to_dict(self) -> dict:
        return {"store": self.store, **self.meta.to_dict(), "violations": self.violations,
                "warnings": self.warnings}


def fill_store(folder: Path, data: Sequence[Path | str] | None = None, validate: bool = True) -> Filled:
    """Fill (or replace) the store folder *folder* with the ontology and *data* (default: the bundled
    framework), atomically. With *validate*, data with SHACL violations raises :class:`CheckFailed`
    and the store is left as it was."""
    from .graph import RoleGraph, source_files

    files = source_files(data)
    counts: list[int | None] = [None, None]

    def check(backend: OxigraphBackend) -> None:
        if not validate:
            return
        report = RoleGraph(backend, files).validate()
        counts[:] = [report.count("Violation"), report.count("Warning")]
        if not report.conforms:
            raise CheckFailed(f"{folder}: not replaced: the data has {counts[0]} SHACL violations",
                              "see them with: rolegraph validate " + " ".join(str(p) for p in data or []))

    meta = fill(folder, files, check)
    return Filled(str(folder), meta, counts[0], counts[1])


__all__ = ["CheckFailed", "Filled", "fill_store"]
