"""The worst files of a crawl through the CLI: nothing crashes, nothing is lost, runs agree.

One run over a folder of hostile files checks where every record lands and that report.json adds
up; a second run with two worker processes and the inputs named in the opposite order must give
the same records.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.e2e.conftest import read_report, read_rows, run_cli
from tests.hostile import write_hostile_corpus

INPUT_ORDER = ("*.txt", "*.jsonl", "*.jsonl.gz", "*.parquet")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict, Path]:
    root = tmp_path_factory.mktemp("hostile")
    expected = write_hostile_corpus(root / "in")
    out = root / "out"
    args = [a for pattern in INPUT_ORDER for a in ("--input", str(root / "in" / pattern))]
    proc = run_cli(*args, "--output", str(out), timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return root, expected, out


def _outcomes(out: Path) -> tuple[list[dict], list[dict], list[dict]]:
    return read_rows(out, "clean"), read_rows(out, "rejected"), read_rows(out, "failed")


def test_every_hostile_record_lands_where_it_should(hostile):
    _, expected, out = hostile
    clean, rejected, failed = _outcomes(out)
    by_id = {r["id"]: ("clean", "", r) for r in clean}
    by_id.update({r["id"]: ("rejected", r["reason"], r) for r in rejected})
    by_id.update({r["id"]: ("failed", r["error_type"], r) for r in failed})
    for record_id, exp in expected.items():
        assert record_id in by_id, f"{record_id} is missing from every output"
        outcome, reason, row = by_id[record_id]
        assert (outcome, reason) == (exp.outcome, exp.reason), (record_id, row.get("detail") or row.get("message"))
        if exp.flag:
            assert any(f.startswith(exp.flag) for f in row["flags"]), (record_id, row["flags"])
        if exp.contains:
            assert exp.contains in row["text"], record_id


def test_failures_name_their_file_and_error(hostile):
    _, _, out = hostile
    failed = {r["id"]: r for r in read_rows(out, "failed")}
    assert failed["binary.txt"]["message"].startswith("binary content")
    assert "malformed JSON" in failed["records.jsonl:1"]["message"]
    assert "expected an object, got list" in failed["records.jsonl:2"]["message"]
    assert "missing or null" in failed["records.jsonl:3"]["message"]
    assert "is a int, not a string" in failed["records.jsonl:4"]["message"]
    assert "is a dict, not a string" in failed["records.jsonl:5"]["message"]
    assert "missing or null" in failed["records.jsonl:6"]["message"]
    assert all(r["stage"] == "read" and r["source"].endswith(Path(r["source"]).name) for r in failed.values())


def test_a_truncated_gzip_keeps_what_was_read_and_fails_once(hostile):
    _, _, out = hostile
    clean, rejected, failed = _outcomes(out)
    read_before_break = sorted(r["id"] for r in clean + rejected if r["source"].endswith("truncated.jsonl.gz"))
    breaks = [r for r in failed if r["source"].endswith("truncated.jsonl.gz")]
    # whatever came before the break, in order (gzip decodes a stream: no record after a gap)
    assert len(read_before_break) >= 2
    assert read_before_break == [f"gz-{i}" for i in range(len(read_before_break))]
    assert len(breaks) == 1
    assert breaks[0]["position"] == len(read_before_break)
    assert breaks[0]["error_type"] in ("EOFError", "BadGzipFile", "OSError", "zlib.error", "error")


def test_duplicate_ids_are_both_kept_and_oversize_is_bounded(hostile):
    _, _, out = hostile
    clean, rejected, _ = _outcomes(out)
    assert Counter(r["id"] for r in clean)["dup-id"] == 2
    huge = next(r for r in rejected if r["id"] == "huge_document.txt")
    assert len(huge["text"]) <= 1000  # the rejected output holds a preview, not 20 MB
    long_line = next(r for r in rejected if r["id"] == "long_line.txt")
    assert [rc["rule"] for rc in long_line["rule_counts"]] == ["overlong_line"]


def test_report_counts_add_up(hostile):
    _, _, out = hostile
    clean, rejected, failed = _outcomes(out)
    counts = read_report(out)["counts"]
    assert counts == {
        "input": len(clean) + len(rejected) + len(failed),
        "clean": len(clean),
        "rejected": len(rejected),
        "failed": len(failed),
        "balanced": True,
    }
    reasons = Counter(r["reason"] for r in rejected)
    assert read_report(out)["rejected_by_reason"] == dict(sorted(reasons.items()))


def test_two_workers_and_reversed_input_order_give_the_same_records(hostile):
    root, _, out = hostile
    other = root / "out-reversed"
    args = [a for pattern in reversed(INPUT_ORDER) for a in ("--input", str(root / "in" / pattern))]
    proc = run_cli(*args, "--output", str(other), "--direct_running_mode=multi_processing",
                   "--direct_num_workers=2", timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("clean", "rejected", "failed"):
        drop = {"traceback"}
        first = sorted(sorted((k, repr(v)) for k, v in r.items() if k not in drop) for r in read_rows(out, name))
        second = sorted(sorted((k, repr(v)) for k, v in r.items() if k not in drop) for r in read_rows(other, name))
        assert first == second, name
