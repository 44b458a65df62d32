"""Corpus-learned boilerplate (cleaning layer 3): lines that recur across documents of one domain.

A site's menus, footers, sign-up boxes and notices repeat on every page of that site, in words no
rule pack can list. Each line is normalised the CCNet way (lower case, digits folded to 0,
punctuation and symbols stripped, whitespace collapsed) and hashed; a line whose hash occurs in at
least `min_docs` distinct documents of the same domain is boilerplate there and removed with the
rule code `boilerplate_domain`.

Counting is per domain, so syndicated articles that share real paragraphs across sites are never
counted together; and lines longer than `max_line_chars` are never counted at all, so the
paragraphs of a story republished several times on one site (updates, AMP copies) stay: exact and
near dedup decide about those documents as a whole. "Distinct documents" means distinct texts: the
same page read twice counts once, so duplicates left for dedup cannot turn content into
boilerplate.

Pages whose domain is unknown are, by default, left alone (`unknown_domain: keep`): without a site
there is no template to learn, and a corpus-wide count removes short content lines that many
unrelated pages share ("Conclusion", "Ingredients"). `unknown_domain: corpus` counts them together
under one empty domain with the higher `corpus_min_docs`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Collection, Iterable, Iterator

import apache_beam as beam
from apache_beam import pvalue

from transforms.char_table import CharTable
from transforms.clean import join_lines
from transforms.packed_group import DEFAULT_SHARDS, CombinePacked, shard_of
from transforms.records import Document, Reason, Rejection
from transforms.routing import (
    FAILED,
    Counters,
    JoinByKey,
    Note,
    Probe,
    StageOutputs,
    failed_keys,
    failure_of,
    route_decision,
    failures_from_dead_letter,
    probe,
    route,
)
from transforms.stream_safe import nfkc

STAGE = "boilerplate"
BOILERPLATE_DOMAIN = "boilerplate_domain"
LINES = "lines"  # tagged output of LineKeys: ((domain, line hash), text digest)
UNTOUCHED = "untouched"  # pages without a counting domain
PAGE = "page"  # the sides of the join: pages, their domain's boilerplate hashes (and FAILED notes)
FLAGS = "flags"
UNKNOWN_DOMAIN_MODES = ("keep", "corpus")


@dataclass(frozen=True)
class BoilerplateConfig:
    enabled: bool = True
    min_docs: int = 3  # a line in >= this many distinct documents of a domain is boilerplate there
    max_line_chars: int = 200  # longer lines (paragraphs) are never counted: syndicated/updated stories stay
    unknown_domain: str = "keep"  # keep: no layer 3 for pages without a domain | corpus: count them together
    corpus_min_docs: int = 20  # threshold for the pooled pages without a domain (unknown_domain: corpus)
    max_examples: int = 3  # removed lines kept on the record per rule, as in clean.max_examples
    domain_shards: int = 16  # a domain's pages meet its boilerplate lines in this many groups (see RemoveBoilerplate)
    count_shards: int = DEFAULT_SHARDS  # line counts cross the shuffle packed into this many shards (see packed_group)

    def __post_init__(self) -> None:
        if self.unknown_domain not in UNKNOWN_DOMAIN_MODES:
            raise ValueError(f"boilerplate.unknown_domain must be one of {UNKNOWN_DOMAIN_MODES}, not {self.unknown_domain!r}")
        if self.min_docs < 2 or self.corpus_min_docs < 2:
            raise ValueError("boilerplate.min_docs and corpus_min_docs must be at least 2")
        if self.domain_shards < 1 or self.count_shards < 1:
            raise ValueError("boilerplate.domain_shards and count_shards must be at least 1")

    def threshold(self, domain: str) -> int:
        return self.min_docs if domain else self.corpus_min_docs


# --- pure functions -----------------------------------------------------------------------------


def _ccnet_char(ch: str) -> str:
    """Decimal digits -> "0", punctuation and symbols -> " ", other characters unchanged."""
    cat = unicodedata.category(ch)
    return "0" if cat == "Nd" else " " if cat[0] in "PS" else ch


_CCNET_CHARS = CharTable(_ccnet_char)  # a cache of a pure function: one Python call per distinct character


def normalize_line(line: str) -> str:
    """CCNet-style key: NFKC, lower case, digits -> 0, punctuation/symbols dropped, spaces collapsed."""
    return " ".join(nfkc(line).lower().translate(_CCNET_CHARS).split())


def line_hash(normalized: str) -> str:
    """A short SHA-1 of a normalised line; also the digest that tells distinct texts apart."""
    return hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:16]


def domain_key(domain: str, cfg: BoilerplateConfig) -> str | None:
    """The counting domain of a page, or None when layer 3 does not apply to it."""
    if domain:
        return domain
    return "" if cfg.unknown_domain == "corpus" else None


def line_hashes(text: str, cfg: BoilerplateConfig) -> set[str]:
    """The distinct countable line hashes of one document."""
    out = set()
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or len(line) > cfg.max_line_chars:
            continue
        norm = normalize_line(line)
        if norm:
            out.add(line_hash(norm))
    return out


def count_domain_lines(docs: Iterable[tuple[str, str]], cfg: BoilerplateConfig) -> Counter[tuple[str, str]]:
    """(domain, text) pairs -> distinct documents per (domain, line hash). The in-memory twin of
    the Beam aggregation, for tests, benchmarks and library use on small collections."""
    seen: set[tuple[str, str]] = set()
    counts: Counter[tuple[str, str]] = Counter()
    for domain, text in docs:
        key = domain_key(domain, cfg)
        if key is None:
            continue
        digest = (key, line_hash(text))
        if digest in seen:
            continue
        seen.add(digest)
        for h in line_hashes(text, cfg):
            counts[(key, h)] += 1
    return counts


def remove_lines(text: str, is_boilerplate: Callable[[str], bool], cfg: BoilerplateConfig) -> tuple[str, list[str]]:
    """Drop the countable lines of `text` whose line hash `is_boilerplate`; returns (text, removed
    lines), and `text` untouched when none goes."""
    lines: list[str | None] = []
    removed: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line and len(line) <= cfg.max_line_chars and is_boilerplate(line_hash(normalize_line(line))):
            removed.append(line)
            lines.append(None)
        else:
            lines.append(line)
    if not removed:
        return text, []
    return join_lines(lines), removed


def apply_boilerplate(text: str, domain: str, counts: Counter[tuple[str, str]], cfg: BoilerplateConfig) -> tuple[str, list[str]]:
    """Layer 3 on one text given the in-memory counts of `count_domain_lines`."""
    key = domain_key(domain, cfg)
    if key is None:
        return text, []
    need = cfg.threshold(key)
    return remove_lines(text, lambda h: counts[(key, h)] >= need, cfg)


def strip_boilerplate(doc: Document, hashes: Collection[str], cfg: BoilerplateConfig) -> Document | Rejection:
    """The layer-3 decision for one document, given the hashes of its boilerplate lines."""
    if not hashes:
        return doc
    text, removed = remove_lines(doc.text, hashes.__contains__, cfg)
    if not removed:
        return doc
    counts = dict(doc.rule_counts)
    counts[BOILERPLATE_DOMAIN] = counts.get(BOILERPLATE_DOMAIN, 0) + len(removed)
    examples = doc.removed_examples + tuple((BOILERPLATE_DOMAIN, line[:300]) for line in removed[: cfg.max_examples])
    out = doc.with_(
        text=text,
        lines_removed=doc.lines_removed + len(removed),
        chars_removed=doc.chars_removed + sum(len(line) for line in removed),
        rule_counts=tuple(sorted(counts.items())),
        removed_examples=examples,
    )
    if not text.strip():
        return Rejection.of(out, Reason.EMPTY_AFTER_CLEANING, BOILERPLATE_DOMAIN, STAGE)
    return out


# --- Beam ---------------------------------------------------------------------------------------


def doc_key(doc: Document) -> str:
    """A key unique per record even when input ids repeat: source, position and id."""
    return f"{doc.source}\x1f{doc.position}\x1f{doc.id}"


def join_key(domain: str, doc: Document, shards: int) -> tuple[str, int]:
    """(domain, shard) of a document in the join with its domain's boilerplate lines: a domain's
    pages are spread over `shards` groups by a stable hash of their key."""
    return domain, shard_of(doc_key(doc), shards)


class DistinctUpTo(beam.CombineFn):
    """Values -> the set of distinct values, kept up to `cap` (then they no longer matter): a
    bounded count of distinct texts per (domain, line), however many pages share the line."""

    def __init__(self, cap: int):
        self.cap = cap

    def create_accumulator(self) -> set:
        return set()

    def add_input(self, seen: set, value: str) -> set:
        if len(seen) < self.cap:
            seen.add(value)
        return seen

    def merge_accumulators(self, accumulators: Iterable[set]) -> set:
        merged: set = set()
        for seen in accumulators:
            for value in sorted(seen):  # sorted: the kept values never depend on arrival order
                if len(merged) >= self.cap:
                    return merged
                merged.add(value)
        return merged

    def extract_output(self, seen: set) -> int:
        return len(seen)


class _LineKeysFn(beam.DoFn):
    """Document -> ((domain, shard), Document) for the join; tagged LINES: [((domain, line hash),
    text digest)] for its countable lines (one list per page, for CombinePacked); tagged UNTOUCHED: the Document itself when layer 3 does not
    apply to it (no counting domain), which then skips the join."""

    def __init__(self, cfg: BoilerplateConfig):
        self.cfg = cfg

    def process(self, doc: Document):
        key = domain_key(doc.domain, self.cfg)
        if key is None:
            yield pvalue.TaggedOutput(UNTOUCHED, doc)
            return
        digest = line_hash(doc.text)
        lines = [((key, h), digest) for h in sorted(line_hashes(doc.text, self.cfg))]
        if lines:
            yield pvalue.TaggedOutput(LINES, lines)
        yield join_key(key, doc, self.cfg.domain_shards), doc


def _flagged(item: tuple[tuple[str, str], int], cfg: BoilerplateConfig) -> Iterator[tuple[str, str]]:
    (domain, h), distinct = item
    if distinct >= cfg.threshold(domain):
        yield domain, h


class _ShareFlagsFn(beam.DoFn):
    """(domain, boilerplate line hashes) -> ((domain, shard), hashes) for each of its shards."""

    def __init__(self, shards: int, probe: Probe = None):
        self.shards = shards
        self.probe = probe
        self.counters = Counters(STAGE)

    def process(self, item: tuple[str, Iterable[str]]):
        domain, hashes = item
        probe(self.probe, "ShareFlags", domain)
        flags = sorted(hashes)
        self.counters.inc("boilerplate_lines", len(flags))
        for shard in range(self.shards):
            yield (domain, shard), flags


class _StripBoilerplateFn(beam.DoFn):
    """((domain, shard), [Note: the domain's boilerplate hashes | a page | a failure noted for the
    shard]) -> each page stripped (kept or rejected), or failed. Reads the group twice, holding one
    page at a time."""

    def __init__(self, cfg: BoilerplateConfig, probe: Probe = None):
        self.cfg = cfg
        self.probe = probe
        self.counters = Counters(STAGE)

    def process(self, element: tuple[tuple[str, int], Iterable[Note]]) -> Iterator:
        key, notes = element
        probe(self.probe, "StripBoilerplate", key)
        hashes: set[str] = set()
        failure = None
        for note in notes:
            if note.tag == FLAGS:
                hashes.update(note.value)
            elif note.tag == FAILED:
                failure = note.value
        for note in notes:
            if note.tag != PAGE:
                continue
            doc = note.value
            if failure is not None:
                yield pvalue.TaggedOutput(FAILED, failure_of(doc, failure))
                continue
            yield from route_decision(STAGE, doc, lambda doc=doc: strip_boilerplate(doc, hashes, self.cfg), self.counters)


class RemoveBoilerplate(beam.PTransform):
    """Document -> kept: Document (domain boilerplate lines removed), rejected: Rejection
    (empty_after_cleaning), failed: Failure.

    Lines are counted with a combiner: each page gives ((domain, line hash), text digest) per
    countable line, and the distinct digests per key are kept only up to the domain's threshold,
    so a footer on ten million pages of one domain is a set of at most `corpus_min_docs` digests,
    combined within each bundle before it crosses a shuffle (packed by shard: most lines are
    unique, and the local runner pays per shuffled element). The lines found are gathered per domain
    (a domain's boilerplate lines, not its pages) and joined back to the pages once, keyed by
    (domain, shard): a domain's pages are spread over `domain_shards` groups, each read as it
    streams. Pages without a counting domain skip the join. No side input: the counts of a large
    crawl never have to fit in one worker's memory. `probe` is a test's hook (routing.Probe).
    """

    def __init__(self, cfg: BoilerplateConfig, probe: Probe = None):
        super().__init__()
        self.cfg = cfg
        self.probe = probe

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        cfg = self.cfg
        if not cfg.enabled:
            empty = docs.pipeline | "NoBoilerplate" >> beam.Create([])
            return StageOutputs(docs, empty, docs.pipeline | "NoBoilerplateFailures" >> beam.Create([]))
        keyed = docs | "LineKeys" >> beam.ParDo(_LineKeysFn(cfg)).with_output_types(
            tuple[tuple[str, int], Document]).with_outputs(LINES, UNTOUCHED, main=PAGE).with_exception_handling(
            main_tag=PAGE, dead_letter_tag=FAILED)
        key_failed = keyed[FAILED] | "LineKeysFailures" >> beam.FlatMap(failures_from_dead_letter, stage=STAGE)
        cap = max(cfg.min_docs, cfg.corpus_min_docs)
        flags = (
            keyed[LINES]
            | "CountDistinctTexts" >> CombinePacked(DistinctUpTo(cap), cfg.count_shards)
            | "FlagBoilerplate" >> beam.FlatMap(_flagged, cfg=cfg)
            | "GroupByDomain" >> beam.GroupByKey()
        )
        shared = flags | "ShareFlags" >> beam.ParDo(_ShareFlagsFn(cfg.domain_shards, self.probe)).with_exception_handling(
            main_tag="flags", dead_letter_tag=FAILED)
        shards = cfg.domain_shards
        flag_failed = failed_keys(shared[FAILED], "ShareFlagsFailures", STAGE,
                                  lambda element: [(element[0], s) for s in range(shards)])
        joined = {FLAGS: shared["flags"], FAILED: flag_failed, PAGE: keyed[PAGE]} | "JoinFlags" >> JoinByKey()
        stripped = route(joined, "StripBoilerplate", _StripBoilerplateFn(cfg, self.probe), STAGE, partial=True)
        failed = (key_failed, stripped.failed) | "MergeFailures" >> beam.Flatten()
        kept = (keyed[UNTOUCHED], stripped.kept) | "MergeKept" >> beam.Flatten()
        return StageOutputs(kept, stripped.rejected, failed)
