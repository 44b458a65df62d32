"""The samples through Beam's portable job path (the one Flink and Dataflow use) give the same records.

Starts Beam's Python local job service on a free loopback port, submits the CLI to it with
`--runner PortableRunner --environment_type LOOPBACK` (the SDK harness runs in the submitting
process, so no Docker is needed), and compares the clean rows with the default local runner's.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import REPO


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"job service exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"job service not listening on port {port} after {timeout}s")


@pytest.fixture(scope="module")
def job_endpoint():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "apache_beam.runners.portability.local_job_service_main", "--port", str(port)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        _wait_listening(port, proc)
        yield f"localhost:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()


def _run_cli(out: Path, *beam_flags: str) -> None:
    cmd = [sys.executable, "-m", "pipeline.run", "--input", "samples/*.txt", "--output", str(out), *beam_flags]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def _clean_rows(out: Path) -> list[tuple[str, str, str]]:
    rows = []
    for part in sorted((out / "clean").glob("*.parquet")):
        table = pq.read_table(part, columns=["id", "text", "language"])
        rows += list(zip(*(table.column(c).to_pylist() for c in ("id", "text", "language"))))
    return sorted(rows)


def test_portable_runner_gives_the_direct_runners_records(job_endpoint: str, tmp_path: Path, expected_samples: dict) -> None:
    _run_cli(tmp_path / "local")
    _run_cli(tmp_path / "portable", "--runner=PortableRunner", f"--job_endpoint={job_endpoint}", "--environment_type=LOOPBACK")

    local, portable = _clean_rows(tmp_path / "local"), _clean_rows(tmp_path / "portable")
    assert portable == local
    assert sorted(r[0] for r in local) == sorted(name for name, e in expected_samples.items() if e["outcome"] == "clean")
