"""Splitting big JSONL files into byte ranges, so many workers read one file.

A 20 GB JSONL dump would otherwise be read, parsed and handed on by the one worker that got it.
An uncompressed JSONL file larger than `read.split_bytes` is cut into ranges of that size; a range
owns the lines that *start* inside it (the first range also the line at byte 0), so every line is
read exactly once whatever the cut points, as Beam's text source does.

Records keep the positions (and so the derived ids) they have when the file is read whole: a first
pass counts the records of each range (a cheap byte scan, no JSON parsing), the counts are summed
per file, and each range is then read knowing the position of its first record. A line past
`read.max_record_bytes` stops the file where it starts, as a whole read stops: the ranges after
its range are not read. Gzipped files cannot be entered in the middle and are read whole.

A Parquet file larger than `read.split_bytes` is cut at row-group boundaries into runs of row
groups of about that many (compressed) bytes. It is planned as one range covering the file, so
its footer is read in the counting step, spread over the workers like the JSONL ranges (a crawl
of 10,000 Parquet files would otherwise have every footer read by the worker that matched them);
the footer gives every run's row count, and the runs are numbered like JSONL ranges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import BinaryIO, Callable, Iterable, Iterator, Sequence

from pipeline.inflate import compression_of

_SKIP_CHUNK = 1 << 20
MAX_RANGES = 1024  # byte ranges of one file, whatever read.split_bytes says: more parallelism than any runner uses
_NOT_SPACE = re.compile(rb"[^ \t\n\r\f\v]")


class RecordTooLarge(ValueError):
    """One record (a JSONL line) runs past `read.max_record_bytes`: the rest of the file is not read."""


@dataclass(frozen=True, order=True)
class ReadTask:
    """One unit of reading: a whole file (`end` = -1), the byte range [start, end) of a JSONL
    file, or (`row_groups`) the row groups [start, end) of a Parquet file."""

    path: str
    start: int = 0
    end: int = -1
    first_position: int = 0  # position of the task's first record in the whole file
    row_groups: bool = False  # start and end count row groups, and first_position is known

    @property
    def whole(self) -> bool:
        return self.end < 0


def plan_reads(path: str, size: int, fmt: str, split_bytes: int) -> list[ReadTask]:
    """The read tasks of one file: byte ranges for a big uncompressed JSONL file, one range over
    a big Parquet file (cut into row-group runs once its footer is read), else the file."""
    if fmt not in ("jsonl", "parquet") or compression_of(path) or split_bytes <= 0 or size <= split_bytes:
        return [ReadTask(path)]
    if fmt == "parquet":
        return [ReadTask(path, 0, size)]
    # at most MAX_RANGES ranges a file: each range is a task that opens the file and scans for its
    # first line twice (count, then read), and `--set read.split_bytes=1` on a 2.2 MB file made 2.2
    # million of them (2.5 GB of memory, still planning after three minutes: hostile round 18)
    step = max(split_bytes, -(-size // MAX_RANGES))
    return [ReadTask(path, start, min(start + step, size)) for start in range(0, size, step)]


def row_group_tasks(path: str, sizes: Sequence[tuple[int, int]], split_bytes: int) -> list[tuple[ReadTask, int]]:
    """A Parquet file's (rows, compressed bytes) per row group -> (run of row groups of at least
    `split_bytes`, the last possibly smaller; its rows), or the whole file when it does not cut."""
    runs: list[tuple[ReadTask, int]] = []
    first = run_rows = run_bytes = 0
    for index, (rows, size) in enumerate(sizes):
        run_rows += rows
        run_bytes += size
        if run_bytes >= split_bytes or index == len(sizes) - 1:
            runs.append((ReadTask(path, first, index + 1, row_groups=True), run_rows))
            first, run_rows, run_bytes = index + 1, 0, 0
    return runs if len(runs) > 1 else [(ReadTask(path), sum(rows for rows, _ in sizes))]


def iter_lines(read, limit: int, end: int | None = None, offset: int = 0, record_limit: int = 0) -> Iterator[bytes]:
    """The non-blank lines read through `read(n)` from byte `offset`, stopping before the first
    line that starts at or after `end`. Blank lines are not records and are skipped in bulk: a
    gzip bomb of newlines costs a regex call per megabyte, not a call per line.

    A line is held at most `limit` + 1 bytes at a time: a line with no end (a 2 GB dump) yields
    its head, longer than `limit`, and the rest is skipped unread; a line longer than
    `record_limit` (0: no cap) raises RecordTooLarge rather than being skipped to its end.
    """
    buf, pos, base, eof = b"", 0, offset, False  # base: the file offset of buf[0]
    while True:
        found = _NOT_SPACE.search(buf, pos)
        if found is None:
            if eof:
                return
            # blanks to the end of the buffer: keep only those after the last newline
            pos = max(pos, buf.rfind(b"\n", pos) + 1)
            if end is not None and base + pos >= end:  # every line still to come starts past the range:
                return  # stop here, not at the next non-blank byte, which may be gigabytes of newlines on
            if len(buf) - pos > limit:  # a line starting with more than `limit` blanks
                start, head = base + pos, buf[pos : pos + limit + 1]
                buf, base, pos, eof, text = _skip_line(read, buf, base, len(buf), start, record_limit)
                if text:
                    if end is not None and start >= end:
                        return
                    yield head
                continue
        else:
            start = max(pos, buf.rfind(b"\n", pos, found.start()) + 1)
            if end is not None and base + start >= end:
                return
            newline = buf.find(b"\n", found.start())
            if newline >= 0:
                if record_limit and newline + 1 - start > record_limit:
                    raise RecordTooLarge(f"the line at byte {base + start} runs past read.max_record_bytes={record_limit}; "
                                         "the rest of the file is not read")
                yield buf[start : min(newline + 1, start + limit + 1)]
                pos = newline + 1
                continue
            if len(buf) - start > limit:  # an over-long line: its head; the rest skipped unread
                # skipped before the head is handed out: a line past `record_limit` is then the
                # failure at its own position, wherever the reads fall (its head used to be
                # rejected first when the line ran past the buffer, the failure one record on)
                head = buf[start : start + limit + 1]
                buf, base, pos, eof, _ = _skip_line(read, buf, base, len(buf), base + start, record_limit)
                yield head
                continue
            if eof:
                yield buf[start:]  # the last line, without a newline
                return
            pos = start
        # the buffer ends inside the line at `pos`: read on, keeping that line
        chunk = read(max(_SKIP_CHUNK, len(buf) - pos))
        eof = not chunk
        buf, base, pos = buf[pos:] + chunk, base + pos, 0


def _skip_line(read, buf: bytes, base: int, pos: int, start: int, record_limit: int) -> tuple[bytes, int, int, bool, bool]:
    """Read past the end of the line that began at file offset `start`, from buf[pos:] on.
    Returns (buf, base, pos after the newline, eof, whether a non-blank byte was passed)."""
    text = False
    while True:
        newline = buf.find(b"\n", pos)
        text = text or _NOT_SPACE.search(buf, pos, newline if newline >= 0 else len(buf)) is not None
        # the line's length, checked where it ends too: else whether a line a little over the cap
        # stopped the file hung on where the chunks happened to fall (a split read went on)
        if record_limit and base + (newline + 1 if newline >= 0 else len(buf)) - start > record_limit:
            raise RecordTooLarge(f"the line at byte {start} runs past read.max_record_bytes={record_limit}; "
                                 "the rest of the file is not read")
        if newline >= 0:
            return buf, base, newline + 1, False, text
        chunk = read(_SKIP_CHUNK)
        if not chunk:
            return b"", base + len(buf), 0, True, text
        buf, base, pos = chunk, base + len(buf), 0


_FIRST_LINE_END = re.compile(rb"\r\n?|\n")


def lone_cr_lines(head: bytes) -> bool:
    """The file's first line ends with a lone CR (classic Mac OS, some old exporters), so its lines
    do: read at LF, such a file was one line, one failed record ("Extra data"). JSON text holds
    no raw CR (a string escapes it), so a CR between records is a line end. A CR that ends the
    head may be the first half of a CRLF and decides nothing."""
    end = _FIRST_LINE_END.search(head)
    return end is not None and end.group() == b"\r" and end.end() < len(head)


def cr_as_lf(read: Callable[[int], bytes]) -> Callable[[int], bytes]:
    """`read` with every CR handed out as LF, for a file whose lines end with a lone CR (a CRLF
    there gives a blank line, which is no record). Such a file is read whole, never in ranges."""
    return lambda n: read(n).replace(b"\r", b"\n")


def seek_to_range(f: BinaryIO, start: int, end: int | None = None) -> int:
    """Position `f` at the first line that starts at or after `start`; returns that offset. With
    `end`, the search stops there: a line that began in an earlier range and runs past `end`
    leaves this range no line of its own, and `end` is returned.

    Without that stop every range of a file whose line runs on for gigabytes (a writer's
    preallocated zeros after its last record, a big JSON document on one line named .jsonl)
    read to that line's end looking for its own first line: each range scanned the rest of the
    file, twice (count, then read), the square of the file's size (a 2 GB file with a few records
    and then zeros: 45 s, 4 GB: 159 s; hostile round 25)."""
    if start == 0:
        f.seek(0)
        return 0
    f.seek(start - 1)
    offset = start
    if f.read(1) == b"\n":
        return offset
    while end is None or offset < end:  # the rest of a line that began in an earlier range
        chunk = f.readline(_SKIP_CHUNK if end is None else min(_SKIP_CHUNK, end - offset))
        if not chunk:
            break
        offset += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return offset


def numbered_records(lines: Iterable[bytes], first_position: int = 0) -> Iterator[tuple[int, bytes]]:
    """(position, line) for the lines `iter_lines` gives (blank lines are not records)."""
    return enumerate(lines, first_position)


def range_records(f: BinaryIO, task: ReadTask, limit: int, record_limit: int = 0) -> Iterator[tuple[int, bytes]]:
    """(position, line) of the records a range owns."""
    offset = seek_to_range(f, task.start, None if task.whole else task.end)
    if not task.whole and offset >= task.end:  # no line starts in the range: nothing to read past its end
        return iter(())
    return numbered_records(iter_lines(f.read, limit, None if task.whole else task.end, offset, record_limit), task.first_position)


# The count of a range holding a line past read.max_record_bytes: the file's read stops there.
STOPS = -1


def count_records(f: BinaryIO, task: ReadTask, limit: int, record_limit: int = 0) -> int:
    """The records a range owns, or STOPS when one of its lines runs past `record_limit`."""
    try:
        return sum(1 for _ in range_records(f, task, limit, record_limit))
    except RecordTooLarge:
        return STOPS


def with_first_positions(counts: Iterable[tuple[ReadTask, int]]) -> list[ReadTask]:
    """The ranges (or row-group runs) of one file, each told how many records the ones before it hold.

    None after a range that STOPS: read whole, the file stops at a line past read.max_record_bytes
    and the rest is that line's failure. The ranges after it used to be read on, numbered as if
    the stopping range held no record, so their records took the positions and derived ids of
    the records before the line (two `big.jsonl:0`, both flagged duplicate_id)."""
    out, seen = [], 0
    for task, count in sorted(counts):
        out.append(replace(task, first_position=seen))
        if count == STOPS:
            break
        seen += count
    return out
