"""Big JSONL files read as byte ranges: every line exactly once, at the position it has whole."""

from __future__ import annotations

import io
import itertools

import pytest

from pipeline.documents import iter_jsonl_lines
from pipeline.splits import STOPS, ReadTask, RecordTooLarge, count_records, cr_as_lf, lone_cr_lines, plan_reads, range_records, row_group_tasks, with_first_positions

# Blank lines, a line of only spaces, a long line, a last line without a newline.
DATA = (
    b'{"id": "a", "text": "first"}\n'
    b"\n"
    b'{"id": "b", "text": "second record, a little longer than the others"}\n'
    b"   \n"
    b'{"id": "c", "text": "' + b"x" * 300 + b'"}\n'
    b'{"id": "d", "text": "4"}\n'
    b'{"id": "e", "text": "no newline at the end"}'
)


def _read_split(data: bytes, split_bytes: int, limit: int = 1000, record_limit: int = 0) -> list[tuple[int, bytes]]:
    """The ranges' records in byte order; a range that raises RecordTooLarge adds (position, "stop")."""
    tasks = plan_reads("big.jsonl", len(data), "jsonl", split_bytes)
    counts = [(t, count_records(io.BytesIO(data), t, limit, record_limit)) for t in reversed(tasks)]  # any order
    out = []
    for task in with_first_positions(counts):
        records = range_records(io.BytesIO(data), task, limit, record_limit)
        out += _until_stop(records, task.first_position)
    return out


def _until_stop(records, position: int = 0) -> list:
    """The records, then (position, "stop") if they end with RecordTooLarge, as the reader's failure does."""
    out = []
    try:
        for position, line in records:
            out.append((position, line))
            position += 1
    except RecordTooLarge:
        out.append((position, "stop"))
    return out


@pytest.mark.parametrize("split_bytes", [1, 2, 7, 29, 30, 31, 64, 100, 200, len(DATA) - 1])
def test_ranges_read_every_record_once_at_its_whole_file_position(split_bytes):
    whole = list(iter_jsonl_lines(io.BytesIO(DATA).readline, 1000))
    assert [p for p, _ in whole] == [0, 1, 2, 3, 4]
    assert _read_split(DATA, split_bytes) == whole


def test_every_cut_point_gives_the_same_records():
    whole = list(iter_jsonl_lines(io.BytesIO(DATA).readline, 1000))
    for split_bytes in range(1, len(DATA) + 2):
        assert _read_split(DATA, split_bytes) == whole, split_bytes


def test_an_overlong_line_is_cut_the_same_way_split_or_whole():
    data = b'{"id": "a"}\n' + b"y" * 500 + b"\n" + b'{"id": "z"}\n'
    whole = list(iter_jsonl_lines(io.BytesIO(data).readline, 100))
    assert [(p, len(line)) for p, line in whole] == [(0, 12), (1, 101), (2, 12)]
    for split_bytes in (5, 50, 200, 400):
        assert _read_split(data, split_bytes, limit=100) == whole


# A line past the record cap (1,000 bytes here) between short ones: the file stops there.
PAST_CAP = b'{"id": "a"}\n{"id": "b"}\n' + b"y" * 1500 + b"\n" + b'{"id": "z"}\n' * 20


@pytest.mark.parametrize("piece", [7, 64, 1000, 1 << 20])
def test_a_line_past_the_record_cap_fails_at_its_own_position_however_the_reads_fall(piece):
    # a read may return fewer bytes than asked (our gzip and zstd readers do): when the line ran
    # past what had been read, its head was rejected first and the failure came one record on;
    # when it did not, the failure was the line. A line a little over the cap whose end fell in a
    # later read did not stop the file at all.
    stream = io.BytesIO(PAST_CAP)
    got = _until_stop(iter_jsonl_lines(lambda n: stream.read(min(n, piece)), 100, 1000))
    assert got == [(0, b'{"id": "a"}\n'), (1, b'{"id": "b"}\n'), (2, "stop")]


def test_ranges_after_a_line_past_the_record_cap_are_not_read():
    # read whole, the file stops at the line; read in ranges, the ranges after it were read on,
    # numbered as if the range of the line held no record: their records took the positions (and
    # derived ids) of the records before it
    whole = _until_stop(iter_jsonl_lines(io.BytesIO(PAST_CAP).read, 100, 1000))
    assert whole == [(0, b'{"id": "a"}\n'), (1, b'{"id": "b"}\n'), (2, "stop")]
    for split_bytes in (1, 5, 12, 24, 25, 100, 1000, 1600, len(PAST_CAP) - 1):
        assert _read_split(PAST_CAP, split_bytes, 100, 1000) == whole, split_bytes


def test_a_range_with_a_line_past_the_record_cap_stops_the_numbering():
    counts = [(ReadTask("f", 0, 100), 3), (ReadTask("f", 100, 200), STOPS), (ReadTask("f", 200, 300), 4)]
    assert [(t.start, t.first_position) for t in with_first_positions(counts)] == [(0, 0), (100, 3)]


@pytest.mark.parametrize(
    "path,size,fmt,split_bytes,expected",
    [
        ("a.jsonl", 250, "jsonl", 100, [ReadTask("a.jsonl", 0, 100), ReadTask("a.jsonl", 100, 200), ReadTask("a.jsonl", 200, 250)]),
        ("a.jsonl", 100, "jsonl", 100, [ReadTask("a.jsonl")]),  # not larger than a range
        ("a.jsonl.gz", 10_000, "jsonl", 100, [ReadTask("a.jsonl.gz")]),  # gzip cannot be entered mid-stream
        ("A.JSONL.GZ", 10_000, "jsonl", 100, [ReadTask("A.JSONL.GZ")]),  # nor can it in upper case
        ("a.jsonl.zst", 10_000, "jsonl", 100, [ReadTask("a.jsonl.zst")]),  # nor zstd, xz or bzip2
        ("a.parquet", 10_000, "parquet", 100, [ReadTask("a.parquet", 0, 10_000)]),  # cut into row groups at its footer
        ("a.parquet", 100, "parquet", 100, [ReadTask("a.parquet")]),
        ("a.jsonl", 10_000, "jsonl", 0, [ReadTask("a.jsonl")]),  # splitting switched off
    ],
)
def test_plan_reads(path, size, fmt, split_bytes, expected):
    assert plan_reads(path, size, fmt, split_bytes) == expected


def test_first_positions_follow_byte_order_not_arrival_order():
    counts = [(ReadTask("f", 200, 300), 4), (ReadTask("f", 0, 100), 3), (ReadTask("f", 100, 200), 0)]
    assert [(t.start, t.first_position) for t in with_first_positions(counts)] == [(0, 0), (100, 3), (200, 3)]


@pytest.mark.parametrize(
    "sizes,split_bytes,expected",
    [
        # (rows, compressed bytes) per row group -> (first group, end group, rows of the run)
        ([(10, 60), (5, 60), (7, 30), (3, 100)], 100, [(0, 2, 15), (2, 4, 10)]),
        ([(10, 100), (5, 100), (7, 100)], 100, [(0, 1, 10), (1, 2, 5), (2, 3, 7)]),
        ([(4, 10), (4, 10), (4, 10)], 100, None),  # no cut reached: the whole file
        ([(4, 500)], 100, None),  # one row group cannot be split
        ([(0, 120), (6, 120)], 100, [(0, 1, 0), (1, 2, 6)]),  # an empty row group
    ],
)
def test_parquet_row_group_runs(sizes, split_bytes, expected):
    runs = row_group_tasks("a.parquet", sizes, split_bytes)
    if expected is None:
        assert runs == [(ReadTask("a.parquet"), sum(rows for rows, _ in sizes))]
    else:
        assert runs == [(ReadTask("a.parquet", a, b, row_groups=True), rows) for a, b, rows in expected]


def test_row_group_runs_are_numbered_like_ranges():
    runs = row_group_tasks("a.parquet", [(10, 100), (5, 100), (7, 100)], 100)
    numbered = with_first_positions(reversed(runs))  # arrival order does not matter
    assert [(t.start, t.first_position, t.row_groups) for t in numbered] == [(0, 0, True), (1, 10, True), (2, 15, True)]


def test_a_big_file_that_is_not_parquet_is_left_whole_for_the_reader_to_fail(tmp_path):
    from pipeline.inputs import parquet_runs

    bad = tmp_path / "truncated.parquet"
    bad.write_bytes(b"PAR1" + b"\x00" * 500)  # magic, then no footer
    assert parquet_runs(str(bad), 100) == [(ReadTask(str(bad)), 0)]


@pytest.mark.parametrize("head, lone_cr", [
    (b'{"a": 1}\r{"a": 2}\r', True),
    (b'{"a": 1}\r{"a": 2}\r\n', True),  # judged on the first line end
    (b'{"a": 1}\r\n{"a": 2}\r', False),
    (b'{"a": 1}\n{"a": 2}\r', False),
    (b'{"a": 1}\r', False),  # may be the first half of a CRLF cut by the head
    (b'{"a": 1}', False),
    (b"", False),
])
def test_lone_cr_lines_are_judged_on_the_first_line_end(head, lone_cr):
    assert lone_cr_lines(head) is lone_cr


def test_cr_as_lf_gives_a_line_per_cr():
    data = b'{"a": 1}\r{"a": 2}\r\r{"a": 3}'
    lines = [line for _, line in iter_jsonl_lines(cr_as_lf(io.BytesIO(data).read), 1000)]
    assert lines == [b'{"a": 1}\n', b'{"a": 2}\n', b'{"a": 3}']


def test_a_tiny_split_size_makes_at_most_max_ranges_ranges_a_file():
    # `--set read.split_bytes=1` on a 2.2 MB file made 2.2 million read tasks (2.5 GB of memory,
    # still planning after three minutes: hostile round 18)
    from pipeline.splits import MAX_RANGES

    tasks = plan_reads("big.jsonl", 10**9, "jsonl", 1)
    assert len(tasks) <= MAX_RANGES
    assert tasks[0].start == 0 and tasks[-1].end == 10**9
    assert all(a.end == b.start for a, b in itertools.pairwise(tasks))
    data = b"".join(b'{"id": "r%d", "text": "%s"}\n' % (i, b"x" * (i % 50)) for i in range(400))
    assert len(data) > 4 * MAX_RANGES
    whole = list(iter_jsonl_lines(io.BytesIO(data).readline, 1000))
    assert MAX_RANGES // 2 < len(plan_reads("big.jsonl", len(data), "jsonl", 1)) <= MAX_RANGES  # still split, finely
    assert _read_split(data, 1) == whole


class _CountedBytes(io.BytesIO):
    """A file that counts the bytes its reads hand out."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.handed = 0

    def read(self, n=-1):
        out = super().read(n)
        self.handed += len(out)
        return out

    def readline(self, n=-1):
        out = super().readline(n)
        self.handed += len(out)
        return out


@pytest.mark.parametrize("stretch", [b"\0", b"x", b"\n", b" "])
def test_a_range_inside_a_long_line_or_blank_run_reads_only_its_own_bytes(stretch):
    # hostile round 25: records, then 4 MB with no line of their own to start in most ranges (a
    # writer's preallocated zeros, a one-line JSON document, newlines or spaces), then records.
    # Each range looked for its first line (or, after blank lines, its first record) up to the
    # end of that stretch: every range scanned the rest of it, in the count and again in the
    # read, the square of the file's size (a 4 GB file of a few records and zeros: 159 s)
    record = b'{"id": "r", "text": "a record"}\n'
    data = record * 3 + stretch * (4 << 20) + b"\n" + record * 3
    split_bytes = 64 << 10
    tasks = plan_reads("big.jsonl", len(data), "jsonl", split_bytes)
    assert len(tasks) > 60
    whole = list(iter_jsonl_lines(io.BytesIO(data).readline, 100))
    assert _read_split(data, split_bytes, limit=100) == whole
    for task in tasks:
        counted = _CountedBytes(data)
        count_records(counted, task, 100)
        if task.start > 1 << 20 and task.end < len(data) - (1 << 20):  # inside the stretch, away from the records
            # its own bytes, and for a range that starts a blank line the one read of iter_lines
            assert counted.handed <= (task.end - task.start) + (1 << 20) + 1, (task, counted.handed)
