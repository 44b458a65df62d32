"""The benchmark data in ../shared/data (described by its README.md): the extraction sets' ground
truth, read in one fixed order, shared by every benchmark built on those articles."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def scrapinghub_truth(data: Path = DATA) -> list[tuple[str, dict]]:
    """(page id, ground-truth record: url, articleBody, ...) of the ScrapingHub set, by page id."""
    path = data / "extraction" / "scrapinghub" / "ground-truth.json"
    return sorted(json.loads(path.read_text(encoding="utf-8")).items())


def wcxb_truth(data: Path = DATA) -> list[tuple[str, dict]]:
    """(page id, the page's ground-truth file: url and ground_truth {main_content, with, without,
    title, ...}) of the WCXB dev set, by page id."""
    folder = data / "extraction" / "wcxb-dev" / "ground-truth"
    return [(path.stem, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.json"))]


def html_path(data: Path, set_name: str, page_id: str) -> Path:
    """The gzipped HTML of a page of `set_name` ("scrapinghub" or "wcxb-dev")."""
    return data / "extraction" / set_name / "html" / f"{page_id}.html.gz"
