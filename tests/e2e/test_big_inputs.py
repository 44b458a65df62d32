"""A big JSONL file is read as byte ranges and the outputs are cut into files of a bounded size,
with the same records as reading it whole into one file (issue #7, big inputs)."""

from __future__ import annotations

import glob
import json

from pipeline.inputs import parquet_runs
from tests.e2e.conftest import mixed_inputs, read_report, read_rows, run_cli
from tests.hostile import mixed

KEYS = ("id", "position", "source", "text")


def _rows(out, name):
    return sorted(tuple(row[k] for k in KEYS if k in row) for row in read_rows(out, name))


def test_split_reads_and_capped_files_give_the_same_records(tmp_path):
    crawl = mixed_inputs(tmp_path)
    *good, broken = [line for line in crawl.read_text(encoding="utf-8").split("\n") if line.strip()]
    # blank lines between records and no ids on some: positions and derived ids must not shift;
    # the last line is not JSON and must fail at the same position
    records = [json.loads(line) for line in good]
    for i, rec in enumerate(records):
        if i % 3 == 0:
            rec.pop("id", None)
    crawl.write_text("\n\n".join([json.dumps(r) for r in records] + [broken]) + "\n", encoding="utf-8")

    whole, split = tmp_path / "whole", tmp_path / "split"
    done = run_cli("--input", str(crawl), "--output", str(whole))
    assert done.returncode == 0, done.stderr[-2000:]
    done = run_cli("--input", str(crawl), "--output", str(split), "--set", "read.split_bytes=300",
                   "--set", "write.max_file_bytes=1", "--set", "write.row_group_bytes=1", "--set", "write.record_batch_size=1")
    assert done.returncode == 0, done.stderr[-2000:]

    assert crawl.stat().st_size > 10 * 300  # really split into many ranges
    for name in ("clean", "rejected", "failed"):
        assert _rows(split, name) == _rows(whole, name), name
    assert "crawl.jsonl:0" in {r["id"] for r in read_rows(split, "clean")}  # a derived id, as when read whole
    clean_files = glob.glob(str(split / "clean" / "*.parquet"))
    assert len(clean_files) == len(read_rows(split, "clean")) > 1  # one row group per file at this cap
    assert len(glob.glob(str(whole / "clean" / "*.parquet"))) == 1
    assert read_report(split)["counts"] == read_report(whole)["counts"]


def test_a_split_parquet_file_gives_the_records_of_reading_it_whole(tmp_path):
    """Row groups read by several tasks keep their whole-file positions and derived ids."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    crawl = mixed_inputs(tmp_path)
    records = [json.loads(line) for line in crawl.read_text(encoding="utf-8").split("\n")[:-2] if line.strip()]
    for i, rec in enumerate(records):
        if i % 2:
            rec.pop("id")  # derived ids name the row's position in the file
    path = tmp_path / "crawl.parquet"
    pq.write_table(pa.Table.from_pylist(records), path, row_group_size=2)
    assert pq.ParquetFile(path).metadata.num_row_groups >= 4
    runs = parquet_runs(str(path), 300)
    assert len(runs) >= 4 and all(t.row_groups for t, _ in runs)  # really read in parts
    assert sum(rows for _, rows in runs) == len(records)

    whole, split = tmp_path / "whole", tmp_path / "split"
    for out, extra in ((whole, ()), (split, ("--set", "read.split_bytes=300"))):
        done = run_cli("--input", str(path), "--output", str(out), *extra)
        assert done.returncode == 0, done.stderr[-2000:]
    for name in ("clean", "rejected", "failed"):
        assert _rows(split, name) == _rows(whole, name), name
    assert "crawl.parquet:1" in {r["id"] for r in read_rows(split, "clean") + read_rows(split, "rejected")}
    assert read_report(split)["counts"] == read_report(whole)["counts"]


def test_a_split_file_stops_at_a_line_past_the_record_cap_as_a_whole_read_does(tmp_path):
    """Ranges after the range of a line past read.max_record_bytes used to be read on, numbered as
    if that range held no record: their records took the derived ids of the records before it."""
    crawl = tmp_path / "crawl.jsonl"
    records = [{"text": mixed(k)} for k in range(6)]  # no ids: they are derived from positions
    records.insert(2, {"text": "word " * 1000})  # 5 kB: past the 4 kB cap
    crawl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    caps = ("--set", "read.max_document_bytes=4000", "--set", "read.max_record_bytes=4096")

    whole, split = tmp_path / "whole", tmp_path / "split"
    for out, extra in ((whole, ()), (split, ("--set", "read.split_bytes=300"))):
        done = run_cli("--input", str(crawl), "--output", str(out), *caps, *extra)
        assert done.returncode == 0, done.stderr[-2000:]
    assert [(r["id"], r["error_type"]) for r in read_rows(whole, "failed")] == [("crawl.jsonl:2", "RecordTooLarge")]
    for name in ("clean", "rejected", "failed"):
        assert _rows(split, name) == _rows(whole, name), name
    assert read_report(split)["counts"] == read_report(whole)["counts"]
