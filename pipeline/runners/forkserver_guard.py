"""Imported by the forkserver only (a preload module of `batch.mp_context`): the forkserver ends
when the run that started it ends, even when the run was killed with SIGKILL (Linux:
PR_SET_PDEATHSIG; elsewhere the forkserver ends when its pipe from the run closes)."""

import os

from zhie.runners.lifeline import die_with_parent

if die_with_parent() and os.getppid() == 1:  # the run died before the signal was set
    os._exit(1)
