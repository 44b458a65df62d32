"""Layer 2, repeats: a line the page holds twice (a menu's copy), and the article given twice in a
row (a merged copy)."""

from __future__ import annotations

import re
from typing import Collection

from transforms.clean.config import REPEATED_LINE, CleanConfig
from transforms.clean.line_facts import LineFacts, normalize_line
from transforms.clean.removal import Removal
from transforms.clean.rule_pack import split_sentences


def drop_repeated_lines(
    lines: list[str | None], min_chars: int, removals: list[Removal], facts: LineFacts, keep: Collection[int] = ()
) -> None:
    """Later copies of a line go as `repeated_line`; `keep`: lines never removed (a table's cells)."""
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line is None or len(line) < min_chars or i in keep:
            continue
        key = facts.key(line)
        if key in seen:
            removals.append(Removal(REPEATED_LINE, line, True))
            lines[i] = None
        seen.add(key)



_SENTENCE_MARKS = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s")



def drop_merged_copies(lines: list[str | None], cfg: CleanConfig, removals: list[Removal]) -> None:
    """A line of `merged_copy_min_sentences`+ sentences whose sentences (at least
    `merged_copy_share` of its characters) stand in other lines goes as `repeated_line`: the
    article again, flattened into one line (an AMP or "full text" copy), which doubles every
    shingle of it. The paragraphs stay; a line repeating one paragraph is an exact repeat and
    `drop_repeated_lines` takes it. Only sentences of 20+ characters count ("Yes." proves nothing)."""
    n = cfg.merged_copy_min_sentences
    candidates = [i for i, line in enumerate(lines) if line and len(line) >= 20 * n and len(_SENTENCE_MARKS.findall(line)) >= n - 1]
    if not candidates:
        return
    # cheap test first (long paragraphs are common, copies rare): at least two other lines must
    # begin where a sentence of the candidate does, as the paragraphs of a flattened copy do
    heads = {line[:24] for line in lines if line and len(line) >= 24}
    candidates = [
        i for i in candidates
        if sum((lines[i] or "")[m.end() : m.end() + 24] in heads for m in _SENTENCE_MARKS.finditer(lines[i] or "")) >= 2
    ]  # fmt: skip
    if not candidates:
        return
    split = {i: [normalize_line(s) for s, _ in split_sentences(line)] for i, line in enumerate(lines) if line}
    owners: dict[str, set[int]] = {}
    for i, sentences in split.items():
        for s in sentences:
            if len(s) >= 20:
                owners.setdefault(s, set()).add(i)
    for i in candidates:
        sentences = split[i]
        if len(sentences) < n:
            continue
        total = sum(len(s) for s in sentences)
        found = sum(len(s) for s in sentences if len(s) >= 20 and len(owners[s] - {i}) > 0)
        if found >= cfg.merged_copy_share * total:
            removals.append(Removal(REPEATED_LINE, lines[i] or "", True))
            lines[i] = None
            for s in sentences:  # a removed line vouches for no other
                if s in owners:
                    owners[s].discard(i)
