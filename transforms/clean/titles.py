"""Layer 2, the page's title: the title a page shows first (when no title is given) and its
copies in the page head, with or without the site's name."""

from __future__ import annotations

from typing import Collection

from transforms.clean.config import REPEATED_TITLE
from transforms.clean.line_facts import LineFacts
from transforms.clean.removal import Removal


def infer_title(lines: list[str | None]) -> str:
    """The first non-blank line, when it is short enough to be a headline."""
    for line in lines:
        if line:
            return line if len(line) <= 300 else ""
    return ""



# A site's name beside the headline, as a page's <title> carries it and scrapers save it above
# the visible headline: "Storm closes schools | The Daily Courier", "BBC News - Storm closes schools"
_SITE_TAG_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ")
SITE_TAG_MAX_WORDS = 6



def untagged_titles(key: str) -> set[str]:
    """The title `key` stands for without a site's name of at most SITE_TAG_MAX_WORDS words after
    or before it (both readings: which side is the site's a separator cannot tell); empty when it
    has none. A headline of two words or fewer is never taken for one."""
    out = set()
    for sep in _SITE_TAG_SEPARATORS:
        head, found, tail = key.rpartition(sep)
        if found and len(tail.split()) <= SITE_TAG_MAX_WORDS and len(head.split()) > 2:
            out.add(head)
        head, found, tail = key.partition(sep)
        if found and len(head.split()) <= SITE_TAG_MAX_WORDS and len(tail.split()) > 2:
            out.add(tail)
    return out



def drop_title_copies(
    lines: list[str | None],
    title_key: str,
    lookahead: int,
    removals: list[Removal],
    facts: LineFacts,
    keep: Collection[int] = (),
) -> None:
    """Keep one copy of the title among the top lines; the others are page furniture.
    `keep`: lines never removed (a table's cells: a name in a ranking may be the page's title).

    A copy is the title itself, or the title and a site's name beside it ("Storm closes schools |
    The Daily Courier" for the title "Storm closes schools", or the other way round). The copy
    kept is the first without a site's name, else the first.

    Only the page head counts: at most `lookahead` other lines, and the search stops at the first
    sentence (a line ending in . ! ? that is not the title), so a short heading repeated inside
    the article is not touched. Copies are not counted as "other lines", so a second pass finds
    exactly what the first did (cleaning is idempotent).
    """
    cores = untagged_titles(title_key)
    bare = cores or {title_key}  # the title without a site's name
    copies: list[tuple[int, bool]] = []  # (line, carries a site's name)
    others = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        key = facts.key(line)
        # the title, its bare form, or it with a site's name; not two lines that share a bare form
        # ("41 - check size table" and "42 - check size table": a list, not a site's name twice)
        if key == title_key or key in bare or title_key in untagged_titles(key):
            copies.append((i, key not in bare))
            continue
        others += 1
        if others >= lookahead or line.endswith((".", "!", "?", "。")):
            break
    kept = next((i for i, tagged in copies if not tagged), copies[0][0] if copies else -1)
    for i, _ in copies:
        if i != kept and i not in keep:
            removals.append(Removal(REPEATED_TITLE, lines[i], True))
            lines[i] = None
