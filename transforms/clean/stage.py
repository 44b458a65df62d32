"""The clean stage: one document's decision, its DoFn and its PTransform."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import replace

import apache_beam as beam

from transforms.clean.config import EXTRACTED, STAGE, CleanConfig
from transforms.clean.layout import line_count
from transforms.clean.rule_pack import (
    CleanFiles,
    RulePack,
    parse_rule_pack,
    read_clean_files,
)
from transforms.clean.strip import strip_cruft
from transforms.furniture_lines import FURNITURE, FurnitureModel, parse_furniture_model
from transforms.line_classifier import CLASSIFIER, LineModel, parse_line_model
from transforms.records import Document, Reason, Rejection
from transforms.routing import DecideFn, StageOutputs, apply_decisions


def config_for(doc: Document, cfg: CleanConfig) -> CleanConfig:
    """The cleaning config for this document: extracted text skips `skip_after_extraction`."""
    if EXTRACTED not in doc.flags or not cfg.skip_after_extraction:
        return cfg
    return _after_extraction(cfg)


@functools.lru_cache(maxsize=8)
def _after_extraction(cfg: CleanConfig) -> CleanConfig:
    # built once per config, not once per extracted page (a frozen config is its own cache key)
    return replace(cfg, disabled_rules=(*cfg.disabled_rules, *cfg.skip_after_extraction))


def pack_for(doc: Document, pack: RulePack, cfg: CleanConfig) -> RulePack:
    """The rule pack for this document: extracted text goes without the pack rules named in
    `skip_after_extraction` (the structure codes there are switched off by `config_for`)."""
    if EXTRACTED not in doc.flags or not cfg.skip_after_extraction:
        return pack
    return pack.without(cfg.skip_after_extraction)  # derived once per pack (RulePack.without)


def too_many_lines(doc: Document, cfg: CleanConfig) -> Rejection | None:
    """`doc` rejected as document_too_large when its text has more than `max_lines` lines, else None.
    Counted before any layer runs: each costs per line, and a page of a million short lines would
    hold a worker for seconds to minutes and gigabytes (the text is kept cut to 1,000 characters,
    as the reader keeps an oversized one)."""
    lines = line_count(doc.text)  # as cleaning cuts it: a text of lone \r line ends is as many lines
    if lines <= cfg.max_lines:
        return None
    detail = f"{lines} lines > clean.max_lines={cfg.max_lines}"
    return Rejection.of(doc.with_(text=doc.text[:1000], chars_in=doc.chars_in or len(doc.text)), Reason.DOCUMENT_TOO_LARGE, detail, STAGE)


def clean_document(
    doc: Document, pack: RulePack, cfg: CleanConfig, model: LineModel | None = None, furniture: FurnitureModel | None = None
) -> Document | Rejection:
    """The clean stage's decision for one document (`model`: the line classifier, if enabled)."""
    if (too_large := too_many_lines(doc, cfg)) is not None:
        return too_large
    pack = pack_for(doc, pack, cfg)
    cfg = config_for(doc, cfg)
    result = strip_cruft(doc.text, pack, cfg, doc.title, model, doc.url, furniture)
    examples: list[tuple[str, str]] = []
    per_rule: Counter[str] = Counter()
    for r in result.removals:
        if per_rule[r.rule] < cfg.max_examples:
            examples.append((r.rule, r.text[:300]))
            per_rule[r.rule] += 1
    cleaned = doc.with_(
        text=result.text,
        title=doc.title or result.title,
        chars_in=doc.chars_in or len(doc.text),
        lines_removed=result.lines_removed,
        chars_removed=result.chars_removed,
        rule_counts=result.rule_counts(),
        removed_examples=tuple(examples),
    )
    if not result.text.strip():
        detail = ",".join(code for code, _ in cleaned.rule_counts) or "blank"
        return Rejection.of(cleaned, Reason.EMPTY_AFTER_CLEANING, detail, STAGE)
    return cleaned


class StripCruftFn(DecideFn):
    stage = STAGE

    def __init__(self, cfg: CleanConfig, files: CleanFiles):
        self.cfg = cfg
        self.files = files  # the texts travel with the DoFn; no worker opens a path of the config
        # The pack travels parsed: parsing checks every pattern for catastrophic backtracking
        # (transforms/rule_safety.py), which each worker process would otherwise repeat before its
        # first document, while unpickling only recompiles the patterns (docs/runners.md). The
        # pipeline's builder parsed this text already (parse_rule_pack remembers it).
        self.pack: RulePack = parse_rule_pack(files.rule_pack, cfg.disabled_rules)
        self.model: LineModel | None = None
        self.furniture: FurnitureModel | None = None

    def setup(self) -> None:
        if self.cfg.classifier and CLASSIFIER not in self.cfg.disabled_rules:
            self.model = parse_line_model(self.files.classifier_weights)
        if self.cfg.furniture and FURNITURE not in self.cfg.disabled_rules:
            self.furniture = parse_furniture_model(self.files.furniture_weights)

    def decide(self, doc: Document) -> Document | Rejection:
        return clean_document(doc, self.pack, self.cfg, self.model, self.furniture)


class StripCruft(beam.PTransform):
    """Document -> kept: Document (cleaned), rejected: Rejection (empty_after_cleaning), failed: Failure.

    The rule pack and classifier weights are read here, where the pipeline is built (`files`, when
    the caller read them already), and travel inside the transform to the workers."""

    def __init__(self, cfg: CleanConfig, files: CleanFiles | None = None):
        super().__init__()
        self.cfg = cfg
        self.files = files or read_clean_files(cfg)

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        return apply_decisions(docs, "Clean", StripCruftFn(self.cfg, self.files))
