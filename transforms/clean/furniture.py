"""Layer 2c's step in `strip_cruft`: short lines whose own words and shape read as page
furniture go as `furniture_line`, wherever they stand (transforms/furniture_lines.py)."""

from __future__ import annotations

import math

from transforms.clean.config import CleanConfig
from transforms.clean.line_facts import LineFacts
from transforms.clean.removal import Removal
from transforms.furniture_lines import FURNITURE, FurnitureModel


def drop_furniture_lines(
    lines: list[str | None], model: FurnitureModel, cfg: CleanConfig, title_key: str, facts: LineFacts, removals: list[Removal]
) -> None:
    """Remove (in place) the kept lines `model` scores at `furniture_threshold` or above, never
    the title. Evidence on each line, like a pack rule, so it runs on clean text too; but a
    layer that would take more than `furniture_max_share` of what is left of the page's words
    takes nothing: a page that reads as furniture line after line is one the model does not
    know (a language or a kind of list it never saw), and the quality filters judge it whole."""
    hits = [
        i for i, line in enumerate(lines)
        if line and model.score(line) >= cfg.furniture_threshold and facts.key(line) != title_key
    ]  # fmt: skip
    if not hits:
        return
    total = math.fsum(facts.words(line) for line in lines if line)
    if math.fsum(facts.words(lines[i] or "") for i in hits) > cfg.furniture_max_share * total:
        return
    for i in hits:
        removals.append(Removal(FURNITURE, lines[i] or "", True))
        lines[i] = None
