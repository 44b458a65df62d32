"""Progress of a CLI run: lines on stderr while it runs, the last one equal to report.json's counts,
and a final summary naming every output path."""

from __future__ import annotations

import json
import re
from pathlib import Path

LINE = re.compile(r"progress (\d+)s(?:, [\d,]+ docs/s)?: (.*)")


def test_progress_lines_end_with_the_report_counts(mixed_run: Path) -> None:
    report = json.loads((mixed_run / "report.json").read_text(encoding="utf-8"))
    stderr = (mixed_run.parent / "stderr.txt").read_text(encoding="utf-8")
    progress = [m for line in stderr.splitlines() if (m := LINE.fullmatch(line))]
    assert len(progress) >= 2  # at least one line while running, and the final counts
    seconds = [int(m.group(1)) for m in progress]
    assert seconds == sorted(seconds)
    # The last line is the live funnel complete, in the report's terms: documents in, then each
    # stage by its name in report.json's funnel, with what it passed on and what it lost.
    first, *steps = progress[-1].group(2).split(" → ")
    c = report["counts"]
    assert first == f"{c['input']} in"
    expected = [f"{r['stage']} {r['out']}" + (f" (−{r['rejected'] + r['failed']})" if r["rejected"] + r["failed"] else "")
                for r in report["funnel"]]
    assert steps == expected
    assert report["funnel"][-1]["out"] == c["clean"]


def test_final_summary_names_the_outputs(mixed_run: Path) -> None:
    report = json.loads((mixed_run / "report.json").read_text(encoding="utf-8"))
    c = report["counts"]
    first, *paths = (mixed_run.parent / "stdout.txt").read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(rf"Done in [\d.]+s: {c['input']} read -> {c['clean']} clean, {c['rejected']} rejected, {c['failed']} failed\.", first)
    assert paths == [
        f"  clean:    {mixed_run / 'clean'}/",
        f"  rejected: {mixed_run / 'rejected'}/",
        f"  failed:   {mixed_run / 'failed'}/",
        f"  report:   {mixed_run / 'report.json'}",
        f"  html:     {mixed_run / 'report.html'}",
    ]


def test_report_chars_add_up(mixed_run: Path) -> None:
    chars = json.loads((mixed_run / "report.json").read_text(encoding="utf-8"))["chars"]
    assert chars["in"] == chars["out"] + chars["removed"] + chars["whitespace_removed"]
    assert chars["whitespace_removed"] >= 0 and chars["removed"] > chars["whitespace_removed"]
