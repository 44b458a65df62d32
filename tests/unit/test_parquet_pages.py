"""Parquet row groups judged by their pages' own headers: footers that understate, pages inflated whole."""

from __future__ import annotations

import io
import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline.parquet_rows as parquet_rows
from pipeline.formats import ReadConfig
from pipeline.inputs import parquet_runs
from pipeline.read import ReadFileFn
from pipeline.splits import ReadTask
from pipeline.parquet_pages import BadPageHeader, chunk_pages, page_header
from pipeline.splits import with_first_positions
from tests.parquet_forge import with_understated_size
from transforms.records import Document

CFG = ReadConfig()
BOMB = ("The council met again on Tuesday. " * 150_000)[:5_000_000]


def _outcomes(tasks, cfg=CFG):
    out = [o for t in tasks for o in ReadFileFn(cfg).process(t)]
    return [(o.id, o.text) if isinstance(o, Document) else (o.value.id, o.value.error_type, o.value.message) for o in out]


@pytest.mark.parametrize("options", [
    {}, {"use_dictionary": False}, {"data_page_version": "2.0"}, {"compression": "snappy", "write_statistics": False},
    {"compression": "none", "data_page_size": 1000}, {"compression": "gzip", "use_dictionary": ["id"]},
])
def test_page_headers_give_the_sizes_an_honest_footer_gives(options):
    rnd = random.Random(7)
    words = ["".join(rnd.choice("abcdefgh") for _ in range(rnd.randint(2, 9))) for _ in range(300)]
    table = pa.table({"id": [str(i) for i in range(3000)],
                      "text": [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 200))) for _ in range(3000)]})
    sink = io.BytesIO()
    pq.write_table(table, sink, row_group_size=1200, **options)
    data = sink.getvalue()
    meta = pq.ParquetFile(io.BytesIO(data)).metadata
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            chunk = meta.row_group(g).column(c)
            start = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
            pages = chunk_pages(lambda o, n: data[o : o + n], start, chunk.total_compressed_size, chunk.num_values)
            assert (pages.inflated, pages.compressed) == (chunk.total_uncompressed_size, chunk.total_compressed_size)


def test_bytes_that_are_no_page_header_are_refused_not_looped_on():
    for data in (b"", b"\x15", b"\xff" * 300, b"\x1c" * 100_000, b"\x19\xfc" + b"\xff" * 20):
        with pytest.raises(BadPageHeader):
            page_header(lambda o, n, data=data: data[o : o + n], 0)


def test_a_footer_that_understates_a_group_is_caught_by_its_pages(tmp_path):
    # the footer's sizes are sums the writer stated; pyarrow sizes each page by its own header. A
    # 24 KB file whose footer said 30 KB for 200 MB of text passed the row-group caps and was read whole
    sink = io.BytesIO()
    with pq.ParquetWriter(sink, pa.schema([("text", pa.string())]), use_dictionary=False, compression="zstd") as writer:
        writer.write_table(pa.table({"text": ["Body 0.", "Body 1."]}))
        writer.write_table(pa.table({"text": [BOMB] * 16}))
        writer.write_table(pa.table({"text": ["Body 18."]}))
    data = sink.getvalue()
    real = pq.ParquetFile(io.BytesIO(data)).metadata.row_group(1).column(0).total_uncompressed_size
    path = tmp_path / "lies.parquet"
    path.write_bytes(with_understated_size(data, real, 30_000))
    assert pq.ParquetFile(str(path)).metadata.row_group(1).column(0).total_uncompressed_size == 30_000
    whole = _outcomes([ReadTask(str(path))])
    assert [o[:2] for o in whole] == [("lies.parquet:0", "Body 0."), ("lies.parquet:1", "Body 1."),
                                      ("lies.parquet:2", "InflatedTooLarge"), ("lies.parquet:18", "Body 18.")]
    assert "by its pages' headers" in whole[2][2]
    runs = with_first_positions(parquet_runs(str(path), 1))  # read in runs of groups: the same records
    assert len(runs) == 3 and _outcomes(runs) == whole


def test_a_page_past_max_record_bytes_fails_its_group_under_the_other_caps(tmp_path):
    # pyarrow inflates a page whole however few rows a batch takes: a page is held to the cap a
    # record of a stream is held to. 4 rows of 600 KB of random text in one page: 2.4 MB, under the
    # ratio floor, past a 1 MiB record cap
    rnd = random.Random(3)
    rows = ["".join(rnd.choice("abcdefghij klmnop") for _ in range(600_000)) for _ in range(4)]
    path = tmp_path / "page.parquet"
    pq.write_table(pa.table({"text": ["Body 0.", *rows, "Body 5."]}), path, row_group_size=1, use_dictionary=False)
    pq.write_table(pa.table({"text": ["Body 0.", *rows, "Body 5."]}), tmp_path / "one.parquet", use_dictionary=False)
    cfg = ReadConfig(max_document_bytes=1 << 20, max_record_bytes=1 << 20)
    # one row a group: each page 600 KB, read
    assert [o[1] for o in _outcomes([ReadTask(str(path))], cfg)][1:5] == rows
    # one group of one page of 2.4 MB: past the cap, one failure
    out = _outcomes([ReadTask(str(tmp_path / "one.parquet"))], cfg)
    assert [o[:2] for o in out] == [("one.parquet:0", "InflatedTooLarge")]
    assert "past read.max_record_bytes=1048576: a page is inflated whole" in out[0][2]


def test_a_group_of_big_rows_is_read_a_few_rows_a_batch(tmp_path, monkeypatch):
    # a batch of 1,024 rows of 5 MB would be 5 GB as Arrow arrays and as much again as Python
    # strings, under every cap: a batch takes about _BATCH_BYTES of the group's inflated size
    texts = [f"Row {i}. " + BOMB[: 300_000] for i in range(40)]
    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"text": texts}), path, use_dictionary=False)
    monkeypatch.setattr(parquet_rows, "_BATCH_BYTES", 1 << 20)
    seen = []
    real = pq.ParquetFile.iter_batches

    def spy(self, *args, **kwargs):
        for batch in real(self, *args, **kwargs):
            seen.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    assert [o[1] for o in _outcomes([ReadTask(str(path))])] == texts
    assert max(seen) <= 4 and sum(seen) == 40
