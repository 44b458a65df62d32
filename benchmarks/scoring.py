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


def word_recall(truth: str, text: str) -> float:
    """The share of the ground truth's `\\w+` tokens (a bag, lower-cased) that `text` holds."""
    t = Counter(tokens(truth))
    total = sum(t.values())
    return sum((t & Counter(tokens(text))).values()) / total if total else 1.0


def whole_article_cut(truth: str, raw: str, cleaned: str) -> bool | None:
    """Whether cleaning cut the article away: the raw text holds >= 90% of the ground truth's words
    and the cleaned text keeps < half of them (issue 15's measure). None when the page does not
    count (its raw text lacks the article, or there is no ground truth)."""
    if not tokens(truth) or word_recall(truth, raw) < 0.9:
        return None
    return word_recall(truth, cleaned) < 0.5
