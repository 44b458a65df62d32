"""The worst files of a crawl through the CLI: nothing crashes, nothing is lost, runs agree.

One run over a folder of hostile files checks where every record lands and that report.json adds
up; a second run with two worker processes and the inputs named in the opposite order must give
the same records.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.e2e.conftest import read_report, read_rows, run_cli
from tests.hostile import HOSTILE_SETTINGS, mixed, write_hostile_corpus

INPUT_ORDER = ("*.txt", "*.jsonl", "*.json", "*.jl", "*.csv", "*.jsonl.gz", "*.JSONL.GZ", "*.jsonl.bz2", "*.jsonl.xz", "*.jsonl.zst", "*.parquet", "*.html", "*.warc", "*.warc.gz")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict, Path]:
    root = tmp_path_factory.mktemp("hostile")
    expected = write_hostile_corpus(root / "in")
    out = root / "out"
    args = [a for pattern in INPUT_ORDER for a in ("--input", str(root / "in" / pattern))]
    proc = run_cli(*args, *HOSTILE_SETTINGS, "--output", str(out), timeout=600)
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
    assert "is a number, not a string" in failed["records.jsonl:4"]["message"]
    assert "is an object (a JSON object or Parquet struct), not a string" in failed["records.jsonl:5"]["message"]
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
    assert (breaks[0]["error_type"], breaks[0]["message"]) == ("TruncatedInput", "the gzip stream ends inside a member: the file is truncated")


def test_duplicate_ids_are_both_kept_flagged_and_oversize_is_bounded(hostile):
    _, _, out = hostile
    clean, rejected, _ = _outcomes(out)
    assert [r["flags"] for r in clean if r["id"] == "dup-id"] == [["duplicate_id"], ["duplicate_id"]]
    assert not [r["id"] for r in clean + rejected if "duplicate_id" in r["flags"] and r["id"] != "dup-id"]
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
    proc = run_cli(*args, *HOSTILE_SETTINGS, "--output", str(other), "--direct_running_mode=multi_processing",
                   "--direct_num_workers=2", timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("clean", "rejected", "failed"):
        drop = {"traceback"}
        first = sorted(sorted((k, repr(v)) for k, v in r.items() if k not in drop) for r in read_rows(out, name))
        second = sorted(sorted((k, repr(v)) for k, v in r.items() if k not in drop) for r in read_rows(other, name))
        assert first == second, name


def test_no_control_character_reaches_clean(hostile):
    _, _, out = hostile
    bad = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
    assert [r["id"] for r in read_rows(out, "clean") if bad.search(r["text"] + r["title"])] == []


def test_non_text_fields_fail_with_their_name(hostile):
    _, _, out = hostile
    failed = {r["id"]: r for r in read_rows(out, "failed")}
    assert failed["records.jsonl:10"]["message"] == "field 'title' is a list, not text"
    clean = {r["id"]: r for r in read_rows(out, "clean")}
    assert clean["4711"]["title"] == "2026"


def test_gzip_bombs_stop_at_the_cap_after_keeping_what_came_before(hostile):
    _, _, out = hostile
    failed = {r["id"]: r for r in read_rows(out, "failed")}
    for name in ("bomb.jsonl.gz", "bomb.warc.gz"):
        assert failed[f"{name}:1"]["message"] == (f"{name} inflates past read.max_inflated_bytes={16 << 20}: "
                                                 "a compression bomb, or a file to split; the rest of the file is not read")


def test_a_folder_and_a_file_named_with_a_bracket_are_inputs(tmp_path):
    folder = tmp_path / "crawl [2026]"
    (folder / "sub").mkdir(parents=True)
    (folder / "one [draft].txt").write_text(mixed(40), encoding="utf-8")
    (folder / "sub" / "two.txt").write_text(mixed(41), encoding="utf-8")
    (folder / "notes.md").write_text("not an input", encoding="utf-8")
    (tmp_path / "three [x].txt").write_text(mixed(42), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("--input", str(folder), "--input", str(tmp_path / "three [x].txt"), "--output", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(r["id"] for r in read_rows(out, "clean")) == ["one [draft].txt", "three [x].txt", "two.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_cli("--input", str(empty), "--output", str(tmp_path / "out2"))
    assert (proc.returncode, proc.stderr.count("\n")) == (2, 1), proc.stderr[-2000:]
    assert "is a directory with no file of a known format" in proc.stderr


def test_console_streams_that_cannot_be_written_change_nothing_about_the_run(tmp_path):
    # hostile round 25: stdout or stderr on a full disk (`>> run.log` on a full log disk). With
    # stdout there, the closing summary raised after the run was swapped in, and the run said
    # "cannot write the output ...: No space left on device", exit 2: a lie. With stderr there,
    # its first line raised: nothing done, exit 1, the traceback unreadable.
    (tmp_path / "a.txt").write_text(mixed(43), encoding="utf-8")
    for stream in ("stdout", "stderr"):
        out = tmp_path / f"out-{stream}"
        proc = run_cli("--input", str(tmp_path / "a.txt"), "--output", str(out), streams={stream: "/dev/full"})
        assert (proc.returncode, "error" in proc.stderr, "Traceback" in proc.stderr) == (0, False, False), proc.stderr[-2000:]
        assert (out / "_SUCCESS").exists() and [r["id"] for r in read_rows(out, "clean")] == ["a.txt"]
        assert ("Done in" in proc.stdout) == (stream == "stderr")
    # a user's mistake is still refused, exit 2, before anything is written
    out = tmp_path / "out-refused"
    proc = run_cli("--input", str(tmp_path / "a.txt"), "--output", str(out), "--sample", "2", streams={"stderr": "/dev/full"})
    assert proc.returncode == 2 and not out.exists()
