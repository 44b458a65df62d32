"""The progress line and the sidecar files the tallies write (no Beam run)."""

from __future__ import annotations

import io
import json
import os
import threading
import time
from pathlib import Path

import pytest

from pipeline import progress
from pipeline.progress import (
    ProgressPrinter,
    TallyProgress,
    _TallyFn,
    progress_line,
    read_sidecar,
)

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


def test_a_progress_interval_past_what_a_thread_can_wait_is_held_to_the_longest_wait(monkeypatch) -> None:
    # hostile round 31: `--progress 1e10` (finite, so the CLI took it) killed the printer's thread
    # with an OverflowError traceback ("timestamp out of range for platform time_t")
    errors: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    for seconds in (1e10, 1e300):
        with ProgressPrinter(seconds, io.StringIO()) as printer:
            time.sleep(0.2)
            assert printer._thread.is_alive()
        assert errors == []
        assert not printer._thread.is_alive()


def test_a_progress_interval_under_a_tenth_of_a_second_does_not_write_a_tally_file_a_document(tmp_path: Path, monkeypatch) -> None:
    # hostile round 31: at `--progress 0.000001` every tally wrote its file for every document it
    # counted (33 tallies: 33 writes a document), and 3,000 records took 39.9 s against 15.4 s
    writes: list[str] = []
    replace = os.replace
    monkeypatch.setattr(progress.os, "replace", lambda a, b: (writes.append(b), replace(a, b)))
    fn = _TallyFn("read.kept", str(tmp_path), TallyProgress(str(tmp_path), 1e-6).interval)
    fn.setup()
    started = time.monotonic()
    for _ in range(1000):
        fn.process(None)
    fn.finish_bundle()
    assert read_sidecar(str(tmp_path)) == {"read.kept": 1000}
    # the first document's write and the bundle's end; a few more only if the loop took seconds
    assert len(writes) <= 2 + (time.monotonic() - started) / 0.1
