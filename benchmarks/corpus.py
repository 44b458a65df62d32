"""A deterministic benchmark corpus: realistic news documents as JSONL, built from real article text.

`python -m benchmarks.corpus --docs 2000 --out /tmp/corpus.jsonl`

Sources are the ground-truth article bodies in `../shared/data/extraction` (scrapinghub: 181 pages,
WCXB dev: 356 pages), i.e. text people wrote, not generated prose. Each document is one article, or
for documents past the number of articles a splice of two articles' paragraphs (so every document is
distinct text), with page cruft lines added the way scrapers leave them (share prompts, newsletter
boxes, cookie notices, "Read more" links, bylines). A share are near-duplicates of an earlier
document (a few words changed, different cruft: syndicated copies) and a smaller share exact copies.
The same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from benchmarks.data import DATA, scrapinghub_truth, wcxb_truth


CRUFT_TOP = [
    "Share this article",
    "Share on Facebook Share on Twitter Share via Email",
    "Home > News > World",
    "Advertisement",
    "By Staff Reporter | Updated 3 hours ago",
    "Listen to this article",
]
CRUFT_MIDDLE = [
    "Advertisement",
    "Read more: The stories you might have missed this week",
    "Related: What we know so far",
    "Subscribe to our newsletter for the latest updates.",
    "You may also like",
    "Story continues below advertisement",
]
CRUFT_BOTTOM = [
    "Leave a comment",
    "Comments are closed.",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    "Sign up for our daily newsletter",
    "Follow us on Twitter and Facebook",
    "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
    "Read the original report on the publisher's website.",
    "Copyright 2024. All rights reserved.",
]
SWAPS = [("the", "a"), ("said", "stated"), ("and", "as well as"), ("year", "season"), ("new", "latest")]


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    paragraphs: tuple[str, ...]


def load_articles(data: Path = DATA, min_chars: int = 500, wcxb_pages: int | None = None) -> list[Article]:
    """Ground-truth bodies of both extraction benchmarks, in a fixed order; `wcxb_pages`: only the
    first so many WCXB pages by id (356 approximates the set before 2026-12-04, docs/runners.md)."""
    out: list[Article] = []
    for _, item in scrapinghub_truth(data):
        out.append(Article(item.get("url", ""), "", _paragraphs(item.get("articleBody") or "")))
    for _, gt in wcxb_truth(data)[:wcxb_pages]:
        g = gt.get("ground_truth", {})
        out.append(Article(gt.get("url", ""), g.get("title") or "", _paragraphs(g.get("main_content") or "")))
    return [a for a in out if sum(map(len, a.paragraphs)) >= min_chars]


def _paragraphs(body: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in body.splitlines() if line.strip())


def _truncate(paragraphs: list[str], budget: int) -> list[str]:
    """Whole paragraphs up to about `budget` characters: news articles are mostly 2-9 KB."""
    out, size = [], 0
    for par in paragraphs:
        if out and size + len(par) > budget:
            break
        out.append(par)
        size += len(par) + 1
    return out


def _with_cruft(paragraphs: list[str], rng: random.Random) -> list[str]:
    lines = [rng.choice(CRUFT_TOP) for _ in range(rng.randint(0, 2))]
    for i, par in enumerate(paragraphs):
        lines.append(par)
        if i and i % 4 == 0 and rng.random() < 0.5:
            lines.append(rng.choice(CRUFT_MIDDLE))
    lines += [rng.choice(CRUFT_BOTTOM) for _ in range(rng.randint(1, 3))]
    return lines


def _near_copy(text: str, rng: random.Random) -> str:
    """A syndicated copy: a handful of word swaps, the rest identical (Jaccard well above 0.8)."""
    words = text.split(" ")
    for _ in range(max(1, len(words) // 150)):
        i = rng.randrange(len(words))
        for a, b in SWAPS:
            if words[i] == a:
                words[i] = b
                break
        else:
            words[i] = words[i].upper() if rng.random() < 0.5 else words[i] + ","
    return " ".join(words)


def generate(n_docs: int, seed: int = 0, near_share: float = 0.10, exact_share: float = 0.02,
             data: Path = DATA, wcxb_pages: int | None = None) -> Iterator[dict[str, str]]:
    articles = load_articles(data, wcxb_pages=wcxb_pages)
    rng = random.Random(seed)
    made: list[tuple[str, str, str]] = []  # (text, url, title) of the originals emitted so far
    unique = 0
    for k in range(n_docs):
        roll = rng.random()
        if made and roll < exact_share:
            text, url, title = made[rng.randrange(len(made))]
        elif made and roll < exact_share + near_share:
            text, url, title = made[rng.randrange(len(made))]
            text = _near_copy(text, rng)
            url = url + "?syndicated=1" if url else url
        else:
            base = articles[unique % len(articles)]
            pars = list(base.paragraphs)
            if unique >= len(articles):  # splice in another article so the text is new
                other = articles[rng.randrange(len(articles))]
                cut = rng.randint(1, max(1, len(pars) - 1))
                pars = pars[:cut] + list(other.paragraphs[: max(2, len(other.paragraphs) // 2)])
            pars = _truncate(pars, rng.randint(2000, 9000))
            unique += 1
            text = "\n".join(_with_cruft(pars, rng))
            url, title = base.url, base.title
            made.append((text, url, title))
        yield {"id": f"doc-{k:07d}", "url": url, "title": title, "text": text}


# where the benchmarks keep the generated corpus between runs (--work)
WORK = os.path.join(tempfile.gettempdir(), "newsclean-bench")


def corpus_path(work: str, n_docs: int, wcxb_pages: int | None = None) -> str:
    """The file of the `n_docs`-document corpus in `work` (from the first `wcxb_pages` WCXB pages only, if given)."""
    return os.path.join(work, f"corpus-{n_docs}{'' if wcxb_pages is None else f'-wcxb{wcxb_pages}'}.jsonl")


def corpus_in(work: str, n_docs: int) -> str:
    """The path of the `n_docs`-document corpus in `work`, written there on the first call."""
    path = corpus_path(work, n_docs)
    write_corpus(path, n_docs)
    return path


def write_corpus(path: str, n_docs: int, seed: int = 0, wcxb_pages: int | None = None) -> tuple[int, int]:
    """Write the corpus (if not already there); returns (documents, bytes)."""
    if os.path.exists(path):
        with open(path, "rb") as f:
            return sum(1 for _ in f), os.path.getsize(path)
    tmp = path + ".tmp"
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(tmp, "w", encoding="utf-8") as f:
        for doc in generate(n_docs, seed, wcxb_pages=wcxb_pages):
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return n_docs, os.path.getsize(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    ap.add_argument("--wcxb-pages", type=int, default=None, help="only the first N WCXB pages by id (356: the old set)")
    args = ap.parse_args()
    n, size = write_corpus(args.out, args.docs, args.seed, args.wcxb_pages)
    print(f"{n} documents, {size / 1e6:.1f} MB, mean {size / max(n, 1) / 1e3:.1f} KB -> {args.out}")


if __name__ == "__main__":
    main()
