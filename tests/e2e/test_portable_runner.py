"""The samples through Beam's portable job path (the one Flink and Dataflow use) give the same records.

Starts Beam's Python local job service on a free loopback port, submits the CLI to it with
`--runner PortableRunner --environment_type LOOPBACK` (the SDK harness runs in the submitting
process, so no Docker is needed), and compares every outcome with the default local run's.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.conftest import read_report, read_rows, run_cli


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


def _outcomes(out: Path) -> tuple[list, list, list]:
    clean = sorted((r["id"], r["text"], r["language"], r["text_hash"]) for r in read_rows(out, "clean"))
    rejected = sorted((r["id"], r["reason"], r["detail"], r["stage"]) for r in read_rows(out, "rejected"))
    failed = sorted((r["id"], r["stage"], r["error_type"]) for r in read_rows(out, "failed"))
    return clean, rejected, failed


def test_portable_runner_gives_the_direct_runners_records(job_endpoint: str, samples_run: Path, tmp_path: Path, expected_samples: dict) -> None:
    out = tmp_path / "portable"
    proc = run_cli("--input", "samples/*.txt", "--output", str(out),
                   "--runner=PortableRunner", f"--job_endpoint={job_endpoint}", "--environment_type=LOOPBACK")
    assert proc.returncode == 0, proc.stderr[-3000:]

    assert _outcomes(out) == _outcomes(samples_run)
    assert read_report(out)["counts"] == read_report(samples_run)["counts"]
    assert sorted(r[0] for r in _outcomes(out)[0]) == sorted(n for n, e in expected_samples.items() if e["outcome"] == "clean")
