"""Exact deduplication: one copy per normalised text, chosen by a stated policy.

Copies are grouped by the hash of the normalised text. The survivor is the same whatever the
order the runner hands copies in: the policy is near dedup's default one (most text, then earliest
`published`, undated last, then smallest id, source, position), a total order (see `survivor_key`).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Iterable

import apache_beam as beam
from apache_beam import pvalue

from transforms.near_dedup import survivor_key
from transforms.records import Document, Reason, Rejection
from transforms.routing import REJECTED, StageOutputs, route

STAGE = "exact_dedup"


@dataclass(frozen=True)
class ExactDedupConfig:
    enabled: bool = True


def normalize_for_hash(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: copies that differ only in layout hash alike."""
    # str.split() and strip() take the same whitespace as the regex \s (both ask
    # Py_UNICODE_ISSPACE; checked on every code point), so this is `re.sub(r"\s+", " ", s).strip()`
    # at half the cost: 0.18 -> 0.09 ms a document, where the regex replaced every single space.
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def text_hash(text: str) -> str:
    return hashlib.sha1(normalize_for_hash(text).encode("utf-8", "surrogatepass")).hexdigest()


def split_copies(docs: Iterable[Document]) -> tuple[Document, list[Rejection]]:
    """The survivor of a group of copies and a rejection for each other copy."""
    group = list(docs)
    keep = min(group, key=survivor_key)
    rejected = [
        Rejection.of(d, Reason.DUPLICATE_EXACT, f"same text as {keep.id}", STAGE, duplicate_of=keep.id)
        for d in group
        if d is not keep
    ]
    return keep, rejected


class _HashFn(beam.DoFn):
    def process(self, doc: Document):
        h = text_hash(doc.text)
        yield h, doc.with_(text_hash=h)


class _SplitCopiesFn(beam.DoFn):
    def process(self, keyed: tuple[str, Iterable[Document]]):
        _, docs = keyed
        keep, rejected = split_copies(docs)
        yield keep
        for r in rejected:
            yield pvalue.TaggedOutput(REJECTED, r)


class RemoveExactDuplicates(beam.PTransform):
    """Document -> kept: Document (text_hash set), rejected: Rejection (duplicate_exact), failed: Failure."""

    def __init__(self, cfg: ExactDedupConfig):
        super().__init__()
        self.cfg = cfg

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        hashed = route(docs, "HashText", _HashFn(), STAGE)
        if not self.cfg.enabled:
            return StageOutputs(hashed.kept | "DropKey" >> beam.Values(), hashed.rejected, hashed.failed)
        grouped = hashed.kept | "GroupByHash" >> beam.GroupByKey()
        split = route(grouped, "KeepOneCopy", _SplitCopiesFn(), STAGE)
        failed = (hashed.failed, split.failed) | "MergeFailures" >> beam.Flatten()
        rejected = (hashed.rejected, split.rejected) | "MergeRejections" >> beam.Flatten()
        return StageOutputs(split.kept, rejected, failed)

