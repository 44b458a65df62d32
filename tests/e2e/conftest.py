"""Helpers to run the CLI as a user would (a subprocess from the repository root), and runs of it
shared by the end-to-end tests: each pipeline run costs seconds, so run it once."""

from __future__ import annotations

import atexit
import contextlib
import glob
import io
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.run import main

REPO = Path(__file__).resolve().parents[2]

GERMAN = (
    "Die Bundesregierung hat am Dienstag ein neues Maßnahmenpaket für die Kommunen beschlossen. "
    "Die Opposition kritisierte den Plan scharf und forderte Nachbesserungen bei der Finanzierung."
)
CRUFT_ONLY = "Share your thoughts in the comments below!\nLeave a Reply\nAdBlock Detected"
HOSTILE_URL = "https://evil.example.com/<script>alert(1)</script>?a=1&b=2"


def run_cli(*args: str, timeout: int = 300, env: dict[str, str] | None = None, fresh: bool = False,
            streams: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m pipeline.run ARGS` from the repository root, as a subprocess's result. A run is
    a child forked from this test process's CLI server (tests/e2e/cli_server.py), which imported
    the pipeline and parsed the bundled files once; `fresh` (or an `env` of its own, which a
    fresh interpreter must read) starts the command itself, for what happens before `main()`.
    `streams` names a file for the run's "stdout" or "stderr" (`/dev/full`) instead of one read
    back: that one's text is "" in the result."""
    if streams:
        return _SERVER.run(list(args), timeout, streams)
    if fresh or env:
        env = dict(os.environ, **(env or {}), PYTHONPATH=_python_path())
        return subprocess.run(
            [sys.executable, "-m", "pipeline.run", *args],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout,
        )
    return _SERVER.run(list(args), timeout)


def _python_path() -> str:
    return str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")


class _CliServer:
    """The test process's tests/e2e/cli_server.py, started on its first run and ended with it."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.pending = b""

    def run(self, args: list[str], timeout: float, streams: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, str(REPO / "tests" / "e2e" / "cli_server.py")], cwd=REPO,
                env=dict(os.environ, PYTHONPATH=_python_path()), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
            )
            self.pending = b""
        with tempfile.TemporaryDirectory() as folder:
            out, err = os.path.join(folder, "stdout"), os.path.join(folder, "stderr")
            request = {"args": args, "cwd": str(REPO), "stdout": out, "stderr": err, **(streams or {})}
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            pid = json.loads(self._line(60))["pid"]
            try:
                status = json.loads(self._line(timeout))["status"]
            except subprocess.TimeoutExpired:
                os.killpg(pid, signal.SIGKILL)  # the child leads its own group: its workers go too
                self._line(60)
                raise subprocess.TimeoutExpired(["pipeline.run", *args], timeout) from None
            def read(name: str, path: str) -> str:
                return "" if name in (streams or {}) else Path(path).read_text(encoding="utf-8", errors="replace")

            return subprocess.CompletedProcess([sys.executable, "-m", "pipeline.run", *args], status, read("stdout", out), read("stderr", err))

    def _line(self, timeout: float) -> str:
        # read from the pipe's descriptor, not a buffered file: a line a buffer held would not
        # wake select()
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise subprocess.TimeoutExpired("cli_server", timeout)
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError(f"the CLI server stopped (exit {self.proc.wait()})")
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        return line.decode("utf-8")

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)


_SERVER = _CliServer()
atexit.register(_SERVER.close)


def read_rows(out_dir: Path, name: str) -> list[dict]:
    rows: list[dict] = []
    for path in sorted(glob.glob(str(out_dir / name / "*.parquet"))):
        rows.extend(pq.read_table(path).to_pylist())
    return rows


def read_report(out_dir: Path) -> dict:
    return json.loads((out_dir / "report.json").read_text(encoding="utf-8"))


def mixed_inputs(folder: Path) -> Path:
    """A JSONL crawl with one document for each outcome: clean (two languages), an empty page,
    a page that is all cruft, an exact duplicate and a line that is not JSON."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples").glob("*.txt"))]
    docs = [{"id": f"art-{i}", "url": f"https://news.example.com/2025/08/{i}", "text": t} for i, t in enumerate(texts)]
    docs += [
        {"id": "mirror-0", "url": "https://mirror.example.net/copy", "text": texts[0]},
        {"id": "de-1", "url": "https://zeitung.example.de/politik/1", "text": GERMAN},
        {"id": "blank-1", "url": "https://news.example.com/blank", "text": "  \n "},
        {"id": "cruft-1", "url": HOSTILE_URL, "text": CRUFT_ONLY},
    ]
    path = folder / "crawl.jsonl"
    lines = [json.dumps(d, ensure_ascii=False) for d in docs] + ['{"id": "broken", "text": ']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def samples_run(tmp_path_factory) -> Path:
    """One default run of the CLI on samples/, shared by the tests that only read its outputs."""
    out = tmp_path_factory.mktemp("samples_run") / "out"
    proc = run_cli("--input", "samples/*.txt", "--output", str(out), fresh=True)  # the README's first command, as typed
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def mixed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One in-process run on the mixed crawl (every outcome), shared by the report and progress
    tests; its stdout and stderr (with progress lines every 0.1 s) are kept beside it."""
    folder = tmp_path_factory.mktemp("mixed")
    out = folder / "out"
    std, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(std), contextlib.redirect_stderr(err):
        code = main(["--input", str(mixed_inputs(folder)), "--output", str(out), "--progress", "0.1"])
    (folder / "stdout.txt").write_text(std.getvalue(), encoding="utf-8")
    (folder / "stderr.txt").write_text(err.getvalue(), encoding="utf-8")
    assert code == 0, err.getvalue()[-3000:]
    return out
