"""Pieces of the extraction benchmarks' metrics shared by the scripts that score against them.

The scripts' per-page rules differ on purpose (benchmarks/extraction.py follows the ScrapingHub
evaluate.py rules for empty pages; benchmarks/text_mode.py its own), so only the common parts are
here: the tokens and the shingle multiset counts.
"""

from __future__ import annotations

import re
from collections import Counter

TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Lower-cased `\\w+` tokens (the WCXB bag-of-words tokens)."""
    return TOKEN.findall(text.lower())


def shingles(text: str, n: int = 4) -> Counter:
    """ScrapingHub article-extraction-benchmark: the multiset of word n-grams of `\\w+` tokens."""
    toks = TOKEN.findall(text or "")
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


def shingle_counts(truth: str, pred: str) -> tuple[int, int, int]:
    """True positive, false positive and false negative 4-gram shingles of `pred` against `truth`."""
    t, p = shingles(truth), shingles(pred)
    return sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
