"""Worker processes that end with the process that started them.

When a sweep's driver is killed (``kill -9``, an out-of-memory kill) its
pool workers would otherwise keep computing for nobody, holding memory and
the multiprocessing resource tracker. Each worker asks the kernel to kill it
when its parent dies (Linux), and watches its parent as a fallback elsewhere.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1
_POLL_S = 0.5


def die_with_parent(parent_pid: int) -> None:
    """Pool initializer: end this process when ``parent_pid`` is gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), daemon=True).start()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(_POLL_S)
    os._exit(1)  # re-parented: the driver is gone
