"""Shared fixtures: the repository root and the bundled rule pack."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Beam logs a warning on import when the optional GCP client libraries are missing; not our concern.
logging.getLogger().setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def pack():
    from transforms.clean import load_rule_pack

    return load_rule_pack()


@pytest.fixture(scope="session")
def expected_samples() -> dict:
    return json.loads((REPO / "samples" / "expected.json").read_text(encoding="utf-8"))["files"]
