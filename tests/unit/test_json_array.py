"""pipeline/json_array.py: a .json file's records, one at a time, whatever the chunking."""

from __future__ import annotations

import io
import json

import hypothesis
import hypothesis.strategies as st
import pytest

from pipeline import json_array
from pipeline.documents import jsonl_document
from pipeline.formats import ReadConfig, format_of
from pipeline.json_array import NotJsonRecords, iter_json_records
from pipeline.splits import RecordTooLarge

RECORDS = [{"id": i, "text": f'He said "hi" \\ {i} [x] {{y}}, z\n', "tags": [1, {"a": [2, "]"]}]} for i in range(6)]


def records(data: bytes, limit: int = 10_000, record_limit: int = 0, chunk: int = 1 << 20) -> list:
    stream = io.BytesIO(data)
    return list(iter_json_records(lambda n: stream.read(min(n, chunk)), limit, record_limit))


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_each_element_of_the_array_is_a_record_whatever_the_chunks(chunk, indent):
    got = records(json.dumps(RECORDS, indent=indent).encode(), chunk=chunk)
    assert [p for p, _ in got] == list(range(len(RECORDS)))
    assert [json.loads(e) for _, e in got] == RECORDS


@hypothesis.settings(max_examples=150, deadline=None)
@hypothesis.given(
    st.lists(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                          max_leaves=8), max_size=6),
    st.sampled_from([1, 3, 5, 1 << 20]),
    st.sampled_from([None, 1]),
)
def test_any_json_array_is_read_back_element_by_element(values, chunk, indent):
    got = records(json.dumps(values, indent=indent).encode(), chunk=chunk)
    assert [json.loads(e) for _, e in got] == values


@pytest.mark.parametrize("data, expected", [
    (b'\xef\xbb\xbf  {"id": 1, "text": "one"}\n', [(0, b'{"id": 1, "text": "one"}')]),  # one object: one record
    (b"[]", []),
    (b" \n ", []),
    (b'[{"a": 1},]', [(0, b'{"a": 1}')]),  # a trailing comma holds no element
    (b"[,]", [(0, b"")]),  # an empty element: the mapping fails it as malformed
])
def test_edge_cases(data, expected):
    assert records(data, chunk=2) == expected


@pytest.mark.parametrize("data, message, before", [
    (b'[{"a": 1}, {"b": "unterminated', "ends inside element 1: the file is truncated", 1),
    (b'[{"a": 1}] and more', "data after the JSON array", 1),
    (b'[{"a": 1}}, 2]', "unbalanced '}' in element 0", 0),
    (b"<html>not json</html>", "not a JSON array of records", 0),
])
def test_broken_files_fail_after_the_records_before_the_break(data, message, before):
    got = []
    with pytest.raises(NotJsonRecords, match=message):
        for item in iter_json_records(io.BytesIO(data).read, 1000):
            got.append(item)  # noqa: PERF402 - the records before the error are kept; list() would lose them
    assert got == [(0, b'{"a": 1}')][:before]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("separator", ["\n", "\r\n", "", " \n\n "])
def test_json_lines_in_a_json_file_are_a_record_each(chunk, separator):
    # Hugging Face datasets' to_json and pandas' to_json(lines=True) write JSON lines, often named
    # .json: the whole file was taken as one object (one failed record, "Extra data"; a big file
    # one rejected record and the rest unread)
    data = separator.join(json.dumps(r) for r in RECORDS).encode()
    got = records(data, chunk=chunk)
    assert [p for p, _ in got] == list(range(len(RECORDS)))
    assert [json.loads(e) for _, e in got] == RECORDS


@pytest.mark.parametrize("data, message, before", [
    (b'{"a": 1}\n{"b": "unterminated', "the file ends inside JSON object 1: it is truncated", 1),
    (b'{"a": 1}\n[1, 2]', "data after JSON object 0: b'\\[1, 2\\]'", 1),
    (b'{"a": 1}}', "data after JSON object 0: b'}'", 1),
])
def test_a_broken_file_of_objects_fails_after_the_objects_before_the_break(data, message, before):
    got = []
    with pytest.raises(NotJsonRecords, match=message):
        for item in iter_json_records(io.BytesIO(data).read, 1000):
            got.append(item)  # noqa: PERF402 - the records before the error are kept; list() would lose them
    assert got == [(0, b'{"a": 1}')][:before]


def test_an_overlong_object_is_cut_to_its_head_and_the_next_one_read(monkeypatch):
    monkeypatch.setattr(json_array, "_CHUNK", 8)
    data = b'{"a": "' + b"x" * 500 + b'"}\n{"b": 2}\n'
    assert records(data, limit=20) == [(0, data[:21]), (1, b'{"b": 2}')]
    with pytest.raises(RecordTooLarge, match="object 0 is longer than read.max_record_bytes=100"):
        records(data, limit=20, record_limit=100)


def test_an_overlong_element_is_cut_to_its_head_and_the_next_one_read(monkeypatch):
    monkeypatch.setattr(json_array, "_CHUNK", 8)
    data = b'[{"a": "' + b"x" * 500 + b'"}, {"b": 2}]'
    assert records(data, limit=20) == [(0, data[1:22]), (1, b'{"b": 2}')]
    with pytest.raises(RecordTooLarge, match="element 0 is longer than read.max_record_bytes=100"):
        records(data, limit=20, record_limit=100)


def test_json_files_are_their_own_format_and_map_like_json_lines():
    assert (format_of("feed.json"), format_of("items.jl"), format_of("dump.JSON.GZ")) == ("json", "jsonl", "json")
    doc = jsonl_document("feed.json", 3, b'{"title": "T", "text": "Body."}', ReadConfig(), "json")
    assert (doc.id, doc.source_format, doc.position, doc.text) == ("feed.json:3", "json", 3, "Body.")


@pytest.mark.parametrize("unit", [b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_boms_and_white_space_before_the_array_are_cut_off_in_one_step_a_chunk(unit, monkeypatch):
    # hostile round 25: a BOM was cut off at a time, each cut copying the rest of the chunk: a
    # file of a million BOMs (3 MB) took 15 s before its array was read. Counted here: the
    # steps first_byte takes (traced lines), not time
    import sys

    monkeypatch.setattr(json_array, "_CHUNK", 4096)
    data = unit * 20_000 + json.dumps([RECORDS[0]]).encode()
    steps = 0

    def trace(frame, event, arg):
        nonlocal steps
        if frame.f_code is json_array._Buffer.first_byte.__code__:
            steps += event == "line"
            return trace
        return None

    sys.settrace(trace)
    try:
        records = list(iter_json_records(io.BytesIO(data).read, 1000))
    finally:
        sys.settrace(None)
    assert [json.loads(r) for _, r in records] == [RECORDS[0]]
    assert steps <= 4 * (len(data) // 4096 + 2)  # a few lines a chunk read; a BOM at a time was 20,000 rounds


@pytest.mark.parametrize("blank", [b" ", b"\r\n", b"\t \n"])
def test_white_space_before_an_element_past_the_limit_is_not_the_element(blank, monkeypatch):
    # hostile round 26: the white space between a comma and the next element was counted as the
    # element's bytes: past `limit` of it (across a chunk), the element was handed out as its first
    # `limit` + 1 bytes of white space (rejected as too large at its position, its id never read)
    monkeypatch.setattr(json_array, "_CHUNK", 64)
    data = b'[{"a": 1},' + blank * 3000 + b'{"b": 2},' + blank * 3000 + b'"c"]'
    assert records(data, limit=100) == [(0, b'{"a": 1}'), (1, b'{"b": 2}'), (2, b'"c"')]
    assert records(b'[{"a": "' + b"x" * 500 + b'"}, {"b": 2}]', limit=20)[0] == (0, b'{"a": "' + b"x" * 14)  # a long one as before
