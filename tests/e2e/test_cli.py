"""CLI behaviour: user mistakes are one line and exit code 2; inputs of each format; accounting."""

from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.e2e.conftest import REPO, read_report, read_rows, run_cli


@pytest.mark.parametrize(
    "args,message",
    [
        (["--input", "nothing/here/*.txt"], "error: input 'nothing/here/*.txt' matches no file"),
        (["--runnr", "DirectRunner"], "error: unrecognised argument '--runnr'; did you mean --runner?"),
        (["--set", "language.min_scor=0.5"], "error: unknown config key 'language.min_scor'"),
        (["--config", "missing.yaml"], "error: config file not found: missing.yaml"),
        (["--format", "xml"], "error: argument --format: invalid choice: 'xml'"),
        (["--set", "write.codec=zip"], "error: write: write.codec must be one of zstd"),
    ],
)
def test_user_mistakes_are_one_line_and_exit_2(tmp_path, args, message):
    proc = run_cli("--output", str(tmp_path / "o"), *args)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith(message)
    assert "Traceback" not in proc.stderr


def test_existing_run_is_not_overwritten_without_flag(samples_run, tmp_path):
    proc = run_cli("--input", "samples/000_88ead7a6887f5737.txt", "--output", str(samples_run))
    assert proc.returncode == 2
    assert "already holds a run; pass --overwrite" in proc.stderr


def test_jsonl_gz_and_parquet_inputs_with_bad_records(tmp_path):
    body = "The council approved the new budget on Tuesday after a long debate about schools."
    lines = [
        json.dumps({"id": "j1", "url": "https://www.example.com/a", "title": "Budget", "text": body}),
        "",
        "{not json",
        json.dumps({"id": "j2", "text": None}),
        json.dumps({"id": "j3", "text": "   "}),
        json.dumps({"id": "j4", "text": body.replace("budget", "BUDGET")}),  # exact duplicate after normalising
    ]
    src = tmp_path / "in"
    src.mkdir()
    with gzip.open(src / "a.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    pq.write_table(pa.table({"text": ["Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen, nach langer Debatte."], "link": ["http://b.de/x"]}),
                   src / "b.parquet")
    out = tmp_path / "out"
    # One-sentence bodies are below every quality filter's minimum length; this test is about
    # reading, so the quality stage only annotates here.
    proc = run_cli("--input", str(src / "*.jsonl.gz"), "--input", str(src / "*.parquet"), "--output", str(out),
                   "--set", "read.url_field=url", "--set", "quality.annotate_only=true")
    assert proc.returncode == 0, proc.stderr[-2000:]
    clean = {r["id"]: r for r in read_rows(out, "clean")}
    assert sorted(clean) == ["b.parquet:0", "j1"]
    assert (clean["j1"]["domain"], clean["j1"]["language"], clean["b.parquet:0"]["language"]) == ("example.com", "en", "de")
    assert (clean["j1"]["q_word_count"], clean["b.parquet:0"]["q_word_count"]) == (14.0, 12.0)
    rejected = sorted((r["id"], r["reason"], r["duplicate_of"]) for r in read_rows(out, "rejected"))
    assert rejected == [("j3", "empty_input", ""), ("j4", "duplicate_exact", "j1")]
    failed = sorted((r["id"], r["stage"], r["error_type"]) for r in read_rows(out, "failed"))
    assert failed == [("a.jsonl.gz:1", "read", "BadRecord"), ("a.jsonl.gz:2", "read", "BadRecord")]
    assert read_report(out)["counts"] == {"input": 6, "clean": 2, "rejected": 2, "failed": 2, "balanced": True}


def test_config_is_data_never_code(tmp_path):
    marker = tmp_path / "ran"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f'language:\n  seed: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    proc = run_cli("--config", str(evil), "--output", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "not valid YAML: could not determine a constructor" in proc.stderr
    assert not marker.exists()


def test_a_run_that_crashes_leaves_no_report_and_no_success_marker(tmp_path, monkeypatch):
    # Every record-level error is routed to failed/, so a crash needs a broken pipeline: a sink
    # that raises. The folder it leaves must not look like a finished run.
    import apache_beam as beam

    from pipeline import run

    def broken_build(p, cfg, inputs, out_dir, run_metadata, **kwargs):
        real_build(p, cfg, inputs, out_dir, run_metadata, **kwargs)
        p | "Boom" >> beam.Create([1]) | "Raise" >> beam.Map(lambda _: 1 / 0)

    real_build = run.build
    monkeypatch.setattr(run, "build", broken_build)
    out = tmp_path / "o"
    with pytest.raises(ZeroDivisionError):
        run.main(["--input", str(REPO / "samples" / "000_88ead7a6887f5737.txt"), "--output", str(out)])
    assert not (out / "_SUCCESS").exists()
    assert not (out / "report.json").exists()
