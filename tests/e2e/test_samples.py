"""The CLI on the seed articles: every labelled line, the five records, languages and accounting."""

from __future__ import annotations

import pyarrow.parquet as pq

from pipeline.write import CLEAN_SCHEMA, FAILED_SCHEMA, REJECTED_SCHEMA, SCHEMA_VERSION
from tests.conftest import content_lines
from tests.e2e.conftest import read_report, read_rows, run_cli




def test_samples_come_out_exactly_as_labelled(samples_run, expected_samples):
    rows = {row["id"]: row for row in read_rows(samples_run, "clean")}
    assert sorted(rows) == sorted(expected_samples)
    for name, expected in expected_samples.items():
        row = rows[name]
        assert content_lines(row["text"]) == [line.strip() for line in expected["kept"]], name
        assert row["title"] == expected["title"], name
        assert row["language"] == expected["language"], name
        assert row["language_score"] > 0.99, name
        removed_rules = sorted(r["rule"] for r in expected["removed"])
        assert sorted(rc["rule"] for rc in row["rule_counts"] for _ in range(rc["count"])) == removed_rules, name
        assert row["lines_removed"] == len(expected["removed"]), name
    assert read_rows(samples_run, "rejected") == []
    assert read_rows(samples_run, "failed") == []


def test_report_accounts_for_every_record(samples_run, expected_samples):
    report = read_report(samples_run)
    assert report["counts"] == {"input": 5, "clean": 5, "rejected": 0, "failed": 0, "balanced": True}
    expected_rules: dict[str, int] = {}
    for e in expected_samples.values():
        for r in e["removed"]:
            expected_rules[r["rule"]] = expected_rules.get(r["rule"], 0) + 1
    assert report["rules"] == dict(sorted(expected_rules.items()))
    assert report["languages"] == {"en": 5}
    assert report["funnel"][0] == {"stage": "read", "in": 5, "rejected": 0, "failed": 0, "out": 5}
    assert report["funnel"][-1]["out"] == 5
    assert (samples_run / "_SUCCESS").exists()


def test_outputs_have_the_explicit_schemas(samples_run):
    for name, schema in (("clean", CLEAN_SCHEMA), ("rejected", REJECTED_SCHEMA), ("failed", FAILED_SCHEMA)):
        files = sorted((samples_run / name).glob("*.parquet"))
        assert files, name
        for f in files:
            pf = pq.ParquetFile(f)
            assert pf.schema_arrow.remove_metadata().equals(schema.remove_metadata()), name
            meta = pf.schema_arrow.metadata
            assert meta[b"schema_version"] == SCHEMA_VERSION.encode()
            assert meta[b"config_hash"].decode() == read_report(samples_run)["config_hash"]
            assert pf.metadata.row_group(0).column(0).compression == "ZSTD" if pf.metadata.num_row_groups else True


def test_two_worker_processes_give_the_same_records(samples_run, tmp_path):
    out = tmp_path / "mp"
    proc = run_cli("--input", "samples/*.txt", "--output", str(out),
                   "--direct_running_mode=multi_processing", "--direct_num_workers=2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    # Beam's worker start-up INFO (about 50 lines) is off when the user picks worker processes too;
    # what is left is each worker's first two lines, printed before any code of ours runs there.
    workers = [line for line in proc.stderr.splitlines() if line.startswith(("INFO", "WARNING"))]
    assert set(workers) <= {"INFO:__main__:Logging handler created.",
                            "WARNING:root:apitools not found, and bigquery client libraries are not available "
                            "despite the import not raising an ImportError."}  # the latter without Beam's gcp extra
    assert len(workers) <= 4
    key = lambda r: (r["id"], r["text"], r["language"], r["language_score"], r["text_hash"])  # noqa: E731
    assert sorted(map(key, read_rows(out, "clean"))) == sorted(map(key, read_rows(samples_run, "clean")))
