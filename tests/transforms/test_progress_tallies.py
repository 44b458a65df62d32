"""The progress tallies in a real pipeline: the sidecar files and the Beam counters both hold the
exact counts per stage and outcome, and the printer's last line shows them, from either source."""

from __future__ import annotations

import io
import re
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.progress import ProgressPrinter, TallyProgress, metric_counts, read_sidecar, stage_outputs
from transforms.routing import StageOutputs

OPTIONS = ["--runner=DirectRunner", "--direct_running_mode=in_memory", "--direct_num_workers=1"]
EXPECTED = {"Read.kept": 10, "Read.rejected": 2, "Read.failed": 1, "Split.kept": 5, "Split.rejected": 5}
FULL_LINE = "13 in → Read 10 (−3) → Split 5 (−5)"  # 10 numbers and 3 records the reader turned down


def _is_even(n: int) -> bool:
    return n % 2 == 0


def _is_odd(n: int) -> bool:
    return n % 2 == 1


def build_pipeline(p: beam.Pipeline, tally: TallyProgress) -> None:
    """A reader with three outcomes and one stage that keeps the even numbers."""
    docs = p | "Docs" >> beam.Create(range(10))
    read = StageOutputs(docs, p | "Unparsable" >> beam.Create(["x", "y"]), p | "Broken" >> beam.Create(["z"]))
    split = StageOutputs(docs | "Even" >> beam.Filter(_is_even), docs | "Odd" >> beam.Filter(_is_odd), p | "NoFailures" >> beam.Create([]))
    _ = stage_outputs([("Read", read), ("Split", split)]) | "TallyProgress" >> tally


def run_with(printer: ProgressPrinter) -> beam.runners.runner.PipelineResult:
    p = beam.Pipeline(options=PipelineOptions(OPTIONS))
    build_pipeline(p, printer.tally)
    result = p.run()
    printer.attach(result)
    result.wait_until_finish()
    return result


def test_sidecar_and_counters_hold_the_exact_counts_and_the_last_line_shows_them() -> None:
    stream = io.StringIO()
    with ProgressPrinter(0.05, stream) as printer:
        result = run_with(printer)
        assert printer.tally.stages == ["Read", "Split"]
        assert read_sidecar(printer.folder) == EXPECTED
        assert metric_counts(result) == EXPECTED
    assert re.fullmatch(r"progress \d+s(, [\d,]+ docs/s)?: " + re.escape(FULL_LINE), printer.lines[-1])
    assert stream.getvalue().splitlines() == printer.lines


def test_workers_that_cannot_reach_the_folder_fall_back_to_the_runner_metrics(tmp_path: Path) -> None:
    # What remote workers see of the driver's folder: a path that does not exist on their machine.
    with ProgressPrinter(0.05, io.StringIO()) as printer:
        printer.tally.folder = str(tmp_path / "on-the-driver-only")
        run_with(printer)
        assert read_sidecar(printer.folder) == {}
    assert not (tmp_path / "on-the-driver-only").exists()
    assert re.fullmatch(r"progress \d+s(, [\d,]+ docs/s)?: " + re.escape(FULL_LINE), printer.lines[-1])
