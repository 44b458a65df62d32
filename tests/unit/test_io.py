"""Reading records into Documents: formats, decoding, field mapping, ids, and bad records."""

from __future__ import annotations

import bz2
import collections
import contextlib
import datetime
import gzip
import io
import json
import lzma
import os
import re
import subprocess
import sys
import time
import uuid
import zlib
from pathlib import Path

import hypothesis
import hypothesis.strategies as st
import pytest
from apache_beam import pvalue

from pipeline.charsets import decode_bytes, decode_html, fallback_codec
from pipeline.decoding import Utf8Read, strip_controls, undo_double_encoding
from pipeline.documents import (
    html_document,
    iter_jsonl_lines,
    jsonl_document,
    mapped_document,
    shown_path,
    text_document,
)
from pipeline.formats import BadRecord, ReadConfig, format_of
from pipeline.inflate import (
    RATIO_FLOOR,
    CappedReader,
    DamagedInput,
    GzipMemberReader,
    InflatedTooLarge,
    NotGzipMember,
    TruncatedInput,
    compression_of,
)
from pipeline.inputs import (
    from_file_uri,
    match_input,
    parquet_runs,
    plan_file_reads,
    without_files_under,
)
from pipeline.read import FIELDS, ReadFileFn, flag_duplicate_id
from pipeline.splits import ReadTask, RecordTooLarge, iter_lines, with_first_positions
from tests.hostile import zstd_compress
from tests.legacy_texts import LEGACY_TEXTS
from transforms.records import Document, Reason, Rejection, domain_of

REPO = Path(__file__).resolve().parents[2]

CFG = ReadConfig()


@pytest.mark.parametrize(
    "path,fmt",
    [
        ("a/b.txt", "text"),
        ("gs://bucket/x.TXT.gz", "text"),
        ("x.jsonl", "jsonl"),
        ("x.jsonl.gz", "jsonl"),
        ("x.ndjson", "jsonl"),
        ("X.JSONL.GZ", "jsonl"),
        ("wiki.jsonl.bz2", "jsonl"),
        ("crawl.warc.xz", "warc"),
        ("part-00.jsonl.zst", "jsonl"),
        ("s3://b/part-0.parquet", "parquet"),
    ],
)
def test_format_by_extension(path, fmt):
    assert format_of(path) == fmt


def test_unknown_extension_needs_a_format():
    with pytest.raises(BadRecord, match="pass --format"):
        format_of("x.xlsx")
    assert format_of("x.xlsx", "text") == "text"


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


GERMAN_UTF8 = "Die Pläne sollen im nächsten Monat veröffentlicht werden, sagte der Kämmerer der Stadt Müllheim.".encode()


@pytest.mark.parametrize(
    "data, text",
    [
        (GERMAN_UTF8 + "ü".encode()[:1], GERMAN_UTF8.decode() + "\ufffd"),  # cut mid-character at the end
        (GERMAN_UTF8 + b"\xff" + GERMAN_UTF8, GERMAN_UTF8.decode() + "\ufffd" + GERMAN_UTF8.decode()),  # one stray byte
    ],
)
def test_utf8_with_a_flaw_is_utf8_with_a_replacement_not_a_code_page(data, text):
    # detection read such text in a code page (iso8859_14: "verÃ¶ffentlicht"), every umlaut mojibake
    assert decode_bytes(data) == (text, ("decoded_with_replacement",))
    assert decode_html(data) == (text, ("decoded_with_replacement",))
    assert fallback_codec(data) == ("utf-8", "decoded_with_replacement")


@pytest.mark.parametrize("name", sorted(LEGACY_TEXTS))
def test_a_legacy_code_page_is_detected_as_a_browser_would(name):
    # charset_normalizer read 9 of these wrongly (French as cp1257: "aprčs"; Hebrew as cp1251)
    codec, text = LEGACY_TEXTS[name]
    got, flags = decode_bytes(text.encode(codec))
    assert got == text
    assert len(flags) == 1 and flags[0].startswith("decoded_as_")


def test_domain_of():
    assert domain_of("https://www.example.co.uk/a?b=1") == "example.co.uk"
    assert domain_of("not a url") == ""
    assert domain_of("http://[bad") == ""
    # a URL without its scheme has its host (hostile round 28: the column was empty), a relative link none
    assert [domain_of(u) for u in ("www.example.co.uk/a", "news.example.com:8080/x", "bücher.de", "[2001:db8::1]/x")] == [
        "example.co.uk", "news.example.com", "bücher.de", "2001:db8::1"]
    assert [domain_of(u) for u in ("/a/b", "../x", "page/2", "index.html", "v1.2/x", "mailto:a@b.com", "urn:isbn:1")] == [""] * 7
    # a special scheme's slashes, none or more than two, as a browser reads them (hostile round 31: the column was empty)
    assert [domain_of(u) for u in ("http:example.com/a", "https:/www.example.com/b", "https:///example.com/c", "https:\\\\example.com")] == [
        "example.com"] * 4


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
        (b'{"text": 42}', "'text' is a number, not a string"),  # "a int" before hostile round 28
        (b'{"text": {"a": 1}}', "'text' is an object (a JSON object or Parquet struct), not a string"),
        (b'{"text": true}', "'text' is true or false, not a string"),
        (b"42", "expected an object, got int"),
    ],
)
def test_malformed_jsonl_lines_are_bad_records(line, message):
    with pytest.raises(BadRecord, match=re.escape(message)):
        jsonl_document("f.jsonl", 0, line, CFG)


@pytest.mark.parametrize("line, field", [
    (b'{"id": "d0", "text": "The article, at length.", "text": "short"}', "text"),
    (b'{"id": "d1", "id": "d1b", "text": "Body."}', "id"),
    (b'{"url": "https://a.example/", "text": "Body.", "url": "https://b.example/"}', "url"),
])
def test_a_field_given_twice_with_different_values_fails_naming_it(line, field):
    # json.loads keeps the last: the article was replaced by "short" without a word, as a Parquet
    # file's second `text` column once replaced it
    with pytest.raises(BadRecord, match=f"^field '{field}' is given 2 times in the record, with different values"):
        jsonl_document("f.jsonl", 0, line, CFG)


@pytest.mark.parametrize("line", [
    b'{"id": "s0", "text": "Body.", "text": "Body."}',  # the same value twice: nothing to choose
    b'{"id": "s1", "text": "He wrote \\"text\\" twice: \\"text\\".", "meta": {"text": "x"}}',  # quoted in the text, or nested
    b'{"id": "s2", "body": "x", "body": "y", "text": "Body."}',  # a field the mapping does not read
])
def test_a_field_given_once_or_repeated_harmlessly_is_read(line):
    assert isinstance(jsonl_document("f.jsonl", 0, line, CFG), Document)


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


_RECORDS = "".join(json.dumps({"id": f"r{i}", "text": f"Zürich – item {i} \U0001F600."}, ensure_ascii=False) + "\r\n" for i in range(300))


def _chunked(data: bytes, size: int):
    stream = io.BytesIO(data)
    return lambda n: stream.read(min(n, size))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("size", [1, 3, 4096])
def test_jsonl_in_utf16_or_utf32_with_a_bom_is_read_line_by_line(codec, size):
    # PowerShell 5's `>` writes UTF-16 with a BOM: cut at b"\n", each later line began with a NUL
    data = (b"\xfe\xff" if codec == "utf-16-be" else b"") + _RECORDS.encode(codec)
    read = Utf8Read(_chunked(data, size))
    assert read.codec
    docs = [jsonl_document("w.jsonl", p, line, CFG) for p, line in iter_jsonl_lines(read, 1000)]
    assert [d.id for d in docs] == [f"r{i}" for i in range(300)]
    assert docs[7].text == "Zürich – item 7 \U0001F600."


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("size", [1, 3, 4096])
def test_jsonl_in_utf16_or_utf32_without_a_bom_is_read_line_by_line(codec, size):
    # without a mark it was cut at every b"\n": each record failed as malformed JSON, and a NUL line after them
    read = Utf8Read(_chunked(_RECORDS.encode(codec), size))
    assert read.codec == codec.replace("-", "_")
    docs = [jsonl_document("w.jsonl", p, line, CFG) for p, line in iter_jsonl_lines(read, 1000)]
    assert [d.id for d in docs] == [f"r{i}" for i in range(300)]
    assert docs[7].text == "Zürich – item 7 \U0001F600."


@pytest.mark.parametrize("head", [b"\x00" * 600 + b'{"id": "p"}\n', b'{"id": "p"}\n' + b"\x00" * 600, b"\x00\x00"])
def test_a_stream_with_nul_padding_is_not_taken_for_utf16_and_is_handed_out_unchanged(head):
    read = Utf8Read(_chunked(head, 7))
    assert read.codec == ""
    out = b""
    while chunk := read(5):
        assert len(chunk) <= 5
        out += chunk
    assert out == head


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be", "utf-16-le"])
def test_a_text_file_in_utf32_or_utf16_without_a_bom_is_text_not_binary(codec):
    # UTF-32 without a mark failed as "binary content (NUL bytes), not text"
    doc = text_document("t.txt", "Zürich – the bridge reopened on Monday. \U0001F600".encode(codec), CFG)
    assert (doc.text, doc.flags) == ("Zürich – the bridge reopened on Monday. \U0001F600", (f"decoded_as_{codec.replace('-', '_')}",))


def test_utf16_cut_mid_character_is_flagged_as_replaced():
    # the U+FFFD reached clean flagged only decoded_as_utf_16_le
    text, flags = decode_bytes("Die Brücke ist gesperrt.".encode("utf-16")[:-1])
    assert (text, flags) == ("Die Brücke ist gesperrt\ufffd", ("bom_removed", "decoded_as_utf_16_le", "decoded_with_replacement"))


def test_a_stream_without_a_wide_bom_is_handed_out_unchanged():
    data = _RECORDS.encode("utf-8")
    read = Utf8Read(_chunked(data, 5))
    assert read.codec == ""
    out = b""
    while chunk := read(1 << 16):
        out += chunk
    assert out == data


def test_a_big_utf16_jsonl_file_is_read_whole_not_in_byte_ranges(tmp_path):
    from types import SimpleNamespace

    wide, plain = tmp_path / "w.jsonl", tmp_path / "p.jsonl"
    wide.write_bytes(_RECORDS.encode("utf-16"))
    plain.write_bytes(_RECORDS.encode("utf-8"))
    cfg = ReadConfig(split_bytes=4096)
    files = [SimpleNamespace(path=str(f), size_in_bytes=f.stat().st_size) for f in (wide, plain)]
    assert plan_file_reads(files[0], cfg) == [ReadTask(str(wide))]
    assert len(plan_file_reads(files[1], cfg)) > 1


def test_a_bytes_text_field_is_decoded_as_a_text_file_is():
    # Parquet BINARY columns without the UTF8 annotation (Spark, Hive) reach the mapping as bytes
    doc = mapped_document("p.parquet", 0, {"id": "b", "text": "Die Öffentlichkeit – informiert.".encode()}, "parquet", CFG)
    assert doc.text == "Die Öffentlichkeit – informiert."
    doc = mapped_document("p.parquet", 1, {"id": "c", "text": b"\xef\xbb\xbfWith a BOM."}, "parquet", CFG)
    assert (doc.text, doc.flags) == ("With a BOM.", ("bom_removed",))


def test_lone_surrogates_are_replaced_and_marked():
    doc = jsonl_document("s.jsonl", 0, b'{"id": "a\\udc80", "text": "half \\ud800 pair, whole \\ud83d\\ude00 pair"}', CFG)
    assert (doc.id, doc.text) == ("a\ufffd", "half \ufffd pair, whole \U0001F600 pair")
    assert doc.flags == ("lone_surrogates_replaced",)


# --- gzip bombs and caps ----------------------------------------------------------------------


@pytest.mark.parametrize("html", ["", "   \n", b""])
def test_a_blank_page_field_without_text_is_an_empty_input_not_a_broken_record(html):
    out = mapped_document("p.jsonl", 0, {"id": "e", "html": html}, "jsonl", CFG)
    assert isinstance(out, Rejection) and out.reason == Reason.EMPTY_INPUT and out.doc.id == "e"
    with pytest.raises(BadRecord, match="'text' is missing"):  # no page field either: the record is broken
        mapped_document("p.jsonl", 0, {"id": "e"}, "jsonl", CFG)


def test_a_lone_surrogate_in_a_records_page_is_replaced_not_the_end_of_the_page():
    # JSON's "\\ud800" in an `html` field reached lxml, which stops parsing there: the rest of the
    # article was lost without a word, and the stub rejected as too short
    from transforms.extract import ExtractConfig, extract_page

    page = ("<html><body><article><p>" + "The first half of the story was long. " * 10 + "Tues\ud800day. "
            + "The second half of the story was longer. " * 10 + "</p></article></body></html>")
    doc = mapped_document("p.jsonl", 0, {"id": "h", "html": page}, "jsonl", CFG)
    assert "\ud800" not in doc.html and doc.flags == ("lone_surrogates_replaced",)
    assert "The second half of the story was longer." in extract_page(doc.html, "", ExtractConfig()).text


def _bomb(inflated: int, unit: bytes = b"\n", tail: bytes = b"") -> bytes:
    """`inflated` bytes of `unit` (then `tail`), gzipped: about 1,000-fold."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = unit * ((1 << 20) // len(unit))
    return b"".join(c.compress(block) for _ in range(inflated // len(block))) + c.compress(tail) + c.flush()


def test_a_newline_bomb_is_read_in_bulk_not_line_by_line():
    data = _bomb(96 << 20, tail=b'{"text": "after the blanks"}\n')
    started = time.monotonic()
    reader = GzipMemberReader(io.BytesIO(data))  # no caps: every byte inflated
    assert list(iter_jsonl_lines(reader.read, 1000)) == [(0, b'{"text": "after the blanks"}\n')]
    # one readline per blank line took ~30 minutes for 2 GiB: 100 M Python calls here
    assert time.monotonic() - started < 20


def test_inflation_is_linear_in_small_reads():
    """The old reader re-sliced its pending output on every read: quadratic in a bomb's output."""
    reader = GzipMemberReader(io.BytesIO(_bomb(96 << 20, unit=b"x")))
    started, total = time.monotonic(), 0
    while chunk := reader.read(8192):
        total += len(chunk)
    assert total == 96 << 20
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("cap, ratio, message", [
    (8 << 20, 0, "inflates past read.max_inflated_bytes=8388608"),
    (0, 100, "inflates 10"),  # ~1,000-fold, stopped once past RATIO_FLOOR
])
def test_a_bomb_stops_at_the_caps_after_what_came_before(cap, ratio, message):
    first = gzip.compress(b'{"text": "before"}\n')
    reader = GzipMemberReader(io.BytesIO(first + _bomb(RATIO_FLOOR + (16 << 20))), cap, ratio, "bomb.jsonl.gz")
    got = []
    with pytest.raises(InflatedTooLarge, match=message):
        for position, line in iter_jsonl_lines(reader.read, 1000):
            got.append((position, line))
    assert got == [(0, b'{"text": "before"}\n')]
    assert reader.inflated <= max(cap, RATIO_FLOOR) + (1 << 20)  # stopped there, not at the end


def test_real_text_passes_the_ratio_cap():
    text = b"".join(b'{"id": %d, "text": "Council meeting number %d approved the harbour budget."}\n' % (i, i * 7919)
                    for i in range(60_000))
    assert len(text) > 4 << 20
    reader = GzipMemberReader(io.BytesIO(gzip.compress(text)), 1 << 30, 100, ratio_floor=1 << 20)
    assert sum(1 for _ in iter_jsonl_lines(reader.read, 1000)) == 60_000


# --- bzip2, xz and zstd --------------------------------------------------------------------------


_PACK = {"bzip2": bz2.compress, "xz": lzma.compress, "zstd": zstd_compress}
_LINES = b"".join(b'{"id": %d, "text": "The harbour budget, item %d, was approved."}\n' % (i, i * 7919) for i in range(40_000))


@pytest.mark.parametrize("path, kind", [("a.gz", "gzip"), ("A.JSONL.GZ", "gzip"), ("b.bz2", "bzip2"), ("c.XZ", "xz"),
                                        ("d.jsonl.zst", "zstd"), ("e.jsonl", ""), ("f.gzip", "")])
def test_compression_is_read_from_the_name_in_any_case(path, kind):
    assert compression_of(path) == kind


@pytest.mark.parametrize("kind", sorted(_PACK))
def test_each_compression_reads_back_whole_and_concatenated(kind):
    blob = _PACK[kind](_LINES)
    assert io.BufferedReader(CappedReader(io.BytesIO(blob), kind)).read() == _LINES
    # pbzip2, pixz and zstd's --rsyncable write several streams one after another
    assert io.BufferedReader(CappedReader(io.BytesIO(blob + blob), kind)).read() == _LINES + _LINES


@pytest.mark.parametrize("kind", sorted(_PACK))
def test_a_cut_stream_gives_what_came_before_then_truncated_input(kind):
    blob = _PACK[kind](_LINES)
    reader = CappedReader(io.BytesIO(blob[: len(blob) // 2]), kind)
    got = bytearray()
    with pytest.raises(TruncatedInput, match="truncated"):
        while chunk := reader.read(1 << 16):
            got += chunk
    assert len(got) > len(_LINES) // 10 and _LINES.startswith(bytes(got))


@pytest.mark.parametrize("kind", sorted(_PACK))
def test_a_compression_bomb_stops_at_the_caps(kind):
    blob = _PACK[kind](b"\n" * (24 << 20))
    reader = CappedReader(io.BytesIO(blob), kind, 8 << 20, 0, "bomb.jsonl")
    with pytest.raises(InflatedTooLarge, match="bomb.jsonl inflates past read.max_inflated_bytes=8388608"):
        while reader.read(1 << 20):
            pass
    assert reader.inflated <= (9 << 20)
    ratio = CappedReader(io.BytesIO(blob), kind, 0, 100, "bomb.jsonl", ratio_floor=1 << 20)
    with pytest.raises(InflatedTooLarge, match="read.max_inflation_ratio=100"):
        while ratio.read(1 << 20):
            pass


@pytest.mark.parametrize("kind", sorted(_PACK))
def test_data_not_of_the_named_compression_is_an_error_not_text(kind):
    with pytest.raises(Exception) as caught:
        CappedReader(io.BytesIO(_LINES[:5000]), kind).read(1 << 16)
    assert not isinstance(caught.value, (TruncatedInput, InflatedTooLarge))


def test_a_line_past_max_record_bytes_stops_the_file():
    data = b'{"text": "ok"}\n' + b"x" * 5000 + b"\n" + b'{"text": "after"}\n'
    assert [p for p, _ in iter_jsonl_lines(io.BytesIO(data).read, 100, record_limit=10_000)] == [0, 1, 2]
    with pytest.raises(RecordTooLarge, match="the line at byte 15 runs past read.max_record_bytes=1000"):
        list(iter_jsonl_lines(io.BytesIO(data).read, 100, record_limit=1000))


def test_a_line_with_a_long_blank_start_is_still_a_record():
    data = b" " * 500 + b'{"text": "late"}\n' + b" " * 500 + b"\n" + b'{"text": "next"}\n'
    lines = list(iter_jsonl_lines(io.BytesIO(data).read, 100))
    assert [(p, len(line)) for p, line in lines] == [(0, 101), (1, 17)]


@pytest.mark.parametrize("key, value, message", [
    ("max_inflated_bytes", 1000, "read.max_inflated_bytes must be between 1 MiB"),
    ("max_inflation_ratio", 2.0, "read.max_inflation_ratio must be between 10"),
    ("max_record_bytes", 5, "read.max_record_bytes must be between read.max_document_bytes"),
    ("text_field", " ", "read.text_field must name the field"),  # every record would fail
])
def test_read_caps_are_range_checked(key, value, message):
    with pytest.raises(ValueError, match=message):
        ReadConfig(**{key: value})


# --- decoding: UTF-16, controls, non-string fields --------------------------------------------

UTF16_TEXT = "Der Stadtrat tagte am Dienstag. Die Brücke bleibt gesperrt, sagte die Bürgermeisterin."


@pytest.mark.parametrize("data, flags", [
    (UTF16_TEXT.encode("utf-16"), ("bom_removed", "decoded_as_utf_16_le")),  # with a BOM (little-endian here)
    (UTF16_TEXT.encode("utf-16-le"), ("decoded_as_utf_16_le",)),
    (UTF16_TEXT.encode("utf-16-be"), ("decoded_as_utf_16_be",)),
    (b"\xfe\xff" + UTF16_TEXT.encode("utf-16-be"), ("bom_removed", "decoded_as_utf_16_be")),
])
def test_utf16_text_files_are_decoded_not_called_binary(data, flags):
    doc = text_document("letter.txt", data, CFG)
    assert (doc.text, doc.flags) == (UTF16_TEXT, flags)


CJK_NEWS = {
    "zh": "北京时间十二月七日，国家统计局发布了最新的经济数据。数据显示，今年前十一个月，全国规模以上工业增加值同比增长百分之五点六。\n专家认为，经济恢复态势持续向好，但仍面临一些挑战。\n",
    "ja": "東京都は七日、新たな感染者数を発表した。専門家によると、年末年始に向けて注意が必要だという。\n政府は引き続き対策を強化する方針を示している。\n",
    "ko": "서울시는 7일 새로운 교통 정책을 발표했다. 시민들은 대체로 환영하는 분위기다. 시는 내년 상반기까지 모든 노선에 적용할 계획이다.\n",
    "ru": "Городской совет во вторник проголосовал за восстановление старой стены гавани. Инженеры говорят, что работы займут полтора года.\n",
    "zh_no_ascii": "北京时间十二月七日，国家统计局发布了最新的经济数据。数据显示，今年前十一个月，全国规模以上工业增加值同比增长百分之五点六。专家认为，经济恢复态势持续向好。",
}


SHORT_CJK = {
    "zh": "北京今日降雨，气温下降。",
    "ja": "東京で大雨警報が発表されました。交通機関に影響が出ています。",
    "ko": "서울 지하철 요금이 내년부터 인상된다.",  # its spaces are NULs: it failed as "binary content"
    "zh_8": "北京上海广州深圳",
}
UTF16_WITHOUT_BOM = {**CJK_NEWS, **{f"short_{name}": text for name, text in SHORT_CJK.items()}}


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", list(UTF16_WITHOUT_BOM))
def test_utf16_of_few_nuls_without_a_bom_is_read_by_what_it_reads_as(name, codec):
    # hostile round 28: Chinese, Japanese, Korean or Russian in UTF-16 without a byte-order mark
    # has too few NULs for wide_by_nuls: the file failed as "binary content (NUL bytes)", or (no NUL
    # at all) went to charset detection and came out as garbage. Hostile round 31 (SHORT_CJK):
    # under 64 characters wide_by_letters did not judge: a Chinese headline came out of detection
    # as cp1252 mojibake ("S¬NÊNåeM–è–"), which quality.annotate_only kept in clean labelled
    # Italian, and the Korean one failed "binary content"
    doc = text_document("news.txt", UTF16_WITHOUT_BOM[name].encode(codec), CFG)
    assert (doc.text, doc.flags) == (UTF16_WITHOUT_BOM[name], (f"decoded_as_{codec.replace('-', '_')}",))


def test_legacy_cjk_and_8bit_text_and_binary_are_not_taken_for_utf16_without_a_bom():
    # what wide_by_letters must never take: legacy multi-byte CJK (Shift_JIS read as UTF-16BE is
    # mostly Han characters), 8-bit text of even length ("Bush hid the facts" in Notepad), bytes of
    # random data, and CJK text too short to tell (left to detection, as before)
    import random

    from pipeline.decoding import utf16_encoding
    from tests.cjk_texts import TEXTS
    from tests.legacy_texts import LEGACY_TEXTS
    samples = [t.encode(c) for _, t in LEGACY_TEXTS.values() for c in ("utf-8", _)]
    samples += [t.encode(c) for pair in TEXTS.values() for t in pair for c in ("utf-8", "shift_jis", "euc_jp", "gbk", "big5", "euc_kr", "gb18030") if _encodes(t, c)]
    samples = [d[: len(d) // 2 * 2] for d in samples] + [d[1 : len(d) // 2 * 2 + 1] for d in samples]
    # short ones too, judged by the narrower reading of texts under 64 characters (round 31)
    samples += [d[start : start + n] for d in samples for n in (12, 20, 40, 126) for start in range(0, len(d) - n, 17)]
    rng = random.Random(28)
    samples += [rng.randbytes(n) for n in (200, 1000, 8192) for _ in range(300)]
    # ASCII with control bytes: Han characters read two bytes at a time, but UTF-8, so not taken
    samples += [bytes(rng.choice(b"abcdefXYZ0123 .\x0c\x01\x02\x1b") for _ in range(n)) for n in (12, 20, 40) for _ in range(300)]
    assert [d[:40] for d in samples if utf16_encoding(d)[0] and not d.startswith((b"\xff\xfe", b"\xfe\xff"))] == []
    assert utf16_encoding("北京上海".encode("utf-16-le")) == ("", 0)  # under 6 characters: too short to tell


def _encodes(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("meta, declared, flags", [
    ('<meta charset="utf-16">', "", ("meta_charset_wrong",)),
    ('<meta http-equiv="Content-Type" content="text/html; charset=UTF-16LE">', "", ("meta_charset_wrong",)),
    ("", "utf-16", ("http_charset_wrong",)),
])
def test_a_utf8_page_that_declares_utf16_is_read_as_utf8(meta, declared, flags):
    page = f"<html><head>{meta}<title>Brücke</title></head><body><p>Die Brücke bleibt gesperrt.</p></body></html>"
    assert decode_html(page.encode("utf-8"), declared) == (page, flags)


def test_a_real_utf16_page_is_still_read_as_utf16():
    page = '<html><head><meta charset="utf-16"></head><body><p>Die Brücke bleibt gesperrt.</p></body></html>'
    assert decode_html(page.encode("utf-16-le"), "utf-16") == (page, ("decoded_as_utf_16_le",))
    assert decode_html(page.encode("utf-16"), "") == (page, ("bom_removed", "decoded_as_utf_16_le"))


@pytest.mark.parametrize("text, expected, changed", [
    ("plain\ttext\r\nline two\n", "plain\ttext\r\nline two\n", False),
    ("a\x00b\x00c", "abc", True),
    ("\x1b[1;31mRed alert\x1b[0m over", "Red alert over", True),
    ("\x1b]0;window title\x07Body text", "Body text", True),
    ("\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\ end", "link end", True),
    ("bell\x07 and backspace\x08 and DEL\x7f and C1\x9b2J here", "bell and backspace and DEL and C1 here", True),
    ("page one\x0cpage two\x0bthree\x85four", "page one\npage two\nthree\nfour", True),
    ("\x9d8;;https://x.example\x9clink end", "link end", True),
    # UTF-8 read as Latin-1: its C1 bytes are not escape sequences, and nothing after them goes
    ("He said â\x80\x9chiâ\x80\x9d and left.\nThe rest of the page stays.", "He said âhiâ and left.\nThe rest of the page stays.", True),
    ("an OSC never ended \x1b]0;title\nnext line", "an OSC never ended 0;title\nnext line", True),
])
def test_strip_controls(text, expected, changed):
    assert strip_controls(text) == (expected, changed)


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf\xef\xbb\xbfSaved twice, a mark each time.",  # a second BOM: "\ufeffSaved" reached clean
    b"\xef\xbf\xbeSaved twice, a mark each time.",  # U+FFFE: a BOM read in the wrong byte order, then as UTF-8
    "Saved twice\ufeff, a mark each time.\uffff".encode(),  # `cat` of two files that each have a BOM
])
def test_a_byte_order_mark_past_the_start_and_noncharacters_are_removed(data):
    doc = text_document("t.txt", data, CFG)
    assert doc.text == "Saved twice, a mark each time." and "control_chars_removed" in doc.flags


def test_nul_and_escape_sequences_are_removed_from_a_text_file_with_a_flag():
    doc = text_document("t.txt", b"\x1b[32mThe council met.\x1b[0m\nIt voted\x00 yes.\x07\n", CFG)
    assert (doc.text, doc.flags) == ("The council met.\nIt voted yes.\n", ("control_chars_removed",))


def test_controls_are_removed_from_jsonl_text_and_title():
    doc = jsonl_document("f.jsonl", 0, b'{"title": "A\\u001b[0m title", "text": "Body\\u0000 text."}', CFG)
    assert (doc.title, doc.text, doc.flags) == ("A title", "Body text.", ("control_chars_removed",))


@pytest.mark.parametrize("record, field, value", [
    ({"id": 7, "text": "x"}, "id", "7"),
    ({"id": 7.5, "text": "x"}, "id", "7.5"),
    ({"title": 2024, "text": "x"}, "title", "2024"),
    ({"published": datetime.datetime(2024, 1, 2, 3, 4, 5), "text": "x"}, "published", "2024-01-02T03:04:05"),
    ({"published": datetime.date(2024, 1, 2), "text": "x"}, "published", "2024-01-02"),
    ({"url": b"https://news.example/a", "text": "x"}, "url", "https://news.example/a"),
    ({"id": uuid.UUID("0b9f5e1c-3a52-4f1e-9d7a-2c4e8b6f1a30"), "text": "x"}, "id", "0b9f5e1c-3a52-4f1e-9d7a-2c4e8b6f1a30"),
])
def test_numbers_dates_and_bytes_become_text(record, field, value):
    assert getattr(mapped_document("p.parquet", 0, record, "parquet", CFG), field) == value


def test_a_parquet_uuid_id_column_is_read_as_the_uuids_text(tmp_path):
    # hostile round 21: a uuid key exported by DuckDB, Spark or Postgres reads as UUIDs (Parquet's
    # UUID type, with or without Arrow's schema in the file): every row failed "field 'id' is a
    # UUID, not text"
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = [uuid.UUID("0b9f5e1c-3a52-4f1e-9d7a-2c4e8b6f1a30"), uuid.UUID("f0000000-0000-4000-8000-0000000000ff")]
    table = pa.table({"id": pa.array([u.bytes for u in ids], pa.uuid()), "text": ["Body one.", "Body two."]})
    for store_schema in (True, False):
        pq.write_table(table, tmp_path / "keys.parquet", store_schema=store_schema)
        out = list(ReadFileFn(CFG).process(ReadTask(str(tmp_path / "keys.parquet"))))
        assert [(d.id, d.text) for d in out] == [(str(ids[0]), "Body one."), (str(ids[1]), "Body two.")]


def test_a_dotted_field_name_reaches_into_nested_json_objects(tmp_path):
    # hostile round 22: `read.title_field=metadata.title` (datatrove's and dolma's layout: the URL
    # and date under `metadata`) named a top-level key, so every id, url and title came out empty
    # without a word. A key that is the whole dotted name still wins; a record without the path
    # reads as one without a top-level field; what the names found is tallied for the report
    cfg = ReadConfig(id_field="metadata.id", url_field="metadata.url", title_field="metadata.title",
                     published_field="metadata.date", text_field="content.body")
    records = [
        {"content": {"body": "Body one."}, "metadata": {"id": "a", "url": "https://x.org/1", "title": "One", "date": "2024-05-01"}},
        {"content": {"body": "Body two."}, "metadata": {"url": "https://x.org/2", "title": "Nested"}, "metadata.title": "Flat"},
        {"content": {"body": "Body three."}, "metadata": "not an object"},
        {"content": "Body four.", "metadata": {"id": "d"}},
    ]
    path = tmp_path / "dolma.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = list(ReadFileFn(cfg).process(ReadTask(str(path))))
    assert [(d.id, d.url, d.title, d.published, d.text) for d in out[:3]] == [
        ("a", "https://x.org/1", "One", "2024-05-01", "Body one."),
        ("dolma.jsonl:1", "https://x.org/2", "Flat", "", "Body two."),
        ("dolma.jsonl:2", "", "", "", "Body three."),
    ]
    assert (out[3].value.id, out[3].value.message) == ("dolma.jsonl:3", "field 'content.body' is missing or null")
    assert out[4].tag == FIELDS and out[4].value == {"read_fields": {"records": 4, "found": {
        "id_field": 2, "url_field": 2, "title_field": 2, "text_field": 3, "published_field": 1}}}
    # the default names, as before: each record fails naming `text`, and nothing is tallied (a
    # default name found nowhere is a layout without that field, not a mistake)
    assert [(o.tag, o.value.message) for o in ReadFileFn(CFG).process(ReadTask(str(path)))] == [
        ("failed", "field 'text' is missing or null")] * 4


@pytest.mark.parametrize("name, line, message", [
    ("metadata.url", b'{"text": "Body.", "metadata": {"url": "https://a.example/", "url": "https://b.example/"}}',
     "the 'url' of field 'metadata.url' is given 2 times"),
    ("metadata.url", b'{"text": "Body.", "metadata": {"url": "https://a.example/"}, "metadata": {"url": "https://b.example/"}}',
     "the 'metadata' of field 'metadata.url' is given 2 times"),
    # a name beyond ASCII written as is (it was looked for only as \u escapes, and passed)
    ("d\u00e9p\u00eache", '{"text": "Body.", "d\u00e9p\u00eache": "https://a.example/", "d\u00e9p\u00eache": "https://b.example/"}'.encode(),
     "field 'd\u00e9p\u00eache' is given 2 times"),
])
def test_a_nested_field_given_twice_with_different_values_fails_naming_it(name, line, message):
    # as a top-level field given twice: json.loads keeps the last, and which one the record meant
    # cannot be told
    with pytest.raises(BadRecord, match=f"^{re.escape(message)} in the record, with different values"):
        jsonl_document("f.jsonl", 0, line, ReadConfig(url_field=name))
    same = line.replace(b"b.example", b"a.example")
    assert jsonl_document("f.jsonl", 0, same, ReadConfig(url_field=name)).url == "https://a.example/"


def test_a_dotted_field_name_reads_a_parquet_structs_leaf_under_the_read_caps(tmp_path):
    # hostile round 22: the struct's leaf is read (a nanosecond date at microseconds, a leaf that is
    # not UTF-8 decoded as bytes are), and only it: a 5 MB page shared by 20 rows beside the URL is
    # not read. A name that reaches the page is read as a column is, under the same caps: the
    # group of 20 rows pointing at one 5 MB dictionary value is one failure, unread
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "datatrove.parquet"
    bomb = ("The council met again on Tuesday. " * 150_000)[:5_000_000]
    meta = pa.struct([("url", pa.string()), ("date", pa.timestamp("ns")), ("title", pa.binary()), ("page", pa.string())])
    with pq.ParquetWriter(path, pa.schema([("text", pa.string()), ("metadata", meta)]), use_dictionary=True, compression="zstd") as writer:
        for first, n, page in ((0, 2, "small"), (2, 20, bomb), (22, 2, "small")):
            rows = [{"url": f"https://x.org/{i}", "date": 1_700_000_000_123_456_789, "title": "Caf\u00e9".encode("cp1252"),
                     "page": page} for i in range(first, first + n)]
            writer.write_table(pa.table({"text": [f"Body {i}." for i in range(first, first + n)], "metadata": pa.array(rows, meta)}))
    assert path.stat().st_size < 10_000
    cfg = ReadConfig(url_field="metadata.url", published_field="metadata.date", title_field="metadata.title",
                     max_inflated_bytes=50 << 20)
    docs = [o for o in ReadFileFn(cfg).process(ReadTask(str(path))) if isinstance(o, Document)]
    assert [(d.url, d.published, d.title) for d in docs] == [
        (f"https://x.org/{i}", "2023-11-14T22:13:20.123456", "Caf\u00e9") for i in range(24)]
    assert read_outcomes([ReadTask(str(path))], ReadConfig(title_field="metadata.page", max_inflated_bytes=50 << 20)) == [
        ("datatrove.parquet:0", "Body 0."), ("datatrove.parquet:1", "Body 1."), ("datatrove.parquet:2", "InflatedTooLarge"),
        ("datatrove.parquet:22", "Body 22."), ("datatrove.parquet:23", "Body 23.")]


@pytest.mark.parametrize("dictionary", [False, True])
def test_a_structs_string_leaf_that_is_not_utf8_is_decoded_as_bytes_are(tmp_path, dictionary):
    # a struct's leaf read through a dotted name is decoded as a top-level string column's cell is
    # (Spark and C++ writers store them unchecked), read as a dictionary or not; it failed its row
    # ("field 'm' holds text that is not UTF-8") once dotted names reached it. A bad id is its hex
    import pyarrow as pa
    import pyarrow.parquet as pq

    raw = pa.array([b"Good title", "Caf\u00e9 cr\u00e8me".encode("cp1252")], pa.binary())
    unchecked = pa.Array.from_buffers(pa.string(), 2, raw.buffers())
    path = tmp_path / "spark.parquet"
    pq.write_table(pa.table({"text": ["Body one.", "Body two."], "m": pa.StructArray.from_arrays([unchecked], names=["title"])}),
                   path, use_dictionary=dictionary)
    docs = list(ReadFileFn(ReadConfig(title_field="m.title", id_field="m.title")).process(ReadTask(str(path))))[:2]
    assert [(d.id, d.title) for d in docs] == [("Good title", "Good title"), ("Caf\u00e9 cr\u00e8me".encode("cp1252").hex(), "Caf\u00e9 cr\u00e8me")]


def test_a_struct_a_dotted_name_reads_given_twice_fails_the_file_saying_so(tmp_path):
    # two `metadata` structs: a row as a dict kept the last one's URL without a word
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "dup.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array(["Body."]), pa.array([{"url": "a"}]), pa.array([{"url": "b"}])],
                                        names=["text", "metadata", "metadata"]), path)
    [failure] = [o.value for o in ReadFileFn(ReadConfig(url_field="metadata.url")).process(ReadTask(str(path)))]
    assert failure.message == ("column 'metadata' appears 2 times in the file: which one holds the record cannot be told; "
                               "rename the others")


def test_a_parquet_column_named_with_a_dot_is_found_before_a_structs_leaf(tmp_path):
    # a flat export's `meta.title` column beside a `meta` struct: the whole name wins, as in JSON
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "both.parquet"
    pq.write_table(pa.table({"text": ["Body."], "meta.title": ["Flat"], "meta": [{"title": "Nested"}]}), path)
    [doc] = [o for o in ReadFileFn(ReadConfig(title_field="meta.title")).process(ReadTask(str(path))) if isinstance(o, Document)]
    assert doc.title == "Flat"


def test_binary_ids_that_are_not_text_are_their_hex(tmp_path):
    # hostile round 22: a binary id column of digests was decoded as a text file is: mojibake with
    # control characters, and two digests of bytes cp1252 leaves undefined both read as 16
    # replacement characters: one id for two records
    import hashlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    clash = [b"\x9d\x8d\x8f\x8d\xfe\x81\x9d\xfe\x8f\x9d\xff\xfe\x9d\x8d\x8f\x81", b"\xff\x81\xfe\xff\x8f\x90\x9d\x81\x8f\x90\x8f\x9d\xff\x8d\x9d\x90"]
    digests = [hashlib.md5(b"0").digest(), *clash, b"with\x07bell\x00zero\x01a"]
    for kind in (pa.binary(16), pa.binary(), pa.large_binary()):
        pq.write_table(pa.table({"id": pa.array(digests, kind), "text": [f"Body {i}." for i in range(4)]}), tmp_path / "keys.parquet")
        docs = list(ReadFileFn(CFG).process(ReadTask(str(tmp_path / "keys.parquet"))))
        assert [d.id for d in docs] == [hashlib.md5(b"0").hexdigest(), *(d.hex() for d in digests[1:])]
    # bytes that are UTF-8 text (Spark writes string ids as binary) stay that text
    pq.write_table(pa.table({"id": pa.array([b"doc-1", "d\u00e9j\u00e0-vu".encode()], pa.binary()), "text": ["One.", "Two."]}),
                   tmp_path / "text.parquet")
    assert [d.id for d in ReadFileFn(CFG).process(ReadTask(str(tmp_path / "text.parquet")))] == ["doc-1", "d\u00e9j\u00e0-vu"]


@pytest.mark.parametrize("record, message", [
    ({"title": ["x"], "text": "x"}, "field 'title' is a list, not text"),
    ({"title": {"a": 1}, "text": "x"}, "field 'title' is an object (a JSON object or Parquet struct), not text"),
    ({"id": True, "text": "x"}, "field 'id' is true or false, not text"),
    ({"url": [1], "text": "x"}, "field 'url' is a list, not text"),
    ({"published": {"y": 2024}, "text": "x"}, "field 'published' is an object (a JSON object or Parquet struct), not text"),
    ({"html": ["<p>x</p>"], "text": "x"}, "field 'html' is a list, not a page"),
    # a Parquet map reads as a list of pairs: it was called "a list" (hostile round 28)
    ({"text": [("en", "Body.")]}, "field 'text' is a Parquet map, not a string"),
    ({"title": [("en", "T")], "text": "x"}, "field 'title' is a Parquet map, not text"),
])
def test_lists_objects_and_booleans_are_bad_records_not_reprs(record, message):
    with pytest.raises(BadRecord, match=re.escape(message)):
        mapped_document("p.parquet", 0, record, "parquet", CFG)


# --- input paths ------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    for name in ("a.txt", "notes[draft].txt", "sub/b.jsonl.gz", "sub/deeper/c.warc", "README", ".hidden.txt",
                 "_SUCCESS", ".git/x.txt", "sub/_tmp/d.txt", "sub/meta.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    return tmp_path


def _names(found, root):
    return [m.path[len(str(root)) + 1 :] for m in found]


def test_an_earlier_runs_output_beside_the_inputs_is_not_input(tree):
    # `--input data/ --output data/run1`, then `--output data/run2`: run1's Parquet would be read
    run = tree / "run1"
    for name in ("_SUCCESS", "report.json", "clean/part-0.parquet", "index/part-0.parquet"):
        (run / name).parent.mkdir(parents=True, exist_ok=True)
        (run / name).write_bytes(b"x")
    (tree / "spark").mkdir()
    for name in ("_SUCCESS", "part-0.parquet"):  # a Spark job's output is input: it has no report.json
        (tree / "spark" / name).write_bytes(b"x")
    assert _names(match_input(str(tree)), tree) == ["a.txt", "notes[draft].txt", "spark/part-0.parquet", "sub/b.jsonl.gz", "sub/deeper/c.warc"]
    # named itself, a run's output folder is read
    assert _names(match_input(str(run)), run) == ["clean/part-0.parquet", "index/part-0.parquet"]


def test_a_run_folder_named_as_input_is_refused_where_the_job_is_built(tree):
    # hostile round 9: read whole, its index rows failed one by one ("field 'text' is missing or
    # null") and its rejected documents came back; the CLI now says to name its clean/ folder
    run = tree / "run1"
    for name in ("_SUCCESS", "report.json", "clean/part-0.parquet"):
        (run / name).parent.mkdir(parents=True, exist_ok=True)
        (run / name).write_bytes(b"x")
    with pytest.raises(ValueError, match=r"is an earlier run's output folder .*: name its clean/ folder"):
        match_input(str(run), strict=True)
    assert _names(match_input(str(run / "clean"), strict=True), run) == ["clean/part-0.parquet"]


def test_a_file_named_by_several_inputs_is_read_once(tree):
    # hostile round 9: `--input data/ --input 'data/*.txt'` read a.txt twice: counted twice in the
    # report, and rejected as a copy of itself
    from pipeline.read import _match_encoded

    patterns = (str(tree), str(tree / "*.txt"), str(tree / "sub" / ".." / "a.txt"), str(tree / "a.txt"))
    found = _match_encoded(tuple(p.encode() for p in patterns), "auto")
    assert _names(found, tree) == ["a.txt", "notes[draft].txt", "sub/b.jsonl.gz", "sub/deeper/c.warc", ".hidden.txt"]


def test_a_file_reached_through_a_link_is_read_once(tmp_path):
    # hostile round 18: a folder named twice, once through a link to it (`--input data --input
    # mirror`), and a file beside a link to it (`latest.jsonl -> day1.jsonl`) were read twice: each
    # record counted twice, one copy rejected as a duplicate of itself
    from pipeline.read import _match_encoded

    data = tmp_path / "data"
    data.mkdir()
    (data / "day1.jsonl").write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    (data / "latest.jsonl").symlink_to("day1.jsonl")
    (tmp_path / "mirror").symlink_to(data)
    patterns = (str(data), str(tmp_path / "mirror"), str(tmp_path / "mirror" / "*.jsonl"))
    found = _match_encoded(tuple(p.encode() for p in patterns), "auto")
    assert [m.path[len(str(tmp_path)) + 1 :] for m in found] == ["data/day1.jsonl"]


def test_a_file_whose_name_holds_glob_characters_is_that_file(tree):
    assert _names(match_input(str(tree / "notes[draft].txt")), tree) == ["notes[draft].txt"]
    # a glob stays a glob (Beam's: it does match hidden files)
    assert _names(match_input(str(tree / "*.txt")), tree) == [".hidden.txt", "a.txt", "notes[draft].txt"]


def test_a_globstar_matches_no_folder_too_and_a_glob_without_a_folder_is_in_the_current_one(tree, monkeypatch):
    # hostile round 23: Beam reads `**` as any characters, so `data/**/*.txt` left out data/a.txt
    # without a word; and a glob with no folder before its first glob character (`*.txt`, run in
    # the data's folder) "matched no file", as Beam lists the folder of that text
    everywhere = [".git/x.txt", ".hidden.txt", "a.txt", "notes[draft].txt", "sub/_tmp/d.txt"]
    assert _names(match_input(str(tree / "**" / "*.txt")), tree) == everywhere
    assert _names(match_input(str(tree / "**" / "deeper" / "**" / "*.warc")), tree) == ["sub/deeper/c.warc"]
    assert _names(match_input(str(tree / "**" / "a.txt")), tree) == ["a.txt"]
    assert _names(match_input(str(tree / "sub" / "**" / "*")), tree) == ["sub/_tmp/d.txt", "sub/b.jsonl.gz", "sub/deeper/c.warc",
                                                                         "sub/meta.json"]
    monkeypatch.chdir(tree)
    assert [m.path for m in match_input("*.txt", strict=True)] == [".hidden.txt", "a.txt", "notes[draft].txt"]
    assert [m.path for m in match_input("**/*.txt")] == everywhere
    assert [m.path for m in match_input("*/*.gz")] == ["sub/b.jsonl.gz"]


@pytest.mark.parametrize("suffix", ["", "/"])
def test_a_directory_is_the_readable_files_under_it(tree, suffix):
    assert _names(match_input(str(tree) + suffix), tree) == ["a.txt", "notes[draft].txt", "sub/b.jsonl.gz", "sub/deeper/c.warc"]
    # with a format every file counts, hidden and _-named ones still not
    assert _names(match_input(str(tree) + suffix, "text"), tree) == ["README", "a.txt", "notes[draft].txt",
                                                                     "sub/b.jsonl.gz", "sub/deeper/c.warc", "sub/meta.json"]
    # .json (metadata as often as records) is read from a folder only when asked for; named, always
    assert _names(match_input(str(tree) + suffix, "json"), tree)[-1] == "sub/meta.json"
    assert _names(match_input(str(tree / "sub" / "*.json")), tree) == ["sub/meta.json"]


def test_a_file_uri_is_its_local_path(tree):
    uri = (tree / "notes[draft].txt").as_uri()  # file:///.../notes%5Bdraft%5D.txt
    assert _names(match_input(uri), tree) == ["notes[draft].txt"]
    assert _names(match_input(tree.as_uri() + "/"), tree) == _names(match_input(str(tree)), tree)
    assert _names(match_input("file://localhost" + str(tree / "*.txt")), tree) == [".hidden.txt", "a.txt", "notes[draft].txt"]
    assert from_file_uri("FILE:///data/caf%E9%20x.txt") == "/data/caf\udce9 x.txt"  # a name that is not UTF-8
    assert from_file_uri("gs://bucket/a.txt") == "gs://bucket/a.txt"
    with pytest.raises(ValueError, match="another host"):
        match_input("file://nas/share/a.txt")


def test_csv_in_a_folder_is_read_only_when_asked_for(tree):
    (tree / "sub" / "metadata.csv").write_bytes(b"x")
    assert "sub/metadata.csv" not in _names(match_input(str(tree)), tree)
    assert _names(match_input(str(tree), "csv"), tree)[-2:] == ["sub/meta.json", "sub/metadata.csv"]
    assert _names(match_input(str(tree / "sub" / "*.csv")), tree) == ["sub/metadata.csv"]


def test_nothing_to_read_is_one_clear_error(tree):
    (tree / "empty").mkdir()
    with pytest.raises(ValueError, match="is a directory with no file of a known format"):
        match_input(str(tree / "empty"), strict=True)
    with pytest.raises(ValueError, match=r"matches no file$"):
        match_input(str(tree / "nothing[1].txt"), strict=True)
    assert match_input(str(tree / "nothing*.txt")) == []


def test_a_link_to_nothing_is_a_failed_file_not_a_refused_run_or_a_lost_one(tree):
    # In a folder, a link to nothing refused the whole run ("Path does not exist"); in a glob,
    # Beam's match dropped it without a word. Now it is matched, and its read fails alone.
    (tree / "dead.txt").symlink_to(tree / "gone.txt")
    (tree / "latest").symlink_to(tree / "nowhere")  # no format's extension: not input, not an error
    assert _names(match_input(str(tree)), tree) == ["a.txt", "dead.txt", "notes[draft].txt", "sub/b.jsonl.gz", "sub/deeper/c.warc"]
    assert _names(match_input(str(tree / "*.txt")), tree) == [".hidden.txt", "a.txt", "dead.txt", "notes[draft].txt"]
    (failure,) = [o.value for o in ReadFileFn(CFG).process(ReadTask(str(tree / "dead.txt")))]
    assert (failure.id, failure.error_type) == ("dead.txt", "FileNotFoundError")


def test_a_named_pipe_in_a_folder_or_a_glob_is_not_input(tree):
    # opening `pipe.jsonl` (a named pipe left in the folder) waited for a writer forever: the run hung
    import os

    os.mkfifo(tree / "pipe.jsonl")
    assert "pipe.jsonl" not in _names(match_input(str(tree)), tree)
    assert _names(match_input(str(tree / "*.jsonl")), tree) == []
    assert _names(match_input(str(tree / "pipe.jsonl")), tree) == ["pipe.jsonl"]  # named on its own, it is read


def test_a_repeated_id_is_flagged_on_documents_and_rejections():
    doc = Document(id="a", text="x", source="f.jsonl", source_format="jsonl", flags=("bom_removed",))
    rejected = Rejection.of(doc, Reason.EMPTY_INPUT, "no text", "read")
    repeated = collections.defaultdict(list, {"a": [2]})  # what a multimap side input gives
    assert flag_duplicate_id(doc, repeated).flags == ("bom_removed", "duplicate_id")
    assert flag_duplicate_id(rejected, repeated).doc.flags == ("bom_removed", "duplicate_id")
    assert flag_duplicate_id(doc, collections.defaultdict(list, {"b": [3]})) is doc


def _reference_lines(data: bytes, limit: int) -> list[bytes]:
    """The plain definition: split after each newline, drop blank lines, cut a line to limit + 1."""
    return [line[: limit + 1] for line in re.findall(rb"[^\n]*\n|[^\n]+$", data) if line.strip()]


class _Trickle:
    """A stream whose reads return pieces of the sizes given, in turn (short reads, as gzip gives)."""

    def __init__(self, data: bytes, sizes: list[int]):
        self.data, self.sizes, self.pos, self.turn = data, sizes or [1], 0, 0

    def read(self, n: int) -> bytes:
        size = min(n, self.sizes[self.turn % len(self.sizes)])
        self.turn += 1
        out = self.data[self.pos : self.pos + size]
        self.pos += len(out)
        return out


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    data=st.lists(st.sampled_from([b"a", b"{}", b" ", b"\t", b"\r", b"\n", b"\n\n", b"x" * 40]), max_size=80).map(b"".join),
    limit=st.integers(1, 30),
    sizes=st.lists(st.integers(1, 50), max_size=5),
)
def test_lines_match_the_plain_definition_whatever_the_reads(data, limit, sizes):
    assert list(iter_lines(_Trickle(data, sizes).read, limit)) == _reference_lines(data, limit)


def test_a_record_that_breaks_the_decoder_fails_alone_and_the_file_reads_on(tmp_path):
    # JSON nested past Python's recursion limit raises RecursionError, not a JSONDecodeError: it
    # once escaped the per-record guard, failed the whole file and lost the good record after it
    path = tmp_path / "deep.jsonl"
    deep_object = '{"id": "d", "text": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}"
    path.write_text("[" * 100_000 + "]" * 100_000 + '\n{"id": "ok", "text": "Body."}\n' + deep_object + "\n")
    out = list(ReadFileFn(CFG).process(ReadTask(str(path))))
    docs = [o for o in out if isinstance(o, Document)]
    failed = [o.value for o in out if isinstance(o, pvalue.TaggedOutput)]
    assert [d.id for d in docs] == ["ok"]
    assert [(f.id, f.error_type) for f in failed] == [("deep.jsonl:0", "BadRecord"), ("deep.jsonl:2", "BadRecord")]
    assert all("nested deeper" in f.message for f in failed)



def test_a_parquet_value_python_cannot_hold_fails_its_row_alone(tmp_path):
    # A nanosecond column the mapping does not read (a crawl's fetch time) made `to_pylist` raise
    # for its whole batch without pandas: the file's 1,500 rows were read as one failure
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 1500
    days = [19724] * n  # 2024-01-02
    days[1100] = 2**31 - 1  # in the second batch: a date past year 9999, in a column that is read
    path = tmp_path / "export.parquet"
    pq.write_table(pa.table({
        "id": [f"r{i}" for i in range(n)],
        "text": [f"Body {i}." for i in range(n)],
        "fetched": pa.array([1_700_000_000_000_000_000 + i for i in range(n)], pa.timestamp("ns")),
        "published": pa.array(days, pa.date32()),
        "stamp": pa.array([1_700_000_000_123_456_789] * n, pa.timestamp("ns", "UTC")),
    }), path)
    out = list(ReadFileFn(CFG).process(ReadTask(str(path))))
    docs = [o for o in out if isinstance(o, Document)]
    failed = [o.value for o in out if isinstance(o, pvalue.TaggedOutput)]
    assert (len(docs), docs[0].id, docs[0].published, docs[-1].id) == (n - 1, "r0", "2024-01-02", f"r{n - 1}")
    assert [(f.id, f.error_type) for f in failed] == [("export.parquet:1100", "BadRecord")]
    assert "field 'published' holds a value Python cannot read" in failed[0].message
    # a nanosecond time that is read is read at microseconds
    out = [o for o in ReadFileFn(ReadConfig(published_field="stamp")).process(ReadTask(str(path))) if isinstance(o, Document)]
    assert (out[0].published, len(out)) == ("2023-11-14T22:13:20.123456+00:00", n)


@pytest.mark.parametrize("dictionary", [False, True])
@pytest.mark.parametrize("kind", ["string", "large_string", "string_view"])
def test_a_parquet_string_that_is_not_utf8_is_decoded_as_bytes_are(tmp_path, kind, dictionary):
    # Spark and C++ writers store string cells unchecked; one cell of cp1252 made `to_pylist`
    # raise UnicodeDecodeError and the whole file was read as one failure. In a column of Arrow's
    # string_view type it failed its row (hostile round 21)
    import pyarrow as pa
    import pyarrow.parquet as pq

    raw = pa.array([b"Good one.", "Caf\u00e9 cr\u00e8me, na\u00efve r\u00e9sum\u00e9.".encode("cp1252"), b"Good three."], pa.binary())
    unchecked = {"string": lambda: pa.Array.from_buffers(pa.string(), 3, raw.buffers()),
                 "large_string": lambda: pa.Array.from_buffers(pa.large_string(), 3, raw.cast(pa.large_binary()).buffers()),
                 "string_view": lambda: raw.cast(pa.binary_view()).view(pa.string_view())}[kind]()
    path = tmp_path / "spark.parquet"
    pq.write_table(pa.table({"id": ["u0", "u1", "u2"], "text": unchecked}), path, use_dictionary=dictionary)
    assert pq.ParquetFile(path).schema_arrow.field("text").type == getattr(pa, kind)()
    out = list(ReadFileFn(CFG).process(ReadTask(str(path))))
    assert [(d.id, d.text) for d in out] == [("u0", "Good one."), ("u1", "Caf\u00e9 cr\u00e8me, na\u00efve r\u00e9sum\u00e9."), ("u2", "Good three.")]
    assert out[1].flags[0].startswith("decoded_as_")


def test_a_utf8_bom_before_a_parquet_text_is_removed_as_a_files_is_whatever_the_column_type(tmp_path):
    # hostile round 21 (checked, nothing to mend): bytes columns are decoded as a text file is
    # (the BOM dropped, `bom_removed`); in a string column, as in a JSON string, U+FEFF is a
    # character, removed as the controls are. The text, and so every verdict after it, is the same.
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = "Der Rat tagte am Dienstag.\n\nÜber die Brücke wurde nicht entschieden."
    bom = "\ufeff" + text
    for kind in ("string", "large_string", "binary", "large_binary"):
        value = bom if "string" in kind else bom.encode("utf-8")
        pq.write_table(pa.table({"id": [kind], "text": pa.array([value], getattr(pa, kind)())}), tmp_path / f"{kind}.parquet")
    (tmp_path / "file.txt").write_bytes(bom.encode("utf-8"))
    (tmp_path / "line.jsonl").write_text(json.dumps({"id": "jsonl", "text": bom}) + "\n", encoding="utf-8")
    docs = {d.id: d for name in sorted(p.name for p in tmp_path.iterdir()) for d in ReadFileFn(CFG).process(ReadTask(str(tmp_path / name)))}
    assert {i: d.text for i, d in docs.items()} == dict.fromkeys(
        ["binary", "file.txt", "jsonl", "large_binary", "large_string", "string"], text)
    assert {i: d.flags for i, d in docs.items()} == {
        "binary": ("bom_removed",), "large_binary": ("bom_removed",), "file.txt": ("bom_removed",),
        "string": ("control_chars_removed",), "large_string": ("control_chars_removed",), "jsonl": ("control_chars_removed",)}


def test_a_parquet_file_with_a_mapped_column_twice_fails_saying_so(tmp_path):
    # a row read as a dict keeps the last `text`: the article was replaced without a word by the
    # other column's value ("other", rejected as one word)
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "dup.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array(["a"]), pa.array(["The article."]), pa.array(["other"])], names=["id", "text", "text"]), path)
    [failure] = [o.value for o in ReadFileFn(CFG).process(ReadTask(str(path)))]
    assert (failure.error_type, failure.message) == (
        "BadRecord", "column 'text' appears 2 times in the file: which one holds the record cannot be told; rename the others")


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_a_text_field_in_another_case_is_named_in_each_rows_failure(tmp_path, fmt):
    # an export's "Text" column: each row failed with "field 'text' is missing or null", naming
    # neither the column that was there nor the setting that reads it
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / f"export.{fmt}"
    if fmt == "parquet":
        pq.write_table(pa.Table.from_arrays([pa.array(["a", "b"]), pa.array(["One.", "Two."])], names=["id", "Text"]), path)
    else:
        path.write_text("".join(json.dumps({"id": i, "Text": t}) + "\n" for i, t in (("a", "One."), ("b", "Two."))))
    failures = [o.value for o in ReadFileFn(CFG).process(ReadTask(str(path)))]
    assert [(f.id, f.message) for f in failures] == [
        (f"export.{fmt}:{i}", "field 'text' is missing or null (the record has 'Text': set read.text_field=Text)") for i in range(2)
    ]
    ok = [o for o in ReadFileFn(ReadConfig(text_field="Text")).process(ReadTask(str(path))) if isinstance(o, Document)]
    assert [(d.id, d.text) for d in ok] == [("a", "One."), ("b", "Two.")]


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress, zstd_compress])
@pytest.mark.parametrize("name", ["export.jsonl", "export.txt"])
def test_a_compressed_file_whose_name_does_not_say_so_is_read(tmp_path, compress, name):
    # a .jsonl that is really gzip (saved without its .gz): each "line" of compressed bytes was a
    # failed record saying "malformed JSON" (3 records, 14 failures); a .txt failed as "binary content"
    lines = "".join(json.dumps({"id": f"r{i}", "text": f"Body {i}."}) + "\n" for i in range(3))
    path = tmp_path / name
    path.write_bytes(compress(lines.encode()))
    out = list(ReadFileFn(ReadConfig(split_bytes=16)).process(ReadTask(str(path))))
    if name.endswith(".jsonl"):
        assert [(d.id, d.text) for d in out] == [(f"r{i}", f"Body {i}.") for i in range(3)]
        assert plan_file_reads(match_input(str(path))[0], ReadConfig(split_bytes=16)) == [ReadTask(str(path))]
    else:
        assert [d.text for d in out] == [lines]


def test_a_parquet_file_named_as_another_format_fails_once_saying_so(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "rows.jsonl"
    pq.write_table(pa.table({"text": [f"Body {i}.\n" for i in range(50)]}), path, compression="none")
    [failure] = [o.value for o in ReadFileFn(CFG).process(ReadTask(str(path)))]
    assert failure.message == "'rows.jsonl' is a Parquet file (it starts with PAR1) read as another format: name it .parquet"


def read_outcomes(tasks, cfg: ReadConfig = CFG) -> list[tuple[str, str]]:
    """What ReadFileFn makes of `tasks`, in order: (id, text) per document, (id, error type) per
    failure (what the field names found, a task's last output, left out)."""
    out = [o for t in tasks for o in ReadFileFn(cfg).process(t) if getattr(o, "tag", "") != FIELDS]
    return [(o.id, o.text) if isinstance(o, Document) else (o.value.id, o.value.error_type) for o in out]


def test_a_damaged_parquet_row_group_fails_alone_and_a_split_read_agrees(tmp_path):
    # Read as one stream, a row group whose page header is garbage failed the rest of the file
    # and the good rows before it in the same batch (12 readable rows in one failure at row 0);
    # read in runs of row groups (read.split_bytes), the other groups were kept
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "damaged.parquet"
    pq.write_table(pa.table({"text": [f"Body {i}." for i in range(16)]}), path, row_group_size=4, use_dictionary=False)
    chunk = pq.ParquetFile(path).metadata.row_group(1).column(0)
    data = bytearray(path.read_bytes())
    data[chunk.data_page_offset : chunk.data_page_offset + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))

    whole = read_outcomes([ReadTask(str(path))])
    assert whole == [(f"damaged.parquet:{i}", f"Body {i}.") for i in range(4)] + [("damaged.parquet:4", "UnreadableRowGroup")] + [
        (f"damaged.parquet:{i}", f"Body {i}.") for i in range(8, 16)]
    runs = with_first_positions(parquet_runs(str(path), 1))
    assert len(runs) == 4 and read_outcomes(runs) == whole


@pytest.mark.parametrize("row_bytes, cfg", [
    (18 << 20, CFG),  # 4 rows of 18 MB of repeated text: 72 MB from a few KB, past the ratio cap
    (1 << 20, ReadConfig(max_inflated_bytes=1 << 20)),  # 4 MB, past read.max_inflated_bytes
])
def test_a_parquet_row_group_that_inflates_past_the_caps_fails_alone_unread(tmp_path, row_bytes, cfg):
    # A Parquet page is inflated whole: a 97 KB file of 200 rows of 5 MB of repeated text (one 1 GB
    # zstd page) took 3.1 GB of memory through the CLI, with no cap, where a gzip file stops
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "bomb.parquet"
    bomb = ("The council met again on Tuesday. " * (row_bytes // 34 + 1))[:row_bytes]
    texts = [f"Body {i}." for i in range(4)] + [bomb] * 4 + [f"Body {i}." for i in range(8, 12)]
    pq.write_table(pa.table({"text": texts}), path, row_group_size=4, use_dictionary=False, compression="zstd")
    assert path.stat().st_size < 100_000

    whole = read_outcomes([ReadTask(str(path))], cfg)
    assert whole == [(f"bomb.parquet:{i}", f"Body {i}.") for i in range(4)] + [("bomb.parquet:4", "InflatedTooLarge")] + [
        (f"bomb.parquet:{i}", f"Body {i}.") for i in range(8, 12)]
    runs = with_first_positions(parquet_runs(str(path), 1))
    assert len(runs) == 3 and read_outcomes(runs, cfg) == whole


@pytest.mark.parametrize("kind", ["string", "dictionary", "string_view", "binary_view"])
def test_a_parquet_row_group_whose_rows_share_one_huge_dictionary_value_fails_past_the_caps(tmp_path, kind):
    # The footer gives a dictionary column's encoded size (the value once, an index a row): a 1.5 KB
    # file of 200 rows that all point at one 5 MB value read as 1 GB, 3.4 GB of memory through the CLI.
    # A column stored with Arrow's dictionary type (a pandas categorical, a DictionaryArray) is no
    # string column in the file's Arrow schema: it was read past the caps (hostile round 12), and so
    # was one of Arrow's view types (polars' strings; hostile round 21)
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "shared.parquet"
    bomb = ("The council met again on Tuesday. " * 150_000)[:5_000_000]
    texts = [f"Body {i}." for i in range(4)] + [bomb] * 20 + [f"Body {i}." for i in range(24, 28)]
    kind = pa.dictionary(pa.int32(), pa.string()) if kind == "dictionary" else getattr(pa, kind)()
    with pq.ParquetWriter(path, pa.schema([("text", kind)]), use_dictionary=True, compression="zstd") as writer:
        for rows in (texts[:4], texts[4:24], texts[24:]):
            writer.write_table(pa.table({"text": pa.array(rows).cast(kind)}))
    assert pq.ParquetFile(path).schema_arrow.field("text").type == kind
    assert path.stat().st_size < 10_000
    cfg = ReadConfig(max_inflated_bytes=50 << 20)  # 100 MB in the middle group; the ratio cap judges from 64 MiB

    whole = read_outcomes([ReadTask(str(path))], cfg)
    assert whole == [(f"shared.parquet:{i}", f"Body {i}.") for i in range(4)] + [("shared.parquet:4", "InflatedTooLarge")] + [
        (f"shared.parquet:{i}", f"Body {i}.") for i in range(24, 28)]
    runs = with_first_positions(parquet_runs(str(path), 1))
    assert len(runs) == 3 and read_outcomes(runs, cfg) == whole


_KINDS = {"struct": "an object (a JSON object or Parquet struct)", "map": "a Parquet map", "list": "a list"}


@pytest.mark.parametrize("nest", ["struct", "list", "map"])
def test_a_huge_dictionary_value_shared_inside_a_nested_column_fails_past_the_caps(tmp_path, nest):
    # hostile round 21: a mapped column written as a struct, list or map (a title as {"en": ...})
    # whose string leaf is a dictionary: only top-level columns were read as dictionaries and
    # counted, so 200 rows pointing at one 5 MB value (a 1.7 KB file) were read as 1 GB, 1.7 GB of
    # memory, before the group was refused; and its rows fail anyway ("is an object ..., not text")
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "nested.parquet"
    bomb = ("The council met again on Tuesday. " * 150_000)[:5_000_000]
    kind = {"struct": pa.struct([("en", pa.string())]), "list": pa.list_(pa.string()),
            "map": pa.map_(pa.string(), pa.string())}[nest]
    value = {"struct": lambda t: {"en": t}, "list": lambda t: [t], "map": lambda t: [("en", t)]}[nest]
    small = [None] * 4
    with pq.ParquetWriter(path, pa.schema([("text", pa.string()), ("title", kind)]), use_dictionary=True, compression="zstd") as writer:
        for first, titles in ((0, small), (4, [value(bomb)] * 20), (24, small)):
            texts = [f"Body {i}." for i in range(first, first + len(titles))]
            writer.write_table(pa.table({"text": texts, "title": pa.array(titles, kind)}))
    assert path.stat().st_size < 10_000
    cfg = ReadConfig(max_inflated_bytes=50 << 20)  # 100 MB in the middle group
    assert read_outcomes([ReadTask(str(path))], cfg) == [(f"nested.parquet:{i}", f"Body {i}.") for i in range(4)] + [
        ("nested.parquet:4", "InflatedTooLarge")] + [(f"nested.parquet:{i}", f"Body {i}.") for i in range(24, 28)]
    # refused before it is decoded: Arrow's peak in a fresh process (it cannot be reset) was 170 MB for
    # these 20 rows, and grows with them; now the rows' dictionary indices and one copy of the value
    probe = ("import sys, pyarrow as pa\nfrom pipeline.formats import ReadConfig\nfrom pipeline.read import ReadFileFn\n"
             "from pipeline.splits import ReadTask\nlist(ReadFileFn(ReadConfig(max_inflated_bytes=50 << 20)).process(ReadTask(sys.argv[1])))\n"
             "print(pa.default_memory_pool().max_memory())")
    peak = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True,
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}).stdout.split()[-1]
    assert int(peak) < 60 << 20
    # with the caps lifted, a nested title reads as before: each row holding one fails naming it
    out = list(ReadFileFn(ReadConfig(max_inflation_ratio=1_000_000)).process(ReadTask(str(path))))
    assert [o.value.message for o in out[4:6]] == [f"field 'title' is {_KINDS[nest]}, not text"] * 2


def test_dictionary_columns_read_as_before_under_the_caps(tmp_path):
    # rows that share values (a site's title on every page, an empty url) and a string cell that
    # is not UTF-8 read as they did when every column was decoded by pyarrow
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "dict.parquet"
    texts = pa.array([b"Body one.", b"Body one.", b"Caf\xe9 two.", None], pa.binary()).cast(pa.string(), safe=False)
    pq.write_table(pa.table({"id": ["a", "b", "c", "d"], "title": ["Site"] * 4, "text": texts}), path, use_dictionary=True)
    assert pq.ParquetFile(path).metadata.row_group(0).column(2).has_dictionary_page
    out = [o for o in ReadFileFn(CFG).process(ReadTask(str(path)))]
    assert [(o.id, o.title, o.text) for o in out[:3]] == [("a", "Site", "Body one."), ("b", "Site", "Body one."), ("c", "Site", "Café two.")]
    assert out[3].value.message == "field 'text' is missing or null"
    # pyarrow reads only columns of strings or bytes as dictionaries: a list where the title belongs
    # (its leaves have a dictionary page) fails each record naming it, as before, not the file
    pq.write_table(pa.table({"id": [1, 2, 1], "title": [["a"], ["b"], ["a"]], "text": ["Body one.", "Body two.", "Body one."]}), path)
    assert pq.ParquetFile(path).metadata.row_group(0).column(1).has_dictionary_page
    assert [o.value.message for o in ReadFileFn(CFG).process(ReadTask(str(path)))] == ["field 'title' is a list, not text"] * 3


def test_a_file_name_that_is_not_utf8_is_read_and_named_by_its_bytes(tmp_path):
    # Latin-1 names (an old zip unpacked) come from the OS with lone surrogates, which Beam's string
    # coder refuses: one such file crashed the whole run ("surrogates not allowed", Read/KeptIds)
    import os

    folder = os.fsencode(tmp_path)
    with open(folder + b"/caf\xe9.txt", "wb") as f:
        f.write("Caf\u00e9 society met on Tuesday.".encode())
    with open(folder + b"/r\xe9cits.jsonl", "wb") as f:
        f.write(b'{"text": "One."}\n')
    names = [m.path for m in match_input(str(tmp_path))]
    assert [shown_path(n)[len(str(tmp_path)) + 1 :] for n in names] == ["caf%E9.txt", "r%E9cits.jsonl"]
    out = [o for n in names for o in ReadFileFn(CFG).process(ReadTask(n))]
    assert [(d.id, d.source[len(str(tmp_path)) + 1 :]) for d in out] == [("caf%E9.txt", "caf%E9.txt"), ("r%E9cits.jsonl:0", "r%E9cits.jsonl")]
    assert shown_path("plain/caf\u00e9.txt") == "plain/caf\u00e9.txt"  # a UTF-8 name is itself


@pytest.mark.parametrize("chunk", [2, 5, 1 << 16])
def test_zero_padding_between_gzip_members_is_skipped_and_other_bytes_are_named(chunk, monkeypatch):
    # gzip(1) and Python's gzip skip zero padding after a member; ours failed the rest of the
    # file with zlib's "incorrect header check"
    monkeypatch.setattr(GzipMemberReader, "_CHUNK", chunk)
    data = gzip.compress(b"first\n") + b"\x00" * 700 + gzip.compress(b"second\n") + b"\x00" * 9
    assert GzipMemberReader(io.BytesIO(data)).read() == b"first\nsecond\n"
    # mtime=0: the header's time stamp follows GARBAGE in the message, and a quote among its bytes
    # would change how repr() quotes them (CI failed one night on b"GARBAGE...'J...")
    reader = GzipMemberReader(io.BytesIO(gzip.compress(b"first\n", mtime=0) + b"\x00\x00GARBAGE" + gzip.compress(b"second\n", mtime=0)))
    got = []
    with pytest.raises(NotGzipMember, match=r"bytes that are not gzip follow a gzip member \(at compressed byte 28: b'GA"):
        while chunk := reader.read(1):
            got.append(chunk)
    assert b"".join(got) == b"first\n"  # what came before, then the error


def test_a_number_too_long_for_python_is_a_bad_record_that_says_so():
    # json.loads raised a bare ValueError advising sys.set_int_max_str_digits(): advice for a
    # programmer, not for the user whose record failed
    with pytest.raises(BadRecord, match=r"^malformed JSON: a number too long to read \(Exceeds the limit \(4300 digits\) for integer "
                                        r"string conversion: value has 5000 digits\)$"):
        jsonl_document("x.jsonl", 0, b'{"id": ' + b"9" * 5000 + b', "text": "Body."}', CFG)


def test_pretty_printed_objects_in_a_jsonl_file_are_a_record_each(tmp_path):
    # `jq '.[]' items.json > items.jsonl` indents each object over lines (jq's default): read a line
    # at a time, 3 records came out as 12 failed lines and none was read
    path = tmp_path / "jq.jsonl"
    path.write_text("".join(json.dumps({"id": f"q{i}", "text": f"Body {i}."}, indent=2) + "\n" for i in range(3)))
    out = list(ReadFileFn(CFG).process(ReadTask(str(path))))
    assert [(d.id, d.text, d.position) for d in out] == [("q0", "Body 0.", 0), ("q1", "Body 1.", 1), ("q2", "Body 2.", 2)]
    array = tmp_path / "array.jsonl"  # `jq . feed.json > feed.jsonl`: a pretty-printed array
    array.write_text(json.dumps([{"id": f"a{i}", "text": "Body."} for i in range(2)], indent=2))
    assert [d.id for d in ReadFileFn(CFG).process(ReadTask(str(array)))] == ["a0", "a1"]
    # such a file is never cut into byte ranges; JSON lines still are, and a bad first line is still one line
    assert plan_file_reads(match_input(str(path))[0], ReadConfig(split_bytes=100)) == [ReadTask(str(path))]
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"id": "a", "text": "unterminated\n' + "".join(json.dumps({"id": f"l{i}", "text": "Body."}) + "\n" for i in range(20)))
    assert len(plan_file_reads(match_input(str(lines))[0], ReadConfig(split_bytes=100))) > 1
    out = list(ReadFileFn(CFG).process(ReadTask(str(lines))))
    assert [o.value.id for o in out[:1]] == ["lines.jsonl:0"] and [d.id for d in out[1:]] == [f"l{i}" for i in range(20)]


@pytest.mark.parametrize("name, pack", [("mac.jsonl", bytes), ("mac.jsonl.gz", gzip.compress)])
def test_jsonl_lines_ending_with_a_lone_cr_are_a_record_each(tmp_path, name, pack):
    # classic Mac OS line ends: the file was one line, one failed record ("Extra data")
    path = tmp_path / name
    path.write_bytes(pack(b"".join(json.dumps({"id": f"m{i}", "text": f"Body {i}."}).encode() + b"\r" for i in range(30))))
    out = list(ReadFileFn(CFG).process(ReadTask(str(path))))
    assert [(d.id, d.text, d.position) for d in out] == [(f"m{i}", f"Body {i}.", i) for i in range(30)]
    # ranges are cut at LF: such a file is read whole, whatever its size
    assert plan_file_reads(match_input(str(path))[0], ReadConfig(split_bytes=100)) == [ReadTask(str(path))]


def test_nul_padding_in_a_jsonl_file_is_no_record_and_glued_to_none(tmp_path):
    # a writer that stopped leaves zeros where its data should be (preallocated space, a crash):
    # they were glued to the next record, which failed as malformed JSON, and zeros at the end
    # failed as a record with no word of why
    path = tmp_path / "padded.jsonl"
    rows = [json.dumps({"id": f"p{i}", "text": f"Body {i}."}).encode() for i in range(3)]
    path.write_bytes(rows[0] + b"\n" + b"\x00" * 4096 + rows[1] + b"\x00" * 7 + b"\n" + rows[2] + b"\n" + b"\x00" * 512)
    out = list(ReadFileFn(CFG).process(ReadTask(str(path))))
    docs = [o for o in out if not isinstance(o, pvalue.TaggedOutput)]
    assert [(d.id, d.text, d.flags) for d in docs] == [
        ("p0", "Body 0.", ()), ("p1", "Body 1.", ("nul_padding_removed",)), ("p2", "Body 2.", ())
    ]
    failed = [o.value for o in out if isinstance(o, pvalue.TaggedOutput)]
    assert [(f.position, f.error_type) for f in failed] == [(3, "BadRecord")]
    assert failed[0].message.startswith("NUL bytes only: the zeros a file holds where its writer stopped")


def _read_until_error(reader) -> tuple[bytes, Exception | None]:
    got = bytearray()
    try:
        while chunk := reader.read(1 << 16):
            got += chunk
    except Exception as exc:  # noqa: BLE001 - the test looks at it
        return bytes(got), exc
    return bytes(got), None


def test_a_gzip_member_failing_its_crc_hands_out_what_it_inflated_then_damaged_input():
    # zlib's CRC error came with the call that inflated the member's last megabyte, and took it
    # along: a small file's records were all one failure
    blob = bytearray(gzip.compress(_LINES))
    blob[-8] ^= 0x01  # the CRC
    got, error = _read_until_error(GzipMemberReader(io.BytesIO(bytes(blob))))
    assert got == _LINES
    assert isinstance(error, DamagedInput)
    assert str(error) == ("gzip member 1 (from compressed byte 0) fails its CRC check: the file is damaged; the records read from "
                          "that member before the damage was found may hold corrupted text; the rest of the file is not read")


@pytest.mark.parametrize("seed", range(6))
def test_a_bit_flipped_in_a_gzip_member_loses_nothing_zlib_inflated_before_it(seed):
    import random

    rng = random.Random(seed)
    first = gzip.compress(b"first member\n")
    blob = bytearray(gzip.compress(_LINES))
    blob[rng.randrange(10, len(blob) - 8)] ^= 1 << rng.randrange(8)
    # what zlib gives of the damaged member, a byte of input at a time, up to its error
    inflater, reference = zlib.decompressobj(31), bytearray()
    with contextlib.suppress(zlib.error):
        for i in range(len(blob)):
            reference += inflater.decompress(bytes(blob[i : i + 1]))
    got, error = _read_until_error(GzipMemberReader(io.BytesIO(first + bytes(blob))))
    assert got == b"first member\n" + bytes(reference)
    assert isinstance(error, DamagedInput) and str(error).startswith(f"gzip member 2 (from compressed byte {len(first)}) ")


def test_a_member_zlib_cannot_inflate_is_damaged_input_after_the_members_before():
    second = bytearray(gzip.compress(b"second\n"))
    second[10] = 0xFF  # the first block's header: block type 3, which does not exist
    got, error = _read_until_error(GzipMemberReader(io.BytesIO(gzip.compress(b"first\n") + bytes(second))))
    assert got == b"first\n"
    assert isinstance(error, DamagedInput)
    assert str(error).startswith("gzip member 2 (from compressed byte 26) cannot be inflated (Error -3 while decompressing data: invalid block type)")


@pytest.mark.parametrize("kind", sorted(_PACK))
def test_damaged_bzip2_xz_and_zstd_are_damaged_input(kind):
    blob = bytearray(_PACK[kind](_LINES))
    if kind == "zstd":  # a frame without a checksum (pyarrow writes none; the zstd tool does) decodes a
        blob[6] |= 0x06  # flipped bit without a word: its first block's type made one that does not exist
    else:
        blob[len(blob) // 2 : len(blob) // 2 + 64] = bytes(64)
    _, error = _read_until_error(CappedReader(io.BytesIO(bytes(blob)), kind))
    assert isinstance(error, DamagedInput), error
    assert str(error).startswith(f"the {kind} stream cannot be decompressed (")


@pytest.mark.parametrize("record, flags", [
    ({"title": "Half \ud800 a pair", "text": "Body."}, ("lone_surrogates_replaced",)),
    ({"title": "Half \ud800 a pair", "text": "Body \udfff."}, ("lone_surrogates_replaced",)),  # flagged once
    ({"url": "https://a.example/\ud800", "text": "Body."}, ("lone_surrogates_replaced",)),
    ({"title": "Whole \U0001f3c6 pair", "text": "Body."}, ()),
    ({"title": "Half \ud800 a pair", "html": "<p>Body.</p>"}, ("lone_surrogates_replaced",)),
])
def test_a_lone_surrogate_replaced_in_the_title_or_url_is_flagged_as_in_the_text(record, flags):
    doc = mapped_document("f.jsonl", 0, record, "jsonl", CFG)
    assert doc.flags == flags
    assert "\ud800" not in doc.title


def _archive(kind: str, records: bytes) -> bytes:
    import tarfile
    import zipfile

    out = io.BytesIO()
    if kind == "zip":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("crawl.jsonl", records)
    else:
        with tarfile.open(fileobj=out, mode="w") as t:
            info = tarfile.TarInfo("crawl.jsonl")
            info.size = len(records)
            t.addfile(info, io.BytesIO(records))
    return gzip.compress(out.getvalue()) if kind == "tar.gz" else out.getvalue()


@pytest.mark.parametrize("kind, name", [("zip", "crawl.jsonl"), ("tar", "crawl.jsonl"), ("tar.gz", "crawl.jsonl.gz"),
                                        ("tar.gz", "crawl.jsonl"), ("zip", "crawl.csv"), ("tar", "crawl.json"), ("zip", "page.txt"),
                                        ("zip", "page.html"), ("zip", "crawl.warc")])
def test_an_archive_named_as_a_format_is_one_failure_saying_so(tmp_path, kind, name):
    # a zip named .jsonl was a "malformed JSON" failure per newline in its compressed bytes (2 records,
    # 12 failures); `tar czf crawl.jsonl.gz crawl.jsonl` glued the tar header to the first record
    # (failed as malformed JSON) and read the others as if nothing were wrong
    records = b"".join(json.dumps({"id": f"a{i}", "text": "The harbour wall will be rebuilt."}).encode() + b"\n" for i in range(2))
    (tmp_path / name).write_bytes(_archive(kind, records))
    out = list(ReadFileFn(CFG).process(ReadTask(str(tmp_path / name))))
    assert [(o.value.error_type, o.value.message) for o in out] == [
        ("BadRecord", f"'{name}' is a {kind.split('.')[0]} archive: unpack it and read the files it holds")]


def test_an_archive_is_named_as_one_and_in_a_folder_fails_instead_of_being_left_out(tree):
    # named, it said "cannot tell the format ...; pass --format", which read it as garbage; in a folder,
    # it was left out without a word, the records it held with it
    for name in ("crawl.zip", "sub/crawl.tar.gz", "sub/pages.TGZ"):
        (tree / name).write_bytes(b"PK\x03\x04")
    assert _names(match_input(str(tree)), tree) == ["a.txt", "crawl.zip", "notes[draft].txt", "sub/b.jsonl.gz", "sub/crawl.tar.gz",
                                                    "sub/deeper/c.warc", "sub/pages.TGZ"]
    with pytest.raises(BadRecord, match=r"^'crawl.tar.gz' is an archive: unpack it and read the files it holds$"):
        format_of("data/crawl.tar.gz")


@pytest.mark.parametrize("kind", sorted(_PACK))
def test_a_file_of_no_bytes_is_empty_whatever_its_compression(kind):
    # a zero-byte .jsonl.bz2 or .jsonl.xz failed as truncated, while a zero-byte .jsonl.gz or .zst read as empty
    assert CappedReader(io.BytesIO(b""), kind).read(100) == b""


def test_a_linked_folder_is_read_once_and_a_link_up_the_tree_is_not_followed(tree, tmp_path_factory):
    # `data/2024 -> /mnt/disk2/2024`: os.walk did not follow the link, and that folder's files were
    # left out without a word (a glob over the same folder read them)
    elsewhere = tmp_path_factory.mktemp("disk2")
    (elsewhere / "e.txt").write_bytes(b"x")
    (tree / "sub" / "2024").symlink_to(elsewhere)
    (tree / "sub" / "again").symlink_to(elsewhere)  # the same folder twice: read once
    (tree / "sub" / "up").symlink_to(tree)  # a loop
    (tree / "sub" / "inside").symlink_to(tree / "sub" / "deeper")  # read where it is
    assert _names(match_input(str(tree)), tree) == ["a.txt", "notes[draft].txt", "sub/2024/e.txt", "sub/b.jsonl.gz", "sub/deeper/c.warc"]


def test_a_record_the_reader_refuses_fails_without_a_traceback_and_an_error_keeps_one(tmp_path, monkeypatch):
    # formatting a traceback for each refused record (the text field named otherwise) cost several
    # times the rest of the record's way through the run: 300,000 such lines took 120 s and 1.7 GB
    import pipeline.read

    path = tmp_path / "refused.jsonl"
    path.write_text('{"id": "r0", "content": "Body."}\n{"id": "r1", "text": "Body."}\n', encoding="utf-8")
    (refused,) = [o.value for o in ReadFileFn(CFG).process(ReadTask(str(path))) if isinstance(o, pvalue.TaggedOutput)]
    assert (refused.id, refused.error_type, refused.traceback) == ("refused.jsonl:0", "BadRecord", "")

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(pipeline.read, "jsonl_document", broken)
    errors = [o.value for o in ReadFileFn(CFG).process(ReadTask(str(path)))]
    assert [e.error_type for e in errors] == ["KeyError", "KeyError"]
    assert all(e.traceback.startswith("Traceback (most recent call last)") for e in errors)


def _cesu8(text: str) -> bytes:
    """`text` as CESU-8: a character past U+FFFF as its two UTF-16 halves, each encoded as UTF-8."""
    halves = "".join(chr(0xD800 + ((ord(c) - 0x10000) >> 10)) + chr(0xDC00 + ((ord(c) - 0x10000) & 0x3FF)) if ord(c) > 0xFFFF else c
                     for c in text)
    return halves.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("text", ["The choir won first prize \U0001F3C6 and sang \U0001F3B6.", "Zürich: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 – ok \U0001F600"])
def test_cesu8_is_read_with_each_surrogate_pair_joined(text):
    # Oracle's UTF8 and Java's modified UTF-8 write an emoji as two encoded surrogate halves: the text
    # went to detection and the emoji reached clean as "н\xa0јнї†", flagged decoded_as_cp1251
    assert decode_bytes(_cesu8(text)) == (text, ("decoded_as_cesu_8",))
    assert decode_html(b"<p>" + _cesu8(text) + b"</p>", "iso-8859-1") == (f"<p>{text}</p>", ("decoded_as_cesu_8",))
    # a half without its pair is not CESU-8: read as before, with a replacement
    assert "decoded_as_cesu_8" not in decode_bytes(_cesu8(text) + "\ud83c".encode("utf-8", "surrogatepass") + b" the end.")[1]


@pytest.mark.parametrize("text, codec", [
    ("Le café « Chez Hélène » a fermé après quarante ans.", "cp1252"),
    ("Привет, как дела? Мост закрыт до понедельника.", "cp1252"),
    ("He said “hi” – and left for Zürich €5.", "cp1252"),
    ("He said “hi” and left.", "latin-1"),  # its C1 characters were removed as controls: "He said âhiâ"
])
def test_text_read_as_windows_1252_and_saved_as_utf8_again_is_undone(text, codec):
    # read as browsers and most tools read Windows-1252: its five undefined bytes as the C1 characters
    garbled = "".join(bytes([b]).decode(codec, errors="ignore") or chr(b) for b in text.encode("utf-8"))
    doc = jsonl_document("f.jsonl", 0, json.dumps({"id": "m", "text": garbled}).encode(), CFG)
    assert (doc.text, doc.flags) == (text, ("double_encoding_undone",))
    page = html_document("p.html", f"<p>{garbled}</p>".encode(), CFG)
    assert (page.html, page.flags) == (f"<p>{text}</p>", ("double_encoding_undone",))


@pytest.mark.parametrize("text", ["Le café a fermé. Ã© stays: one real é.", "Ã alone, and ©", "São Paulo, Âge, ÃO", "plain ASCII"])
def test_text_that_is_not_wholly_double_encoded_is_left_as_it_is(text):
    assert undo_double_encoding(text) == (text, False)


def test_files_under_the_runs_own_paths_are_left_out_and_only_those():
    # hostile round 16: the run's lock and staging folder, made before its inputs are matched
    from apache_beam.io.filesystem import FileMetadata

    def paths(files):
        return [m.path for m in files]

    local = [FileMetadata(p, 1) for p in ("d/a.txt", "d/out.lock", "d/./out/clean/x.parquet", "d/out.staging-0123456789ab/p",
                                          "d/out.lockfile", "d/outside.txt")]
    left = without_files_under(local, ("d/out", "d/out.lock", "d/out.staging-0123456789ab"))
    assert paths(left) == ["d/a.txt", "d/out.lockfile", "d/outside.txt"]
    remote = [FileMetadata(p, 1) for p in ("gs://b/run.lock", "gs://b/run/report.json", "gs://b/runs/a.jsonl")]
    assert paths(without_files_under(remote, ("gs://b/run/", "gs://b/run.lock"))) == ["gs://b/runs/a.jsonl"]
    assert without_files_under(local, ()) == local


def test_a_file_under_two_hard_links_is_read_once(tmp_path):
    # hostile round 26: a snapshot made with hard links (`cp -al day snap`, rsnapshot) named beside
    # the folder it copies was read twice: each record counted twice, one copy rejected as a
    # duplicate of itself. A hard link is the same file, as a symbolic link is (round 18)
    from pipeline.read import _match_encoded

    day, snap = tmp_path / "day", tmp_path / "snap"
    day.mkdir()
    snap.mkdir()
    (day / "a.jsonl").write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    (day / "b.jsonl").write_text('{"id": "b", "text": "y"}\n', encoding="utf-8")
    for name in ("a.jsonl", "b.jsonl"):
        os.link(day / name, snap / name)
    (snap / "c.jsonl").write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")  # the same bytes in another file: read
    found = _match_encoded((str(day).encode(), str(snap).encode()), "auto")
    assert [m.path[len(str(tmp_path)) + 1 :] for m in found] == ["day/a.jsonl", "day/b.jsonl", "snap/c.jsonl"]
