"""Layer 2c's step in `strip_cruft`: short lines whose own words and shape read as page
furniture go as `furniture_line`, wherever they stand (transforms/furniture_lines.py)."""

from __future__ import annotations

import math
import re

from transforms.clean.config import CleanConfig
from transforms.clean.line_facts import LineFacts
from transforms.clean.removal import Removal
from transforms.furniture_lines import FURNITURE, FurnitureModel


def drop_furniture_lines(
    lines: list[str | None],
    model: FurnitureModel,
    cfg: CleanConfig,
    title_key: str,
    facts: LineFacts,
    removals: list[Removal],
    alone_only: bool = False,
) -> None:
    """Remove (in place) the kept lines `model` scores at `furniture_threshold` or above, never
    the title nor a heading of its section (`heads_its_section`); with `alone_only` (a page that
    shows chrome), only lines that stand alone among content (`stands_alone`): there runs of
    short lines are menus and lists, which the structure layers and the classifier judge by their
    place, and a list page's items read like furniture to a model of lines alone. Evidence on each
    line, like a pack rule, so it runs on clean text too; but a layer that would take more than
    `furniture_max_share` of what is left of the page's words takes nothing: a page that reads
    as furniture line after line is one the model does not know (a language or a kind of list it
    never saw), and the quality filters judge it whole."""
    kept = [i for i, line in enumerate(lines) if line]

    def neighbour(k: int) -> str:
        return (lines[kept[k]] or "") if 0 <= k < len(kept) else ""

    hits = [
        i for k, i in enumerate(kept)
        if model.score(line := lines[i] or "") >= cfg.furniture_threshold and facts.key(line) != title_key
        and not heads_its_section(line, neighbour(k + 1), facts)
        and (not alone_only or stands_alone(neighbour(k - 1), neighbour(k + 1), facts, cfg))
    ]  # fmt: skip
    if not hits:
        return
    total = math.fsum(facts.words(line) for line in lines if line)
    if math.fsum(facts.words(lines[i] or "") for i in hits) > cfg.furniture_max_share * total:
        return
    for i in hits:
        removals.append(Removal(FURNITURE, lines[i] or "", True))
        lines[i] = None


def stands_alone(before: str, after: str, facts: LineFacts, cfg: CleanConfig) -> bool:
    """Whether a line between `before` and `after` (the kept lines around it; "" at an end) stands
    alone among content: neither is a short line that is not prose (at most `nav_max_words`
    words), the stuff of menus and lists. Inline furniture stands between paragraphs."""
    return not any(line and not facts.prose(line) and facts.words(line) <= cfg.nav_max_words for line in (before, after))


_LONG_WORD = re.compile(r"[^\W\d_]{5,}")  # words of 5+ letters: few function words are that long


def heads_its_section(line: str, following: str, facts: LineFacts) -> bool:
    """Whether `line` reads as the heading of the prose paragraph `following` it: that paragraph
    is prose and shares one of the line's words of five letters or more. "Cookies and the privacy
    law" above a paragraph on cookies, "Disable root login" above one on root logins: their words
    are furniture's, their place a heading's. On the dev pages this spares 5% of the content lines
    the model scores at 0.95 and 1.5% of the furniture (docs/cleaning.md, "Layer 2c")."""
    if not following or not facts.prose(following):
        return False
    words = {w.casefold() for w in _LONG_WORD.findall(line)}
    return bool(words) and any(w.casefold() in words for w in _LONG_WORD.findall(following))
