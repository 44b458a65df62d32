"""The line classifier's lexicon as the training script learns it (benchmarks/train_line_classifier.py):
the smoothed log-odds and what is kept, and the stacking that keeps a row's lexical columns free
of its own site fold's labels."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from benchmarks.text_mode import Page
from benchmarks.train_line_classifier import LEX_MIN_ABS, LEX_MIN_LINES, LEX_MIN_SITES, Rows, TokenCounts, lexicon_of, site_fold, stacked_rows
from transforms.line_classifier import LEXICAL_FEATURES, STRUCTURE_FEATURES


def test_the_lexicon_keeps_tokens_common_across_sites_as_smoothed_log_odds():
    assert (LEX_MIN_LINES, LEX_MIN_SITES, LEX_MIN_ABS) == (20, 3, 0.3)
    counts = TokenCounts(
        content=Counter({"said": 30, "the": 10, "honoree": 25, "few": 5}),
        cruft=Counter({"said": 10, "menu": 40, "the": 10, "few": 5}),
        sites=Counter({"said": 5, "menu": 4, "the": 9, "honoree": 1, "few": 7}),
        n_content=100,
        n_cruft=100,
    )
    # prior 0.5, so log-odds against it are plain log-odds; 2 pseudo-lines at the prior
    assert lexicon_of(counts) == {
        "menu": round(math.log(1 / 41), 4),  # (0 + 1) / (40 + 2) content
        "said": round(math.log(31 / 11), 4),  # (30 + 1) / (40 + 2)
    }  # "the" says nothing (0), "honoree" is one site's, "few" is on too few lines
    assert lexicon_of(TokenCounts(Counter({"a": 50}), Counter(), Counter({"a": 9}), 50, 0)) == {}  # no prior to weigh against


SITES = {fold: [f"https://site{i}.example/a" for i in range(12) if site_fold(Page("wcxb", "", f"https://site{i}.example/a", "", "", "")) == fold] for fold in range(5)}


def pages(flip_fold: int | None = None) -> list[tuple[Page, Rows]]:
    """Ten menu lines (cruft) and ten sentences (content) on each site of folds 0-2; on
    `flip_fold`'s sites every line is labelled content."""
    lines = ["Main menu"] * 10 + ["The council said so."] * 10
    out = []
    for fold in (0, 1, 2):
        for url in SITES[fold]:
            y = np.ones(20) if fold == flip_fold else np.asarray([0.0] * 10 + [1.0] * 10)
            out.append((Page("wcxb", url, url, "", "", ""), Rows(lines, np.zeros((20, len(STRUCTURE_FEATURES))), y, np.ones(20))))
    return out


def test_a_rows_lexical_columns_never_see_its_own_fold():
    assert all(len(SITES[f]) >= 2 for f in (0, 1, 2))  # each lexicon below is learnt on 3+ sites
    before, shipped_before = stacked_rows(pages())
    after, shipped_after = stacked_rows(pages(flip_fold=0))
    folds = [site_fold(p) for p, _ in pages()]
    assert all(x.shape == (20, len(STRUCTURE_FEATURES) + len(LEXICAL_FEATURES)) for x in before)
    menu = len(STRUCTURE_FEATURES)  # lex_mean of the first (menu) line
    for f, a, b in zip(folds, before, after):
        assert a[0, menu] < 0 < a[-1, menu]  # the menu reads as cruft, the sentence as content
        if f == 0:  # its own fold's labels changed: its columns did not
            assert np.array_equal(a, b)
        else:  # another fold's labels changed: its lexicon learnt from them
            assert not np.array_equal(a, b)
    assert shipped_before != shipped_after  # the shipped lexicon learns from every fold


def test_held_out_by_set_each_model_learns_from_the_other_sets_only(monkeypatch):
    import benchmarks.train_line_classifier as train

    seen = []
    monkeypatch.setattr(train, "fit", lambda pairs, source: seen.append(sorted({p.dataset for p, _ in pairs})) or source)
    sets = train.SETS3
    pages = [Page(s, f"{s}-{i}", f"https://{s}{i}.example/a", "", "", "") for s in sets for i in range(4)]
    rows = [Rows([], np.zeros((0, len(STRUCTURE_FEATURES))), None, np.zeros(0)) for _ in pages]
    extra_pages = [Page(s, f"{s}-clean", f"https://{s}9.example/b", "", "", "") for s in sets]
    extra = (extra_pages, rows[: len(extra_pages)])
    models = train.fold_models(pages, rows, len(sets), extra, train.dataset_fold)
    assert models == [f"fold {f} of {len(sets)}" for f in range(len(sets))]
    # the model of a set's fold never saw that set, its extra pages included, and saw every other set
    assert seen == [sorted(set(sets) - {s}) for s in sets]
    assert [train.dataset_fold(p) for p in pages] == [f for f in range(len(sets)) for _ in range(4)]
    # by site (the default), every fold's model sees pages of every set
    seen.clear()
    train.fold_models(pages, rows, train.FOLDS, extra)
    assert seen and all(s == sorted(sets) for s in seen)
