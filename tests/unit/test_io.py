"""Reading records into Documents: formats, decoding, field mapping, ids, and bad records."""

from __future__ import annotations

import io

import pytest

from pipeline.io import (
    BadRecord,
    ReadConfig,
    decode_bytes,
    domain_of,
    format_of,
    iter_jsonl_lines,
    jsonl_document,
    mapped_document,
    text_document,
)
from transforms.records import Document, Reason, Rejection

CFG = ReadConfig()


@pytest.mark.parametrize(
    "path,fmt",
    [
        ("a/b.txt", "text"),
        ("gs://bucket/x.TXT.gz", "text"),
        ("x.jsonl", "jsonl"),
        ("x.jsonl.gz", "jsonl"),
        ("x.ndjson", "jsonl"),
        ("s3://b/part-0.parquet", "parquet"),
    ],
)
def test_format_by_extension(path, fmt):
    assert format_of(path) == fmt


def test_unknown_extension_needs_a_format():
    with pytest.raises(BadRecord, match="pass --format"):
        format_of("x.csv")
    assert format_of("x.csv", "text") == "text"


@pytest.mark.parametrize(
    "data,text,flags",
    [
        ("naïve café".encode(), "naïve café", ()),
        (b"\xef\xbb\xbfhello", "hello", ("bom_removed",)),
        ("Größe und Übermaß sind schön, sagte der Bürgermeister.".encode("cp1252"), "Größe und Übermaß sind schön, sagte der Bürgermeister.", None),
        ("Привет, как дела? Это тест кодировки.".encode("cp1251"), "Привет, как дела? Это тест кодировки.", ("decoded_as_cp1251",)),
        (b"caf\xe9 \xff\xfe\x80", None, None),
    ],
)
def test_decode_bytes(data, text, flags):
    out, got_flags = decode_bytes(data)
    if text is None:  # undecidable bytes: decoded anyway and marked, never an exception
        assert got_flags and got_flags[0].startswith("decoded_")
        return
    assert out == text
    if flags is not None:
        assert got_flags == flags
    else:
        assert len(got_flags) == 1 and got_flags[0].startswith("decoded_as_")


def test_domain_of():
    assert domain_of("https://www.example.co.uk/a?b=1") == "example.co.uk"
    assert domain_of("not a url") == ""
    assert domain_of("http://[bad") == ""


def test_text_document_id_is_the_file_name():
    doc = text_document("/data/news/a.txt", b"Hello world.", CFG)
    assert doc == Document(id="a.txt", text="Hello world.", source="/data/news/a.txt", source_format="text", chars_in=12)


def test_empty_and_oversized_inputs_are_rejected():
    empty = text_document("e.txt", b" \n\t ", CFG)
    assert isinstance(empty, Rejection) and empty.reason == Reason.EMPTY_INPUT
    big = text_document("b.txt", b"word " * 100, ReadConfig(max_document_bytes=100))
    assert isinstance(big, Rejection) and big.reason == Reason.DOCUMENT_TOO_LARGE
    assert big.detail == "500 bytes > read.max_document_bytes=100"


def test_binary_file_is_a_bad_record():
    with pytest.raises(BadRecord, match="binary"):
        text_document("x.txt", b"\x00\x01\x02\x00" * 100, CFG)


def test_jsonl_field_mapping_and_ids():
    line = b'{"id": 7, "url": "https://www.site.org/p", "title": "T", "text": "Body.", "published": "2024-01-02"}'
    doc = jsonl_document("dir/f.jsonl", 3, line, CFG)
    assert (doc.id, doc.url, doc.domain, doc.title, doc.text, doc.published, doc.position) == (
        "7", "https://www.site.org/p", "site.org", "T", "Body.", "2024-01-02", 3,
    )
    no_id = jsonl_document("dir/f.jsonl", 3, b'{"text": "Body."}', CFG)
    assert no_id.id == "f.jsonl:3"
    custom = jsonl_document("f.jsonl", 0, b'{"content": "Body.", "link": "http://a.b/"}', ReadConfig(text_field="content", url_field="link"))
    assert (custom.text, custom.domain) == ("Body.", "a.b")


@pytest.mark.parametrize(
    "line,message",
    [
        (b'{"text": "unterminated', "malformed JSON"),
        (b'["a", "b"]', "expected an object, got list"),
        (b'{"text": null}', "'text' is missing or null"),
        (b'{"title": "no text"}', "'text' is missing or null"),
        (b'{"text": 42}', "'text' is a int, not a string"),
        (b'{"text": {"a": 1}}', "'text' is a dict, not a string"),
        (b"42", "expected an object, got int"),
    ],
)
def test_malformed_jsonl_lines_are_bad_records(line, message):
    with pytest.raises(BadRecord, match=message.replace("[", r"\[")):
        jsonl_document("f.jsonl", 0, line, CFG)


def test_blank_lines_are_not_records():
    assert list(iter_jsonl_lines(io.BytesIO(b"a\n\n  \nb\n").readline, 100)) == [(0, b"a\n"), (1, b"b\n")]


def test_a_line_over_the_limit_is_read_in_bounded_pieces_and_rejected():
    data = b'{"text": "ok"}\n' + b'{"text": "' + b"x" * 5000 + b'"}\n' + b'{"text": "after"}\n'
    lines = list(iter_jsonl_lines(io.BytesIO(data).readline, 100))
    assert [(pos, len(line)) for pos, line in lines] == [(0, 15), (1, 101), (2, 18)]
    cfg = ReadConfig(max_document_bytes=100)
    out = jsonl_document("big.jsonl", 1, lines[1][1], cfg)
    assert isinstance(out, Rejection)
    assert (out.reason, out.doc.id, out.detail) == (
        Reason.DOCUMENT_TOO_LARGE, "big.jsonl:1", "line over read.max_document_bytes=100")
    assert jsonl_document("big.jsonl", 2, lines[2][1], cfg).text == "after"


def test_parquet_row_mapping():
    doc = mapped_document("p.parquet", 5, {"text": "Body.", "id": None}, "parquet", CFG)
    assert (doc.id, doc.source_format, doc.position) == ("p.parquet:5", "parquet", 5)


def test_lone_surrogates_are_replaced_and_marked():
    doc = jsonl_document("s.jsonl", 0, b'{"id": "a\\udc80", "text": "half \\ud800 pair, whole \\ud83d\\ude00 pair"}', CFG)
    assert (doc.id, doc.text) == ("a\ufffd", "half \ufffd pair, whole \U0001F600 pair")
    assert doc.flags == ("lone_surrogates_replaced",)
