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
from transforms.packed_group import DEFAULT_SHARDS, GroupPacked
from transforms.records import Document, Reason, Rejection
from transforms.routing import REJECTED, Counters, StageOutputs, route

STAGE = "boilerplate"
BOILERPLATE_DOMAIN = "boilerplate_domain"
UNKNOWN_DOMAIN_MODES = ("keep", "corpus")


@dataclass(frozen=True)
class BoilerplateConfig:
    enabled: bool = True
    min_docs: int = 3  # a line in >= this many distinct documents of a domain is boilerplate there
    max_line_chars: int = 200  # longer lines (paragraphs) are never counted: syndicated/updated stories stay
    unknown_domain: str = "keep"  # keep: no layer 3 for pages without a domain | corpus: count them together
    corpus_min_docs: int = 20  # threshold for the pooled pages without a domain (unknown_domain: corpus)
    max_examples: int = 3  # removed lines kept on the record per rule, as in clean.max_examples
    line_shards: int = DEFAULT_SHARDS  # line references shuffle packed into this many shards (see packed_group)

    def __post_init__(self) -> None:
        if self.unknown_domain not in UNKNOWN_DOMAIN_MODES:
            raise ValueError(f"boilerplate.unknown_domain must be one of {UNKNOWN_DOMAIN_MODES}, not {self.unknown_domain!r}")
        if self.min_docs < 2 or self.corpus_min_docs < 2:
            raise ValueError("boilerplate.min_docs and corpus_min_docs must be at least 2")
        if self.line_shards < 1:
            raise ValueError("boilerplate.line_shards must be at least 1")

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
    return " ".join(unicodedata.normalize("NFKC", line).lower().translate(_CCNET_CHARS).split())


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


def _line_refs(doc: Document, cfg: BoilerplateConfig) -> Iterator[list[tuple[tuple[str, str], tuple[str, str]]]]:
    """A document's countable lines as one list of ((domain, line hash), (doc key, text digest))
    entries, for GroupPacked; nothing for a document without a counting domain."""
    key = domain_key(doc.domain, cfg)
    if key is None or not isinstance(doc.text, str):
        # no counting domain, or a malformed record (it fails in StripBoilerplate, where failures are routed)
        return
    ref = (doc_key(doc), line_hash(doc.text))
    refs = [((key, h), ref) for h in sorted(line_hashes(doc.text, cfg))]
    if refs:
        yield refs


class _FlagBoilerplateFn(beam.DoFn):
    """((domain, hash), [(doc key, text digest)]) -> (doc key, hash) for every document holding a
    line found in at least the domain's threshold of distinct texts."""

    def __init__(self, cfg: BoilerplateConfig):
        self.cfg = cfg
        self.counters = Counters(STAGE)

    def process(self, element: tuple[tuple[str, str], Iterable[tuple[str, str]]]) -> Iterator[tuple[str, str]]:
        (domain, h), refs = element
        need = self.cfg.threshold(domain)
        distinct: set[str] = set()
        for _, digest in refs:  # first pass: count, stopping as soon as the threshold is met
            distinct.add(digest)
            if len(distinct) >= need:
                break
        if len(distinct) < need:
            return
        self.counters.inc("boilerplate_lines")
        for key, _ in refs:  # grouped values are re-iterable on every runner
            yield key, h


class _StripBoilerplateFn(beam.DoFn):
    def __init__(self, cfg: BoilerplateConfig):
        self.cfg = cfg
        self.counters = Counters(STAGE)

    def process(self, element: tuple[str, dict[str, list]]) -> Iterator:
        _, grouped = element
        hashes = set(grouped["hashes"])
        for doc in grouped["docs"]:
            out = strip_boilerplate(doc, hashes, self.cfg)
            if isinstance(out, Rejection):
                self.counters.inc(f"rejected_{out.reason}")
                yield pvalue.TaggedOutput(REJECTED, out)
            else:
                self.counters.inc("kept")
                yield out


class RemoveBoilerplate(beam.PTransform):
    """Document -> kept: Document (domain boilerplate lines removed), rejected: Rejection
    (empty_after_cleaning), failed: Failure.

    Two shuffles, both linear in the corpus and free of per-domain hot keys: line references are
    grouped by (domain, line hash) to count distinct documents and flag boilerplate (packed into
    shards, see packed_group: a document has a dozen short lines), then the flags
    are joined back to their documents with CoGroupByKey keyed by document. No side input: the
    counts of a large crawl never have to fit in one worker's memory.
    """

    def __init__(self, cfg: BoilerplateConfig):
        super().__init__()
        self.cfg = cfg

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        cfg = self.cfg
        if not cfg.enabled:
            empty = docs.pipeline | "NoBoilerplate" >> beam.Create([])
            return StageOutputs(docs, empty, docs.pipeline | "NoBoilerplateFailures" >> beam.Create([]))
        flags = (
            docs
            | "LineRefs" >> beam.FlatMap(_line_refs, cfg=cfg)
            | "GroupByDomainLine" >> GroupPacked(cfg.line_shards)
            | "FlagBoilerplate" >> beam.ParDo(_FlagBoilerplateFn(cfg))
        )
        keyed = docs | "KeyByDocument" >> beam.Map(lambda d: (doc_key(d), d))
        joined = {"docs": keyed, "hashes": flags} | "JoinFlags" >> beam.CoGroupByKey()
        return route(joined, "StripBoilerplate", _StripBoilerplateFn(cfg), STAGE)
