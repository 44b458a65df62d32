"""Files a run's config names beside its data (the config itself, a rule pack, the classifier's
and the furniture-lines model's weights, URL lists), read with a cap.

Each was read whole: `--set clean.furniture_weights=/dev/zero` (or a rule pack, a weights file, a
URL list or `--config` naming it, or a multi-gigabyte file named by mistake) read until the
machine ran out of memory, where the run should have stopped at once with one line (hostile
round 16). What is read is also carried inside the job to every worker, so a cap far above any
real file costs nothing and bounds that too.
"""

from __future__ import annotations

import os
import stat
from importlib import resources
from pathlib import Path
from typing import AnyStr, BinaryIO

# The shipped files are at most 1 MB (the classifier's weights); a config, pack or model a
# hundred times that is not one
MAX_FILE_CHARS = 64 << 20
# A URL list of 10 million domains is about 200 MB
MAX_LIST_BYTES = 512 << 20


class FileTooLarge(ValueError):
    """A file past its cap; the message says how large a file may be."""


def read_text_at_most(path: str | Path, limit: int | None = None) -> str:
    """The UTF-8 text of the file at `path` (newlines read as `Path.read_text` reads them), or
    FileTooLarge past `limit` characters (MAX_FILE_CHARS); OSError and UnicodeDecodeError as
    `read_text` raises."""
    limit = MAX_FILE_CHARS if limit is None else limit
    with open(path, encoding="utf-8") as f:
        return _at_most(f.read(limit + 1), limit, "characters")


def read_bytes_at_most(f: BinaryIO, limit: int | None = None) -> bytes:
    """The bytes of the open file `f`, or FileTooLarge past `limit` (MAX_LIST_BYTES)."""
    limit = MAX_LIST_BYTES if limit is None else limit
    return _at_most(f.read(limit + 1), limit, "bytes")


def _at_most(data: AnyStr, limit: int, unit: str) -> AnyStr:
    """`data` (read up to one past `limit`), or FileTooLarge when it got past."""
    if len(data) > limit:
        raise FileTooLarge(f"larger than {limit:,} {unit}: not a file of this kind (a device such as /dev/zero, or another file?)")
    return data


def special_file_kind(path: str | Path) -> str | None:
    """What a local path names when it exists and is neither a regular file nor a folder (followed
    through links): "a pipe" (a named one, or `<(...)`'s), "a character device", "a block device"
    or "a socket"; else None. Found from `stat`, without opening it: opening a named pipe waits for
    a writer."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # none there (or a name the OS refuses): the open that follows says so
        return None
    for test, kind in ((stat.S_ISFIFO, "a pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return None


def config_file_text(path: str, bundled: str) -> str:
    """The text of the file a config key names (`path`, read with the cap), or, when it names
    none, of the file shipped as configs/<bundled>."""
    if path:
        return read_text_at_most(path)
    return resources.files("configs").joinpath(bundled).read_text(encoding="utf-8")
