"""Train the furniture-lines model (cleaning layer 2c, transforms/furniture_lines.py).

Rows: every distinct short line (1 to MAX_WORDS `\\w+` tokens) of each dev page's naive visible
text (benchmarks/text_mode.py builds and caches it; the three extraction sets, 2,668 pages), once
per site: a menu repeated on every page of a site is one row, not hundreds. Labels as the line
classifier's (benchmarks/train_line_classifier.page_labels): content when the line is found in the
page's ground truth (trafilatura-eval: in trafilatura's extraction, overruled by the snippets);
a line content on any page of its site is content. Further content rows: the lines of the clean
article texts (benchmarks.clean_text_alone's) and the short sentences of the lingua corpus in 75
languages (../shared/data/language), so that words of a language the pages rarely show do not
read as furniture for want of any other evidence. And the inline-furniture batches
(benchmarks/data/inline_cruft_lines.txt: furniture lines of families and forms the pages show
rarely or never, and sentences using the same words, each batch written by someone else: twenty-one
read while the pack's families were written from them, fourteen never read by anyone), each line
weighing INLINE_WEIGHT page lines: 4,900 lines among 588,000 would say next to nothing, and they
are the one source of the forms a page set of 2,000 sites lacks. Each batch counts as a site, so a
key of one batch alone is no key (MIN_SITES).

Features: `transforms.furniture_lines.furniture_keys` (the line's words, their pairs, its first
and last word, its shape), each kept when it occurs on MIN_SITES sites or more (a word of one
site's menu says nothing about the next site). Model: scikit-learn's logistic regression
(liblinear, L1, C=C_REG, fixed random_state: the same rows give the same weights), exported with
the weights rounded to 4 decimals and the ones that round to 0 left out: the L1 penalty keeps
about 21,300 of 130,000 keys (a 391 KB file; L2 kept them all at 3.2 MB and caught no more); every
figure below is computed with the exported model, the way the stage computes it.

Evaluation: 5 folds grouped by site (train_line_classifier.site_fold; lingua sentences by a hash
of the sentence; inline lines by batch, so a batch is judged by a model that never saw it): per
threshold, the share of furniture lines caught and the content lines lost, per set, out of fold.
The labels are noisy in one direction: many "content" lines at the top of the scale are furniture
that a ground truth kept (forum post stamps, "Subscribe to my newsletter", a product page's
delivery line), so the loss printed is an upper bound; `--show` prints them. Then the model fitted
on every row scores the held-out batches (benchmarks/data/inline_cruft_heldout.txt, never trained
on, kept unread).

  python -m benchmarks.train_furniture_lines            # out-of-fold figures
  python -m benchmarks.train_furniture_lines --write    # + write configs/furniture-lines-v1.json
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import re
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.data import DATA  # noqa: E402
from benchmarks.text_mode import DEFAULT_CACHE, load_cached_pages  # noqa: E402
from benchmarks.train_line_classifier import FOLDS, clean_article_pages, page_labels, site_fold  # noqa: E402
from transforms.furniture_lines import DEFAULT_FURNITURE_WEIGHTS, FurnitureModel, furniture_keys, line_words  # noqa: E402
from transforms.records import domain_of  # noqa: E402

MAX_WORDS = 15  # longer lines are paragraphs: never judged
MIN_SITES = 3
C_REG = 0.5
THRESHOLDS = (0.9, 0.95, 0.97, 0.98, 0.99)
INLINE_TRAIN = REPO / "benchmarks/data/inline_cruft_lines.txt"
HELD_OUT = (REPO / "benchmarks/data/inline_cruft_heldout.txt",)
# what one inline-batch line weighs against one page line, chosen among 1, 10 and 40 on the
# twenty-second batch while it was held out (docs/cleaning.md, "Layer 2c learns from the batches")
INLINE_WEIGHT = 40
# the comment that opens each batch of INLINE_TRAIN ("# Fifth batch, written on ...")
_BATCH_HEADER = re.compile(r"^# (?:a )?[\w-]+ batch, written", re.IGNORECASE)


@functools.cache  # text_mode --by-set asks twice (5 folds by site, then by set); callers do not mutate it
def page_rows(cache: str) -> list[tuple[str, int, str, str, int]]:
    """(site, fold, set, line, label: 1 furniture, 0 content) per distinct short line of a site."""
    rows: dict[tuple[str, str], tuple[int, str, int]] = {}
    for p in load_cached_pages(cache) + clean_article_pages():
        lines = [line.strip() for line in p.text.split("\n") if line.strip()]
        y = page_labels(p, lines) if lines else None
        if y is None:
            continue
        site, fold = domain_of(p.url), site_fold(p)
        for line, label in zip(lines, y):
            if not 0 < line_words(line) <= MAX_WORDS:
                continue
            furniture = int(label < 0.5)
            seen = rows.get((site, line))
            rows[(site, line)] = (fold, p.dataset, furniture if seen is None else min(furniture, seen[2]))
    return [(site, fold, ds, line, lab) for (site, line), (fold, ds, lab) in rows.items()]


@functools.cache
def lingua_rows(data: Path = DATA) -> list[tuple[str, int, str, str, int]]:
    """The lingua corpus's short sentences, content, each language a site."""
    out = []
    for path in sorted((data / "language/lingua-sentences/sentences").glob("*.txt")):
        for s in dict.fromkeys(s.strip() for s in path.read_text(encoding="utf-8").split("\n")):
            if s and 0 < line_words(s) <= MAX_WORDS:
                out.append((f"lingua:{path.stem}", int(hashlib.md5(s.encode()).hexdigest(), 16) % FOLDS, "lingua", s, 0))
    return out


def inline_rows(path: Path = INLINE_TRAIN) -> list[tuple[str, int, str, str, int]]:
    """The training batches' lines: furniture (`cruft`) and look-alike sentences (`keep`);
    lines left in by `choice` are neither. Each batch a site and its fold its number's."""
    out, batch = [], 0
    for raw in path.read_text(encoding="utf-8").splitlines():
        batch += bool(_BATCH_HEADER.match(raw))
        if raw.strip() and not raw.startswith("#"):
            tag, line = raw.split(None, 1)
            if tag != "choice" and 0 < line_words(line := line.strip()) <= MAX_WORDS:
                out.append((f"inline:{batch}", batch % FOLDS, "inline", line, int(tag == "cruft")))
    return out


def fit(rows: list[tuple[str, int, str, str, int]], keys: list[list[str]], source: str) -> FurnitureModel:
    """The logistic model of `rows` (their `keys`), over the keys found on MIN_SITES sites or more;
    the inline batches' rows weigh INLINE_WEIGHT."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    sites: dict[str, set[str]] = defaultdict(set)
    for (site, *_), ks in zip(rows, keys):
        for k in ks:
            sites[k].add(site)
    vocab = sorted(k for k, s in sites.items() if len(s) >= MIN_SITES)
    index = {k: i for i, k in enumerate(vocab)}
    cols = [[index[k] for k in dict.fromkeys(ks) if k in index] for ks in keys]
    indptr = np.cumsum([0] + [len(c) for c in cols]).astype(np.int32)
    x = csr_matrix((np.ones(int(indptr[-1])), np.fromiter((i for c in cols for i in c), dtype=np.int32), indptr), shape=(len(rows), len(vocab)))
    y = np.asarray([r[4] for r in rows])
    with warnings.catch_warnings():  # scikit-learn 1.8 renames `penalty`; the same fit either way
        warnings.simplefilter("ignore", (FutureWarning, UserWarning))
        weight = np.asarray([INLINE_WEIGHT if r[2] == "inline" else 1.0 for r in rows])
        clf = LogisticRegression(penalty="l1", C=C_REG, solver="liblinear", max_iter=5000, random_state=0).fit(x, y, sample_weight=weight)
    weights = {k: round(float(w), 4) for k, w in zip(vocab, clf.coef_[0]) if round(float(w), 4) != 0.0}
    return FurnitureModel(weights, round(float(clf.intercept_[0]), 4), MAX_WORDS, source)


def clean_text_loss(models: list[FurnitureModel]) -> None:
    """The layer alone on the clean article texts (benchmarks.clean_text_alone's, as they are and
    hard-wrapped), each judged by the model of the fold its site is not in: the share of their
    non-space characters it removes, and the articles losing more than a fifth, per threshold."""
    from transforms.clean import CleanConfig
    from transforms.clean.furniture import drop_furniture_lines
    from transforms.clean.line_facts import LineFacts

    articles = clean_article_pages()
    print(f"out of fold, the layer alone on {len(articles)} clean article texts (as they are and hard-wrapped): characters removed, articles losing > 1/5")
    for t in THRESHOLDS:
        cfg = CleanConfig(furniture_threshold=t)
        total = removed = worst = 0
        for p in articles:
            lines: list[str | None] = [line.strip() for line in p.text.split("\n")]
            drop_furniture_lines(lines, models[site_fold(p)], cfg, "", LineFacts(cfg), [])
            before = sum(len(line.replace(" ", "")) for line in p.text.split("\n"))
            after = sum(len(line.replace(" ", "")) for line in lines if line)
            total, removed, worst = total + before, removed + before - after, worst + (before - after > 0.2 * before)
        print(f"  >= {t}: {removed / max(1, total):.3%} of characters, {worst} articles")


def fold_models(cache: str = str(DEFAULT_CACHE), by_set: bool = False) -> list[FurnitureModel]:
    """One model per fold of benchmarks.text_mode's held-out figures, each fitted without the
    pages of its fold: 5 folds by site (train_line_classifier.site_fold), or with `by_set` one
    fold a set (dataset_fold). The lingua sentences and the inline batches are in every fold's rows:
    they are no page."""
    from benchmarks.train_line_classifier import SETS3

    rows = page_rows(cache)
    no_page = lingua_rows() + inline_rows()
    k = len(SETS3) if by_set else FOLDS
    out = []
    for f in range(k):
        train = [r for r in rows if (SETS3.index(r[2]) if by_set else r[1]) != f] + no_page
        out.append(fit(train, [furniture_keys(r[3]) for r in train], f"fold {f} of {k}{' by set' if by_set else ''}"))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help="page-text pickle shared with benchmarks.text_mode")
    ap.add_argument("--write", action="store_true", help=f"also fit on every row and write configs/{DEFAULT_FURNITURE_WEIGHTS}")
    ap.add_argument("--out", default=str(REPO / "configs" / DEFAULT_FURNITURE_WEIGHTS))
    ap.add_argument("--show", type=int, default=0, help="print this many content-labelled lines out of fold at >= 0.97")
    ap.add_argument("--no-folds", action="store_true", help="skip the out-of-fold figures")
    ap.add_argument("--lines", nargs="*", default=[str(p) for p in HELD_OUT], help="files of tagged lines to score (benchmarks.inline_cruft's format)")
    args = ap.parse_args(argv)
    t0 = time.time()
    rows = page_rows(args.cache) + lingua_rows() + inline_rows()
    keys = [furniture_keys(r[3]) for r in rows]
    y = np.asarray([r[4] for r in rows])
    print(f"{len(rows):,} distinct short lines ({int(y.sum()):,} furniture) in {time.time() - t0:.0f} s", flush=True)
    if not args.no_folds:
        folds = np.asarray([r[1] for r in rows])
        oof = np.zeros(len(rows))
        models = []
        for k in range(FOLDS):
            train = np.flatnonzero(folds != k)
            models.append(model := fit([rows[i] for i in train], [keys[i] for i in train], f"fold {k}"))
            for i in np.flatnonzero(folds == k):
                oof[i] = model.score(rows[i][3])
            print(f"  fold {k}: {len(model.weights):,} weights, {time.time() - t0:.0f} s", flush=True)
        sets = np.asarray([r[2] for r in rows])
        content = y == 0
        inline = sets == "inline"
        page = ~inline
        print(f"out of fold ({FOLDS} folds by site, the inline lines by batch): page furniture caught; content lines lost per set"
              " (an upper bound: see the docstring); inline furniture caught and look-alikes hit")
        for t in THRESHOLDS:
            gone = oof >= t
            per_set = ", ".join(
                f"{s} {int((gone & content & (sets == s)).sum())}/{int((content & (sets == s)).sum())}"
                for s in ("scrapinghub", "wcxb", "trafilatura-eval", "lingua")
            )  # fmt: skip
            print(f"  >= {t}: furniture {(gone & ~content & page).sum() / max(1, (~content & page).sum()):.1%}; "
                  f"content {(gone & content & page).sum() / (content & page).sum():.2%} ({per_set}); "
                  f"inline {int((gone & ~content & inline).sum())}/{int((~content & inline).sum())}, "
                  f"look-alikes {int((gone & content & inline).sum())}/{int((content & inline).sum())}")
        clean_text_loss(models)
        if args.show:
            lost = [(oof[i], rows[i]) for i in np.flatnonzero(content & (oof >= 0.97))]
            for score, (site, _, ds, line, _) in sorted(lost, key=lambda t: -t[0])[: args.show]:
                print(f"    {score:.3f} {ds:16} {site[:28]:28} {line[:100]}")
    model = fit(rows, keys, f"benchmarks/train_furniture_lines.py: {len(rows)} lines, C={C_REG}, min sites {MIN_SITES}, inline lines weigh {INLINE_WEIGHT}")
    print(f"every row: {len(model.weights):,} weights, {time.time() - t0:.0f} s")
    from benchmarks.inline_cruft import read_lines

    for path in map(Path, args.lines):
        pairs = read_lines(path)
        scores = [model.score(line) for _, line in pairs]
        for t in THRESHOLDS:
            caught = sum(tag == "cruft" and s >= t for (tag, _), s in zip(pairs, scores))
            cut = sum(tag == "keep" and s >= t for (tag, _), s in zip(pairs, scores))
            n_cruft, n_keep = sum(tag == "cruft" for tag, _ in pairs), sum(tag == "keep" for tag, _ in pairs)
            print(f"  {path.name} >= {t}: furniture caught {caught} of {n_cruft}, look-alikes hit {cut} of {n_keep}")
    if args.write:
        Path(args.out).write_text(model.to_json(), encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
