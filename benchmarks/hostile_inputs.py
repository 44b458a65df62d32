"""Hostile inputs through the CLI: is anything lost, does anything crash, hang or blow memory?

    python -m benchmarks.hostile_inputs [--timeout 300] [--only NAME ...] [--keep DIR]
    python -m benchmarks.hostile_inputs --reader-cpu   # the gzip and line readers alone, in-process

Each case writes its files (generated here: no data set needed), runs `python -m pipeline.run` on
them in a child process with the default config (unless the case says otherwise) and reads the
outputs back. For each case: the records that must come out (known by construction, by id), the
rows in clean + rejected + failed, the records lost (an id expected and found in no output),
whether the run crashed (exit code not 0), hung (killed at --timeout) or blew memory (peak RSS of
the child over 500 MB, measured by os.wait4), and the wall time. A "rest of the file" failure (a
truncated or capped gzip) stands for the records after it, which are not known by id.

Cases: the end-to-end hostile corpus of tests/hostile.py (encodings, controls, broken JSON, WARC
length mismatches, small bombs under a small cap, ...); 2 MB gzip bombs (.jsonl.gz of newlines,
.warc.gz with one 2 GiB record) at the default caps and with the ratio cap lifted; ten-response
WARC files whose Content-Lengths are off both ways; a 50 MB JSONL line; 2,000 small files in
nested folders given as one directory; a WARC whose records are cut short before the next, with
text before the first; 150,000 JSONL records that are each refused; documents that are hostile after
reading (hostile round 8): a million one-character lines, thousands of lines that made two rule-pack
patterns backtrack, 10 kB ids and 100 kB URLs, one id for many texts, NUL and newline ids, emoji,
whitespace, cruft or personal data only; hostile round 9: a million lone-CR lines, paragraphs
parted by U+2028 / U+2029, IPs in full-width and Arabic-Indic digits, 10,000 sentences with "+"
and 40 digits (the international phone pattern's backtracking), a bidi override in an id,
credentials in a URL, one file named by three inputs; hostile round 10: e-mail addresses in
Unicode, in a long URL, and with invisible characters inside, numbers parted by no-break spaces and
Unicode dashes, URLs that a block list missed (percent-escapes, dot segments, IDNA 2008 names);
hostile round 11: a WARC record written as segments and one whose last segment is missing, a
target URI in Latin-1, a frameset page whose text is in its noframes, Parquet row groups that
inflate 10,000-fold or share one 5 MB dictionary value among 200 rows, Common Crawl WET files;
hostile round 12: a WARC record the crawler cut (`WARC-Truncated`), a Parquet footer that
understates a row group's sizes, a bomb in a column of Arrow's dictionary type; hostile round 13:
inputs of ordinary size on which a stage was quadratic (a page repeating its headline, a page of
small tables, a long dotted token after a bracket) and HTML and text shapes that stay linear;
hostile round 14: tiny paragraphs under 2,000 nested divs, a URL host of one 20,000-character label;
hostile round 15: runs of 100,000 combining marks out of canonical order (Unicode normalisation's
insertion sort) in a line, a title, a URL host and a page, WARC responses after interim 1xx ones;
hostile round 18: `read.split_bytes=1` on a 2.2 MB JSONL file (a task per byte), a folder named
twice (once through a link to it) and a link beside the file it names (read once each);
hostile round 19: a `--dedup-against` index holding two documents of one id, near copies of each
(both rejected), ids colliding across files, Chinese text under the default language lists;
hostile round 20: a user's rule pack whose patterns set their own flags at their start ((?i), a
verbose (?x) one with a comment), ids and file names like HTML, with controls, a newline, bad bytes;
hostile round 21: an earlier run's index of other Arrow types (large_string ids), Parquet rows sharing
one 5 MB dictionary value in a string_view column and in a struct's leaf, UUID ids, a BOM in
large_binary text; hostile round 22: dotted field names into nested JSON and a Parquet struct
(beside a 5 MB page shared by 200 rows), binary digest ids, `--dedup-against` naming a run's
index folder; hostile round 23: a 9.9 MB page of 2.5 million tags (the extraction child's memory),
a `**/` glob over a file at its top (left out before), a dotted url name found in one layout of two;
hostile round 24: a `<div>` of a million distinct attributes and one of 50,000 (libxml2 is quadratic
in a tag's attributes; extraction inline), a WARC body of 4 GiB in about 3 kB of brotli, dotted
names that run into a JSON list, a Parquet list of structs and a Parquet map; hostile round 25:
400 MB of preallocated zeros inside a JSONL file read in ranges (each range scanned to their end),
a WARC body of 300,000 empty gzip members, a million BOMs before a .json array; hostile round 26: a
WARC record in 40,000 segments, 64 MB of CR LF between two WARC records, a zstd body in two frames,
pages saved as .txt under a comment and in UTF-16, a folder named beside its hard-link snapshot;
hostile round 27: `--dedup-against` 300 earlier runs (checked against their clean counts), an
allow list of two lists saved with byte-order marks and joined; hostile round 28: Chinese and
Japanese text files in UTF-16 without a byte-order mark, URLs without their scheme under a block list,
an earlier run checked against its report, `no` in a language list, a Parquet map where text belongs;
hostile round 31: UTF-16 headlines without a byte-order mark, URLs whose host a browser reads and
urlsplit did not (`http:example.com`, `http://2130706433/`, a soft hyphen in a name) under a block list.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from tests.hostile import (
    ARTICLES,
    HOSTILE_SETTINGS,
    article_page,
    mixed,
    newline_bomb,
    warc_with_lengths,
    write_hostile_corpus,
)
from tests.pages import http_response, warc_record

REPO = Path(__file__).resolve().parents[1]
MEMORY_LIMIT_MB = 500
BOMB_LIMIT_S = 30


@dataclass
class Case:
    name: str
    inputs: list[str]  # paths relative to the case folder
    expected: set[str]  # ids that must come out somewhere
    args: tuple[str, ...] = ()
    bomb: bool = False  # held to the bomb floor: under 30 s and 500 MB
    note: str = ""
    output: str = "out"  # the run's --output, relative to the case folder
    only_expected: bool = False  # a row whose id is not in `expected` is an error (a record the run made up)


@dataclass
class Result:
    case: Case
    rows: int = 0
    records_in: int = 0  # the report's count of records read (files may hold more records than ids checked)
    lost: list[str] = field(default_factory=list)
    exit_code: int | None = None
    hung: bool = False
    peak_mb: float = 0.0
    seconds: float = 0.0
    balanced: bool | None = None
    report_kb: float = 0.0  # report.json, which the samples must keep small whatever the records hold
    error: str = ""


def _gz_newline_bomb(folder: Path) -> Case:
    path = folder / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps({"id": "before", "text": mixed(0)}).encode() + b"\n") + newline_bomb(2 << 30))
    return Case("bomb .jsonl.gz (2 GiB of newlines)", [path.name], {"before", "bomb.jsonl.gz:1"}, bomb=True)


def _gz_newline_bomb_uncapped(folder: Path) -> Case:
    case = _gz_newline_bomb(folder)
    return Case("  same, ratio cap lifted (read in full)", case.inputs, {"before"},
                ("--set", "read.max_inflation_ratio=1000000"), note="caps lifted: shows linear reading, not held to the floor")


def _warc_bomb(folder: Path) -> Case:
    good, (good_id,) = warc_with_lengths([("https://before.example/a", article_page("Before", mixed(1)))], {}, True)
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % ((2 << 30) + 45)
            + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
    (folder / "bomb.warc.gz").write_bytes(good + newline_bomb(2 << 30, head, b" "))
    return Case("bomb .warc.gz (a 2 GiB record)", ["bomb.warc.gz"], {good_id, "bomb.warc.gz:1"}, bomb=True)


def _warc_bomb_uncapped(folder: Path) -> Case:
    case = _warc_bomb(folder)
    good_id = next(i for i in case.expected if not i.startswith("bomb"))
    return Case("  same, ratio cap lifted (read in full)", case.inputs, {good_id, "bomb.warc.gz:1"},
                ("--set", "read.max_inflation_ratio=1000000"),
                note="caps lifted: stops at read.max_record_bytes (1 GiB); not held to the floor")


def _warc_lengths(folder: Path) -> Case:
    expected: set[str] = set()
    for gzipped in (False, True):
        for name, off_by in (("larger", {3: 700, 9: 100}), ("smaller", {3: -300, 9: -60}), ("both", {0: 2000, 5: -900})):
            pages = [(f"https://site{j}-{name}.example/a", article_page(f"Story {j}", mixed(10 + j))) for j in range(10)]
            data, ids = warc_with_lengths(pages, off_by, gzipped)
            (folder / f"{name}.warc{'.gz' if gzipped else ''}").write_bytes(data)
            expected |= set(ids)
    return Case("WARC Content-Length off (6 files x 10)", ["*.warc", "*.warc.gz"], expected)


def _corpus(folder: Path) -> Case:
    expected = write_hostile_corpus(folder)
    return Case("tests/hostile.py corpus", ["*.txt", "*.html", "*.jsonl", "*.json", "*.jl", "*.csv", "*.jsonl.gz", "*.JSONL.GZ", "*.jsonl.bz2", "*.jsonl.xz", "*.jsonl.zst", "*.parquet", "*.warc", "*.warc.gz"],
                set(expected), HOSTILE_SETTINGS)


def _huge_line(folder: Path) -> Case:
    with open(folder / "huge_line.jsonl", "wb") as f:
        f.write(json.dumps({"id": "first", "text": mixed(2)}).encode() + b"\n")
        f.write(b'{"id": "huge", "text": "' + b"word " * (10 << 20) + b'"}\n')
        f.write(json.dumps({"id": "after", "text": mixed(3)}).encode() + b"\n")
    return Case("a 50 MB JSONL line between two records", ["huge_line.jsonl"], {"first", "huge_line.jsonl:1", "after"})


def _many_files(folder: Path) -> Case:
    texts = list(ARTICLES.values())
    expected = set()
    for i in range(2000):
        sub = folder / "many" / f"part-{i % 20:02d}" / ("deeper" if i % 3 else "")
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"doc [{i}].txt").write_text(f"Report {i}. " + texts[i % len(texts)], encoding="utf-8")
        expected.add(f"doc [{i}].txt")
    return Case("2,000 files in nested folders, as one dir", ["many"], expected, note="names with [ ]")


def _cut_warc(folder: Path) -> Case:
    # hostile round 7: a record cut short and followed by the next (a writer restarted on the same
    # file) swallowed that next record; text before the first record failed the whole file
    pages = [(f"https://cut{j}.example/a", article_page(f"Cut {j}", mixed(10 + j))) for j in range(10)]
    data, ids = warc_with_lengths(pages, {}, False)
    starts = [i for i in range(len(data)) if data.startswith(b"WARC/1.0\r\n", i)] + [len(data)]
    records = [data[a:b] for a, b in itertools.pairwise(starts)]
    for j in (3, 7):
        records[j] = records[j][:-300]
    (folder / "cut.warc").write_bytes(b"Saved by a proxy on 2026-12-06\r\n\r\n" + b"".join(records))
    return Case("WARC: 2 of 10 records cut short, text before the first", ["cut.warc"], set(ids) | {"cut.warc:0"})


def _refused(folder: Path) -> Case:
    # hostile round 7: every record refused (the text field named otherwise): a traceback formatted
    # for each took 4 times as long and 3 times the memory
    with open(folder / "refused.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": f"r{i}", "content": "The council met."}) + "\n" for i in range(150_000))
        f.write(json.dumps({"id": "after", "text": mixed(4)}) + "\n")
    return Case("150,000 refused JSONL records, then one good", ["refused.jsonl"], {"refused.jsonl:0", "refused.jsonl:149999", "after"})


_LETTERS = str.maketrans("01234567", "abcdefgh")


def _after_read(folder: Path) -> Case:
    # hostile round 8: documents that read well and then cost the later stages; every one must come
    # out, none may take seconds, and the report must stay small
    records = [
        {"id": "million-lines", "text": "a\n" * 1_000_000},  # rejected: more lines than clean.max_lines
        {"id": "badges", "text": mixed(5) + "\n" + "".join(f"{i}" + "1" * 290 + " badges\n" for i in range(3_000))},
        # no digit, so dateline's pattern fails after trying its splits of the spaces (each line distinct)
        {"id": "stamps", "text": mixed(6) + "\n" + "".join(f"Actualizado {' ' * 52} jour {i:o}\n".translate(_LETTERS) for i in range(3_000))},
        {"id": "nul\u0000id", "text": mixed(7)}, {"id": "new\nline", "text": mixed(8)}, {"id": "a/b/../../c", "text": mixed(9)},
        {"id": "emoji", "text": "\U0001f600 " * 500}, {"id": "blank", "text": " \t\u3000\u00a0\n" * 500},
        {"id": "cruft", "text": "Leave a comment\nShare this:\nAdBlock Detected\nRelated Posts\n" * 20},
        {"id": "pii-only", "text": " ".join(f"user{i}@example.org" for i in range(300))},
        {"id": "cred-url", "url": "https://user:secret@example.com/a", "text": mixed(10)},
        {"id": "js-url", "url": "javascript:alert(1)", "text": mixed(11)},
        *({"id": "same", "text": f"Item {i}. {mixed(12 + i % 20)}"} for i in range(200)),
        *({"id": f"long-{i}-" + "i" * 10_000, "url": "https://e.example/" + "u" * 100_000, "text": f"Too short {i}."} for i in range(100)),
    ]
    with open(folder / "after_read.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    return Case("documents hostile after reading (lines, regex time, long ids)", ["after_read.jsonl"], {r["id"] for r in records},
                note="report.json must stay small")


def _round9(folder: Path) -> Case:
    # hostile round 9: line ends cleaning did not count or cut, an IP in full-width digits that made
    # the personal-data stage raise, 10,000 sentences with "+" and 40 digits (the phone pattern's
    # backtracking), a bidi override in an id, credentials in a URL, and the same file named by
    # three inputs (a folder, the file, a glob): read three times before
    (folder / "r9").mkdir()
    paragraphs = [f"{mixed(k % 40)} ({k})" for k in range(240)]
    records = [
        {"id": "cr-lines", "text": "line\r" * 1_000_000},  # rejected: more lines than clean.max_lines
        {"id": "u2028-paragraphs", "text": "Home » world » politics\u2028" + "\u2028".join(paragraphs) + "\u2028Leave a Comment"},
        {"id": "u2029-paragraphs", "text": "\u2029".join(reversed(paragraphs))},
        {"id": "full-width-ip", "text": mixed(13) + " The server at ８.８.８.８ and ٨.٨.٤.٤ answered."},
        # digit runs after a "+": the phone pattern cut each into groups every possible way (70 s a MB)
        {"id": "plus-digits", "text": mixed(15) + "\n" + "\n".join(
            " ".join(f"Order {p * 20 + i} went to +{'1' * 40} and was shipped today." for i in range(20)) for p in range(500))},
        {"id": "rlo\u202eevil", "url": "https://user:secret@rlo.example/\u202ea", "text": mixed(14)},
    ]
    with open(folder / "r9" / "r9.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    return Case("line ends, full-width IPs, '+' and 40 digits, bidi ids, one file named three times", ["r9", "r9/r9.jsonl", "r9/*.jsonl"],
                {r["id"] for r in records}, note="6 records in, not 18")


def _round10(folder: Path) -> Case:
    # hostile round 10: personal data the redaction kept (addresses in Unicode or across a cut of
    # its 254-character tokens, numbers parted by no-break spaces or Unicode dashes, invisible
    # characters inside an address or a number), and URLs a block list missed (percent-escapes in
    # a host or a path, dot segments, a name written as IDNA 2008 encodes it)
    (folder / "r10").mkdir()
    (folder / "r10" / "block_domains.txt").write_text("straße.de\nevil.example\n", encoding="utf-8")
    (folder / "r10" / "block_prefixes.txt").write_text("news.example/sponsored/\n", encoding="utf-8")
    records = [
        {"id": "unicode-addresses", "text": mixed(16) + " Write to josé.garcía@empresa.es, 用户@例子.中国 or a@b.xn--p1ai."},
        {"id": "address-in-long-url", "text": mixed(17) + " https://news.example.com/unsubscribe?token=" + "a" * 200 + "&email=john.smith@example.com"},
        {"id": "nbsp-phones", "text": mixed(18) + " Appelez le 01\u00a023\u00a045\u00a067\u00a089 ou 202\u2013555\u20130143."},
        {"id": "invisible-in-data", "text": mixed(19) + " Mail jo\u00adhn@exam\u00adple.com or call 8\u20607\u20607\u2060-255-5923."},
        {"id": "percent-host", "url": "https://ev%69l.example/a", "text": mixed(20)},
        {"id": "percent-path", "url": "https://news.example/x/%2e%2e/%73ponsored/a", "text": mixed(21)},
        {"id": "idna2008-host", "url": "https://xn--strae-oqa.de/a", "text": mixed(22)},
    ]
    with open(folder / "r10" / "r10.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    return Case("Unicode addresses, no-break spaces, invisible characters, URL spellings", ["r10/r10.jsonl"], {r["id"] for r in records},
                ("--set", f"url_filter.block_domains={folder / 'r10' / 'block_domains.txt'}",
                 "--set", f"url_filter.block_url_prefixes={folder / 'r10' / 'block_prefixes.txt'}"),
                note="3 of 7 url_blocked, 4 redacted")


def _http_page(title: str, text: str) -> bytes:
    return http_response(article_page(title, text).encode())


def _bomb_row() -> str:
    """5 MB of text that zstd shrinks 10,000-fold: a row of a Parquet bomb (made when a case is
    built, not held by the module: the runs the benchmark forks inherit its memory)."""
    return ("The council met again on Tuesday. " * 150_000)[:5_000_000]


def _round11(folder: Path) -> Case:
    # hostile round 11: a WARC record written as segments (read as its first segment: half a page in
    # clean), one whose last segment is missing, a target URI in Latin-1; a frameset page whose text
    # is in its noframes (clean as "<p>...</p>"); Parquet row groups that inflate 10,000-fold (one
    # 1 GB page) or share one 5 MB dictionary value among 200 rows (3.1 and 3.4 GB of memory); and
    # Common Crawl WET files, read as nothing with --format warc
    import pyarrow as pa

    r11 = folder / "r11"
    r11.mkdir()
    whole = _http_page("Segmented", mixed(23))
    cut = _http_page("Cut", mixed(25))
    seg = [("WARC-Type", "response"), ("WARC-Target-URI", "https://seg.example/a"), ("WARC-Record-ID", "<urn:uuid:r11-seg>"),
           ("WARC-Segment-Number", "1")]
    cont = [("WARC-Type", "continuation"), ("WARC-Target-URI", "https://seg.example/a"), ("WARC-Record-ID", "<urn:uuid:r11-seg-2>"),
            ("WARC-Segment-Origin-ID", "<urn:uuid:r11-seg>"), ("WARC-Segment-Number", "2"), ("WARC-Segment-Total-Length", str(len(whole)))]
    lost_cont = [("WARC-Type", "response"), ("WARC-Target-URI", "https://seg.example/b"), ("WARC-Record-ID", "<urn:uuid:r11-seg-cut>"),
                 ("WARC-Segment-Number", "1")]
    latin1 = warc_record([("WARC-Type", "response"), ("WARC-Target-URI", "https://news.example/caf\u00e9"),
                           ("WARC-Record-ID", "<urn:uuid:r11-latin1>")], _http_page("Latin-1", mixed(26)))
    half = len(whole) // 2
    (r11 / "segments.warc").write_bytes(warc_record(seg, whole[:half]) + warc_record(cont, whole[half:])
                                        + latin1.replace("caf\u00e9".encode(), b"caf\xe9") + warc_record(lost_cont, cut[:500]))
    (r11 / "frames.html").write_text("<html><head><title>Old site</title></head><frameset><frame src='menu.html'></frameset><noframes>"
                                     + "".join(f"<p>{s}.</p>" for s in mixed(27).rstrip(".").split(". ")) + "</noframes></html>", encoding="utf-8")
    # built small here: the benchmark's own memory is inherited by the run it forks, whose peak is measured
    huge = _bomb_row()
    with pq.ParquetWriter(r11 / "pages.parquet", pa.schema([("text", pa.string())]), use_dictionary=False, compression="zstd") as writer:
        writer.write_table(pa.table({"text": [mixed(32), mixed(33)]}))  # a good row group, read
        writer.write_table(pa.table({"text": [huge] * 14}))  # 70 MB in one page: one failure for its rows
    with pq.ParquetWriter(r11 / "shared.parquet", pa.schema([("text", pa.dictionary(pa.int32(), pa.string()))]), compression="zstd") as writer:
        writer.write_table(pa.table({"text": pa.array([mixed(34), mixed(35)]).dictionary_encode()}))
        # 200 rows pointing at one 5 MB value: 1 GB read, from a few KB
        writer.write_table(pa.table({"text": pa.DictionaryArray.from_arrays(pa.array([0] * 200, pa.int32()), pa.array([huge]))}))
    wet = b"".join(gzip.compress(warc_record([("WARC-Type", "conversion"), ("WARC-Target-URI", f"https://wet.example/{i}"),
                                               ("WARC-Record-ID", f"<urn:uuid:r11-wet-{i}>"), ("Content-Type", "text/plain")],
                                              f"Story {i}\n{mixed(36 + i)}\n".encode())) for i in range(2))
    (r11 / "CC-MAIN-r11.warc.wet.gz").write_bytes(wet)
    expected = {"urn:uuid:r11-seg", "urn:uuid:r11-seg-cut", "urn:uuid:r11-latin1", "frames.html", "pages.parquet:0", "pages.parquet:1",
                "pages.parquet:2", "shared.parquet:0", "shared.parquet:1", "shared.parquet:2", "urn:uuid:r11-wet-0", "urn:uuid:r11-wet-1"}
    return Case("segmented WARC, noframes, Parquet bombs, WET files", ["r11"], expected,
                note="the whole segmented page; 1 segment missing failed; 2 Parquet groups failed unread; 2 WET texts")


def _round12(folder: Path) -> Case:
    # hostile round 12: a WARC record the crawler cut (`WARC-Truncated`: read as the whole page, no
    # flag); a Parquet file whose footer understates a row group of 16 rows of 5 MB (80 MB from 20 KB:
    # passed the footer's caps and was read whole) and one whose text column has Arrow's dictionary
    # type (a pandas categorical), 200 rows sharing one 5 MB value (read past the caps: 1.2 GB)
    import io

    import pyarrow as pa

    from tests.parquet_forge import with_understated_size

    r12 = folder / "r12"
    r12.mkdir()
    page = _http_page("Cut by the crawler", mixed(40))
    (r12 / "truncated.warc").write_bytes(
        warc_record([("WARC-Type", "response"), ("WARC-Target-URI", "https://cut.example/a"), ("WARC-Record-ID", "<urn:uuid:r12-cut>"),
                      ("WARC-Truncated", "length")], page[: len(page) * 2 // 3])
        + warc_record([("WARC-Type", "response"), ("WARC-Target-URI", "https://cut.example/b"), ("WARC-Record-ID", "<urn:uuid:r12-whole>")],
                       _http_page("Whole", mixed(41))))
    huge = _bomb_row()
    sink = io.BytesIO()
    with pq.ParquetWriter(sink, pa.schema([("text", pa.string())]), use_dictionary=False, compression="zstd") as writer:
        writer.write_table(pa.table({"text": [mixed(42), mixed(43)]}))
        writer.write_table(pa.table({"text": [huge] * 16}))  # one failure, whatever the footer says
        writer.write_table(pa.table({"text": [mixed(44)]}))
    data = sink.getvalue()
    real = pq.ParquetFile(io.BytesIO(data)).metadata.row_group(1).column(0).total_uncompressed_size
    (r12 / "lies.parquet").write_bytes(with_understated_size(data, real, 30_000))
    kind = pa.dictionary(pa.int32(), pa.string())
    with pq.ParquetWriter(r12 / "categorical.parquet", pa.schema([("text", kind)]), compression="zstd") as writer:
        writer.write_table(pa.table({"text": pa.array([mixed(45), mixed(46)]).dictionary_encode()}))
        writer.write_table(pa.table({"text": pa.DictionaryArray.from_arrays(pa.array([0] * 200, pa.int32()), pa.array([huge]))}))
    expected = {"urn:uuid:r12-cut", "urn:uuid:r12-whole", "lies.parquet:0", "lies.parquet:1", "lies.parquet:2", "lies.parquet:18",
                "categorical.parquet:0", "categorical.parquet:1", "categorical.parquet:2"}
    return Case("WARC-Truncated, Parquet footer that understates, categorical bomb", ["r12"], expected,
                note="the cut page flagged warc_truncated; 2 Parquet groups failed unread")



def _round13(folder: Path) -> Case:
    # hostile round 13: inputs of ordinary size on which a stage's time grew with the square of the
    # input: a page repeating its headline between paragraphs (the anchored body-span search and the
    # guard's list of refused removals), a page of small tables (jusText's neighbour search in the
    # extraction fallback: extraction_timeout), a line holding "(" and a long dotted token (the
    # quality stage's code-call pattern); and what was tried and stayed linear: HTML nested 100,000
    # deep or 2,000 deep over tiny paragraphs (slow in trafilatura, bounded by extract.timeout_s),
    # 100,000 sibling <p>s, a 1 MB attribute and comment, unclosed tags, many <br>; text of a@b
    # fragments, almost-phones, combining marks 1,000 deep, RTL marks, a script change every letter
    r13 = folder / "r13"
    r13.mkdir()
    menu = ["Home", "News", "Sports", "Weather", "Contact", "About us"]
    paragraphs = [f"{mixed(k % 40).split('. ')[0]} ({k})." for k in range(15_000)]
    copies = [f"Son of former German president speaks in city {k}" for k in range(1, 15_000)]
    records = [
        {"id": "headline-copies", "url": "https://news.example.com/2024/05/son-of-former-german-president-speaks",
         "text": "\n".join(menu + [x for pair in itertools.zip_longest(paragraphs, copies) for x in pair if x])},
        {"id": "dotted-token", "text": "\n".join([mixed(50), "See the trace (a" + ".b" * 48_000, mixed(51)])},
        {"id": "at-fragments", "text": mixed(52) + "\n" + "a@b " * 100_000},
        {"id": "almost-phones", "text": mixed(53) + "\n" + "+1 555 12 " * 50_000},
        {"id": "marks-1000-deep", "text": mixed(54) + "\n" + ("a" + "\u0301" * 1_000 + " ") * 300},
        {"id": "rtl-marks", "text": " \u200f".join(mixed(55).split(" ")) * 20},
        {"id": "script-every-letter", "text": "aЖλ中ع्क가あ" * 10_000},  # 90,000 characters: under clean.max_line_chars
    ]
    with open(r13 / "r13.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    pages = {
        "tables.html": "<html><body>" + "<table><tr><td>a</td><td>b</td></tr></table>" * 9_000 + "</body></html>",
        "nested-100k.html": "<html><body>" + "<div>" * 100_000 + f"<p>{mixed(56)}</p>" + "</div>" * 100_000 + "</body></html>",  # rejected: past lxml's depth
        "nested-2000-tiny.html": "<html><body>" + "<div>" * 2_000 + "<p>hello world</p>" * 450 + "</div>" * 2_000 + "</body></html>",
        "siblings.html": "<html><body>" + "".join(f"<p>Paragraph {i} has a few words.</p>" for i in range(100_000)) + "</body></html>",  # 3.9 MB
        "attribute.html": f'<html><body><div class="{"x" * 1_000_000}"><p>{mixed(57)}</p></div></body></html>',
        "comment.html": f"<html><body><!--{'x' * 1_000_000}--><p>{mixed(58)}</p></body></html>",
        "unclosed.html": "<html><body><ul>" + "<li>item " * 30_000,
        "breaks.html": "<html><body><p>" + "line<br>" * 60_000 + "</p></body></html>",
    }
    for name, html in pages.items():
        (r13 / name).write_text(html, encoding="utf-8")
    return Case("quadratic stages: headline copies, small tables, dotted token; HTML and text that stay linear", ["r13"],
                {r["id"] for r in records} | set(pages), note="100,000 sibling <p>s (3.9 MB) rejected extraction_timeout")


def _round14(folder: Path) -> Case:
    # hostile round 14: 1,000 two-word paragraphs under 2,000 divs opened one inside the other (20 s
    # in trafilatura, jusText and the readability port walking and joining 2,000 ancestors per
    # paragraph: extraction_timeout), the same over a run of 1,000 divs of one class; a URL whose
    # host is one label of 20,000 CJK characters, with a block list (Python's punycode encoder:
    # 50 s in the URL filter; 100 KB about 20 minutes)
    r14 = folder / "r14"
    r14.mkdir()
    pages = {
        "nested-2000-tiny.html": "<html><body>" + "<div>" * 2_000 + "<p>hello world</p>" * 1_000 + "</div>" * 2_000 + "</body></html>",
        "nested-class-1000.html": "<html><body>" + "<div class=wrap>" * 1_000
                                  + "".join(f"<p>{s}.</p>" for s in mixed(60).rstrip(".").split(". ")) + "</body></html>",
    }
    for name, html in pages.items():
        (r14 / name).write_text(html, encoding="utf-8")
    label = "".join(chr(0x4E00 + (i * 7919) % 20_000) for i in range(20_000))
    records = [{"id": "long-host-label", "url": f"https://{label}.example/a", "text": mixed(61)},
               {"id": "blocked", "url": "https://www.spam.example/b", "text": mixed(62)}]
    with open(r14 / "r14.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (folder / "block.txt").write_text("spam.example\n", encoding="utf-8")
    return Case("deep trees of tiny paragraphs; a 20,000-character host label", ["r14"], {r["id"] for r in records} | set(pages),
                args=("--set", f"url_filter.block_domains={folder / 'block.txt'}"),
                note="both deep pages extracted (the tiny one rejected gopher_quality: two-word lines); the long label clean; 1 url_blocked")


def _random_prose(words: int, seed: int) -> str:
    """Paragraphs of sentences of words drawn from the hostile articles: prose the quality filters
    keep (no line or n-gram repeats), to carry a hostile line past them."""
    import random

    vocabulary = sorted({w.strip(".,").lower() for k in range(40) for w in mixed(k).split()})
    rng, sentences = random.Random(seed), []
    while words > 0:
        sentence = [rng.choice(vocabulary) for _ in range(rng.randint(8, 16))]
        words -= len(sentence)
        sentences.append(" ".join(sentence).capitalize() + ".")
    return "\n\n".join(" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6))


def _round15(folder: Path) -> Case:
    # hostile round 15: runs of 99,998 combining marks alternating two classes (zalgo), on which
    # CPython's Unicode normaliser (insertion sort) took 10 s a call: in a line of a record the
    # quality filters keep (text_hash, MinHash), a title (the title key), a URL host (urlsplit's
    # NFKC check, the URL filter's host), a page's paragraph (trafilatura's NFC, then ours); WARC
    # responses stored after their interim 1xx responses (rejected http_error before)
    r15 = folder / "r15"
    r15.mkdir()
    run = "a" + "\u0301\u0316" * 49_999  # 99,999 characters: under clean.max_line_chars
    records = [
        {"id": "marks-line", "text": _random_prose(12_000, 1) + "\n\n" + run + "\n\n" + _random_prose(12_000, 2)},
        {"id": "marks-title", "title": run, "text": _random_prose(2_000, 3)},
        {"id": "marks-host", "url": f"https://news.{run}.example/a", "text": _random_prose(2_000, 4)},
        {"id": "marks-host-blocked", "url": f"https://news.{run}.spam.example/a", "text": _random_prose(2_000, 5)},
    ]
    with open(r15 / "r15.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    paragraphs = _random_prose(3_000, 6).split("\n\n")
    (r15 / "marks-page.html").write_text(article_page("Marks", "\n".join([*paragraphs[:5], run, *paragraphs[5:]])), encoding="utf-8")
    interim = {"early-hints": b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n",
               "continue": b"HTTP/1.1 100 Continue\r\n\r\n"}
    (r15 / "interim.warc").write_bytes(b"".join(
        warc_record([("WARC-Type", "response"), ("WARC-Record-ID", f"<urn:uuid:{name}>"),
                     ("WARC-Target-URI", f"https://news.example.org/{name}")], head + _http_page(f"Story {k}", mixed(63 + k)))
        for k, (name, head) in enumerate(interim.items())))
    (folder / "block.txt").write_text("spam.example\n", encoding="utf-8")
    return Case("zalgo runs in a line, a title, a URL host and a page; WARC interim responses", ["r15"],
                {r["id"] for r in records} | {"marks-page.html", "urn:uuid:early-hints", "urn:uuid:continue"},
                args=("--set", f"url_filter.block_domains={folder / 'block.txt'}"),
                note="1 url_blocked; the two interim-response pages extracted")


def _round16(folder: Path) -> Case:
    # hostile round 16: the output beside the inputs, read by a glob (the run's own lock file,
    # made before the job matches its inputs, was read as an input: one failure "cannot tell the
    # format" in every run); control characters (NUL, an ESC sequence, BEL, DEL, C1) in ids and
    # URLs, which reached report.html raw; a furniture-lines model with weights at the new bound
    # (1e6), read where 1e308 made every line's sum overflow and every document fail
    r16 = folder / "r16"
    r16.mkdir()
    controls = "\x00\x1b[2J\x1b[31m\x07\x7f\x85\x9b"
    records = [
        {"id": "controls" + controls, "url": "https://news.example.com/" + controls, "text": _random_prose(400, 7)},
        {"id": "short" + controls, "text": "Too short."},
        {"id": "plain", "url": "https://news.example.com/plain", "text": _random_prose(400, 8)},
    ]
    with open(r16 / "r16.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (r16 / "notes.txt").write_text(_random_prose(300, 9), encoding="utf-8")
    weights = {"format": "newsclean furniture-lines 1", "source": "hostile round 16", "max_words": 15, "bias": -1e6,
               "weights": {"#n1": 1e6, "#n2": 1e6, "#endw": 1e6, "#cap": 1e6, "#digit": -1e6}}
    (folder / "weights.json").write_text(json.dumps(weights), encoding="utf-8")
    return Case("output beside the inputs read by a glob; control characters in ids and URLs; model weights at the bound",
                ["r16/*"], {r["id"] for r in records} | {"notes.txt"},
                args=("--set", f"clean.furniture_weights={folder / 'weights.json'}"), output="r16/out", only_expected=True,
                note="4 records in and out (the run's r16/out.lock not read); 1 rejected too short")


def _round17(folder: Path) -> Case:
    # hostile round 17: a CSV row past read.max_document_bytes (a 12 MB article quoted over lines,
    # its quotes doubled; a TSV field of 12 MB on one line) stopped the file there, the rows after
    # it one failure; a quote left open to the end of a 12 MB rest; a .csv.gz cut short, whose
    # rows before the cut were one failure; a code block indented as a whole with a blank line
    # before a line at its edge (not idempotent); 2,000 addresses under a placeholder at the new
    # bound (32 characters)
    import gzip

    r17 = folder / "r17"
    r17.mkdir()
    article = ('He said ""no"", twice, and left.\n' + "A line of the article, quoted over lines.\n") * 160_000  # 12 MB
    rows = [f'c0,"{_random_prose(400, 1)}"', f'c1,"{article}"', f'c2,"{_random_prose(400, 2)}"', f'c3,"{_random_prose(400, 3)}"']
    (r17 / "big.csv").write_text("id,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    one_line = "word " * 2_500_000
    tsv = [f"t0\t{_random_prose(400, 4).replace(chr(10), ' ')}", f"t1\t{one_line}", f"t2\t{_random_prose(400, 5).replace(chr(10), ' ')}"]
    (r17 / "oneline.tsv").write_text("id\ttext\n" + "\n".join(tsv) + "\n", encoding="utf-8")
    (r17 / "open.csv").write_text(f'id,text\no0,"{_random_prose(400, 6)}"\no1,"never closed\n' + ("x" * 999 + "\n") * 12_000,
                                  encoding="utf-8")
    cut = gzip.compress(("id,text\n" + "".join(f'g{i},"{_random_prose(400, 7 + i)}"\n' for i in range(3))).encode())
    (r17 / "cut.csv.gz").write_bytes(cut[: len(cut) - 40])
    code = "    def f():\n        x = 1\n\n    def g():\n        y = 2\n        return y"
    emails = "\n\n".join(f"{line} Write to desk{i}@news{i}.example.org." for i, line in
                         enumerate(_random_prose(40_000, 11).split("\n\n")))
    records = [{"id": "code-block", "text": f"{_random_prose(300, 12)}\n\n{code}\n\n{_random_prose(300, 13)}"},
               {"id": "addresses", "text": emails}]
    with open(r17 / "r17.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    return Case("CSV and TSV rows past the record cap, a quote left open, a cut .csv.gz; an indented code block; addresses",
                ["r17/*.csv", "r17/*.tsv", "r17/*.csv.gz", "r17/*.jsonl"], {"c0", "big.csv:1", "c2", "c3", "t0", "oneline.tsv:1", "t2", "o0", "open.csv:1", "g0", "g1",
                          "code-block", "addresses"},
                args=("--set", "pii.email_placeholder=" + "e" * 32),
                note="big.csv:1 and oneline.tsv:1 rejected document_too_large, the rows after them read; open.csv:1 failed")


def _round18(folder: Path) -> Case:
    # hostile round 18: `read.split_bytes=1` cut a 2.2 MB JSONL file into 2.2 million read tasks
    # (2.5 GB, still planning after three minutes); a folder named twice, once through a link to
    # it, and a file beside a link to it (`latest.jsonl -> day1.jsonl`) were read twice, each copy
    # counted and one rejected as a duplicate of itself (records in: 8 for 4 records)
    r18 = folder / "r18"
    (r18 / "split").mkdir(parents=True)
    with open(r18 / "split" / "big.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": f"s{i}", "text": _random_prose(150, 1000 + i)}) + "\n" for i in range(2000))
    (r18 / "data").mkdir()
    with open(r18 / "data" / "day1.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": f"d{i}", "text": _random_prose(300, 5000 + i)}) + "\n" for i in range(4))
    (r18 / "data" / "latest.jsonl").symlink_to("day1.jsonl")
    (r18 / "mirror").symlink_to("data")
    return Case("read.split_bytes=1 on a 2.2 MB JSONL file; a folder named twice, once by a link; a link beside its file",
                ["r18/split/*.jsonl", "r18/data", "r18/mirror"], {f"s{i}" for i in range(2000)} | {f"d{i}" for i in range(4)},
                args=("--set", "read.split_bytes=1"), only_expected=True,
                note="records in 2,004: each file once")


def _earlier_run(run: Path, texts: list[str], schema=None) -> Path:
    """A finished earlier run at `run` whose index holds a document of id "x" for each of `texts`,
    written with the default near-dedup settings, as this pipeline's `index/`, `report.json` and `_SUCCESS`
    (`schema`: other Arrow types for the index's columns, as another tool writes them). Returns
    the index folder."""
    import pyarrow as pa

    from transforms import prior_dedup
    from transforms.near_dedup import BandSigner, NearDedupConfig
    from transforms.records import Document

    index = run / prior_dedup.INDEX_DIR
    index.mkdir(parents=True)
    near = NearDedupConfig()
    rows = [prior_dedup.index_row(Document(id="x", text=text, source="day1.jsonl", source_format="jsonl"), BandSigner(near))
            for text in texts]
    schema = (schema or prior_dedup.INDEX_SCHEMA).with_metadata(prior_dedup.index_settings(near))
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), index / "part-0.parquet")
    (run / prior_dedup.REPORT_FILE).write_text(json.dumps({"counts": {"clean": len(rows)}}))  # a run's report counts its index rows
    (run / prior_dedup.SUCCESS_FILE).touch()
    return index


def _round19(folder: Path) -> Case:
    # hostile round 19: an earlier run whose index holds two documents of one id (two files each
    # held an `x`, both kept): refs were (id, run), so one `x`'s shingles were shipped for both and
    # a near copy of the other passed; ids that collide across today's files; Chinese text under the
    # default no_space_languages (zh dropped: the language stage answers zh-cn / zh-tw); a stop-word
    # list given in full (checked now: a word that can never match is an error)
    from tests.cjk_texts import ZH_FLOOD, ZH_ROBOTS

    r19 = folder / "r19"
    earlier = [_random_prose(400, 1900), _random_prose(400, 1901)]
    _earlier_run(r19 / "prior", earlier)
    records = [{"id": f"n{i}", "text": text.replace(" ", " also ", 1)} for i, text in enumerate(earlier)]
    records += [{"id": "dup", "text": _random_prose(400, 1902)}, {"id": "zh-flood", "text": ZH_FLOOD * 2},
                {"id": "zh-robots", "text": ZH_ROBOTS * 2}]
    with open(r19 / "a.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    with open(r19 / "b.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "dup", "text": _random_prose(400, 1903)}) + "\n")
    return Case("an earlier run's index with two documents of one id; ids colliding across files; Chinese text; stop words",
                ["r19/*.jsonl"], {"n0", "n1", "dup", "zh-flood", "zh-robots"},
                args=("--dedup-against", str(r19 / "prior"), "--set", "quality.stop_words=[the, be, to, of, and, that, have, with, a]"),
                only_expected=True, note="6 records in and out; n0 and n1 both rejected duplicate_near of x (before: one kept)")


def _round20(folder: Path) -> Case:
    # hostile round 20: a user's rule pack whose patterns set their own flags at their start
    # ((?i), a verbose (?x) one ending in a comment, (?s)(?x), (?a)): joined into the rule's
    # alternation as written, re refused it and the run stopped with a traceback before reading;
    # ids and file names that look like HTML or carry control characters, a newline or bytes that
    # are not UTF-8 (the report escapes them)
    r20 = folder / "r20"
    r20.mkdir()
    (r20 / "pack.yaml").write_text(
        "version: r20\nrules:\n  - code: promo\n    scope: line\n    patterns:\n"
        "      - '(?i)^SHARE your thoughts\\b'\n"
        "      - |-\n        (?x) ^ subscribe \\s to \\s our \\s newsletter   # the form's heading\n"
        "      - '(?s)(?x)  ^ read \\s more $  # a verbose one after another flag'\n"
        "      - '(?a)^follow @\\w+$'\n", encoding="utf-8")
    cruft = "\n\nShare your thoughts below\n\nSubscribe to our newsletter\n\nRead more\n\nFollow @newsdesk"
    expected = set()
    for i, name in enumerate([b"plain.jsonl", b"<script>alert(1)<img src=x onerror=alert(2)>.jsonl", b"line\nbreak.jsonl",
                              b"bytes\xff\xfe.jsonl", b"\x1b[31mred\xe2\x80\xae.jsonl"]):
        ids = [f"<script>alert({i})</script>", f"ctl{i}\x07\x1b[2J", f"ok{i}"]
        expected.update(ids)
        lines = [json.dumps({"id": ids[0], "text": _random_prose(300, 2000 + i) + cruft}),
                 json.dumps({"id": ids[1], "text": "too short"}),
                 json.dumps({"id": ids[2], "text": _random_prose(300, 2100 + i)})]
        with open(os.path.join(os.fsencode(r20), name), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    return Case("a rule pack whose patterns set their own flags; ids and file names like HTML, with controls, a newline, bad bytes",
                ["r20/*.jsonl"], expected, args=("--set", f"clean.rule_pack={r20 / 'pack.yaml'}"), only_expected=True,
                note="15 records in and out; the pack's four lines removed from each <script> document (before: a traceback, exit 1)")


def _round21(folder: Path) -> Case:
    # hostile round 21: an earlier run's index rewritten with other Arrow types of the same values
    # (large_string ids, large_list band keys: polars, a cast) was refused; Parquet text of Arrow's
    # view types, and a title written as a struct, whose rows share one 5 MB dictionary value, were
    # decoded before the caps refused them (a struct's 200 rows: 2.2 GB); UUID ids failed every row;
    # a UTF-8 BOM before a large_binary text (checked: removed, as a file's)
    import uuid

    import pyarrow as pa

    r21 = folder / "r21"
    earlier = _random_prose(400, 2101)
    polars = pa.schema([("id", pa.large_string()), ("text_hash", pa.large_string()), ("band_keys", pa.large_list(pa.large_binary())),
                        ("shingles", pa.large_binary())])
    _earlier_run(r21 / "prior", [earlier], polars)
    (r21 / "in").mkdir()
    keys = [uuid.UUID(int=0x2121 << 64 | i) for i in range(3)]
    texts = [earlier.replace(" ", " also ", 1), _random_prose(400, 2102), _random_prose(400, 2103)]
    pq.write_table(pa.table({"id": pa.array([k.bytes for k in keys], pa.uuid()), "text": texts}), r21 / "in" / "keys.parquet")
    bom = _random_prose(400, 2104)
    pq.write_table(pa.table({"id": ["bom-large-binary"], "text": pa.array([b"\xef\xbb\xbf" + bom.encode()], pa.large_binary())}),
                   r21 / "in" / "bom.parquet")
    pq.write_table(pa.table({"id": ["bom-string"], "text": ["\ufeff" + bom]}), r21 / "in" / "bom_string.parquet")  # its exact copy
    huge = _bomb_row()
    shared = pa.DictionaryArray.from_arrays(pa.array([0] * 200, pa.int32()), pa.array([huge])).dictionary_decode()
    with pq.ParquetWriter(r21 / "in" / "view.parquet", pa.schema([("text", pa.string_view())]), compression="zstd") as writer:
        writer.write_table(pa.table({"text": pa.array([_random_prose(300, 2105)], pa.string_view())}))
        writer.write_table(pa.table({"text": shared.cast(pa.string_view())}))  # 200 rows, one 5 MB value: 1 GB from 1 KB
    title = pa.struct([("en", pa.string())])
    with pq.ParquetWriter(r21 / "in" / "nested.parquet", pa.schema([("text", pa.string()), ("title", title)]), compression="zstd") as writer:
        writer.write_table(pa.table({"text": [_random_prose(300, 2106)], "title": pa.array([None], title)}))
        writer.write_table(pa.table({"text": ["Body."] * 200, "title": pa.StructArray.from_arrays([shared], names=["en"])}))
    expected = {*map(str, keys), "bom-large-binary", "bom-string", "view.parquet:0", "view.parquet:1", "nested.parquet:0",
                "nested.parquet:1"}
    return Case("an index of other Arrow types; view and nested Parquet bombs; UUID ids; a BOM in large_binary",
                ["r21/in"], expected, args=("--dedup-against", str(r21 / "prior")), only_expected=True,
                note="9 records in and out; the UUID near copy rejected duplicate_near of x; both bomb groups one failure each, unread")


def _round22(folder: Path) -> Case:
    # hostile round 22: datatrove's and dolma's layout read through dotted names
    # (`metadata.url`, `metadata.date`; a Parquet struct whose other leaf, a 5 MB page shared by
    # 200 rows, is not read), binary ids of digests (two that both decoded to 16 replacement
    # characters: one id for two records), and `--dedup-against RUN/index`, which said "no index
    # found (RUN/index/index/*.parquet)"
    import hashlib

    import pyarrow as pa

    r22 = folder / "r22"
    earlier = _random_prose(400, 2201)
    index = _earlier_run(r22 / "prior", [earlier])
    (r22 / "in").mkdir()
    clash = [b"\x9d\x8d\x8f\x8d\xfe\x81\x9d\xfe\x8f\x9d\xff\xfe\x9d\x8d\x8f\x81", b"\xff\x81\xfe\xff\x8f\x90\x9d\x81\x8f\x90\x8f\x9d\xff\x8d\x9d\x90"]
    digests = [*clash, *(hashlib.md5(str(i).encode()).digest() for i in range(200))]
    texts = [earlier.replace(" ", " also ", 1), _random_prose(400, 2202), *["Body."] * 200]
    n = len(digests)
    page = pa.DictionaryArray.from_arrays(pa.array([0] * n, pa.int32()), pa.array([_bomb_row()]))  # 1 GB as rows, 5 MB stored
    metadata = pa.StructArray.from_arrays([pa.array([f"https://news.example/{i}" for i in range(n)]),
                                           pa.array([1_700_000_000_123_456_789] * n, pa.timestamp("ns")), page],
                                          names=["url", "date", "page"])
    pq.write_table(pa.table({"id": pa.array(digests, pa.binary(16)), "text": texts, "metadata": metadata}),
                   r22 / "in" / "datatrove.parquet", compression="zstd")
    dolma = [{"id": f"dolma-{i}", "text": _random_prose(300, 2203 + i), "metadata": {"url": f"https://dolma.example/{i}",
              "date": "2024-05-01", "title": f"Story {i}"}} for i in range(2)]
    (r22 / "in" / "dolma.jsonl").write_text("".join(json.dumps(r) + "\n" for r in dolma), encoding="utf-8")
    expected = {d.hex() for d in digests} | {r["id"] for r in dolma}
    return Case("dotted names into nested JSON and a Parquet struct; binary digest ids; --dedup-against RUN/index",
                ["r22/in"], expected, only_expected=True,
                args=("--dedup-against", str(index), "--set", "read.url_field=metadata.url",
                      "--set", "read.published_field=metadata.date", "--set", "read.title_field=metadata.title"),
                note="204 records in and out; the near copy rejected duplicate_near of x in RUN; the page beside the URL unread")


def _round23(folder: Path) -> Case:
    # hostile round 23: a 9.9 MB page of `<p>x` (2.5 million tags, under extract.max_html_chars)
    # that took the extraction child to 2.2 GB before its timeout; a glob `in/**/*.jsonl` that left
    # out in/top.jsonl (Beam's `**` needed a folder); a dotted url name found in one layout of two
    # (the flat file's urls read as none, without a word)
    r23 = folder / "r23" / "in"
    (r23 / "old").mkdir(parents=True)
    (r23 / "new").mkdir()
    (r23 / "tags.html").write_text("<html><body>" + "<p>x" * 2_475_000 + "</body></html>", encoding="utf-8")
    layouts = {"top.jsonl": lambda i: {"url": f"https://top.example/{i}"},
               "old/nested.jsonl": lambda i: {"metadata": {"url": f"https://old.example/{i}"}},
               "new/flat.jsonl": lambda i: {"url": f"https://new.example/{i}"}}
    expected = {"tags.html"}
    for k, (name, url) in enumerate(layouts.items()):
        records = [{"id": f"{name}-{i}", "text": _random_prose(300, 2300 + 10 * k + i), **url(i)} for i in range(3)]
        (r23 / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        expected |= {r["id"] for r in records}
    return Case("a page of 2.5 million tags; a '**/' glob over a file at its top; a url name found in one layout of two",
                ["r23/in/**/*.jsonl", "r23/in/*.html"], expected, args=("--set", "read.url_field=metadata.url"), only_expected=True,
                note="10 records in and out; tags.html rejected document_too_large unparsed; top.jsonl read; a warning for 2 files")


def _round24(folder: Path) -> Case:
    # hostile round 24: one <div> of a million distinct attributes (10 MB) and one of 50,000
    # (341 kB): libxml2 checks each attribute against those before it, so extract_page took over
    # 10 minutes and 26 s (run here with extract.isolation=inline, which has no timeout: it never
    # ended); a brotli WARC body of 4 GiB of spaces in about 3 kB, fed to brotli 256 bytes at a time
    # with no cap on a call's output (a call made 320 MB, the reader 750 MB with the default cap;
    # without the brotli module the record fails saying so); dotted names that run into a JSON
    # list, a Parquet list of structs and a Parquet map (the url was left empty without a word)
    import pyarrow as pa

    r24 = folder / "r24"
    r24.mkdir()
    for name, n in (("attrs.html", 1_000_000), ("attrs50k.html", 50_000)):
        attrs = " ".join(f"a{i}=x" for i in range(n))
        (r24 / name).write_text(f"<html><body><div {attrs}><p>{_random_prose(300, 2400)}</p></div></body></html>", encoding="utf-8")
    head = b"<html><body><p>" + _random_prose(300, 2401).encode() + b"</p>"
    try:
        import brotli

        packer = brotli.Compressor(quality=5, lgwin=24)
        body = packer.process(head) + b"".join(packer.process(b" " * (64 << 20)) for _ in range(64)) + packer.finish()
    except ImportError:  # the record fails: "the brotli module is not installed"
        body = b"\x1b\x8a\x06\x00" + head
    block = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    warc_ids = ["urn:uuid:24240000-0000-4000-8000-000000000001", "urn:uuid:24240000-0000-4000-8000-000000000002"]
    pages = [block, http_response(article_page("After the bomb", _random_prose(300, 2402)).encode())]
    (r24 / "br.warc").write_bytes(b"".join(
        warc_record([("WARC-Type", "response"), ("WARC-Record-ID", f"<{rid}>"), ("WARC-Target-URI", f"https://br.example/{i}"),
                     ("Content-Type", "application/http; msgtype=response")], page)
        for i, (rid, page) in enumerate(zip(warc_ids, pages))))
    (r24 / "list.jsonl").write_text("".join(json.dumps(r) + "\n" for r in (
        {"id": "in-a-list", "text": _random_prose(300, 2403), "metadata": [{"url": "https://list.example/"}]},
        {"id": "in-an-object", "text": _random_prose(300, 2404), "metadata": {"url": "https://object.example/"}})), encoding="utf-8")
    point = pa.list_(pa.struct([("url", pa.string())]))
    pq.write_table(pa.table({"id": ["pq-list", "pq-map"], "text": [_random_prose(300, 2405), _random_prose(300, 2406)],
                             "metadata": pa.array([[{"url": "https://pq.example/"}], []], point)}), r24 / "list.parquet")
    pq.write_table(pa.table({"id": ["pq-map-row"], "text": [_random_prose(300, 2407)],
                             "metadata": pa.array([[("url", "https://map.example/")]], pa.map_(pa.string(), pa.string()))}),
                   r24 / "map.parquet")
    expected = {"attrs.html", "attrs50k.html", *warc_ids, "in-an-object", "list.jsonl:0", "list.parquet:0", "list.parquet:1",
                "map.parquet:0"}
    return Case("a tag of a million attributes (inline extraction); a 4 GiB brotli WARC body; dotted names into lists and a map",
                ["r24"], expected, args=("--set", "extract.isolation=inline", "--set", "read.url_field=metadata.url"),
                only_expected=True, note="9 records in and out; both attribute pages rejected document_too_large unparsed; "
                "the brotli body capped (document_too_large; without the brotli module: failed, saying so); "
                "4 rows failed naming the list or map")


def _round25(folder: Path) -> Case:
    # hostile round 25: a JSONL file of records, 400 MB of a writer's preallocated zeros (sparse:
    # nothing on disk) and records after them, read in 4 MB ranges: every range scanned to the end
    # of the zeros looking for its first line, twice (the square of the file's size); a WARC body
    # of 300,000 empty gzip members before the page (zlib fed the rest of the body once a member:
    # 30 s in the reader); a .json file of a million BOMs before its array (a BOM cut off at a time,
    # each copying the rest of the chunk: 15 s)
    r25 = folder / "r25"
    r25.mkdir()
    line = lambda rid, seed: (json.dumps({"id": rid, "text": _random_prose(300, seed)}) + "\n").encode()
    with open(r25 / "zeros.jsonl", "wb") as f:
        f.write(b"".join(line(f"z{i}", 2500 + i) for i in range(3)))
        f.seek(400 << 20, os.SEEK_CUR)  # a hole: zeros when read
        f.write(b"\n" + b"".join(line(f"after{i}", 2510 + i) for i in range(2)))
    empty = gzip.compress(b"", mtime=0)
    body = empty * 300_000 + gzip.compress(article_page("Members", _random_prose(300, 2520)).encode(), mtime=0)
    block = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    rid = "urn:uuid:25250000-0000-4000-8000-000000000001"
    (r25 / "members.warc").write_bytes(warc_record(
        [("WARC-Type", "response"), ("WARC-Record-ID", f"<{rid}>"), ("WARC-Target-URI", "https://members.example/1"),
         ("Content-Type", "application/http; msgtype=response")], block))
    # a folder leaves .json files out: it is named as an input of its own
    (r25 / "boms.json").write_bytes(b"\xef\xbb\xbf" * 1_000_000 + json.dumps([{"id": "after-boms", "text": _random_prose(300, 2530)}]).encode())
    expected = {"z0", "z1", "z2", "zeros.jsonl:3", "after0", "after1", rid, "after-boms"}
    return Case("400 MB of zeros inside a JSONL file read in 4 MB ranges; a WARC body of 300,000 gzip members; a million BOMs before a .json array",
                ["r25", "r25/boms.json"], expected, args=("--set", "read.split_bytes=4194304"), only_expected=True,
                note="8 records in and out; the zeros one record rejected document_too_large, the records after them at their own positions")


def _round26(folder: Path) -> Case:
    # hostile round 26: a WARC response in 40,000 segments (each continuation summed the lengths of
    # the segments before it: 22 s in-process, the square of the segments); 64 MB of CR LF between
    # two records (the window kept and stripped the run again a chunk at a time: the square of the
    # run); a response body compressed as two zstd frames with a skippable frame between (the second
    # frame dropped without a word); a page saved as .txt under a browser's "saved from" comment and
    # one saved in UTF-16 (their markup reached clean as text); a folder and its hard-link snapshot
    # (every file read twice)
    import zstandard

    r26 = folder / "r26"
    (r26 / "day").mkdir(parents=True)
    (r26 / "snap").mkdir()
    seg_id, crlf_ids, zstd_id = "urn:uuid:26260000-0000-4000-8000-000000000001", [
        "urn:uuid:26260000-0000-4000-8000-000000000002", "urn:uuid:26260000-0000-4000-8000-000000000003"], \
        "urn:uuid:26260000-0000-4000-8000-000000000004"
    payload = _http_page("Segments", _random_prose(6000, 2600))
    cuts = [*range(len(payload) // 2, len(payload), (len(payload) // 2) // 40_000 or 1)][:40_000]
    pieces = [payload[a:b] for a, b in zip([0, *cuts], [*cuts, len(payload)])]
    with open(r26 / "day" / "segments.warc", "wb") as f:
        for number, piece in enumerate(pieces, 1):
            head = ([("WARC-Type", "response"), ("WARC-Record-ID", f"<{seg_id}>"), ("Content-Type", "application/http; msgtype=response")]
                    if number == 1 else [("WARC-Type", "continuation"), ("WARC-Record-ID", f"<{seg_id}-{number}>"),
                                         ("WARC-Segment-Origin-ID", f"<{seg_id}>")])
            head += [("WARC-Target-URI", "https://segments.example/"), ("WARC-Segment-Number", str(number))]
            if number == len(pieces):
                head.append(("WARC-Segment-Total-Length", str(len(payload))))
            f.write(warc_record(head, piece))
    with open(r26 / "day" / "blank-lines.warc", "wb") as f:
        for i, rid in enumerate(crlf_ids):
            f.write(warc_record([("WARC-Type", "response"), ("WARC-Record-ID", f"<{rid}>"), ("WARC-Target-URI", f"https://blank.example/{i}"),
                                 ("Content-Type", "application/http; msgtype=response")], _http_page(f"Blank {i}", _random_prose(300, 2610 + i))))
            if not i:
                f.write(b"\r\n" * (32 << 20))
    page = article_page("Frames", _random_prose(600, 2620)).encode()
    skippable = (0x184D2A50).to_bytes(4, "little") + (4).to_bytes(4, "little") + b"skip"
    body = zstandard.ZstdCompressor().compress(page[: len(page) // 2]) + skippable + zstandard.ZstdCompressor().compress(page[len(page) // 2 :])
    block = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: zstd\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    (r26 / "day" / "zstd.warc").write_bytes(warc_record([("WARC-Type", "response"), ("WARC-Record-ID", f"<{zstd_id}>"),
                                                        ("WARC-Target-URI", "https://frames.example/"),
                                                        ("Content-Type", "application/http; msgtype=response")], block))
    (r26 / "day" / "saved.txt").write_text("<!-- saved from url=(0032)https://news.example.com/a.html -->\n"
                                           + article_page("Saved page", _random_prose(300, 2630)), encoding="utf-8")
    (r26 / "day" / "unicode.txt").write_bytes(article_page("Unicode page", _random_prose(300, 2631)).encode("utf-16"))
    (r26 / "day" / "h.jsonl").write_text("".join(json.dumps({"id": f"h{i}", "text": _random_prose(300, 2640 + i)}) + "\n"
                                                 for i in range(3)), encoding="utf-8")
    for name in os.listdir(r26 / "day"):
        os.link(r26 / "day" / name, r26 / "snap" / name)  # a snapshot as `cp -al` makes it
    expected = {seg_id, *crlf_ids, zstd_id, "saved.txt", "unicode.txt", "h0", "h1", "h2"}
    return Case("a WARC record in 40,000 segments; 64 MB of CR LF between two records; a zstd body in two frames; pages saved as "
                ".txt under a comment and in UTF-16; a folder and its hard-link snapshot",
                ["r26/day", "r26/snap"], expected, only_expected=True,
                note="9 records in and out (not 18: the snapshot is the same files); the zstd page and both saved pages extracted")


def _round27(folder: Path) -> Case:
    # hostile round 27: a day deduplicated against 300 earlier runs (each one added four steps to
    # the job graph, held by the runner: 300 runs of one document 3.0 GB and 111 s on main);
    # runs with a report.json, whose index is checked against its clean count (an index with a file
    # deleted passed copies of it as new); an allow list saved with a byte-order mark before its
    # first comment (read as an entry "\ufeff"), joined with another such list (its first entry read as
    # "\ufeffnews.example", which matched no host: every document rejected url_blocked)
    r27 = folder / "r27"
    runs = []
    for i in range(300):
        run = r27 / "runs" / f"day{i:03}"
        _earlier_run(run, [_random_prose(120, 27000 + i)])
        (run / "report.json").write_text(json.dumps({"counts": {"input": 1, "clean": 1, "rejected": 0, "failed": 0}}))
        runs += ["--dedup-against", str(run)]
    (r27 / "in").mkdir()
    copies = [{"id": f"copy{i}", "url": f"https://news.example/c{i}", "text": _random_prose(120, 27000 + i).replace(" ", " also ", 1)}
              for i in (0, 150, 299)]
    fresh = [{"id": f"fresh{i}", "url": f"https://www.news.example/f{i}", "text": _random_prose(300, 27500 + i)} for i in range(3)]
    (r27 / "in" / "day.jsonl").write_text("".join(json.dumps(r) + "\n" for r in copies + fresh), encoding="utf-8")
    # two lists saved by Notepad ("UTF-8 with BOM") and joined with cat: a BOM starts each one's first line
    (r27 / "allow.txt").write_bytes("# the wire services we keep\nwire.example\n".encode("utf-8-sig")
                                    + "news.example\n".encode("utf-8-sig"))
    return Case("--dedup-against 300 earlier runs, their indexes checked against their clean counts; allow lists saved with BOMs, joined",
                ["r27/in/day.jsonl"], {r["id"] for r in copies + fresh}, only_expected=True,
                args=(*runs, "--set", f"url_filter.allow_domains={r27 / 'allow.txt'}"),
                note="6 records in and out; the 3 copies rejected duplicate_near of x in their runs, the 3 fresh clean")


def _round28(folder: Path) -> Case:
    # hostile round 28: Chinese and Japanese text files in UTF-16 without a byte-order mark (too few
    # NULs for the NUL rule: they failed "binary content (NUL bytes)", or, with no NUL, came out of
    # detection as garbage); URLs without their scheme under a block list (no host: let through);
    # an earlier run whose index is checked against its report.json (a run without one is refused
    # now: tests); `language.allowed` holding `no` (Norwegian: read by YAML 1.1 as false, refused);
    # a Parquet map where text belongs (named "a list"); a flag given twice with one value (taken:
    # with two it is refused, tests)
    import pyarrow as pa

    from tests.cjk_texts import JA_FESTIVAL, JA_TRAIN, ZH_FLOOD, ZH_ROBOTS

    r28 = folder / "r28"
    (r28 / "day").mkdir(parents=True)
    (r28 / "day" / "zh_le.txt").write_bytes(ZH_FLOOD.encode("utf-16-le"))  # a line end is b"\n\x00": a few NULs
    (r28 / "day" / "ja_be.txt").write_bytes(JA_TRAIN.encode("utf-16-be"))
    (r28 / "day" / "zh_flat.txt").write_bytes(ZH_ROBOTS.replace("\n", "").encode("utf-16-le"))
    (r28 / "day" / "ja_utf8.txt").write_bytes(JA_FESTIVAL.encode("utf-8"))  # real UTF-8 stays UTF-8
    earlier = _random_prose(300, 2801)
    _earlier_run(r28 / "prior", [earlier])  # with its report.json: its index rows checked against it
    urls = ["example.com/sponsored/a", "www.example.com/b", "news.example.com:8080/c", "https://example.com/d",
            "wire.example/e", "/relative/f"]
    records = [{"id": f"u{i}", "url": url, "text": _random_prose(300, 2810 + i)} for i, url in enumerate(urls)]
    records.append({"id": "copy", "url": "wire.example/copy", "text": earlier.replace(" ", " also ", 1)})
    (r28 / "day" / "day.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    pq.write_table(pa.table({"id": ["map"], "text": pa.array([[("en", _random_prose(100, 2820))]], pa.map_(pa.string(), pa.string()))}),
                   r28 / "day" / "map.parquet")
    (r28 / "block.txt").write_text("example.com\n", encoding="utf-8")
    expected = {"zh_le.txt", "ja_be.txt", "zh_flat.txt", "ja_utf8.txt", "map.parquet:0", *(r["id"] for r in records)}
    return Case("UTF-16 Chinese and Japanese without a BOM; URLs without their scheme under a block list; an earlier run with "
                "its report; 'no' in a language list; a Parquet map for text; a flag given twice with one value",
                ["r28/day"], expected, only_expected=True,
                args=("--dedup-against", str(r28 / "prior"), "--set", f"url_filter.block_domains={r28 / 'block.txt'}",
                      "--set", "language.allowed=[en, no, zh-cn, zh-tw, ja]", "--progress", "0"),
                note="12 records in and out; the 4 CJK files read as text, the 4 example.com URLs url_blocked, the copy "
                     "duplicate_near of x, the map failed naming it")


def _round29(folder: Path) -> Case:
    import pyarrow as pa

    # hostile round 29: an output a killed run left half-swapped (no _SUCCESS, its clean/ moved in,
    # the rest and its _SUCCESS in its staging folder: kept and named on every run before, now
    # finished by the next run, which then replaces it with --overwrite), the staging folder of a
    # run killed mid-job (removed, now named), an empty lock file of a killed run (taken), and an
    # earlier run read as checked (the files checked are the files read: replaced after the check,
    # the run stops with one line, tests). Signals themselves do not fit a case: docs/reading.md
    r29 = folder / "r29"
    (r29 / "day").mkdir(parents=True)
    earlier = _random_prose(300, 2901)
    _earlier_run(r29 / "prior", [earlier])
    records = [{"id": f"n{i}", "text": _random_prose(300, 2910 + i)} for i in range(4)]
    records.append({"id": "copy", "text": earlier.replace(" ", " also ", 1)})
    (r29 / "day" / "day.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out, killed, half = folder / "out29", folder / "out29.staging-0123456789ab", folder / "out29.staging-ba9876543210"
    for place in (out, killed, half):
        (place / "clean").mkdir(parents=True)
    pq.write_table(pa.table({"id": ["old"], "text": ["moved in before the kill"]}), out / "clean" / "part-0.parquet")
    (killed / "clean" / "part-0.parquet").write_bytes(b"half written")
    (half / "clean").rmdir()
    (half / "report.json").write_text('{"counts": {"clean": 1}}', encoding="utf-8")
    (half / "_SUCCESS").write_bytes(b"")
    (folder / "out29.lock").write_bytes(b"")
    return Case("an output left half-swapped by a killed run, a killed run's staging folder and lock; an earlier run read as "
                "checked", ["r29/day"], {r["id"] for r in records}, only_expected=True, output="out29",
                args=("--overwrite", "--dedup-against", str(r29 / "prior"), "--set", "quality.annotate_only=true"),
                note="5 records in and out; the half swap finished and replaced, the killed staging folder removed, the copy "
                     "duplicate_near of x")


def _round30(folder: Path) -> Case:
    # hostile round 30: a page of one table of 20,000 rows `<tr><td colspan=100>x` (623 kB, 40,000
    # start tags: trafilatura padded every row to 100 cells, 18.5 s and 744 MB in extract_page, 6 MB
    # of empty cells); an article whose list of links opens 600 `<ul><li>` and never closes them (trafilatura's
    # recursion ran out: failed, ExtractionCrashed RecursionError); a few plain records, run with
    # clean.teaser_min_units=0 (the teaser search stayed at a line: the run never ended),
    # quality.prose_min_sentence_starts=0 (a text without a cased sentence start failed with
    # ZeroDivisionError) and write.num_shards=010 (YAML 1.1 read 8)
    r30 = folder / "r30"
    r30.mkdir()
    paragraphs = "".join(f"<p>{p}</p>" for p in _random_prose(400, 3001).split("\n\n"))
    (r30 / "tables.html").write_text(f"<html><body><article><h1>Results</h1>{paragraphs}<table>"
                                     + "<tr><td colspan=100>x</td></tr>" * 20_000 + "</table></article></body></html>", encoding="utf-8")
    (r30 / "menu.html").write_text(f"<html><head><title>Tram approved</title></head><body><article><h1>Tram approved</h1>"
                                   f"{paragraphs}{'<ul><li>Section ' * 600}</article></body></html>", encoding="utf-8")
    records = [{"id": f"t{i}", "text": _random_prose(300, 3010 + i)} for i in range(3)]
    # a page that shows chrome (two lines the rule pack names): the positional layers run on it
    records[0]["text"] = f"Home » World » Europe\nLeave a Comment\n{records[0]['text']}\nShare your thoughts in the comments below!"
    records.append({"id": "hi", "text": "hi"})  # no cased sentence start: a share of none
    (r30 / "day.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return Case("a table padded to 100 columns by trafilatura; an article ending in 600 unclosed lists; teaser runs switched off with 0; "
                "no sentence start at a minimum of 0; a shard count written 010", ["r30"], {"tables.html", "menu.html", *(r["id"] for r in records)},
                only_expected=True, args=("--set", "clean.teaser_min_units=0", "--set", "quality.prose_min_sentence_starts=0",
                                          "--set", "write.num_shards=010", "--progress", "0"),
                note="6 records in and out; the table page document_too_large, unextracted; the list page extracted (then gopher_quality: "
                     "600 bullet lines); 'hi' rejected, not failed; the run ends")


def _round31(folder: Path) -> Case:
    # hostile round 31: UTF-16 text under 64 characters without a byte-order mark (round 28 left it
    # to detection: a Chinese headline came out as cp1252 mojibake, which quality.annotate_only kept
    # in clean labelled Italian; a Korean one, whose spaces are NULs, failed "binary content"); URLs
    # whose host a browser reads and urlsplit did not (a special scheme's slashes, none or three;
    # IPv4 as one number or in hex; a soft hyphen in a name): each passed a block list naming its
    # host, with an empty domain for the first two. The progress interval's bounds and an
    # extraction process that cannot start do not fit a case of one run measured: tests
    r31 = folder / "r31"
    (r31 / "day").mkdir(parents=True)
    (r31 / "day" / "zh_title.txt").write_bytes("北京今日降雨，气温下降。".encode("utf-16-le"))
    (r31 / "day" / "ko_title.txt").write_bytes("서울 지하철 요금이 내년부터 인상된다.".encode("utf-16-be"))
    urls = ["http:example.com/a", "https:///example.com/b", "http://2130706433/c", "http://0x7f.0.0.1/d",
            "https://ex\u00adample.com/e", "https://other.example/f"]
    records = [{"id": f"u{i}", "url": url, "text": _random_prose(300, 3110 + i)} for i, url in enumerate(urls)]
    (r31 / "day" / "day.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (r31 / "block.txt").write_text("example.com\n127.0.0.1\n", encoding="utf-8")
    return Case("UTF-16 headlines in Chinese and Korean without a BOM; URLs whose host a browser reads and urlsplit did not, "
                "under a block list", ["r31/day"], {"zh_title.txt", "ko_title.txt", *(r["id"] for r in records)}, only_expected=True,
                args=("--set", f"url_filter.block_domains={r31 / 'block.txt'}", "--set", "quality.annotate_only=true"),
                note="8 records in and out; the two headlines clean as written (decoded_as_utf_16_le / _be), the five "
                     "URLs of example.com and 127.0.0.1 url_blocked, other.example clean")


def _round32(folder: Path) -> Case:
    # hostile round 32: a config and a rule pack given as pipes, each of which gives its text once,
    # as `--config <(...)` and `--set clean.rule_pack=<(...)` do. The config was "config file not
    # found"; the pack was read by the driver four times (the check, the config hash, the clean
    # stage, the report's look-alikes) and the run stopped with a RulePackError traceback at the
    # second. Here each is a named pipe a short-lived writer (started now, gone after its one write
    # or 300 s) fills once. A URL list in a pipe is now refused (exit 2), and minhash_signature's
    # arguments and the page's ids do not fit a run measured: tests
    r32 = folder / "r32"
    (r32 / "day").mkdir(parents=True)
    body = _random_prose(300, 3200)
    records = [{"id": "mug", "text": f"Buy our mug today\n{body}"},
               {"id": "</script><img src=x onerror=alert(1)>", "url": "javascript:alert(1)", "text": _random_prose(300, 3201)},
               {"id": "short", "text": "Buy our mug today"}]
    (r32 / "day" / "day.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (r32 / "pack.yaml").write_text('rules:\n  - code: promo\n    scope: line\n    patterns:\n      - "^buy our mug today$"\n', encoding="utf-8")
    (r32 / "config.yaml").write_text(f"clean:\n  rule_pack: {json.dumps(str(r32 / 'pack.pipe'))}\nquality:\n  annotate_only: true\n",
                                     encoding="utf-8")
    for pipe, source in (("config.pipe", "config.yaml"), ("pack.pipe", "pack.yaml")):
        os.mkfifo(r32 / pipe)
        subprocess.Popen(["timeout", "300", "sh", "-c", 'cat "$1" > "$2"', "sh", str(r32 / source), str(r32 / pipe)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return Case("a config and a rule pack given as pipes that give their text once; an id of HTML and a javascript: URL",
                ["r32/day"], {r["id"] for r in records}, only_expected=True, args=("--config", str(r32 / "config.pipe")),
                note="3 records in and out; the pack's line removed from 'mug' (rule promo), 'short' empty_after_cleaning")


CASES = {
    "corpus": _corpus,
    "bomb-jsonl": _gz_newline_bomb,
    "bomb-jsonl-uncapped": _gz_newline_bomb_uncapped,
    "bomb-warc": _warc_bomb,
    "bomb-warc-uncapped": _warc_bomb_uncapped,
    "warc-lengths": _warc_lengths,
    "huge-line": _huge_line,
    "many-files": _many_files,
    "cut-warc": _cut_warc,
    "refused": _refused,
    "after-read": _after_read,
    "round9": _round9,
    "round10": _round10,
    "round11": _round11,
    "round12": _round12,
    "round13": _round13,
    "round14": _round14,
    "round15": _round15,
    "round16": _round16,
    "round17": _round17,
    "round18": _round18,
    "round19": _round19,
    "round20": _round20,
    "round21": _round21,
    "round22": _round22,
    "round23": _round23,
    "round24": _round24,
    "round25": _round25,
    "round26": _round26,
    "round27": _round27,
    "round28": _round28,
    "round29": _round29,
    "round30": _round30,
    "round31": _round31,
    "round32": _round32,
}


def build_case(key: str, folder: Path) -> Case:
    """Write case `key`'s files into `folder` in a fresh process, and return the case.

    Linux counts in a child's peak memory (ru_maxrss) the peak of the process it was forked from, up
    to its exec: cases built here (a 50 MB line, pages of 5 MB rows) raised this process's peak, and
    every later run reported at least that (the 50 MB line measured 516 MB after the Parquet cases,
    256 MB before them). Built elsewhere, a run's peak is its own and the order of the cases does not
    matter."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(CASES[key], (folder,))


def run_case(case: Case, folder: Path, timeout: float) -> Result:
    out = folder / case.output
    args = [a for p in case.inputs for a in ("--input", str(folder / p))]
    cmd = [sys.executable, "-m", "pipeline.run", *args, *case.args, "--output", str(out), "--progress", "0"]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = Result(case)
    started = time.monotonic()
    with open(folder / "stderr.txt", "wb") as err:
        child = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                os.killpg(child.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(child.pid, 0)
                result.hung = True
                break
            time.sleep(0.05)
    child.returncode = os.waitstatus_to_exitcode(status)
    result.seconds = time.monotonic() - started
    result.peak_mb = usage.ru_maxrss / 1024
    result.exit_code = None if result.hung else child.returncode
    if result.hung or child.returncode != 0:
        last = (folder / "stderr.txt").read_text(errors="replace").strip().splitlines()[-1:] or [""]
        result.error = f"killed after {timeout:g} s" if result.hung else last[0][:120]
        result.lost = sorted(case.expected)
        return result
    seen: set[str] = set()
    for name in ("clean", "rejected", "failed"):
        for path in sorted((out / name).glob("*.parquet")):
            ids = pq.read_table(path, columns=["id"]).column("id").to_pylist()
            result.rows += len(ids)
            seen.update(ids)
    result.lost = sorted(case.expected - seen)
    if case.only_expected and (extra := sorted(seen - case.expected)):
        result.error = f"rows of no input record: {', '.join(extra[:3])}"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    result.records_in = report["counts"]["input"]
    result.report_kb = (out / "report.json").stat().st_size / 1024
    result.balanced = report["counts"]["balanced"] and report["counts"]["input"] == result.rows
    return result


def reader_cpu(mib: int = 512, repeats: int = 3) -> None:
    """CPU seconds to read a newline bomb of `mib` MiB in-process, caps off: zlib alone, our gzip
    reader, and JSONL line reading on top of it (medians of `repeats`)."""
    import io
    import statistics
    import zlib

    from pipeline.documents import iter_jsonl_lines
    from pipeline.inflate import GzipMemberReader

    data = newline_bomb(mib << 20)

    def zlib_alone() -> None:
        inflater, rest = zlib.decompressobj(31), data
        while rest and not inflater.eof:
            inflater.decompress(rest, 1 << 20)
            rest = inflater.unconsumed_tail

    def reader() -> None:
        r = GzipMemberReader(io.BytesIO(data))
        while r.read(1 << 20):
            pass

    def lines() -> None:
        for _ in iter_jsonl_lines(GzipMemberReader(io.BytesIO(data)).read, 10_000_000):
            pass

    for name, step in (("zlib alone", zlib_alone), ("GzipMemberReader", reader), ("JSONL lines on top", lines)):
        times = []
        for _ in range(repeats):
            started = time.process_time()
            step()
            times.append(time.process_time() - started)
        print(f"{name}: {statistics.median(times):.2f} s CPU for {mib} MiB of newlines (median of {repeats})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a run counts as hung")
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="run only these cases")
    parser.add_argument("--keep", type=Path, help="write the cases here and keep them (default: a temporary folder)")
    parser.add_argument("--reader-cpu", action="store_true", help="only time reading a 512 MiB newline bomb in-process")
    args = parser.parse_args(argv)
    if args.reader_cpu:
        reader_cpu()
        return 0
    root = args.keep or Path(tempfile.mkdtemp(prefix="hostile-"))
    results = []
    try:
        for key in args.only or CASES:
            folder = root / key
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            case = build_case(key, folder)
            results.append(run_case(case, folder, args.timeout))
            r = results[-1]
            print(f"  {case.name}: {r.seconds:.1f} s", file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    # ids checked: the records whose outcome the case states (a missing one is lost); records in: what
    # the run read (the report), which can be more (the rest of a truncated file, a duplicate id)
    print("| case | ids checked | records in | rows out | lost | exit | hung | peak MB | wall s | balanced | report KB | note |")
    print("|---|---:|---:|---:|---:|---|---|---:|---:|---|---:|---|")
    for r in results:
        note = "; ".join(x for x in (r.case.note, r.error) if x)
        print(f"| {r.case.name} | {len(r.case.expected)} | {r.records_in} | {r.rows} | {len(r.lost)} | {r.exit_code if r.exit_code is not None else '-'} "
              f"| {'yes' if r.hung else 'no'} | {r.peak_mb:.0f} | {r.seconds:.1f} | {r.balanced} | {r.report_kb:.0f} | {note} |")
    lost = sum(len(r.lost) for r in results)
    crashed = [r.case.name for r in results if not r.hung and r.exit_code != 0]
    hung = [r.case.name for r in results if r.hung]
    memory = [r.case.name for r in results if r.peak_mb > MEMORY_LIMIT_MB]
    slow_bombs = [r.case.name for r in results if r.case.bomb and (r.seconds > BOMB_LIMIT_S or r.peak_mb > MEMORY_LIMIT_MB)]
    print(f"\n{len(results)} cases, {sum(len(r.case.expected) for r in results)} records in: {lost} lost, "
          f"{len(crashed)} crashed, {len(hung)} hung, {len(memory)} over {MEMORY_LIMIT_MB} MB; "
          f"gzip bombs over {BOMB_LIMIT_S} s or {MEMORY_LIMIT_MB} MB: {len(slow_bombs)}")
    for label, names in (("crashed", crashed), ("hung", hung), ("over memory", memory), ("slow bombs", slow_bombs)):
        if names:
            print(f"  {label}: {', '.join(names)}")
    for r in results:
        if r.lost:
            print(f"  lost in {r.case.name}: {', '.join(r.lost[:5])}{' ...' if len(r.lost) > 5 else ''}")
    return 0 if not (lost or crashed or hung) else 1


if __name__ == "__main__":
    sys.exit(main())
