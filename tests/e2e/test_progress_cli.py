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
    # The last line is the live funnel complete: read, each stage's survivors and losses in order.
    read, *steps = progress[-1].group(2).split(" → ")
    funnel = report["funnel"]
    c = report["counts"]
    unreadable = funnel[0]["rejected"] + funnel[0]["failed"]
    assert read == f"{c['input']} read" + (f" ({unreadable} unreadable)" if unreadable else "")
    parsed = [re.fullmatch(r"(\w+) (\d+)(?: \(−(\d+)\))?", step).groups() for step in steps]
    assert int(parsed[-1][1]) == c["clean"]
    # Stage labels (StripCruft, ...) are not stage names (clean, ...): compare the losses in order.
    assert [int(lost) for _, _, lost in parsed if lost] == [r["rejected"] + r["failed"] for r in funnel[1:] if r["rejected"] + r["failed"]]


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
