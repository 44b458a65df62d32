"""report.html of real CLI runs: every number it shows equals report.json, and it is rebuilt from
report.json alone (the driver never opens the Parquet)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.report import main as report_main
from tests.e2e.conftest import HOSTILE_URL, REPO


class DataAttrs(HTMLParser):
    """Collects the attributes of every element that carries a data-value (the page's numbers)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[dict[str, str]] = []
        self.stage: str | None = None  # the funnel row being read
        self.ids: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and "funnel-row" in a.get("class", ""):
            self.stage = a["data-stage"]
        if "data-value" in a:
            if "data-field" in a:
                a["data-stage"] = self.stage or ""
            self.values.append(a)
        if "id" in a and "data-value" in a:
            self.ids[a["id"]] = a["data-value"]


def parse(out: Path) -> DataAttrs:
    parser = DataAttrs()
    parser.feed((out / "report.html").read_text(encoding="utf-8"))
    return parser


def shown(parser: DataAttrs, attr: str) -> dict[str, int]:
    return {a[attr]: int(a["data-value"]) for a in parser.values if attr in a and "data-field" not in a and "data-reason" not in a}


def check_against_report(out: Path) -> tuple[DataAttrs, dict]:
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    page = parse(out)
    assert page.ids == {f"count-{k}": str(report["counts"][k]) for k in ("input", "clean", "rejected", "failed")}
    funnel = {(a["data-stage"], a["data-field"]): int(a["data-value"]) for a in page.values if "data-field" in a}
    expected = {}
    for row in report["funnel"]:
        expected[(row["stage"], "in")] = row["in"]
        expected[(row["stage"], "out")] = row["out"]
        expected[(row["stage"], "lost")] = row["rejected"] + row["failed"]
    assert funnel == expected
    reasons = {(a["data-stage"], a["data-reason"]): int(a["data-value"]) for a in page.values if "data-reason" in a}
    expected_reasons = {(stage, r): n for stage, by in report["rejected_by_stage_reason"].items() for r, n in by.items()}
    expected_reasons.update({(stage, "failed"): n for stage, n in report["failed_by_stage"].items()})
    assert reasons == expected_reasons
    assert shown(page, "data-rule") == report["rules"]
    assert shown(page, "data-language") == report["languages"]
    assert shown(page, "data-rejected-reason") == report["rejected_by_reason"]
    assert shown(page, "data-failed-stage") == report["failed_by_stage"]
    return page, report


def test_samples_report_numbers_equal_report_json(samples_run: Path) -> None:
    _, report = check_against_report(samples_run)
    assert report["counts"] == {"input": 5, "clean": 5, "rejected": 0, "failed": 0, "balanced": True}
    html = (samples_run / "report.html").read_text(encoding="utf-8")
    # Real removed lines are shown as examples of their rule.
    assert "Read the original report from The Guardian for more details." in html


def test_mixed_report_numbers_equal_report_json(mixed_run: Path) -> None:
    _, report = check_against_report(mixed_run)
    assert report["counts"] == {"input": 10, "clean": 5, "rejected": 4, "failed": 1, "balanced": True}
    assert report["rejected_by_stage_reason"] == {
        "clean": {"empty_after_cleaning": 1},
        "exact_dedup": {"duplicate_exact": 1},
        "quality": {"gopher_quality": 1},  # the two-sentence German brief: 24 words < 50
        "read": {"empty_input": 1},
    }
    html = (mixed_run / "report.html").read_text(encoding="utf-8")
    # The quality stage's signals are charted, with the rejected brief on the word_count chart.
    assert '<div class="signal" data-signal="word_count"><h3>word_count <span class="muted">(gopher_quality &lt; 50, gopher_quality &gt; 100,000)</span>' in html
    assert "rejected by quality (1)" in html
    for doc_id in ("mirror-0", "blank-1", "cruft-1", "de-1"):  # every rejected document is in the sample of its reason
        assert f'<td class="id">{doc_id}</td>' in html
    assert "JSONDecodeError" in html or "BadRecord" in html


def test_data_is_escaped(mixed_run: Path) -> None:
    html = (mixed_run / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert "https://evil.example.com/&lt;script&gt;alert(1)&lt;/script&gt;?a=1&amp;b=2" in html
    assert HOSTILE_URL not in html


def test_cli_rebuilds_the_same_page(mixed_run: Path) -> None:
    before = (mixed_run / "report.html").read_bytes()
    (mixed_run / "report.html").unlink()
    done = subprocess.run([sys.executable, "-m", "pipeline.report", str(mixed_run)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, str(mixed_run / "report.html"))
    assert (mixed_run / "report.html").read_bytes() == before


def test_cli_refuses_a_folder_without_a_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report_main([str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'report.json'} not found: not a finished run\n"


@pytest.mark.parametrize("content, error", [("", "JSONDecodeError"), ('{"counts": {"in', "JSONDecodeError"), ("[]", "AttributeError"),
                                             ('{"counts": 5}', "AttributeError"), ('{"funnel": [1, 2]}', "TypeError"),
                                             # hostile round 9: both were tracebacks, exit 1
                                             ("[" * 100_000 + "]" * 100_000, "RecursionError"),
                                             ('{"counts": {"input": 1e999}}', "OverflowError")])
def test_a_report_json_it_cannot_draw_is_one_line_and_keeps_the_old_page(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                          content: str, error: str) -> None:
    # hostile round 8: a report.json cut short or not ours was a traceback of 20 lines, exit 1, and
    # report.html was opened for writing first, so the previous page was left empty
    (tmp_path / "report.json").write_text(content, encoding="utf-8")
    (tmp_path / "report.html").write_text("<html>the previous page</html>", encoding="utf-8")
    assert report_main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path / 'report.json'} cannot be drawn: {error}: ") and err.count("\n") == 1
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "<html>the previous page</html>"


def test_page_is_drawn_from_report_json_alone(mixed_run: Path, tmp_path: Path) -> None:
    """A folder holding only report.json (no clean, rejected or failed Parquet) gives the same page:
    the funnel, the samples and the charts all come from the data the job gathered."""
    alone = tmp_path / "only-json"
    alone.mkdir()
    shutil.copyfile(mixed_run / "report.json", alone / "report.json")
    assert report_main([str(alone)]) == 0
    assert (alone / "report.html").read_bytes() == (mixed_run / "report.html").read_bytes()
    check_against_report(alone)
    html = (alone / "report.html").read_text(encoding="utf-8")
    assert '<td class="id">cruft-1</td>' in html and report_failed_type(alone) in html  # samples of rejected and failed records
    assert '<section id="lengths">' in html and '<section id="quality">' in html


def test_report_json_is_small_and_holds_the_page_data(mixed_run: Path) -> None:
    report = json.loads((mixed_run / "report.json").read_text(encoding="utf-8"))
    assert sum(report["histograms"]["lengths"]["before"].values()) == report["counts"]["clean"]
    assert {r: len(v) for r, v in report["samples"]["rejected"].items()} == report["rejected_by_reason"]  # all under 5 here
    assert [f["id"] for f in report["samples"]["failed"]] == ["crawl.jsonl:9"] and len(report["samples"]["failed"]) == report["counts"]["failed"]
    assert (mixed_run / "report.json").stat().st_size < 100_000


def report_failed_type(out: Path) -> str:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))["samples"]["failed"][0]["error_type"]


def test_a_uri_it_cannot_read_is_one_line_and_a_file_uri_is_the_local_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # hostile round 9: an unknown scheme (or gs:// without the gcp extra) was a traceback, exit 1,
    # and file:///... was "Unable to get filesystem"
    assert report_main(["foo://bucket/run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot read foo://bucket/run: Unable to get filesystem") and err.count("\n") == 1
    (tmp_path / "report.json").write_text('{"counts": {"input": 0}, "funnel": []}', encoding="utf-8")
    assert report_main([tmp_path.as_uri()]) == 0
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
