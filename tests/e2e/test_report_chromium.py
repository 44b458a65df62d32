"""report.html in a real browser: headless Chromium renders it with no console message (no blocked
load, no CSP violation, no script) and shows the funnel with the run's numbers.

Chromium is Debian's `chromium` package (`chromium-browser` on Ubuntu), installed by .ci/run; a
missing browser is a failure, not a skip. The screenshot goes to benchmarks/results/report.png.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOT = REPO / "benchmarks" / "results" / "report.png"
WINDOW = (1280, 2000)


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM, "headless Chromium is needed: apt-get install -y chromium (.ci/run does it)"
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def console_messages(stderr: str) -> list[str]:
    # Chromium logs every console message of the page (errors, blocked loads, CSP violations) as CONSOLE.
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.parametrize("run", ["samples_run", "mixed_run"])
def test_renders_without_errors_and_shows_the_funnel(run: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    out: Path = request.getfixturevalue(run)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    done = chromium(tmp_path / "profile", "--dump-dom", (out / "report.html").as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_messages(done.stderr) == []
    dom = done.stdout
    rows = re.findall(r'<tr class="funnel-row[^"]*" data-stage="([^"]+)">(.*?)</tr>', dom)
    assert [stage for stage, _ in rows] == [r["stage"] for r in report["funnel"]]
    for (stage, cells), expected in zip(rows, report["funnel"]):
        values = dict(re.findall(r'data-field="(\w+)" data-value="(\d+)"', cells))
        assert values == {"in": str(expected["in"]), "lost": str(expected["rejected"] + expected["failed"]), "out": str(expected["out"])}


def test_screenshot(mixed_run: Path, tmp_path: Path) -> None:
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shot = tmp_path / "report.png"
    done = chromium(tmp_path / "profile", f"--screenshot={shot}", f"--window-size={WINDOW[0]},{WINDOW[1]}", (mixed_run / "report.html").as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_messages(done.stderr) == []
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == WINDOW
    shutil.copyfile(shot, SCREENSHOT)
