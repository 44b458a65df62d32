"""Layer 2b: the learned line classifier's hook into cleaning.

It runs once the structure layer has settled, over every line the rule pack kept, with the
structure layer's verdicts as evidence: it gives back lines the body span removed when the page
around them says they are content (`RESTORABLE`: a body span put on a sidebar, a product's specs
read as a menu), and removes lines structure kept (as `classifier`)
that score below `classifier_threshold`. Lines the rule pack removed stay removed: those rules
name what they match, and the classifier is not trained on them.
"""

from __future__ import annotations

import numpy as np

from transforms.clean.config import NAVIGATION, OUTSIDE_BODY, CleanConfig
from transforms.clean.line_facts import LineFacts, normalize_line
from transforms.clean.removal import Removal
from transforms.line_classifier import CLASSIFIER, FEATURES, LineModel, line_features


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
    waiting: dict[str, list[int]] = {}
    for i, (before, after) in enumerate(zip(pack_lines, lines)):
        if before and after is None:
            waiting.setdefault(before, []).append(i)
    out: dict[int, tuple[str, int]] = {}
    for k in range(first, len(removals)):
        r = removals[k]
        queue = waiting.get(r.text) if r.whole_line else None
        if queue:
            out[queue.pop(0)] = (r.rule, k)
    return out


def classifier_rows(
    pack_lines: list[str | None],
    lines: list[str | None],
    removals: list[Removal],
    first: int,
    cfg: CleanConfig,
    title_key: str,
    facts: LineFacts,
    cache: dict[str, list[float]] | None = None,
) -> tuple[list[int], np.ndarray, np.ndarray, dict[int, tuple[str, int]]]:
    """(the indices of the lines the rule pack kept, their feature rows, which rows the model
    judges, structural_verdicts()). With `classifier_threshold` 0 the model only gives back, so
    it judges only the lines structure removed by a rule in RESTORABLE; the other rows hold just
    what their neighbours read of them (`line_features`' `judged`)."""
    verdicts = structural_verdicts(pack_lines, lines, removals, first)
    idx = [i for i, line in enumerate(pack_lines) if line]
    if cfg.classifier_threshold > 0:
        judged = np.ones(len(idx), dtype=bool)
    else:
        judged = np.asarray([i in verdicts and verdicts[i][0] in RESTORABLE for i in idx], dtype=bool)
    if not judged.any():
        return idx, np.zeros((len(idx), len(FEATURES))), judged, verdicts
    texts = [pack_lines[i] or "" for i in idx]
    x = line_features(
        texts,
        [verdicts[i][0] if i in verdicts else ("" if lines[i] else "other") for i in idx],
        [facts.words(t) for t in texts],
        [facts.prose(t) for t in texts],
        [bool(j) and normalize_line(t) == title_key for t, j in zip(texts, judged)],  # read only on judged rows
        cache,
        None if judged.all() else judged,
    )
    return idx, x, judged, verdicts


def decide(p: np.ndarray, structure_kept: np.ndarray, restorable: np.ndarray, cfg: CleanConfig) -> np.ndarray:
    """Which lines stay: a line structure kept while it scores at least `classifier_threshold`,
    a line structure removed (and `restorable`) once it scores at least `classifier_restore_threshold`."""
    return np.where(structure_kept, p >= cfg.classifier_threshold, restorable & (p >= cfg.classifier_restore_threshold))


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
    line: a page the model finds no content in keeps
    what structure kept, and is left to the quality filters."""
    idx, x, judged, verdicts = classifier_rows(pack_lines, lines, removals, first, cfg, title_key, facts, cache)
    if not judged.any():
        return  # nothing the model could change: no line to give back, and removing is off
    restorable = np.asarray([i in verdicts and verdicts[i][0] in RESTORABLE for i in idx], dtype=bool)
    p = np.ones(len(idx))  # a row not judged: removing is off (classifier_threshold 0), so it stays as it is
    p[judged] = model.probabilities(x[judged])
    keep = decide(p, np.asarray([bool(lines[i]) for i in idx], dtype=bool), restorable, cfg)
    if not keep.any():
        return
    restored: set[int] = set()
    for i, ok in zip(idx, keep):
        line = pack_lines[i] or ""
        if ok and lines[i] is None:  # restorable: structure removed it
            lines[i] = line
            restored.add(verdicts[i][1])
        elif not ok and lines[i] and normalize_line(line) != title_key:
            removals.append(Removal(CLASSIFIER, line, True))
            lines[i] = None
    if restored:
        removals[:] = [r for k, r in enumerate(removals) if k not in restored]
