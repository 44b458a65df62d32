"""Splitting big JSONL files into byte ranges, so many workers read one file.

A 20 GB JSONL dump would otherwise be read, parsed and handed on by the one worker that got it.
An uncompressed JSONL file larger than `read.split_bytes` is cut into ranges of that size; a range
owns the lines that *start* inside it (the first range also the line at byte 0), so every line is
read exactly once whatever the cut points, as Beam's text source does.

Records keep the positions (and so the derived ids) they have when the file is read whole: a first
pass counts the records of each range (a cheap byte scan, no JSON parsing), the counts are summed
per file, and each range is then read knowing the position of its first record. Gzipped files
cannot be entered in the middle and are read whole.

A Parquet file larger than `read.split_bytes` is cut at row-group boundaries into runs of row
groups of about that many (compressed) bytes. It is planned as one range covering the file, so
its footer is read in the counting step, spread over the workers like the JSONL ranges (a crawl
of 10,000 Parquet files would otherwise have every footer read by the worker that matched them);
the footer gives every run's row count, and the runs are numbered like JSONL ranges.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import BinaryIO, Iterable, Iterator, Sequence

_SKIP_CHUNK = 1 << 20


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
    if fmt not in ("jsonl", "parquet") or path.endswith(".gz") or split_bytes <= 0 or size <= split_bytes:
        return [ReadTask(path)]
    if fmt == "parquet":
        return [ReadTask(path, 0, size)]
    return [ReadTask(path, start, min(start + split_bytes, size)) for start in range(0, size, split_bytes)]


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


def iter_lines(readline, limit: int, end: int | None = None, offset: int = 0) -> Iterator[bytes]:
    """The lines read through `readline` from byte `offset`, stopping before the first line that
    starts at or after `end`. A line is held at most `limit` + 1 bytes at a time: a line with no
    end (a 2 GB dump) yields its head, longer than `limit`, and the rest is skipped unread."""
    while end is None or offset < end:
        raw = readline(limit + 1)
        if not raw:
            return
        offset += len(raw)
        if len(raw) > limit and not raw.endswith(b"\n"):
            while rest := readline(_SKIP_CHUNK):
                offset += len(rest)
                if rest.endswith(b"\n"):
                    break
        yield raw


def seek_to_range(f: BinaryIO, start: int) -> int:
    """Position `f` at the first line that starts at or after `start`; returns that offset."""
    if start == 0:
        f.seek(0)
        return 0
    f.seek(start - 1)
    offset = start
    if f.read(1) == b"\n":
        return offset
    while chunk := f.readline(_SKIP_CHUNK):  # the rest of a line that began in an earlier range
        offset += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return offset


def numbered_records(lines: Iterable[bytes], first_position: int = 0) -> Iterator[tuple[int, bytes]]:
    """(position, line) for the non-blank lines: blank lines are not records."""
    position = first_position
    for raw in lines:
        if raw.strip():
            yield position, raw
            position += 1


def range_records(f: BinaryIO, task: ReadTask, limit: int) -> Iterator[tuple[int, bytes]]:
    """(position, line) of the records a range owns."""
    offset = seek_to_range(f, task.start)
    return numbered_records(iter_lines(f.readline, limit, None if task.whole else task.end, offset), task.first_position)


def count_records(f: BinaryIO, task: ReadTask, limit: int) -> int:
    return sum(1 for _ in range_records(f, task, limit))


def with_first_positions(counts: Iterable[tuple[ReadTask, int]]) -> list[ReadTask]:
    """The ranges (or row-group runs) of one file, each told how many records the ones before it hold."""
    out, seen = [], 0
    for task, count in sorted(counts):
        out.append(replace(task, first_position=seen))
        seen += count
    return out
