"""Worker processes end when the run that started them ends, however it ends (SIGKILL included).

Two mechanisms, both in every worker process of the local pool:

- on Linux, `prctl(PR_SET_PDEATHSIG, SIGKILL)`: the kernel kills the process when its parent
  (the forkserver, for the pool's workers) dies;
- a watchdog thread (`watch`) that checks twice a second that the parent is still the same
  process and that the run's own process is alive, and ends the worker with `os._exit` when not
  (this also covers systems without prctl, and a worker whose parent is not the run).

The forkserver imports `zhie.runners.forkserver_guard` (a preload module) that sets the same
death signal for itself, so it ends with the run too; the resource tracker ends by itself once
the run, the forkserver and the workers have closed its pipe.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
INTERVAL = 0.5


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send `sig` to this process when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def alive(pid: int) -> bool:
    """Whether process `pid` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def watch(run_pid: int | None = None, interval: float = INTERVAL) -> threading.Thread:
    """End this process (exit code 1, without cleanup) once its parent changes or `run_pid` is gone."""
    parent = os.getppid()

    def loop():
        while True:
            if os.getppid() != parent or (run_pid is not None and not alive(run_pid)):
                os._exit(1)
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="zhie-lifeline", daemon=True)
    thread.start()
    return thread


def guard(run_pid: int | None = None) -> None:
    """Both mechanisms for this process (call it first thing in a worker)."""
    parent = os.getppid()
    die_with_parent()
    if os.getppid() != parent or parent == 1:  # the parent died before the death signal was set
        os._exit(1)
    watch(run_pid)
