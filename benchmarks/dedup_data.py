"""Real article bodies from ../shared/data and near-duplicate copies made from them with
controlled edits, for the near-dedup benchmarks. Deterministic for a given seed."""

from __future__ import annotations

import random
import re

from benchmarks.data import scrapinghub_truth, wcxb_truth

HEADLINES = ["Breaking:", "UPDATE -", "Exclusive:", "Live:", "Analysis:", "Reuters -", "AP -", "Watch:"]
FOOTERS = [
    "Copyright 2024 The Daily Courier. All rights reserved.",
    "Follow us on Facebook and Twitter for the latest news.",
    "Reporting by staff writers; editing by the news desk.",
    "This article originally appeared on our partner site.",
    "Sign up for our newsletter to get the top stories every morning.",
]
CRUFT = ["Advertisement", "Read more: Top stories of the week", "Share this article", "Click here to subscribe",
         "Related: More news from the region"]


def load_articles(min_words: int = 80) -> list[str]:
    """Ground-truth article bodies of the two extraction benchmarks (plain text, paragraphs by
    newline), at least `min_words` words, each body once, in a fixed order."""
    bodies: list[str] = []
    bodies += [v["articleBody"] for _, v in scrapinghub_truth()]
    bodies += [record["ground_truth"]["main_content"] for _, record in wcxb_truth()]
    seen: set[str] = set()
    out = []
    for b in bodies:
        b = "\n".join(line.strip() for line in b.splitlines() if line.strip())
        if len(re.findall(r"\w+", b)) >= min_words and b not in seen:
            seen.add(b)
            out.append(b)
    return out


def edit(text: str, rng: random.Random, vocabulary: list[str]) -> tuple[str, str]:
    """One near-duplicate copy of `text` and a label of its edits. Edit strength is drawn so the
    copies spread over Jaccard ~0.4-1.0 around the 0.8 threshold."""
    paras = text.split("\n")
    labels = []
    kinds = rng.sample(["words", "insert", "delete", "paragraph", "frame", "cruft"], k=rng.randint(1, 3))
    if "paragraph" in kinds and len(paras) > 4:
        drop = rng.randrange(len(paras))
        paras = paras[:drop] + paras[drop + 1 :]
        labels.append("drop_paragraph")
    words_by_para = [p.split(" ") for p in paras]
    flat = [(i, j) for i, ws in enumerate(words_by_para) for j in range(len(ws))]
    rate = rng.choice([0.005, 0.01, 0.02, 0.03, 0.05])
    n = max(1, int(len(flat) * rate))
    if "words" in kinds:
        for i, j in rng.sample(flat, min(n, len(flat))):
            words_by_para[i][j] = rng.choice(vocabulary)
        labels.append(f"change_{rate:.3f}")
    if "insert" in kinds:
        for i, j in rng.sample(flat, min(n, len(flat))):
            words_by_para[i][j] = words_by_para[i][j] + " " + rng.choice(vocabulary)
        labels.append(f"insert_{rate:.3f}")
    if "delete" in kinds:
        for i, j in rng.sample(flat, min(n, len(flat))):
            words_by_para[i][j] = ""
        labels.append(f"delete_{rate:.3f}")
    paras = [" ".join(w for w in ws if w) for ws in words_by_para]
    if "frame" in kinds:
        paras = [f"{rng.choice(HEADLINES)} {' '.join(paras[0].split()[:8])}"] + paras + [rng.choice(FOOTERS)]
        labels.append("headline_footer")
    if "cruft" in kinds:
        paras.insert(rng.randint(0, len(paras)), rng.choice(CRUFT))
        labels.append("cruft_line")
    return "\n".join(p for p in paras if p), "+".join(labels)


def near_duplicate_set(articles: list[str], copies: int = 3, seed: int = 7) -> list[tuple[str, str, int, str]]:
    """(id, text, family, edit label): every article untouched plus `copies` edited copies each
    (copies of copies for the last one, so chains occur)."""
    rng = random.Random(seed)
    vocabulary = sorted({w for a in articles[:50] for w in re.findall(r"[A-Za-z]{4,}", a)})
    out = []
    for f, art in enumerate(articles):
        out.append((f"a{f:04d}-orig", art, f, "original"))
        prev = art
        for c in range(copies):
            base = prev if c == copies - 1 else art
            text, label = edit(base, rng, vocabulary)
            out.append((f"a{f:04d}-copy{c}", text, f, label))
            prev = text
    return out
