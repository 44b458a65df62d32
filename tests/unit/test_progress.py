"""The progress line and the sidecar files the tallies write (no Beam run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.progress import progress_line, read_sidecar

STAGES = ["read", "clean", "language", "exact_dedup"]  # stage names, as in report.json's funnel


@pytest.mark.parametrize(
    "counts, elapsed, busy, expected",
    [
        ({}, 3.2, 0.0, "progress 3s: 0 in → read 0 → clean 0 → language 0 → exact_dedup 0"),
        (
            {"read.kept": 1200, "clean.kept": 1100, "clean.rejected": 40},
            12.0, 6.0,
            "progress 12s, 200 docs/s: 1,200 in → read 1,200 → clean 1,100 (−40) → language 0 → exact_dedup 0",
        ),
        (
            # records the reader rejects (empty, too large) are counted like any stage's losses,
            # not called "unreadable"
            {"read.kept": 9, "read.failed": 1, "read.rejected": 2, "clean.kept": 8, "clean.failed": 1,
             "language.kept": 7, "language.rejected": 1, "exact_dedup.kept": 6, "exact_dedup.rejected": 1},
            4.0, 0.5,  # under a second of work: no rate yet
            "progress 4s: 12 in → read 9 (−3) → clean 8 (−1) → language 7 (−1) → exact_dedup 6 (−1)",
        ),
    ],
)
def test_progress_line(counts: dict, elapsed: float, busy: float, expected: str) -> None:
    assert progress_line(counts, STAGES, elapsed, busy) == expected


def test_progress_line_before_the_pipeline_is_built() -> None:
    assert progress_line({}, [], 1.0) == "progress 1s: running"


def test_sidecar_sums_every_tally_and_skips_partial_files(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"Read.kept": 5}), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"Read.kept": 7}), encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps({"StripCruft.rejected": 2}), encoding="utf-8")
    (tmp_path / "d.json").write_text('{"StripCruft.kept": ', encoding="utf-8")  # a writer replacing it mid-read
    (tmp_path / "e.json.tmp").write_text(json.dumps({"Read.kept": 100}), encoding="utf-8")  # not yet renamed
    assert read_sidecar(str(tmp_path)) == {"Read.kept": 12, "StripCruft.rejected": 2}


def test_sidecar_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert read_sidecar(str(tmp_path / "gone")) == {}
