"""Near-duplicate removal: MinHash LSH candidates, exact Jaccard verification, connected
components and one survivor per cluster, all as Beam transforms (no single-process step).

Data flow (each arrow a shuffle; every step is linear in its input, none holds the whole graph):

    Document ─► signature (datasketch), band keys; (node, Document)
    band keys ─GroupByBand─► each member linked to its bucket's representative (never all pairs)
    (node, Document) + requests ─JoinRequests─► unlinked documents leave, kept as they are;
        linked ones: shingle hashes ─GatherPairs─► exact Jaccard >= threshold at the representative
    verified edges ─(LargeStar ─► SmallStar) x max_rounds─► star forest ─► label = component minimum
    labels + survivor keys ─GroupClusters─► survivor per cluster ─JoinClusters─► kept / rejected

A document crosses the first join and, only if a bucket linked it, the last one; its shingle hashes
cross only then. A grouped step that fails sends every document it names to `failed` (a note per
node, joined to the document), so no record is lost and the counts still add up.

The survivor of a cluster is the minimum of a total order (`survivor_key`), and components are
labelled by their minimum node, so the result does not depend on the runner, the number of
workers or the order of the input.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator, NamedTuple

import apache_beam as beam
import numpy as np
from apache_beam import pvalue

from transforms import minhash
from transforms.packed_group import DEFAULT_SHARDS, GroupPacked
from transforms.records import Document, Failure, Reason, Rejection
from transforms.routing import (
    DEAD_LETTER,
    FAILED,
    KEPT,
    REJECTED,
    Counters,
    JoinByKey,
    Probe,
    failure_of,
    failures_from_dead_letter,
    probe,
    route,
)

STAGE = "near_dedup"
POLICIES = ("most_text", "earliest_published", "latest_published", "smallest_id")

# Output tags and join sides; STATS is also the tagged output of every step that reports counts.
DOCS = "docs"  # Sign: (node, Document)
BANDS = "bands"  # Sign: [(band key, node)]
PENDING = "pending"  # AskDocuments: (node, Document) of a linked document, for the final join
KEYS = "keys"  # AskDocuments: (node, (survivor key, id))
SHIP = "ship"  # AskDocuments: shingle hashes on their way to a representative
STATS = "stats"
PAGE = "page"  # join sides: the document, a request for its hashes, its label, its survivor
REQUEST = "request"  # key, its cluster's decision
LABEL = "label"
KEY = "key"
ASSIGN = "assign"


@dataclass(frozen=True)
class NearDedupConfig:
    enabled: bool = True
    # Jaccard similarity of shingle sets above which two documents are near-duplicates.
    # 0.8 is the usual setting for web text (GPT-3 / The Pile, datatrove and NeMo Curator defaults).
    threshold: float = 0.8
    num_perm: int = minhash.DEFAULT_NUM_PERM  # permutations per signature (128, datasketch default); see docs/dedup.md
    ngram: int = minhash.DEFAULT_NGRAM  # tokens per shingle: words, or letters of spaceless scripts (5: datatrove, Gopher)
    seed: int = minhash.DEFAULT_SEED  # permutation seed (1, datasketch default); fixed so band keys never change
    bands: int = 0  # 0: derived from threshold and num_perm (see `banding`)
    rows: int = 0  # 0: derived
    # With verification on, bands are chosen so a pair exactly at `threshold` becomes a candidate
    # with at least this probability (128 perms: 21 x 6); without it, datasketch's optimum (9 x 13).
    min_band_recall: float = 0.99
    verify: bool = True  # check each candidate pair's exact shingle Jaccard before it counts
    max_bucket: int = 1000  # buckets larger than this are linked through sub-representatives
    max_rounds: int = 10  # large-star + small-star rounds unrolled in the graph (a 2,000-node path needs 9)
    band_shards: int = DEFAULT_SHARDS  # band keys shuffle packed into this many shards (see packed_group)
    keep: tuple[str, ...] = ("most_text", "earliest_published", "smallest_id")  # survivor policy

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if self.num_perm < 1 or self.ngram < 1 or self.max_bucket < 2 or self.max_rounds < 1 or self.band_shards < 1:
            raise ValueError("num_perm, ngram, max_rounds and band_shards must be >= 1, max_bucket >= 2")
        if (self.bands > 0) != (self.rows > 0):
            raise ValueError("set both bands and rows, or neither")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands x rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}")
        unknown = [k for k in self.keep if k not in POLICIES]
        if unknown:
            raise ValueError(f"unknown survivor policy {unknown[0]!r} (known: {', '.join(POLICIES)})")


def banding(cfg: NearDedupConfig) -> tuple[int, int]:
    """(bands, rows) in effect: the configured pair, else derived from the threshold."""
    if cfg.bands:
        return cfg.bands, cfg.rows
    if cfg.verify:
        return minhash.recall_bands(cfg.threshold, cfg.num_perm, cfg.min_band_recall)
    return minhash.optimal_bands(cfg.threshold, cfg.num_perm)


# --- pure helpers ----------------------------------------------------------------------------

class BandSigner:
    """What signing a text needs (permutations, the banding), built once per worker in a DoFn's
    setup(); near dedup, prior dedup and the index written for later runs sign alike with it."""

    def __init__(self, cfg: NearDedupConfig):
        self.ngram = cfg.ngram
        self.bands, self.rows = banding(cfg)
        self.perms = minhash.make_permutations(cfg.num_perm, cfg.seed)

    def sign(self, text: str) -> tuple[np.ndarray, list[bytes]]:
        """The text's sorted shingle hashes and its LSH band keys ([] when it has no shingles)."""
        hashes = minhash.shingle_hashes(text, self.ngram)
        if hashes.size == 0:
            return hashes, []
        return hashes, minhash.band_keys(minhash.signature_from_hashes(hashes, self.perms), self.bands, self.rows)


class SigningFn(beam.DoFn):
    """Base of the DoFns that sign documents: their BandSigner is built once per worker, in setup()."""

    def __init__(self, cfg: NearDedupConfig):
        self.cfg = cfg
        self.signer: BandSigner | None = None

    def setup(self) -> None:
        self.signer = BandSigner(self.cfg)


def node_key(doc: Document) -> bytes:
    """A 16-byte key unique to the record (id, source, position and text), ordered bytewise."""
    h = hashlib.blake2b(digest_size=16)
    for part in (doc.id, doc.source, str(doc.position), doc.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.digest()


def survivor_key(doc: Document, keep: tuple[str, ...] = NearDedupConfig.keep) -> tuple:
    """Sort key of the survivor policy (smallest survives); id, source and position always end it,
    so the order is total and the survivor never depends on arrival order."""
    parts: list = []
    for rule in keep:
        if rule == "most_text":
            parts.append(-len(doc.text))
        elif rule == "earliest_published":
            parts.append(doc.published or "\uffff")  # undated copies lose to dated ones
        elif rule == "latest_published":
            parts.append((0, tuple(-ord(c) for c in doc.published)) if doc.published else (1, ()))
        elif rule == "smallest_id":
            parts.append(doc.id)
    return (*parts, doc.id, doc.source, doc.position)


def link_bucket(members: Iterable[bytes], max_bucket: int) -> Iterator[tuple[bytes, bytes]]:
    """Candidate edges (representative, member) of one band bucket: linear, never all pairs.

    Each member is linked to the bucket's smallest node. A bucket larger than `max_bucket` is
    split (by node hash, so without sorting) into ceil(n / max_bucket) sub-buckets whose smallest
    nodes link their members and are linked to the overall smallest: no node gets more than about
    max_bucket + n / max_bucket edges, so no later step sees a hub of the whole bucket.
    `members` is iterated up to three times (Beam's grouped values are re-iterable).
    """
    count, top = 0, None
    for m in members:
        count += 1
        top = m if top is None or m < top else top
    if count < 2:
        return
    parts = math.ceil(count / max_bucket)
    if parts == 1:
        for m in members:
            if m != top:
                yield top, m
        return
    reps: dict[int, bytes] = {}
    for m in members:
        part = int.from_bytes(m[:8], "big") % parts
        if part not in reps or m < reps[part]:
            reps[part] = m
    for m in members:
        rep = reps[int.from_bytes(m[:8], "big") % parts]
        if m != rep:
            yield rep, m
    for rep in sorted(reps.values()):
        if rep != top:
            yield top, rep


def large_star(u: bytes, neighbours: set[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """Kiveris et al. (2014) large-star: link every larger neighbour of u to the smallest node of
    u's neighbourhood (u included)."""
    m = min(min(neighbours), u)
    for v in neighbours:
        if v > u:
            yield m, v


def small_star(u: bytes, neighbours: set[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """Kiveris et al. (2014) small-star: link u and its smaller neighbours to the smallest of them."""
    smaller = [v for v in neighbours if v < u]
    if not smaller:
        return
    m = min(smaller)
    for v in smaller:
        if v != m:
            yield m, v
    yield m, u


def star_label(u: bytes, neighbours: set[bytes]) -> tuple[bytes, bool]:
    """(label, converged) of u in a graph that should be a forest of stars.

    A root has only larger neighbours; a leaf exactly one, smaller one (its root). Anything else
    means the rounds did not converge: u then takes its smallest neighbour as label, which is
    still in its component, so a cluster may be split but never joined to a stranger.
    """
    m = min(min(neighbours), u)
    if m == u:
        return u, True
    return m, len(neighbours) == 1


def components(edges: Iterable[tuple[bytes, bytes]], rounds: int) -> tuple[dict[bytes, bytes], int]:
    """The same large-star / small-star rounds in memory: (labels, rounds until converged).
    For tests and benchmarks; the pipeline runs each step as a GroupByKey."""

    def adjacency(es: set) -> dict[bytes, set[bytes]]:
        adj: dict[bytes, set[bytes]] = {}
        for a, b in es:
            adj.setdefault(a, set()).add(b)
            adj.setdefault(b, set()).add(a)
        return adj

    def step(es: set, fn) -> set:
        return {e for u, ns in adjacency(es).items() for e in fn(u, ns)}

    es = {(min(a, b), max(a, b)) for a, b in edges if a != b}
    needed = 0
    for i in range(rounds):
        nxt = step(step(es, large_star), small_star)
        if nxt == es:
            break
        es, needed = nxt, i + 1
    return {u: star_label(u, ns)[0] for u, ns in adjacency(es).items()}, needed


def size_bucket(size: int) -> str:
    """Cluster-size histogram bin: 2, 3-4, 5-8, 9-16, ... (powers of two)."""
    if size <= 2:
        return str(size)
    hi = 1 << (size - 1).bit_length()
    return f"{hi // 2 + 1}-{hi}"


# --- DoFns -----------------------------------------------------------------------------------

class _SignFn(SigningFn):
    """Document -> (node, Document) main; tagged BANDS: [(band key, node) per band] (one list per
    document, for GroupPacked). Signatures are datasketch's values computed with numpy
    (docs/dedup.md: datasketch itself cost more than the 5% the issue allows). The 64-bit
    shingle hashes of the exact check are not kept: only the few documents that become
    candidates need them, and compute them again there (AskDocuments)."""

    def process(self, doc: Document):
        assert self.signer is not None
        node = node_key(doc)
        _, keys = self.signer.sign(doc.text)
        yield node, doc
        if keys:  # no shingles: nothing to compare, stays a singleton
            yield pvalue.TaggedOutput(BANDS, [(key, node) for key in keys])


class _GroupStepFn(beam.DoFn):
    """One grouped step over small keys, (key, values) -> the step's outputs. If the group fails,
    every node it names gets a failure note, tagged FAILED as (node, Failure), which the join
    with the documents turns into that document's own failure (a note wins over any decision, so
    outputs the group made before failing do no harm)."""

    def __init__(self, step: str, fn: Callable, nodes_of: Callable, hook: Probe = None):
        self.step = step
        self.fn = fn
        self.nodes_of = nodes_of
        self.probe = hook

    def process(self, item):
        try:
            probe(self.probe, self.step, item[0])
            yield from self.fn(item)
        except Exception as exc:  # noqa: BLE001 - any error of the group becomes its nodes' failures
            failure = Failure.from_exception(STAGE, "", 0, "", exc)
            failure = replace(failure, message=f"in {self.step}: {failure.message}")
            for node in self.nodes_of(item):
                yield pvalue.TaggedOutput(FAILED, (node, failure))


def _members(item) -> Iterable[bytes]:
    return item[1]


def _node_and_neighbours(item) -> list[bytes]:
    u, ns = item
    return [u, *ns]


def _node(item) -> list[bytes]:
    return [item[0]]


def _rep_and_members(item) -> list[bytes]:
    rep, values = item
    return [rep, *(member for kind, member, _ in values if kind == "m")]


def _cluster_members(item) -> list[bytes]:
    return [node for _, _, node in item[1]]


class _LinkBucket:
    def __init__(self, max_bucket: int):
        self.max_bucket = max_bucket

    def __call__(self, bucket: tuple[bytes, Iterable[bytes]]):
        _, members = bucket
        yield from link_bucket(members, self.max_bucket)
        if sum(1 for _ in members) > self.max_bucket:  # split by link_bucket; counted for the report
            yield pvalue.TaggedOutput(STATS, {"hot_buckets": 1})


class _AskFn(beam.DoFn):
    """(node, [Note: the document | a representative asking for its hashes | the node is a
    representative | a failure]) -> the document kept as it is when no bucket linked it (most
    documents: they leave the stage here); else tagged PENDING (node, Document) for the final
    join, KEYS (node, (survivor key, id)), and SHIP: its shingle hashes to each representative
    linked to it, and to itself if it is one."""

    def __init__(self, cfg: NearDedupConfig, hook: Probe = None):
        self.cfg = cfg
        self.probe = hook
        self.counters = Counters(STAGE)

    def process(self, item):
        node, notes = item
        probe(self.probe, "AskDocuments", node)
        docs, reps, is_rep, failure = [], set(), False, None
        for note in notes:
            if note.tag == PAGE:
                docs.append(note.value)  # one, but for the same record read twice
            elif note.tag == REQUEST:
                if note.value:
                    reps.add(note.value)
                else:
                    is_rep = True
            elif note.tag == FAILED:
                failure = note.value
        if failure is not None:
            for doc in docs:
                yield pvalue.TaggedOutput(FAILED, failure_of(doc, failure))
            return
        docs.sort(key=lambda d: survivor_key(d, self.cfg.keep))
        for doc in docs[1:]:  # the same record twice (same id, source, position and text)
            yield pvalue.TaggedOutput(REJECTED, Rejection.of(
                doc, Reason.DUPLICATE_NEAR, f"same record as {docs[0].id}", STAGE, duplicate_of=docs[0].id))
        if not docs:
            return
        doc = docs[0]
        if not reps and not is_rep:
            yield doc
            return
        try:
            key = (survivor_key(doc, self.cfg.keep), doc.id)
            ship = []
            if self.cfg.verify:
                hashes = minhash.shingle_hashes(doc.text, self.cfg.ngram).tobytes()
                ship = [(rep, ("m", node, hashes)) for rep in sorted(reps)]
                if is_rep:
                    ship.append((node, ("s", b"", hashes)))
        except Exception as exc:  # noqa: BLE001 - this document's own error
            yield pvalue.TaggedOutput(FAILED, Failure.from_exception(STAGE, doc.source, doc.position, doc.id, exc))
            return
        yield pvalue.TaggedOutput(PENDING, (node, doc))
        yield pvalue.TaggedOutput(KEYS, (node, key))
        for out in ship:
            yield pvalue.TaggedOutput(SHIP, out)


class _Verify:
    """At representative r: exact Jaccard of r with each linked member; edges at or above threshold."""

    def __init__(self, threshold: float):
        self.threshold = threshold
        self.counters = Counters(STAGE)

    def __call__(self, item: tuple[bytes, Iterable[tuple]]):
        rep, values = item
        own = next((np.frombuffer(h, dtype=np.uint64) for kind, _, h in values if kind == "s"), None)
        checked = kept = 0
        if own is None:
            return
        for kind, member, h in values:
            if kind != "m":
                continue
            checked += 1
            if minhash.jaccard(own, np.frombuffer(h, dtype=np.uint64)) >= self.threshold:
                kept += 1
                yield rep, member
        self.counters.inc("pairs_verified", checked)
        yield pvalue.TaggedOutput(STATS, {"pairs_verified": checked, "pairs_rejected_by_verification": checked - kept})


def _both_ways(edge: tuple[bytes, bytes]):
    a, b = edge
    yield a, b
    yield b, a


def _large_star_fn(item):
    """Large-star at u; each new edge comes out in both directions, ready for the next grouping."""
    u, ns = item
    for edge in large_star(u, set(ns)):
        yield from _both_ways(edge)


def _small_star_fn(item):
    u, ns = item
    for edge in small_star(u, set(ns)):
        yield from _both_ways(edge)


def _label(item):
    u, ns = item
    label, converged = star_label(u, set(ns))
    if not converged:
        yield pvalue.TaggedOutput(STATS, {"unconverged_nodes": 1})
    yield u, label


def _keyed_by_label(item):
    """(node, [Note: its label | its (survivor key, id)]) -> (label, (survivor key, id, node))
    for nodes in a cluster."""
    node, notes = item
    label = key = None
    for note in notes:
        if note.tag == LABEL:
            label = note.value
        else:
            key = note.value
    if label is not None and key is not None:
        yield label, (key[0], key[1], node)


def _pick_survivor(item):
    """(label, members) -> (node, (survivor id, is survivor, cluster size)) per member, plus stats."""
    _, members = item
    best, size = None, 0
    for member in members:
        size += 1
        if best is None or member[0] < best[0]:
            best = member
    assert best is not None
    for _, _, node in members:
        yield node, (best[1], node == best[2], size)
    yield pvalue.TaggedOutput(STATS, {"clusters": 1, "docs_in_clusters": size, "cluster_sizes": {size_bucket(size): 1}})


class _AssignFn(beam.DoFn):
    """(node, [Note: the document | its assignment | a failure]) -> kept Document (cluster fields
    set) or rejected duplicate_near, or failed."""

    def __init__(self, hook: Probe = None):
        self.probe = hook
        self.counters = Counters(STAGE)

    def process(self, item):
        node, notes = item
        probe(self.probe, "AssignClusters", node)
        assign = failure = None
        for note in notes:
            if note.tag == ASSIGN:
                assign = note.value
            elif note.tag == FAILED:
                failure = note.value
        for note in notes:
            if note.tag != PAGE:
                continue
            doc = note.value
            if failure is not None:
                yield pvalue.TaggedOutput(FAILED, failure_of(doc, failure))
            elif assign is None:  # linked, but no verified edge
                yield doc
            else:
                survivor_id, is_survivor, size = assign
                if is_survivor:
                    self.counters.inc("kept")
                    yield doc.with_(dup_cluster=survivor_id, dup_cluster_size=size)
                else:
                    self.counters.inc(f"rejected_{Reason.DUPLICATE_NEAR}")
                    yield pvalue.TaggedOutput(REJECTED, Rejection.of(
                        doc, Reason.DUPLICATE_NEAR, f"near-duplicate of {survivor_id} (cluster of {size})", STAGE,
                        duplicate_of=survivor_id))


def _stats(counts: dict) -> dict:
    return {STAGE: counts}


# --- the stage -------------------------------------------------------------------------------

class NearDedupOutputs(NamedTuple):
    kept: beam.PCollection  # Document
    rejected: beam.PCollection  # Rejection
    failed: beam.PCollection  # Failure
    stats: beam.PCollection  # dict: {"near_dedup": {counter: n, "cluster_sizes": {bin: n}}}


class RemoveNearDuplicates(beam.PTransform):
    """Document -> kept: Document (dup_cluster, dup_cluster_size set for clustered survivors),
    rejected: Rejection (duplicate_near, duplicate_of = survivor id), failed: Failure,
    stats: dict of cluster and verification counts for the report.

    Documents cross two joins, and most only the first: band keys are grouped first; documents
    no bucket linked leave at AskDocuments as they are, and only the linked ones ship their
    shingle hashes and wait for their cluster's decision at AssignClusters. A group that fails in
    any grouped step sends each document it names to `failed`. `probe` is a test's hook
    (routing.Probe).
    """

    def __init__(self, cfg: NearDedupConfig, probe: Probe = None):
        super().__init__()
        self.cfg = cfg
        self.probe = probe

    def _step(self, pcoll, label: str, fn: Callable, nodes_of: Callable, *tags: str):
        return pcoll | label >> beam.ParDo(_GroupStepFn(label, fn, nodes_of, self.probe)).with_outputs(FAILED, *tags, main="out")

    def expand(self, docs: beam.PCollection) -> NearDedupOutputs:
        cfg = self.cfg
        p = docs.pipeline
        if not cfg.enabled:
            empty = p | "NoRejections" >> beam.Create([])
            return NearDedupOutputs(docs, empty, p | "NoFailures" >> beam.Create([]), p | "NoStats" >> beam.Create([]))
        signed = docs | "Sign" >> beam.ParDo(_SignFn(cfg)).with_output_types(tuple[bytes, Document]).with_outputs(
            BANDS, main=DOCS).with_exception_handling(main_tag=DOCS, dead_letter_tag=FAILED)
        sign_failed = signed[FAILED] | "SignFailures" >> beam.FlatMap(failures_from_dead_letter, stage=STAGE)

        linked = self._step(signed[BANDS] | "GroupByBand" >> GroupPacked(cfg.band_shards),
                            "LinkBuckets", _LinkBucket(cfg.max_bucket), _members, STATS)
        stats = [linked[STATS]]
        requests = linked.out | "AskHashes" >> beam.FlatMap(lambda e: [(e[1], e[0]), (e[0], b"")])
        asked = (
            {PAGE: signed[DOCS], REQUEST: requests, FAILED: linked[FAILED]}
            | "JoinRequests" >> JoinByKey()
            | "AskDocuments" >> beam.ParDo(_AskFn(cfg, self.probe)).with_output_types(Document).with_outputs(
                PENDING, KEYS, SHIP, FAILED, REJECTED, main=KEPT).with_exception_handling(
                main_tag=KEPT, dead_letter_tag=DEAD_LETTER, partial=True)
        )
        late_failures = []
        if cfg.verify:
            verified = self._step(asked[SHIP] | "GatherPairs" >> beam.GroupByKey(),
                                  "VerifyPairs", _Verify(cfg.threshold), _rep_and_members, STATS)
            edges, stats, late_failures = verified.out, stats + [verified[STATS]], [verified[FAILED]]
        else:
            edges = linked.out | "DistinctEdges" >> beam.Distinct()

        # Each star step emits its edges in both directions, so a round is two groupings and two
        # steps: the graph's size (and the runner's per-step set-up) stays small at 10 rounds.
        arcs = edges | "EdgesBothWays" >> beam.FlatMap(_both_ways)
        for i in range(cfg.max_rounds):
            large = self._step(arcs | f"LargeStarGroup{i}" >> beam.GroupByKey(), f"LargeStar{i}", _large_star_fn,
                               _node_and_neighbours)
            small = self._step(large.out | f"SmallStarGroup{i}" >> beam.GroupByKey(), f"SmallStar{i}", _small_star_fn,
                               _node_and_neighbours)
            arcs = small.out
            late_failures += [large[FAILED], small[FAILED]]
        labelled = self._step(arcs | "LabelGroup" >> beam.GroupByKey(), "Label", _label, _node_and_neighbours, STATS)
        stats.append(labelled[STATS])
        keyed = self._step({LABEL: labelled.out, KEY: asked[KEYS]} | "AttachSurvivorKeys" >> JoinByKey(),
                           "KeyByLabel", _keyed_by_label, _node)
        picked = self._step(keyed.out | "GroupClusters" >> beam.GroupByKey(), "PickSurvivors", _pick_survivor,
                            _cluster_members, STATS)
        stats.append(picked[STATS])
        late_failures += [labelled[FAILED], keyed[FAILED], picked[FAILED]]
        noted = tuple(late_failures) | "MergeFailureNotes" >> beam.Flatten()
        assigned = route({PAGE: asked[PENDING], ASSIGN: picked.out, FAILED: noted} | "JoinClusters" >> JoinByKey(),
                         "AssignClusters", _AssignFn(self.probe), STAGE, partial=True)
        ask_failed = asked[DEAD_LETTER] | "AskFailures" >> beam.FlatMap(failures_from_dead_letter, stage=STAGE)
        kept = (asked[KEPT], assigned.kept) | "MergeKept" >> beam.Flatten()
        rejected = (asked[REJECTED], assigned.rejected) | "MergeRejected" >> beam.Flatten()
        failed = (sign_failed, asked[FAILED], ask_failed, assigned.failed) | "MergeFailures" >> beam.Flatten()
        all_stats = tuple(stats) | "MergeStats" >> beam.Flatten() | "TagStats" >> beam.Map(_stats)
        return NearDedupOutputs(kept, rejected, failed, all_stats)
