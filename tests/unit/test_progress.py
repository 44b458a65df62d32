"""The progress line and the sidecar files the tallies write (no Beam run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.progress import progress_line, read_sidecar

STAGES = ["Read", "StripCruft", "DetectLanguage", "RemoveExactDuplicates"]


@pytest.mark.parametrize(
    "counts, elapsed, busy, expected",
    [
        ({}, 3.2, 0.0, "progress 3s: 0 read → StripCruft 0 → DetectLanguage 0 → RemoveExactDuplicates 0"),
        (
            {"Read.kept": 1200, "StripCruft.kept": 1100, "StripCruft.rejected": 40},
            12.0, 6.0,
            "progress 12s, 200 docs/s: 1,200 read → StripCruft 1,100 (−40) → DetectLanguage 0 → RemoveExactDuplicates 0",
        ),
        (
            {"Read.kept": 9, "Read.failed": 1, "Read.rejected": 2, "StripCruft.kept": 8, "StripCruft.failed": 1,
             "DetectLanguage.kept": 7, "DetectLanguage.rejected": 1, "RemoveExactDuplicates.kept": 6, "RemoveExactDuplicates.rejected": 1},
            4.0, 0.5,  # under a second of work: no rate yet
            "progress 4s: 12 read (3 unreadable) → StripCruft 8 (−1) → DetectLanguage 7 (−1) → RemoveExactDuplicates 6 (−1)",
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
