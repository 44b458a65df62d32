"""The quality stage through the CLI: reasons and details in rejected/, q_ columns on both sides."""

from __future__ import annotations

import json

from tests.e2e.conftest import read_report, read_rows, run_cli
from tests.unit.test_quality import BRIEF


def test_quality_rejections_carry_reason_detail_and_signals(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    records = [
        {"id": "brief", "text": BRIEF},
        {"id": "stub", "text": "Breaking: the council approved the budget. More soon."},
        {"id": "lorem", "text": BRIEF + "\n\nLorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod."},
    ]
    (src / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("--input", str(src / "a.jsonl"), "--output", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    clean = {r["id"]: r for r in read_rows(out, "clean")}
    assert {k: (v["q_word_count"], v["q_c4_sentence_count"]) for k, v in clean.items()} == {"brief": (64.0, 5.0)}
    rejected = sorted((r["id"], r["reason"], r["detail"], r["stage"], r["q_word_count"]) for r in read_rows(out, "rejected"))
    assert rejected == [
        ("lorem", "c4_quality", "c4_quality:c4_lorem_ipsum_lines=1>0", "quality", 75.0),
        ("stub", "gopher_quality", "gopher_quality:word_count=8<50", "quality", 8.0),
    ]
    # the stub is rejected by the length rule before language identification (which never saw it);
    # the lorem page reached the quality stage after it
    assert {r["id"]: r["language"] for r in read_rows(out, "rejected")} == {"stub": "", "lorem": "en"}
    report = read_report(out)
    assert report["rejected_by_reason"] == {"c4_quality": 1, "gopher_quality": 1}
    assert [s for s in report["funnel"] if s["stage"] == "quality"] == [
        {"stage": "quality", "in": 3, "rejected": 2, "failed": 0, "out": 1}]
