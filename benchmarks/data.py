"""The benchmark data in ../shared/data (described by its README.md): the extraction sets' ground
truth, read in one fixed order, shared by every benchmark built on those articles."""

from __future__ import annotations

import json
from pathlib import Path



def _find_data() -> Path:
    """../shared/data beside the checkout, or beside a folder above it (a git worktree)."""
    here = Path(__file__).resolve().parent.parent
    for folder in here.parents:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return here.parent / "shared" / "data"


DATA = _find_data()
# where benchmarks keep what they derive from DATA (page texts, trafilatura's outputs): beside it,
# outside any checkout, so every worktree and helper reuses one copy
CACHE = DATA.resolve().parent.parent / "cache"


def scrapinghub_truth(data: Path = DATA) -> list[tuple[str, dict]]:
    """(page id, ground-truth record: url, articleBody, ...) of the ScrapingHub set, by page id."""
    path = data / "extraction" / "scrapinghub" / "ground-truth.json"
    return sorted(json.loads(path.read_text(encoding="utf-8")).items())


def wcxb_truth(data: Path = DATA) -> list[tuple[str, dict]]:
    """(page id, the page's ground-truth file: url and ground_truth {main_content, with, without,
    title, ...}) of the WCXB dev set, by page id."""
    folder = data / "extraction" / "wcxb-dev" / "ground-truth"
    return [(path.stem, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.json"))]


def wcxb_page_types(data: Path = DATA) -> dict[str, str]:
    """page id -> WCXB page type (article, service, forum, listing, documentation, collection, product)."""
    meta = json.loads((data / "extraction" / "wcxb-dev" / "metadata.json").read_text(encoding="utf-8"))
    return {pid: m["page_type"] for pid, m in meta["files"].items()}


def trafilatura_eval(data: Path = DATA) -> list[tuple[str, dict]]:
    """(url, {file, with, without}) of trafilatura's evaluation set (must-have and must-not-have
    snippets, no full main text), by URL."""
    path = data / "extraction" / "trafilatura-eval" / "evaldata.json"
    return sorted(json.loads(path.read_text(encoding="utf-8")).items())


def html_path(data: Path, set_name: str, page_id: str) -> Path:
    """The gzipped HTML of a page of `set_name` ("scrapinghub" or "wcxb-dev"; for
    "trafilatura-eval", `page_id` is the record's `file`, kept in eval/ or cache/)."""
    folder = data / "extraction" / set_name
    if set_name == "trafilatura-eval":
        path = folder / "eval" / f"{page_id}.gz"
        return path if path.is_file() else folder / "cache" / f"{page_id}.gz"
    return folder / "html" / f"{page_id}.html.gz"
