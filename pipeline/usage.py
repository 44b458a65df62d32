"""Mistakes the user can fix, and how their error lines read: one line on stderr and exit code 2,
with paths quoted and cut and the OS's own words for a failed file operation."""

from __future__ import annotations

import errno
import os
import sys

from pipeline.config import cut

NO_SPACE = (errno.ENOSPC, errno.EDQUOT)  # what a full disk or quota raises


class UsageError(Exception):
    """Something the user can fix from the command line."""


def usage_error(exc: Exception) -> int:
    """A mistake the user can fix: one line on stderr, exit code 2."""
    print(f"error: {cut(' '.join(str(exc).split()), 400)}", file=sys.stderr)
    return 2


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
