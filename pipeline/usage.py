"""Mistakes the user can fix, and how their error lines read: one line on stderr and exit code 2,
with paths quoted and cut and the OS's own words for a failed file operation; and the console
lines themselves (`say`), which never decide how a run ends."""

from __future__ import annotations

import errno
import os
import sys
from typing import TextIO

from pipeline.config import cut

NO_SPACE = (errno.ENOSPC, errno.EDQUOT)  # what a full disk or quota raises


class UsageError(Exception):
    """Something the user can fix from the command line."""


def usage_error(exc: Exception) -> int:
    """A mistake the user can fix: one line on stderr, exit code 2."""
    say(f"error: {one_line(str(exc))}")
    return 2


_HEAD, _TAIL = 600, 300


def one_line(message: str) -> str:
    """`message` on one line, its middle cut when it is long. The values in a message are cut
    already (`cut`, `short`); what is left long is paths, and a message names what is wrong
    first and what to do last: a cut at 400 characters took the advice off a message naming two
    paths of a deep folder (--dedup-against's), so the head and the tail are kept."""
    text = " ".join(message.split())
    if len(text) <= _HEAD + _TAIL:
        return text
    return f"{text[:_HEAD]} ... ({len(text) - _HEAD - _TAIL:,} characters) ... {text[-_TAIL:]}"


def say(text: str, stream: TextIO | None = None) -> None:
    """`text` and a line end on `stream` (stderr when None), flushed. A stream that cannot be
    written (a log file on a full disk, `| head` gone, a closed pipe) is let go: its descriptor
    now points at /dev/null, and the run goes on and ends as it would have.

    Before (hostile round 25), such a write raised in the driver: `2>/dev/full` (or stderr on a
    full disk) stopped the run at its first line, before any work, with a traceback nobody could
    read (exit 1); the progress line at the job's end raised after all the work and the finished
    run was thrown away; `>/dev/full` made the closing summary raise after the run was swapped in,
    reported as "cannot write the output ...: No space left on device", exit 2, a lie; a reader
    gone from stdout was a BrokenPipeError traceback, exit 1, over a finished run."""
    out = sys.stderr if stream is None else stream
    if out is None:  # pythonw, or a closed descriptor at start-up: nothing to write to
        return
    try:
        try:
            print(text, file=out, flush=True)
        except UnicodeEncodeError:  # stdout in ASCII (PYTHONIOENCODING=ascii) and a path with "é": as stderr writes it
            encoding = getattr(out, "encoding", None) or "utf-8"
            print(text.encode(encoding, "backslashreplace").decode(encoding), file=out, flush=True)
    except (OSError, ValueError):  # EPIPE, ENOSPC, EIO; ValueError: the stream was closed
        _let_go(out)


def _let_go(stream: TextIO) -> None:
    """Point `stream`'s descriptor at /dev/null: what it still buffers, later lines (ours, Beam's
    log, the worker processes it starts) and the interpreter's flush at exit (exit code 120
    and "Exception ignored" otherwise) all go there without an error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no descriptor (a StringIO): nothing to point elsewhere
        pass


def reason(exc: BaseException) -> str:
    """The OS's words for a failed file operation (Beam wraps OSError in IOError without them)."""
    for e in (exc, *getattr(exc, "args", ())):
        if isinstance(e, OSError) and e.strerror:
            return e.strerror
    return cut(" ".join(str(exc).split()), 200)


def no_space(exc: BaseException) -> str | None:
    """The OS's words when `exc` is a full disk or quota, else None. Beam re-raises a step's error
    as a RuntimeError that carries only its text (from a worker process, only the text exists)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in NO_SPACE:
            return seen.strerror or os.strerror(seen.errno)
        seen = seen.__cause__ or seen.__context__
    return names_no_space(str(exc))


def names_no_space(text: str) -> str | None:
    """The OS's words when `text` (an error's text) is a full disk or quota, else None."""
    return next((os.strerror(code) for code in NO_SPACE if f"[Errno {code}]" in text), None)


def path_text(path: str) -> str:
    """A path quoted for an error line: paths are long, but a megabyte of one is not echoed."""
    return cut(repr(path), 400)
