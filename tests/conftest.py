"""Shared fixtures (the repository root, the bundled rule pack, the labelled samples) and helpers."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Beam logs a warning on import when the optional GCP client libraries are missing; not our concern.
logging.getLogger().setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture
def unrun_pipeline():
    """Makes pipelines a test builds and never runs. Beam makes a temporary folder for each
    pipeline and removes it only in run(): these are removed when the test ends."""
    import apache_beam as beam

    made = []

    def make(*args, **kwargs):
        made.append(beam.Pipeline(*args, **kwargs))
        return made[-1]

    yield make
    for p in made:
        shutil.rmtree(p.local_tempdir, ignore_errors=True)


@pytest.fixture(scope="session")
def pack():
    from transforms.clean import load_rule_pack

    return load_rule_pack()


@pytest.fixture(scope="session")
def expected_samples() -> dict:
    return json.loads((REPO / "samples" / "expected.json").read_text(encoding="utf-8"))["files"]


def make_doc(id: str, text, **fields):
    """A Document as a JSONL reader would make it, with `src/<id>` as its source."""
    from transforms.records import Document

    return Document(id=id, text=text, source=f"src/{id}", source_format="jsonl", **fields)


def content_lines(text: str) -> list[str]:
    """The non-blank lines of `text`, stripped: how cleaned text is compared with expected.json."""
    return [line.strip() for line in text.split("\n") if line.strip()]
