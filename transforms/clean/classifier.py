"""Layer 2b: the learned line classifier's hook into cleaning.

It runs once the structure layer has settled, over every line the rule pack kept, with the
structure layer's verdicts as evidence: it gives back lines the body span removed when the page
around them says they are content (`RESTORABLE`: a body span put on a sidebar, a product's specs
read as a menu). With a `classifier_threshold` above 0 (0.1 by default) it also removes lines
structure kept that score below it, as `classifier` (page furniture its words give away). Lines
the rule pack removed stay removed: those rules name what they match, and the classifier is not
trained on them.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import replace
from typing import Sequence

import numpy as np

from transforms.clean.config import NAVIGATION, OUTSIDE_BODY, CleanConfig
from transforms.clean.line_facts import LineFacts
from transforms.clean.removal import Removal
from transforms.line_classifier import CLASSIFIER, LineModel, line_features


# What the classifier may give back: lines the body span removed for where they stand
# (`navigation`, `outside_body`). That is the removal that misfires on sites the rules were not
# written for: a body span put on a sidebar, a product's specs and prices read as a menu. The
# rest stays removed, each on evidence the model does not weigh: the tail cut starts at a header
# the rule pack named, a teaser or blurb run is a block of look-alike items, a repeat is a copy,
# a URL or symbol line is judged on itself. Out of fold (docs/cleaning.md): teasers and repeats
# given back cost ScrapingHub 0.013 F1 and spared 0.1% more pages; URL and symbol lines given
# back went again in a second pass, which then changed 42% of pages instead of 7%.
RESTORABLE = (NAVIGATION, OUTSIDE_BODY)


def structural_verdicts(
    pack_lines: list[str | None], lines: list[str | None], removals: list[Removal], first: int
) -> dict[int, tuple[str, int]]:
    """line index -> (rule code, index in `removals`) for every line the rule pack kept and a
    later layer removed. `pack_lines` are the lines after the rule pack, `lines` after structure,
    `removals[first:]` what structure removed (whole lines, by text; equal lines are matched to
    removals in page order)."""
    # a deque per text: a page of 500,000 equal lines took minutes with list.pop(0) (hostile round 8)
    waiting: dict[str, deque[int]] = {}
    for i, (before, after) in enumerate(zip(pack_lines, lines)):
        if before and after is None:
            waiting.setdefault(before, deque()).append(i)
    out: dict[int, tuple[str, int]] = {}
    for k in range(first, len(removals)):
        r = removals[k]
        queue = waiting.get(r.text) if r.whole_line else None
        if queue:
            out[queue.popleft()] = (r.rule, k)
    return out


def classifier_rows(
    idx: list[int],
    texts: list[str],
    words: Sequence[float],
    lines: list[str | None],
    verdicts: dict[int, tuple[str, int]],
    title_key: str,
    facts: LineFacts,
    cache: dict[str, list[float]] | None = None,
    judged: np.ndarray | None = None,
) -> np.ndarray:
    """The structure feature rows of the lines `idx` (those the rule pack kept, in order), whose
    texts are `texts` and word counts `words`. `lines` are the page's lines after structure, `verdicts`
    structural_verdicts(). With `judged` (a mask over `idx`), only the judged rows are whole: the
    others hold just what their neighbours read of them (`line_features`)."""
    return line_features(
        texts,
        [verdicts[i][0] if i in verdicts else ("" if lines[i] else "other") for i in idx],
        words,
        [facts.prose(t) for t in texts],
        [(judged is None or bool(judged[k])) and facts.key(t) == title_key for k, t in enumerate(texts)],
        cache,
        None if judged is None or judged.all() else judged,
    )


def reads_kept_scores(cfg: CleanConfig, any_restorable: bool) -> bool:
    """Whether `decide` reads the scores of the lines structure kept, on a page with or without
    lines it may give back: to remove them (an absolute or a relative bar), or for the mean that a
    relative bar for giving back is taken from (which matters only when something may come back)."""
    return cfg.classifier_threshold > 0 or cfg.classifier_remove_relative > 0 or (cfg.classifier_restore_relative > 0 and any_restorable)


def decide(p: np.ndarray, structure_kept: np.ndarray, restorable: np.ndarray, words: np.ndarray, cfg: CleanConfig) -> np.ndarray:
    """Which lines stay: a line structure kept while it scores at least `classifier_threshold`
    and `classifier_remove_relative` times the mean score of the lines structure kept, weighted
    by their `words` (0 when it kept none); a line structure removed (and `restorable`) once it
    scores at least `classifier_restore_threshold` and `classifier_restore_relative` times that
    mean. Relative evidence holds where every score on a page is low or high: a site unlike the
    training pages shifts them all. The relative bar for giving back holds in full on a page where
    structure kept `classifier_restore_full_share` or more of the words it kept and those it
    removed that clear the absolute bar for giving back, and falls in proportion below it: the
    more of a page the body span took, the less evidence it takes to give it back. Lines come
    back only when together they hold `classifier_restore_min_words` words or more: too few are
    no misplaced article."""
    remove, restore = cfg.classifier_threshold, cfg.classifier_restore_threshold
    if cfg.classifier_restore_relative > 0 or cfg.classifier_remove_relative > 0:
        weight = np.where(structure_kept, words, 0.0)
        total = math.fsum(weight)
        kept_mean = math.fsum(p * weight) / total if total > 0 else 0.0
        remove = max(remove, cfg.classifier_remove_relative * kept_mean)
        taken = math.fsum(words[restorable & (p >= cfg.classifier_restore_threshold)])  # what the body span took that may be content
        restore = max(restore, cfg.classifier_restore_relative * kept_mean * _restore_scale(total, taken, cfg))
    keep = np.where(structure_kept, p >= remove, restorable & (p >= restore))
    back = keep & ~structure_kept
    if math.fsum(words[back]) < cfg.classifier_restore_min_words:
        keep &= ~back
    return keep


def _restore_scale(kept_words: float, taken_words: float, cfg: CleanConfig) -> float:
    """How much of the relative bar for giving back holds on a page where structure kept
    `kept_words` and the body span took `taken_words` that clear the absolute bar (lines under it
    are furniture for sure, and do not count): all of it when the kept share reaches
    `classifier_restore_full_share`, that share's fraction of it below. A removal that would
    leave a page little of its text needs stronger evidence than one that takes a menu (issue
    15): held out by set, whole-article cuts 2.3% -> 1.9% of pages at 0.5 (docs/cleaning.md)."""
    full = cfg.classifier_restore_full_share
    if full <= 0:
        return 1.0
    share = kept_words / (kept_words + taken_words) if kept_words + taken_words > 0 else 1.0
    return min(1.0, share / full)


def give_back_only(cfg: CleanConfig) -> CleanConfig:
    """`cfg` with the classifier's removal bars at 0: it gives lines back and removes none."""
    return replace(cfg, classifier_threshold=0.0, classifier_remove_relative=0.0)


def relabel_by_classifier(
    pack_lines: list[str | None],
    lines: list[str | None],
    removals: list[Removal],
    first: int,
    cfg: CleanConfig,
    model: LineModel,
    title_key: str,
    facts: LineFacts,
    cache: dict[str, list[float]] | None = None,
) -> None:
    """Keep the lines `decide` keeps, remove the others (in place, on `lines` and `removals`).
    Never the title (the ground truths the model learned from leave titles out), and never every
    line: a page the model finds no content in keeps what structure kept, and is left to the
    quality filters."""
    verdicts = structural_verdicts(pack_lines, lines, removals, first)
    idx = [i for i, line in enumerate(pack_lines) if line]
    texts = [pack_lines[i] or "" for i in idx]
    restorable = np.asarray([i in verdicts and verdicts[i][0] in RESTORABLE for i in idx], dtype=bool)
    structure_kept = np.asarray([bool(lines[i]) for i in idx], dtype=bool)
    # the model scores only the lines its verdict can change or that `decide` reads: those it may
    # give back and, when `reads_kept_scores`, those structure kept (a line the tail cut, a teaser
    # run or a repeat took stays removed whatever it scores); a page without any is not scored at
    # all. The training script's recorder asks for every line's row (`scores_every_line`).
    if getattr(model, "scores_every_line", False):
        judged = np.ones(len(idx), dtype=bool)
    elif reads_kept_scores(cfg, bool(restorable.any())):
        judged = restorable | structure_kept
    else:
        judged = restorable
    if not judged.any():
        return
    words = np.asarray([facts.words(t) for t in texts], dtype=np.float64)
    x = model.rows(texts, classifier_rows(idx, texts, words, lines, verdicts, title_key, facts, cache, judged))
    p = np.ones(len(idx))  # a row not judged stays as it is (kept, or removed by a rule the model does not overrule)
    p[judged] = model.probabilities(x[judged])
    keep = decide(p, structure_kept, restorable, words, cfg)
    if not keep.any():
        return
    restored: set[int] = set()
    for i, line, ok in zip(idx, texts, keep):
        if ok and lines[i] is None:  # restorable: structure removed it
            lines[i] = line
            restored.add(verdicts[i][1])
        elif not ok and lines[i] and facts.key(line) != title_key:
            removals.append(Removal(CLASSIFIER, line, True))
            lines[i] = None
    if restored:
        removals[:] = [r for k, r in enumerate(removals) if k not in restored]
