"""Output folders that cannot destroy data: gwplan replaces only what it wrote itself.

Every folder gwplan writes carries a marker file (`MARKER`) listing the files
it wrote. A target is accepted when it does not exist, is an empty folder, or
is a folder whose marker covers every file in it; anything else (a regular
file, the current directory, a scenario folder, a folder with files of the
user's own) is refused before any work starts. Results are written into a
hidden staging folder beside the target and renamed into place; staging and
retired folders left by a killed run are removed on the next start.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import fnmatch
import glob
import json
import os
import shutil
import signal
import struct
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

__all__ = [
    "MARKER",
    "OutputRefusedError",
    "atomic_folder",
    "check_output",
    "clean_stale",
    "foreign_files",
    "marker_kind",
    "owned_patterns",
    "write_marker",
]

MARKER = ".gwplan-output.json"
_STAGING, _RETIRED = "gwplan-staging", "gwplan-retired"
_FS_IOC_GETFLAGS = 0x80086601  # Linux ioctl reading chattr flags
_UNMOVABLE_FLAGS = 0x10 | 0x20  # immutable, append-only


class OutputRefusedError(FileExistsError):
    """gwplan will not write to this place (it would destroy data, or it cannot write there)."""


def owned_patterns(folder: Path) -> list[str] | None:
    """The patterns of files gwplan wrote in ``folder`` (from its marker), or None if unmarked."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        patterns = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        return None
    return [*patterns, MARKER]


def marker_kind(folder: Path) -> str | None:
    """The kind of output gwplan recorded in ``folder``'s marker, or None if unmarked."""
    try:
        kind = json.loads((folder / MARKER).read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        return None
    return kind if isinstance(kind, str) else None


def write_marker(folder: Path, patterns: Iterable[str] | None = None, kind: str = "output") -> None:
    """Record in ``folder`` which files gwplan wrote (default: every file there now)."""
    if patterns is None:
        patterns = [glob.escape(p) for p in _contents(folder) if p != MARKER]
    payload = {"written_by": "gwplan", "kind": kind, "files": sorted(patterns)}
    (folder / MARKER).write_text(json.dumps(payload, indent=1), encoding="utf-8")


def foreign_files(folder: Path) -> list[str]:
    """Files in ``folder`` that its marker does not cover (all of them without a marker)."""
    patterns = owned_patterns(folder) or []
    return [p for p in _contents(folder) if not any(fnmatch.fnmatchcase(p, q) for q in patterns)]


def check_output(target: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Refuse an output folder that gwplan may not (or cannot) write, before any work.

    Parameters
    ----------
    target
        The folder results will go to.
    force
        Allow replacing a folder gwplan wrote before (never one with other files).

    Returns
    -------
    pathlib.Path
        The target, absolute.

    Raises
    ------
    OutputRefusedError
        Saying why, and what to do instead.
    """
    final = Path(os.path.abspath(target))
    clean_stale(final)
    _refuse_special(final)
    if final.exists():
        _refuse_existing(final, force)
    _probe_writable(final)
    return final


def _refuse_special(final: Path) -> None:
    here = Path.cwd().resolve()
    resolved = final.resolve()
    if final.is_symlink():
        raise OutputRefusedError(f"{final} is a symbolic link; choose a new folder")
    if resolved == here or resolved in here.parents:
        raise OutputRefusedError(
            f"{final} is the current directory or holds it; choose a new folder inside it"
        )
    if final.exists() and not final.is_dir():
        raise OutputRefusedError(f"{final} is a file, not a folder; choose a new folder")


def _refuse_existing(final: Path, force: bool) -> None:
    contents = _contents(final)
    if not contents:
        return
    if owned_patterns(final) is None:
        raise OutputRefusedError(
            f"{final} holds files gwplan did not write ({_sample(contents)}); choose a new folder"
        )
    foreign = foreign_files(final)
    if foreign:
        raise OutputRefusedError(
            f"{final} holds files gwplan did not write ({_sample(foreign)}); "
            "move them away or choose a new folder"
        )
    if not force:
        raise OutputRefusedError(
            f"{final} holds an earlier gwplan output; pass --force to replace it, "
            "or choose a new folder"
        )


def _probe_writable(final: Path) -> None:
    parent = _existing_ancestor(final.parent)
    try:
        probe = tempfile.mkdtemp(prefix=f".{final.name}.{_STAGING}-probe-", dir=parent)
        os.rmdir(probe)
    except OSError as error:
        raise OutputRefusedError(f"cannot write in {parent}: {error.strerror}") from None
    if final.exists() and _unmovable(final):
        raise OutputRefusedError(f"{final} is immutable or append-only; it cannot be replaced")


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _unmovable(path: Path) -> bool:
    """Whether chattr flags forbid renaming ``path`` (Linux only; False where unknown)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        raw = fcntl.ioctl(fd, _FS_IOC_GETFLAGS, struct.pack("i", 0))
        return bool(struct.unpack("i", raw[:4])[0] & _UNMOVABLE_FLAGS)
    except OSError:
        return False
    finally:
        os.close(fd)


def clean_stale(final: Path) -> None:
    """Remove staging and retired folders of ``final`` left by runs that no longer exist."""
    parent = final.parent
    if not parent.is_dir():
        return
    for kind in (_STAGING, _RETIRED):
        for path in parent.glob(f".{glob.escape(final.name)}.{kind}-*"):
            pid = path.name.rsplit("-", 2)[-2] if path.name.count("-") >= 2 else ""
            if pid.isdigit() and not _alive(int(pid)) and (path / MARKER).exists():
                shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def atomic_folder(target: str | os.PathLike[str], *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a staging folder that replaces ``target`` when the block succeeds.

    Everything is written into a staging folder beside the target, which is
    then renamed into place; on any error (or SIGTERM/SIGHUP) the staging
    folder is removed and an existing target is left untouched. Only a folder
    gwplan wrote, holding nothing else, is ever replaced.

    Raises
    ------
    OutputRefusedError
        If ``target`` is not a new folder, an empty one or (with ``overwrite``)
        one gwplan wrote; checked before and again after the block.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "report"
    >>> with atomic_folder(out) as staging:
    ...     _ = (staging / "summary.md").write_text("# Summary")
    >>> sorted(p.name for p in out.iterdir())
    ['.gwplan-output.json', 'summary.md']
    """
    final = check_output(target, force=overwrite)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = _hidden_folder(final, _STAGING)
    try:
        with _signals_raise():
            yield staging
            write_marker(staging)
            _commit(staging, final, overwrite)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _hidden_folder(final: Path, kind: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f".{final.name}.{kind}-{os.getpid()}-", dir=final.parent))
    # mkdtemp makes the folder private (0700); the renamed result gets the user's usual mode.
    folder.chmod(0o777 & ~_umask())
    write_marker(folder, ["*", "**/*"], kind=kind)
    return folder


def _commit(staging: Path, final: Path, overwrite: bool) -> None:
    if final.exists():
        _refuse_special(final)
        _refuse_existing(final, overwrite)
    if not final.exists() or not _contents(final):
        with contextlib.suppress(FileNotFoundError):
            final.rmdir()  # an empty folder: nothing to keep
        os.replace(staging, final)
        return
    retired = _hidden_folder(final, _RETIRED)
    os.replace(final, retired / final.name)
    try:
        os.replace(staging, final)
    except OSError:
        os.replace(retired / final.name, final)
        shutil.rmtree(retired, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)


@contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into SystemExit so that cleanup runs (main thread only)."""

    def stop(number: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + number)

    previous = {}
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            previous[sig] = signal.signal(sig, stop)
    except ValueError:  # not the main thread: leave the handlers alone
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _umask() -> int:
    """The process umask (read by setting it; there is no portable read-only call)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _contents(folder: Path) -> list[str]:
    """Every file and folder below ``folder``, as relative POSIX paths (folders end in '/')."""
    found = []
    try:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            found.append(relative + "/" if path.is_dir() and not path.is_symlink() else relative)
    except OSError as error:
        if error.errno not in (errno.ENOENT,):
            raise OutputRefusedError(f"cannot list {folder}: {error.strerror}") from None
    return found


def _sample(paths: list[str]) -> str:
    shown = ", ".join(paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
