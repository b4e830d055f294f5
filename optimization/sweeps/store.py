"""Incremental storage of a sweep: one Parquet file per finished chunk.

A sweep folder holds ``sweep.json`` (what was asked: parameters, samples,
seed, method, scenario fingerprint) and ``chunks/chunk-NNNNNN.parquet``. Each
chunk file is written under a temporary name and renamed, so an interrupted
sweep leaves only whole chunks behind, and ``resume`` skips them. A chunk
that was damaged anyway (a disk error, a truncated copy) is detected on
resume, reported in `SweepStore.damaged` and computed again.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from optimization.sweeps.sweep_folder import check_sweep_folder, mark_sweep_folder

__all__ = ["SweepMismatchError", "SweepStore"]


class SweepMismatchError(Exception):
    """A sweep folder holds results of a different sweep than the one resumed."""


class SweepStore:
    """A folder of finished chunks for one sweep specification.

    Parameters
    ----------
    folder
        Where the sweep is stored (created if missing).
    spec
        JSON-serialisable description of the sweep; resuming checks it matches.
    resume
        Keep the chunks already in ``folder``; without it an existing,
        non-empty sweep folder is an error (results are never silently mixed).
    """

    def __init__(
        self, folder: str | os.PathLike[str], spec: Mapping[str, Any], resume: bool
    ) -> None:
        self.folder = Path(folder)
        self.chunks = self.folder / "chunks"
        self.damaged: list[str] = []
        check_sweep_folder(self.folder, resume=True)
        spec_file = self.folder / "sweep.json"
        wanted = json.loads(json.dumps(spec, default=str))
        if spec_file.exists():
            found = json.loads(spec_file.read_text())
            if not resume:
                raise SweepMismatchError(
                    f"{self.folder} already holds a sweep; pass resume=True (--resume) to continue "
                    "it, or choose another folder"
                )
            if found != wanted:
                changed = sorted(
                    k for k in set(found) | set(wanted) if found.get(k) != wanted.get(k)
                )
                raise SweepMismatchError(
                    f"{self.folder} holds a different sweep (differs in: {', '.join(changed)})"
                )
        self.chunks.mkdir(parents=True, exist_ok=True)
        mark_sweep_folder(self.folder)
        for temp in self.chunks.glob("*.tmp"):  # left by a killed run
            temp.unlink()
        _write_atomic(spec_file, json.dumps(wanted, indent=2, sort_keys=True).encode())

    def done(self, expected: Mapping[int, pd.Index] | None = None) -> set[int]:
        """Ids of the chunks already stored whole.

        Parameters
        ----------
        expected
            ``{chunk id: sample index}`` of the sweep; a stored chunk that
            cannot be read or holds other samples is removed, noted in
            `damaged`, and not counted as done.
        """
        found = set()
        for path in sorted(self.chunks.glob("chunk-*.parquet")):
            chunk_id = int(path.stem.split("-")[1])
            reason = _damage(path, None if expected is None else expected.get(chunk_id))
            if reason is None:
                found.add(chunk_id)
            else:
                self.damaged.append(f"{path.name}: {reason}")
                path.unlink()
        return found

    def write(self, chunk_id: int, table: pd.DataFrame) -> None:
        """Store one finished chunk atomically."""
        target = self.chunks / f"chunk-{chunk_id:06d}.parquet"
        handle, temp = tempfile.mkstemp(dir=self.chunks, suffix=".tmp")
        os.close(handle)
        try:
            table.to_parquet(temp)
            os.replace(temp, target)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)

    def read(self) -> pd.DataFrame:
        """Every stored row, sorted by sample."""
        files = sorted(self.chunks.glob("chunk-*.parquet"))
        if not files:
            return pd.DataFrame()
        return pd.concat([pd.read_parquet(f) for f in files]).sort_index()


def _damage(path: Path, samples: pd.Index | None) -> str | None:
    """Why a stored chunk cannot be used, or None when it is whole."""
    try:
        table = pd.read_parquet(path)
    except Exception as error:  # pyarrow raises several types for a damaged file
        return f"unreadable ({type(error).__name__}: {str(error)[:120]})"
    if samples is not None and not table.index.equals(samples):
        return f"holds {len(table)} samples, expected {len(samples)} (samples {samples.min()}..)"
    return None


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temp, path)
