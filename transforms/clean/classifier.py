"""Layer 2b: the learned line classifier's hook into cleaning."""

from __future__ import annotations

from transforms.clean.config import CleanConfig
from transforms.clean.line_facts import LineFacts, normalize_line
from transforms.clean.removal import Removal
from transforms.clean.structure import body_span
from transforms.line_classifier import (
    CLASSIFIER,
    LineModel,
    line_features,
)


def classifier_features(
    kept: list[str],
    cfg: CleanConfig,
    cache: dict[str, list[float]] | None = None,
    facts: LineFacts | None = None,
):
    """The classifier's feature rows for `kept` (a document's kept non-blank lines, in order)."""
    facts = facts or LineFacts(cfg)
    return line_features(kept, body_span(kept, cfg, facts=facts), facts.words, facts.prose, cache)


def drop_by_classifier(
    lines: list[str | None],
    cfg: CleanConfig,
    model: LineModel,
    removals: list[Removal],
    title_key: str,
    cache: dict[str, list[float]],
    facts: LineFacts,
) -> None:
    """Kept lines whose content probability is below the threshold go; never the title (the
    training ground truths leave titles out, so the model cannot judge them), and never every
    line (a page the model finds no content in is left to the quality filters, not emptied)."""
    idx = [i for i, line in enumerate(lines) if line]
    if not idx:
        return
    kept = [lines[i] or "" for i in idx]
    drop = model.probabilities(classifier_features(kept, cfg, cache, facts)) < cfg.classifier_threshold
    if drop.all():
        return
    for i, line, d in zip(idx, kept, drop):
        if d and normalize_line(line) != title_key:
            removals.append(Removal(CLASSIFIER, line, True))
            lines[i] = None
