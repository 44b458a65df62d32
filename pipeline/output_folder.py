"""The output folder of a run: checked before anything runs, locked for the run, written as a
staging folder beside it and swapped in when the run has finished (docs/runners.md, "Replacing a
run"). Local folders and object stores (gs://, s3://) alike, through Beam's FileSystems."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shlex
import socket
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from apache_beam.io.filesystems import FileSystems

from pipeline.config import cut
from pipeline.documents import shown_path
from pipeline.inputs import from_file_uri
from pipeline.report import REPORT_FILE
from pipeline.report_html import HTML_FILE
from pipeline.usage import UsageError, path_text, reason
from transforms.prior_dedup import INDEX_DIR, SUCCESS_FILE

# What a run writes into --output; the swap replaces exactly these and leaves anything else there.
RUN_OUTPUTS = ("clean", "rejected", "failed", INDEX_DIR, REPORT_FILE, HTML_FILE)
STAGING = ".staging-"  # a run is written to <output>.staging-<id> and swapped in when it finished
LOCK = ".lock"  # <output>.lock: held by the run writing that output (output_lock)


def _is_local(path: str) -> bool:
    return FileSystems.get_scheme(path) in (None, "file")


def local_path(path: str) -> str:
    """A local path or file: URI as a path (a URI that is not one of a local file is a usage error)."""
    try:
        return from_file_uri(path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def output_folder(out_dir: str) -> str:
    """--output without a trailing slash; a bucket's root is refused (its staging folder would be
    another bucket), and so is a name with a glob character: Beam's file systems read the paths
    they delete, rename and match as patterns, so `--output 'runs/day*' --overwrite` deleted the
    `_SUCCESS` of every sibling run `runs/day1`, `runs/day2`, ... then crashed, leaving staging
    folders behind; `out[1]` failed while probing that it could write."""
    if shown_path(out_dir) != out_dir:  # Beam's sinks name their files in UTF-8
        raise UsageError(f"output {path_text(shown_path(out_dir))} is not valid UTF-8: choose a name that is")
    if re.search(r"[*?\[]", out_dir):
        raise UsageError(f"output {path_text(out_dir)} holds a glob character (*, ? or [): Beam's file systems would read "
                         "it as a pattern (and --overwrite could delete other folders' files); choose a name without them")
    if _is_local(out_dir):
        return os.path.normpath(local_path(out_dir))
    folder = out_dir.rstrip("/")
    if folder.count("/") < 3:  # scheme://bucket
        raise UsageError(f"output {path_text(out_dir)} is a bucket, not a folder in one: pass e.g. {cut(folder)}/run1")
    return folder


def _inside(path: str, folder: str) -> bool:
    if _is_local(path) and _is_local(folder):
        real, top = os.path.realpath(local_path(path)), os.path.realpath(folder)
        return real == top or real.startswith(top.rstrip(os.sep) + os.sep)
    return path == folder or path.startswith(folder + "/")


def check_output(out_dir: str, overwrite: bool, inputs: list[str], against: Sequence[str] = ()) -> None:
    """Before anything runs: the output is a folder (or not there yet), holds none of the inputs
    nor a run named by --dedup-against, and holds no finished run unless --overwrite."""
    if _is_local(out_dir) and os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise UsageError(f"output {path_text(out_dir)} is a file, not a folder")
    if _is_local(out_dir) and os.path.islink(out_dir) and not os.path.exists(out_dir):
        # the swap cannot make a folder where a link is: the run did all its work, then stopped with a traceback
        raise UsageError(f"output {path_text(out_dir)} is a link to {path_text(os.readlink(out_dir))}, which does not exist: "
                         "create that folder, or pass another --output")
    if not _is_local(out_dir) and any(m.path == out_dir for r in _match([out_dir]) for m in r.metadata_list):
        raise UsageError(f"output {path_text(out_dir)} is a file, not a folder")
    inside = [p for p in inputs if _inside(p, out_dir)]
    if inside:
        raise UsageError(f"input {path_text(inside[0])} is inside the output folder {path_text(out_dir)}: "
                         "write the run somewhere else")
    # `--output day1 --overwrite --dedup-against day1` rejected every document as a copy of the
    # run it then deleted: the clean text was gone, and the new run held none
    replaced = [a for a in against if _inside(a.rstrip("/"), out_dir)]
    if replaced:
        raise UsageError(f"--dedup-against {path_text(replaced[0])} is the output folder {path_text(out_dir)} (or inside it): "
                         "the run would reject its documents as copies of the run it replaces; write the run somewhere else")
    if not overwrite and any(FileSystems.exists(FileSystems.join(out_dir, n)) for n in (*RUN_OUTPUTS, SUCCESS_FILE)):
        raise UsageError(f"output {path_text(out_dir)} already holds a run; pass --overwrite to replace it")


@contextlib.contextmanager
def output_lock(out_dir: str) -> Iterator[bool]:
    """Hold `OUT.lock` (beside a local output) for the whole run. Two runs started on one --output
    both found it empty, both ran and both said Done: the second swapped its run over the first
    without --overwrite, and with --overwrite the two swaps could interleave, leaving one run's
    clean/ under the other's report. An flock dies with its process, so a killed run leaves no
    stale lock, only the empty file. Object stores have no lock: there, one run per output. Yields
    whether the lock is held."""
    try:
        import fcntl  # POSIX; elsewhere (Windows) the run goes on without the lock
    except ImportError:
        fcntl = None
    if not _is_local(out_dir) or fcntl is None:
        yield False
        return
    path = lock_path(out_dir)
    try:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except FileNotFoundError:  # a new folder's parents are made, as the staging folder's would be
            if os.path.isdir(os.path.dirname(path) or "."):
                raise  # the folder is there and refused the name (/proc): makedirs would only say "File exists"
            os.makedirs(os.path.dirname(path))
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise cannot_write(out_dir, exc) from exc
    locked = False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # the run holding it may have just finished and removed it: then we hold a lock nobody sees
            locked = os.fstat(fd).st_ino == os.stat(path).st_ino
        except OSError:
            pass
        if not locked:
            raise UsageError(f"another run{lock_holder(fd, path)} is writing the output {path_text(out_dir)} (it holds "
                             f"{path_text(path)}): wait for it to finish, or choose another --output")
        with contextlib.suppress(OSError):  # who holds it, for a run refused meanwhile (lock_holder)
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(_holder()).encode(), 0)
        yield True
    finally:
        if locked:
            with contextlib.suppress(OSError):
                os.unlink(path)  # before letting go: a run that opens it after this creates a new one
        os.close(fd)


def _holder() -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "command": cut(shlex.join(sys.argv), 200)}


def lock_holder(fd: int, path: str) -> str:
    """Who holds a run's lock, as its holder wrote it into the file (`output_lock`), for the line
    refusing another run: " (pid 4242 on host h, since 2026-12-07 17:30:01 +0000: python -m ...)",
    and what to do when that process on this host is gone (a process it started holds the lock
    on: a stopped run's child). A second run was refused naming only the file, and a user with a
    run suspended by Ctrl-Z, or hung, or on another host sharing the folder, could not tell which
    run (hostile round 29). "" when the file holds no holder (one written before this round, or
    one being written now)."""
    try:
        holder = json.loads(os.pread(fd, 4096, 0) or b"null")
        pid, host, started, command = (holder[k] for k in ("pid", "host", "started", "command"))
    except (OSError, ValueError, TypeError, KeyError):
        return ""
    text = f" (pid {pid} on host {host}, since {started}: {command})"
    if host == socket.gethostname() and isinstance(pid, int) and not _alive(pid):
        text += f", whose process is gone but a process it started holds the lock still (`fuser -v {path_text(path)}` names it)"
    return text


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's: there
        pass
    return True


def check_not_being_written(runs: Sequence[str]) -> None:
    """Refuse a --dedup-against run that another run is writing or replacing now (it holds the
    run's lock, `output_lock`). Its index was checked as it is, and the job read it later: before
    or after the other run swapped its own in, by timing, a day's copies rejected or let through
    against one index or another, maybe made with other settings than the one checked (hostile
    round 27). Only a lock held now is seen: a run started on it after this one started is not."""
    try:
        import fcntl
    except ImportError:
        return
    for run in runs:
        if not _is_local(run):
            continue
        path = lock_path(run)
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # no lock file: no run is writing it (a killed run's empty one is not held)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            raise UsageError(f"--dedup-against {path_text(run)} is being written by another run{lock_holder(fd, path)} now (it holds "
                             f"{path_text(path)}): wait for it to finish, then run again") from None
        finally:
            os.close(fd)  # closing lets go of a shared lock this took


def run_paths(out_dir: str, staging: str) -> tuple[str, ...]:
    """What this run makes or replaces before its inputs are matched: the output folder, its
    lock file and the staging folder. None of it is input, though a folder or glob may name it."""
    return (out_dir, out_dir + LOCK, staging)


def lock_path(folder: str) -> str:
    """The lock file of a local run folder, as `output_lock` names it for the run writing it and
    `check_not_being_written` for a run reading it: `--output` and `--dedup-against` may spell one
    folder two ways (`runs/day1/`, `runs/./day1`)."""
    return os.path.normpath(local_path(folder)) + LOCK


def _match(patterns: list[str]) -> list[Any]:
    try:
        return FileSystems.match(patterns)
    except Exception:  # noqa: BLE001 - nothing there: some filesystems raise instead of matching nothing
        return []


def make_staging(out_dir: str) -> str:
    """A new folder beside the output for this run, proven writable (and the output folder too)."""
    staging = f"{out_dir}{STAGING}{uuid.uuid4().hex[:12]}"
    probe = FileSystems.join(staging, ".write-probe")
    try:
        FileSystems.mkdirs(staging)
        with FileSystems.create(probe):
            pass
    except Exception as exc:
        remove_staging(staging)
        raise cannot_write(out_dir, exc) from exc
    try:
        if _is_local(out_dir) and os.path.isdir(out_dir):
            if not os.access(out_dir, os.W_OK | os.X_OK):
                raise UsageError(f"cannot write the output {path_text(out_dir)}: Permission denied")
            # The swap renames the staging folder's outputs into the output folder. One on another
            # file system (a mount point: a disk, a container's volume; a link to another disk)
            # refuses that (EXDEV) only then: the run did all its work and stopped with a
            # traceback, and with --overwrite after deleting the previous run's outputs (hostile
            # round 21). The probe is moved as the outputs will be.
            moved = os.path.join(out_dir, f".write-probe-{os.path.basename(staging)}")
            try:
                os.rename(probe, moved)
            except OSError as exc:
                raise cannot_write(out_dir, exc) from exc
            os.unlink(moved)
        else:
            FileSystems.delete([probe])
    except BaseException:
        remove_staging(staging)
        raise
    return staging


def cannot_write(out_dir: str, exc: BaseException) -> UsageError:
    """The line for an output that cannot be made or written, naming the place and why. The OS's
    words alone misled: `--output /proc/out` said "File exists" (/proc refused the lock file beside
    the output, and making its folder found /proc there), `a_file/out` "Not a directory" without
    saying which, and a mount point "Invalid cross-device link" (hostile round 21)."""
    if not _is_local(out_dir):
        return UsageError(f"cannot write the output {path_text(out_dir)}: {reason(exc)}")
    folder = os.path.abspath(local_path(out_dir))
    what = f"cannot write the output {path_text(out_dir)}" if os.path.isdir(folder) else f"cannot create the output folder {path_text(out_dir)}"
    there = os.path.dirname(folder)  # where the lock and the staging folder are made, and a new output
    while not os.path.exists(there) and os.path.dirname(there) != there:
        there = os.path.dirname(there)
    code = next((e.errno for e in (exc, *getattr(exc, "args", ())) if isinstance(e, OSError) and e.errno), None)
    if code == errno.EXDEV:
        return UsageError(f"{what}: it is a mount point or a link to another file system, and the run is written beside it "
                          f"first and moved in: pass a folder inside it, e.g. {path_text(os.path.join(out_dir, 'run1'))}")
    if not os.path.isdir(there):
        return UsageError(f"{what}: {path_text(there)} is not a folder")
    if code == errno.ENOENT:  # the folder is there, and says its new entry is not
        return UsageError(f"{what}: {path_text(there)} takes no new files or folders (it answers {reason(exc)!r}: a "
                          "virtual file system such as /proc); choose another --output")
    return UsageError(f"{what}: {path_text(there)} refuses a new file or folder: {reason(exc)}")


STALE_STAGING = re.compile(re.escape(STAGING) + r"[0-9a-f]{12}")


def clear_stale_staging(out_dir: str) -> list[str]:
    """Deal with the staging folders beside a local output that runs stopped mid-run left behind,
    and return a line for each. Called under the output's lock: every run holds it from before
    making its staging folder until the folder is swapped in and gone, so no living run owns one
    (without the lock, on object stores or Windows, it must not be called).

    - A folder without `_SUCCESS` (a run killed before it finished: SIGKILL, a lost machine) is
      removed.
    - A folder holding `_SUCCESS` beside an output without it is a finished run whose driver died
      during its swap (`swap_in` deletes the output's `_SUCCESS` first): the swap is finished now,
      the rest of its outputs moved in. Before (hostile round 29), the folder was kept and named
      ("move it into place by hand") on every later run: the output held one run's `clean/` under
      the other's report without a `_SUCCESS`, and the folder only the rest of the run, so moving
      it "into place" lost what had been moved already.
    - A folder holding `_SUCCESS` beside an output that holds it too (a run killed in the instant
      between finishing and starting its swap, or one kept by the code before) is kept, and named."""
    parent, name = os.path.split(out_dir)
    try:
        entries = sorted(os.listdir(parent or "."))
    except OSError:
        return []
    folders = []
    for entry in entries:
        folder = os.path.join(parent, entry)
        if (entry.startswith(name) and STALE_STAGING.fullmatch(entry[len(name):])
                and not os.path.islink(folder) and os.path.isdir(folder)):  # else not a folder this code made
            folders.append(folder)
    finished = [f for f in folders if os.path.exists(os.path.join(f, SUCCESS_FILE))]
    resume = None
    if finished and not os.path.exists(os.path.join(out_dir, SUCCESS_FILE)) and (os.path.isdir(out_dir) or not os.path.lexists(out_dir)):
        resume = max(finished, key=lambda f: os.stat(os.path.join(f, SUCCESS_FILE)).st_mtime_ns)
    lines = []
    for folder in folders:
        if folder == resume:
            continue
        if folder in finished:
            lines.append(f"warning: {path_text(folder)} holds a finished run (or what is left of one) of a run stopped as it "
                         f"was about to replace the output, which holds a finished run itself: delete it, or move it into place by hand")
            continue
        remove_staging(folder)
        lines.append(f"removed {path_text(folder)}: the staging folder of a run stopped before it finished")
    if resume is not None:
        try:
            swap_in(resume, out_dir, finishing=True)
        except Exception as exc:
            raise cannot_write(out_dir, exc) from exc
        lines.append(f"finished replacing the output {path_text(out_dir)} with the finished run in {path_text(resume)}, "
                     "whose run was stopped while it was swapping it in")
    return lines


def remove_staging(staging: str) -> None:
    """Best effort: a failed run leaves nothing behind, and never touches the output folder."""
    try:
        if _is_local(staging):
            if os.path.isdir(local_path(staging)):
                FileSystems.delete([staging])
        else:
            _delete_tree(staging)
    except Exception:  # noqa: BLE001, S110 - cleaning up must not hide the error that brought us here
        pass


def _objects(path: str) -> list[str]:
    """The files (objects) at `path`: those under it as a folder, else the file itself."""
    under = [m.path for r in _match([FileSystems.join(path, "**")]) for m in r.metadata_list]
    if under:
        return under
    is_file = os.path.isfile(local_path(path)) if _is_local(path) else any(m.path == path for r in _match([path]) for m in r.metadata_list)
    return [path] if is_file else []


def _delete_tree(folder: str) -> None:
    files = _objects(folder)
    if files:
        FileSystems.delete(files)


def _move_objects(source: str, target: str) -> None:
    """A folder or file moved object by object: what "rename" is on an object store (a copy and a
    delete per object, done by Beam's filesystem)."""
    _delete_tree(target)
    sources = _objects(source)
    targets = [target + path[len(source):] for path in sources]
    for path in targets:
        if _is_local(path):  # only when this path is tried on a local disk (tests)
            os.makedirs(os.path.dirname(local_path(path)), exist_ok=True)
    if sources:
        FileSystems.rename(sources, targets)


def swap_in(staging: str, out_dir: str, *, rename_folders: bool | None = None, finishing: bool = False) -> None:
    """Make the finished run in `staging` the run in `out_dir`, replacing a previous one.

    A local folder is renamed in one step; an object store has no folders, so its objects are
    moved one by one (`rename_folders=False` forces that path, for tests). `_SUCCESS` marks the
    finished run throughout: the output's goes first and comes back last, and the staging folder
    keeps its own until it is removed, so at every moment one of the two folders holds a finished
    run (docs/runners.md, "Replacing a run"). Files of the output folder that are not a run's
    outputs are left alone. `finishing` a swap a stopped run began (`clear_stale_staging`), an
    output the staging folder no longer holds was moved in already, and is kept."""
    if rename_folders is None:
        rename_folders = _is_local(out_dir)
    marker = FileSystems.join(out_dir, SUCCESS_FILE)
    if FileSystems.exists(marker):
        FileSystems.delete([marker])
    if _is_local(out_dir):
        os.makedirs(local_path(out_dir), exist_ok=True)
    for name in RUN_OUTPUTS:
        new, old = FileSystems.join(staging, name), FileSystems.join(out_dir, name)
        if finishing and not FileSystems.exists(new):
            continue
        if not rename_folders:
            _move_objects(new, old)
            continue
        if FileSystems.exists(old):
            FileSystems.delete([old])
        if FileSystems.exists(new):
            FileSystems.rename([new], [old])
    with FileSystems.create(marker):
        pass
    remove_staging(staging)
