"""The composition root: flags, config, sources and sinks, the stage order and the run report."""

import os as _os
import signal as _signal
import sys as _sys
import threading as _threading


def _stopped_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C or a `kill` while the command starts (imports take seconds): one line and the shell's
    exit code, as once the run is under way (pipeline.run.main). Before, Ctrl-C printed the
    KeyboardInterrupt traceback of whatever Beam module was importing, and SIGTERM ended the
    command without a word (hostile round 29). Nothing is written yet: there is nothing to undo."""
    _os.write(2, f"error: stopped by {_signal.Signals(signum).name} while starting: nothing was written\n".encode())
    _os._exit(128 + signum)


def _a_run_starting() -> bool:
    """Whether this import is the start of a run (`python -m pipeline.run`: Python names the command
    "-m" while it finds the module; or the installed `newsclean`), whose main() then takes the
    signals over, not a library's, a test's or another command's import, whose signals stay
    Python's own."""
    argv0 = _sys.argv[0] if _sys.argv else ""
    orig = list(getattr(_sys, "orig_argv", []))
    by_module = argv0 == "-m" and any(a == "-m" and b == "pipeline.run" for a, b in zip(orig, orig[1:]))
    return (by_module or _os.path.basename(argv0) in ("newsclean", "newsclean.exe")) and \
        _threading.current_thread() is _threading.main_thread()


if _a_run_starting():
    for _s in (_signal.SIGINT, _signal.SIGTERM):
        if _signal.getsignal(_s) in (_signal.default_int_handler, _signal.SIG_DFL):
            _signal.signal(_s, _stopped_while_starting)

from transforms.beam_import import import_beam  # noqa: E402

import_beam()  # before any pipeline module imports Beam: without its GCP notice

from transforms.beam_specs import install as _remember_dofn_specs  # noqa: E402

# Beam recomputes each DoFn's state specs ~10 times (transforms/beam_specs.py). Installed here, in
# the job's processes (the driver imports pipeline.run; workers import pipeline modules to unpickle
# their DoFns), not in `transforms`, so a project importing the cleaning functions keeps Beam as is.
_remember_dofn_specs()
