"""The Beam stages: the length check before language identification (`RejectTooShort`) and the
quality filters after it (`FilterLowQuality`)."""

from __future__ import annotations

import apache_beam as beam

from transforms.records import Document, Rejection
from transforms.routing import DecideFn, StageOutputs, apply_decisions

from .config import STAGE, QualityConfig
from .filters import Threshold, assess_quality, enabled_rules, reject_if_too_short


class RejectTooShortFn(DecideFn):
    stage = STAGE

    def __init__(self, cfg: QualityConfig):
        self.cfg = cfg
        self.rules: tuple[Threshold, ...] | None = None

    def setup(self) -> None:
        self.rules = enabled_rules(self.cfg)

    def decide(self, doc: Document) -> Document | Rejection:
        return reject_if_too_short(doc, self.cfg, self.rules)



class RejectTooShort(beam.PTransform):
    """Document -> kept: Document (untouched), rejected: Rejection (gopher_quality: too few words
    and characters for any language), failed: Failure. The quality stage's cheap length rule,
    placed before language identification in pipeline/build.py; its rejections belong to the
    quality stage."""

    def __init__(self, cfg: QualityConfig):
        super().__init__()
        self.cfg = cfg

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        return apply_decisions(docs, "RejectTooShort", RejectTooShortFn(self.cfg))



class AssessQualityFn(DecideFn):
    stage = STAGE

    def __init__(self, cfg: QualityConfig):
        self.cfg = cfg
        self.rules: tuple[Threshold, ...] | None = None

    def setup(self) -> None:
        self.rules = enabled_rules(self.cfg)  # once per worker, not per document

    def decide(self, doc: Document) -> Document | Rejection:
        return assess_quality(doc, self.cfg, self.rules)



class FilterLowQuality(beam.PTransform):
    """Document -> kept: Document (with `signals`), rejected: Rejection (gopher_quality,
    gopher_repetition, c4_quality, fineweb_quality, prose_quality), failed: Failure."""

    def __init__(self, cfg: QualityConfig):
        super().__init__()
        self.cfg = cfg

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        return apply_decisions(docs, "AssessQuality", AssessQualityFn(self.cfg))
