"""Helpers to run the CLI as a user would: a subprocess from the repository root."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "pipeline.run", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout,
    )


def read_rows(out_dir: Path, name: str) -> list[dict]:
    rows: list[dict] = []
    for path in sorted(glob.glob(str(out_dir / name / "*.parquet"))):
        rows.extend(pq.read_table(path).to_pylist())
    return rows


def read_report(out_dir: Path) -> dict:
    return json.loads((out_dir / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def samples_run(tmp_path_factory) -> Path:
    """One default run of the CLI on samples/, shared by the tests that only read its outputs."""
    out = tmp_path_factory.mktemp("samples_run") / "out"
    proc = run_cli("--input", "samples/*.txt", "--output", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out
