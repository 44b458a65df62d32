"""Near-dedup of text in scripts written without spaces (Chinese, Japanese, Thai): word-run shingles
(before) against a token per letter (now); of text in scripts that write vowel signs as combining
marks (Hindi, Bengali, Tamil; Hebrew and Arabic, pointed in a few sentences): words cut at each mark
(before) against words with their marks (now); next to English, German and Korean, which must not
move.

    python -m benchmarks.near_dedup_scripts            # from the repository root, ~1 min

Documents are 30-60 real sentences of one language (../shared/data/language/lingua-sentences,
read in place, never copied), each sentence used by one document only, so two documents are
unrelated. Each document gets near copies with 1%, 2% (near the threshold), 5%, 10% and 20% of
its characters edited (each edit a substitution by a character of the same language's text, an
insertion or a deletion, equally likely); English, German and the languages with marks also get
copies with that share of words edited, the edit model of benchmarks.near_dedup_quality. For each language, edit rate and tokenisation
the table gives the exact shingle Jaccard of copy and original (mean, min), the share of copies
found at the default settings (a pair is found when it shares one of the 21 x 6 LSH bands of 128
permutations and its exact Jaccard is >= 0.8: what the stage does), and for unrelated pairs the
mean and max Jaccard and how many would be merged. "zh, no punctuation" is the Chinese set with
every non-letter removed (pages that run clauses together): by word runs a whole document is one
shingle.

Before = each `\\w+` run a word, digits folded to 0 (`v1_bytes`: what every text was cut into by
index version 1, marks cutting words); now = `minhash.shingle_bytes`. The n-gram rows (3 and 8 against the default 5) show the choice of n.
"""

from __future__ import annotations

import argparse
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path

import numpy as np

from transforms import minhash
from transforms.near_dedup import NearDedupConfig, banding

SENTENCES = Path(__file__).resolve().parents[2] / "shared" / "data" / "language" / "lingua-sentences" / "sentences"
# (language, what joins its sentences): Chinese and Japanese run sentences together, Thai and
# the others put a space between them
LANGUAGES = (("zh", ""), ("ja", ""), ("th", " "), ("en", " "), ("de", " "), ("ko", " "),
             ("hi", " "), ("bn", " "), ("ta", " "), ("he", " "), ("ar", " "))
# languages that also get word-edited copies: written with spaces
WORD_EDITS = ("en", "de", "hi", "bn", "ta", "he", "ar")
RATES = (0.01, 0.02, 0.05, 0.10, 0.20)
Tokeniser = Callable[[str, int], np.ndarray]


def v1_bytes(text: str) -> bytes:
    """The tokens of index version 1, joined by spaces: each `\\w+` run of the NFKC-casefolded text
    a word (a combining mark, `\\W`, cut a word in two), digits folded to 0."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\d", "0", " ".join(re.findall(r"\w+", folded))).encode("utf-8", "surrogatepass")


def before(text: str, ngram: int) -> np.ndarray:
    """Shingle hashes as every text was cut by index version 1: each `\\w+` run a word."""
    return minhash.hash_shingles([g.decode("utf-8", "surrogatepass") for g in minhash.cut_shingles(v1_bytes(text), ngram)])


def now(text: str, ngram: int) -> np.ndarray:
    return minhash.shingle_hashes(text, ngram)


def documents(lang: str, joiner: str, rng: random.Random, limit: int) -> list[str]:
    """Disjoint documents of 30-60 consecutive sentences of a shuffled sentence list."""
    lines = [s.strip() for s in (SENTENCES / f"{lang}.txt").read_text(encoding="utf-8").splitlines() if s.strip()]
    rng.shuffle(lines)
    docs, at = [], 0
    while len(docs) < limit:
        size = rng.randint(30, 60)
        if at + size > len(lines):
            break
        docs.append(joiner.join(lines[at : at + size]))
        at += size
    return docs


def edit_items(items: list, rate: float, pool: Sequence, rng: random.Random) -> list:
    """`items` with round(rate x their number) edits at random places: a substitution by an item
    drawn from `pool`, an insertion of one, or a deletion."""
    items = list(items)
    for _ in range(max(1, round(rate * len(items)))):
        at = rng.randrange(len(items))
        kind = rng.randrange(3)
        if kind == 0:
            items[at] = rng.choice(pool)
        elif kind == 1:
            items.insert(at, rng.choice(pool))
        elif len(items) > 1:
            del items[at]
    return items


def edit_chars(text: str, rate: float, pool: str, rng: random.Random) -> str:
    """`text` with edits to round(rate x its characters) characters (`edit_items`)."""
    return "".join(edit_items(list(text), rate, pool, rng))


def edit_words(text: str, rate: float, pool: list[str], rng: random.Random) -> str:
    """The same with words (space-separated) in place of characters."""
    return " ".join(edit_items(text.split(" "), rate, pool, rng))


class Finder:
    """Whether a pair is found by the stage's default: a shared band (21 x 6 of 128), then exact J >= 0.8."""

    def __init__(self) -> None:
        cfg = NearDedupConfig()
        self.threshold = cfg.threshold
        self.bands, self.rows = banding(cfg)
        self.perms = minhash.make_permutations(cfg.num_perm, cfg.seed)

    def keys(self, hashes: np.ndarray) -> set[bytes]:
        if hashes.size == 0:
            return set()
        return set(minhash.band_keys(minhash.signature_from_hashes(hashes, self.perms), self.bands, self.rows))

    def found(self, a: np.ndarray, b: np.ndarray) -> tuple[float, bool]:
        j = minhash.jaccard(a, b)
        return j, bool(self.keys(a) & self.keys(b)) and j >= self.threshold


def near_row(finder: Finder, originals: list[str], copies: list[list[str]], cut: Tokeniser, ngram: int) -> str:
    js, hits = [], 0
    for doc, doc_copies in zip(originals, copies):
        own = cut(doc, ngram)
        for copy in doc_copies:
            j, hit = finder.found(own, cut(copy, ngram))
            js.append(j)
            hits += hit
    return f"{np.mean(js):6.3f} {min(js):6.3f} {hits / len(js):6.1%}"


def unrelated_row(finder: Finder, originals: list[str], cut: Tokeniser, ngram: int) -> str:
    hashes = [cut(d, ngram) for d in originals]
    js, merged = [], 0
    for a, b in combinations(hashes, 2):
        j, hit = finder.found(a, b)
        js.append(j)
        merged += hit
    return f"{np.mean(js):7.4f} {max(js):7.4f} {merged:3d}/{len(js)}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=16, help="documents per language (fewer where sentences run out)")
    ap.add_argument("--copies", type=int, default=4, help="near copies per document and edit rate")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    finder = Finder()
    print(f"default banding {finder.bands} x {finder.rows}, threshold {finder.threshold}; "
          f"near copies: J mean, J min, found; unrelated pairs: J mean, J max, merged")
    print(f"{'language':22} {'edit':>9} {'tokens':7} {'n':>2} | {'J mean':>6} {'J min':>6} {'found':>6} |"
          f" {'J mean':>7} {'J max':>7} merged")
    for lang, joiner in (*LANGUAGES, ("zh-nopunct", "")):
        rng = random.Random(f"{args.seed}-{lang}")
        source = lang.split("-")[0]
        originals = documents(source, joiner, rng, args.docs)
        if lang == "zh-nopunct":
            originals = [re.sub(r"\W+", "", d) for d in originals]
        pool = "".join(originals)
        pool_chars = "".join(ch for ch in pool if ch.isalnum())
        pool_words = pool.split(" ")
        units = ["char", "word"] if lang in WORD_EDITS else ["char"]
        ngrams = (3, 5, 8) if source in ("zh", "ja", "th") else (5,)
        label = "zh, no punctuation" if lang == "zh-nopunct" else lang
        label = f"{label} ({len(originals)} docs)"
        for unit in units:
            for rate in RATES:
                copies = [[edit_chars(d, rate, pool_chars, rng) if unit == "char" else edit_words(d, rate, pool_words, rng)
                           for _ in range(args.copies)] for d in originals]
                for name, cut in (("before", before), ("now", now)):
                    for n in (5,) if name == "before" else ngrams:
                        head = f"{label:30} {f'{rate:.0%} {unit}s':>9} {name:7} {n:2d} |"
                        print(f"{head} {near_row(finder, originals, copies, cut, n)} |", flush=True)
        for name, cut in (("before", before), ("now", now)):
            for n in (5,) if name == "before" else ngrams:
                print(f"{label:30} {'unrelated':>9} {name:7} {n:2d} | {'':20} | {unrelated_row(finder, originals, cut, n)}",
                      flush=True)
        print()


if __name__ == "__main__":
    main()
