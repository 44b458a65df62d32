"""Everything the run report shows, gathered inside the job with combiners: the report's data.

The driver never reads the clean, rejected or failed Parquet: the job folds every outcome record
into one small accumulator (counts, fixed-bin histograms, bounded samples) whose size does not
grow with the corpus, and writes it as JSON. `pipeline/report.py` turns it into `report.json` and
`pipeline/report_html.py` draws the page from that file alone.

Determinism: counts and histograms are sums; a sample is the k entries with the smallest sort key
(a hash of the document id, then the entry itself), so any bundle split, worker count or file
order gives the same report. Work that grows with the data (per-domain boilerplate, per-cluster
members) is combined per key first, so no accumulator holds one entry per domain or cluster.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import json
import math
from typing import Any, Callable, Iterable, Iterator, Mapping

import apache_beam as beam
from apache_beam.transforms.window import GlobalWindows

from transforms.records import Document, Failure, Rejection

QUALITY_STAGE = "quality"  # the stage whose rejections the signal histograms show
NEAR_DUPLICATE = "duplicate_near"
BOILERPLATE_PREFIX = "boilerplate"  # rule codes of corpus-learned boilerplate (boilerplate_domain, ...)
SNIPPET_CHARS = 300
# A sampled id, URL, source, detail or domain is cut to this many characters: the reader keeps a
# 5 MB id or URL whole (the record's own), and uncut, 300 such records made a 2.5 MB report.json
# and report.html, a few with 5 MB URLs hundreds of MB (hostile round 8)
FIELD_CHARS = 300

# Samples kept per group (per reason, per rule, ...): the page shows them all.
SAMPLE_SIZES = {
    "rejected": 5,  # per reason
    "rule_examples": 5,  # per rule: removed lines
    "failed": 20,
    "lookalike_texts": 50,  # clean documents scanned for kept look-alikes of the rules (at the end)
    "boilerplate_domains": 15,  # the domains with the most boilerplate lines removed
    "boilerplate_lines": 12,  # the most frequent removed boilerplate lines, by documents
    "cluster": 1,  # the largest near-duplicate cluster
}
CLUSTER_MEMBERS = 8
LOOKALIKE_CHARS = 5_000  # of each sampled document's text: bounds the accumulator, not the scan
LOOKALIKES_PER_RULE = 3
# A line is scanned for a rule's look-alike only up to this many times the rule's max_chars: the
# near misses a user checks are lines a little too long for the rule, and a pattern's polynomial
# backtracking is bounded only on short lines (transforms/rule_safety.py). Unbounded, 50 sampled
# documents holding a 4,900-digit line made qa_widget's search take 40 s at the end of the job.
LOOKALIKE_MAX_CHARS_FACTOR = 2

# --- fixed histogram bins ------------------------------------------------------------------------
# One bin scheme for every measure, so partial histograms from any worker add up and no bin edge
# depends on the data: 0.01 wide on [0, 1) (fractions and ratios), then 40 per decade from 1 on
# (lengths and counts, about 6% wide). Bin -1 holds negative values. A chart merges neighbouring
# bins into at most ~40 bars and picks a linear or log axis from the occupied bins.
LINEAR_BINS = 100
PER_DECADE = 40
MAX_BIN = LINEAR_BINS + PER_DECADE * 15  # values from 1e15 on share the last bin
_EPS = 1e-9  # 0.29 * 100 is 28.999...: a value on an edge belongs to the bin it opens


def bin_of(value: float) -> int:
    """The fixed bin of a finite value."""
    if value < 1:
        if value < 0:
            return -1
        return min(int(value * LINEAR_BINS + _EPS), LINEAR_BINS - 1)  # int() floors a non-negative value
    return min(LINEAR_BINS + int(PER_DECADE * _log10(value) + _EPS), MAX_BIN)


_log10 = math.log10
_BIN_NAMES = tuple(str(i) for i in range(-1, MAX_BIN + 1))  # JSON keys of the bins, made once: bin i is _BIN_NAMES[i + 1]
_INF = math.inf


def bin_edge(index: int) -> float:
    """The left edge of bin `index` (bin_edge(i + 1) is its right edge)."""
    if index < 0:
        return -math.inf
    if index <= LINEAR_BINS:
        return index / LINEAR_BINS
    return 10 ** ((index - LINEAR_BINS) / PER_DECADE)


# --- the accumulator -----------------------------------------------------------------------------
# {"counts": nested dicts of numbers (summed), "samples": {name: {group: [(key, tie, payload)]}}}:
# plain dicts, lists and tuples, so any Beam coder carries it. Each sample list is sorted by
# (key, tie) and at most SAMPLE_SIZES[name] long.


def new_accumulator() -> dict[str, Any]:
    return {"counts": {}, "samples": {}}


def stable_key(text: str) -> int:
    """A 56-bit hash that orders samples the same way in every run, whatever the file order or
    worker count, shifted left 6 bits so a part number (a line of a document) fits below it and the
    key stays a 62-bit int (an int64 for Beam's coders)."""
    digest = hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=7).digest()
    return int.from_bytes(digest, "big") << 6


def _canonical(payload: Any) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _entry_order(entry: tuple | list) -> tuple[int, str]:
    return entry[0], entry[1]


def offer(acc: dict[str, Any], name: str, group: str, key: int, make: Callable[[], Any], tie: str | None = None) -> None:
    """Add an entry to sample `name`/`group` if it is among the k smallest. `make` builds the
    payload only then; `tie` (default: the payload as canonical JSON) orders equal keys."""
    entries = acc["samples"].setdefault(name, {}).setdefault(group, [])
    k = SAMPLE_SIZES[name]
    if len(entries) >= k and key > entries[-1][0]:
        return
    payload = make()
    entry = (key, _canonical(payload) if tie is None else tie, payload)
    if len(entries) >= k and _entry_order(entry) >= _entry_order(entries[-1]):
        return
    bisect.insort(entries, entry, key=_entry_order)
    del entries[k:]


def merge_counts(a: dict[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Add `b` into `a`: numbers are summed, nested mappings merged key by key."""
    for key, value in b.items():
        if isinstance(value, Mapping):
            merge_counts(a.setdefault(key, {}), value)
        else:
            a[key] = a.get(key, 0) + value
    return a


def merge(acc: dict[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """Fold accumulator `other` into `acc`."""
    merge_counts(acc["counts"], other["counts"])
    for name, groups in other["samples"].items():
        mine = acc["samples"].setdefault(name, {})
        k = SAMPLE_SIZES[name]
        for group, entries in groups.items():
            both = list(heapq.merge(mine.get(group, []), entries, key=_entry_order))
            mine[group] = [tuple(e) for e in both[:k]]
    return acc


def _inc(d: dict[str, Any], key: str, n: int = 1) -> None:
    d[key] = d.get(key, 0) + n


def snippet(text: str | None, n: int = SNIPPET_CHARS) -> str:
    """A text's first `n` characters, its whitespace runs as single spaces."""
    return cut_field(" ".join((text or "")[: 8 * n].split()), n)


def cut_field(value: str | None, n: int = FIELD_CHARS) -> str:
    """A field of a sample (an id, a URL, a detail) as it is, but at most `n` characters."""
    value = value or ""
    return value if len(value) <= n else value[: n - 1] + "…"


# --- one record into the accumulator --------------------------------------------------------------


def add_read(acc: dict[str, Any], _: Any) -> None:
    _inc(acc["counts"], "input")


def _add_document(acc: dict[str, Any], doc: Document, key: int, hist_part: str | None) -> None:
    """What clean and rejected documents share: rule counts, removed-line examples, boilerplate
    documents, and (for `hist_part`) the quality signals' histograms."""
    counts = acc["counts"]
    if doc.rule_counts:
        rules = counts.setdefault("rules", {})
        for rule, n in doc.rule_counts:
            _inc(rules, rule, n)
        if any(rule.startswith(BOILERPLATE_PREFIX) for rule, _ in doc.rule_counts):
            _inc(counts.setdefault("boilerplate", {}), "docs")
    for j, (rule, line) in enumerate(doc.removed_examples):
        offer(acc, "rule_examples", rule, key | (j & 63), lambda line=line: {"id": cut_field(doc.id), "line": line})
    if hist_part is not None and doc.signals:
        # one flat dict keyed (signal, part, bin) while folding: a dict operation per value, not three
        signals = counts.get("signal_bins")
        if signals is None:
            signals = counts["signal_bins"] = {}
        for name, value in doc.signals.items():
            if value is not None and -_INF < value < _INF:  # False for NaN too
                key = (name, hist_part, _BIN_NAMES[bin_of(value) + 1])
                signals[key] = signals.get(key, 0) + 1


def add_clean(acc: dict[str, Any], doc: Document) -> None:
    counts = acc["counts"]
    key = stable_key(doc.id)
    _inc(counts, "clean")
    _inc(counts.setdefault("languages", {}), doc.language or "und")
    chars = counts.setdefault("chars", {})
    _inc(chars, "in", doc.chars_in)
    _inc(chars, "out", len(doc.text))
    _inc(chars, "removed", doc.chars_removed)
    if doc.pii_counts:
        pii = counts.setdefault("pii", {})
        for kind, n in doc.pii_counts:
            _inc(pii, kind, n)
    lengths = counts.setdefault("histograms", {}).setdefault("lengths", {})
    _inc(lengths.setdefault("before", {}), _BIN_NAMES[bin_of(doc.chars_in) + 1])
    _inc(lengths.setdefault("after", {}), _BIN_NAMES[bin_of(len(doc.text)) + 1])
    if doc.dup_cluster_size > 1 and doc.dup_cluster:
        _inc(counts.setdefault("cluster_sizes_exact", {}), str(doc.dup_cluster_size))
    _add_document(acc, doc, key, "kept")
    offer(acc, "lookalike_texts", "", key, lambda: [cut_field(doc.id), doc.text[:LOOKALIKE_CHARS]])


def add_rejected(acc: dict[str, Any], rej: Rejection) -> None:
    counts = acc["counts"]
    doc, reason = rej.doc, str(rej.reason)
    key = stable_key(doc.id)
    _inc(counts, "rejected")
    _inc(counts.setdefault("rejected_by_reason", {}), reason)
    _inc(counts.setdefault("rejected_by_stage", {}), rej.stage)
    _inc(counts.setdefault("rejected_by_stage_reason", {}).setdefault(rej.stage, {}), reason)
    _add_document(acc, doc, key, "rejected" if rej.stage == QUALITY_STAGE else None)
    offer(acc, "rejected", reason, key, lambda: {
        "id": cut_field(doc.id), "url": cut_field(doc.url), "stage": rej.stage, "detail": cut_field(rej.detail),
        "duplicate_of": cut_field(rej.duplicate_of), "snippet": snippet(doc.text)})


def add_failed(acc: dict[str, Any], failure: Failure) -> None:
    counts = acc["counts"]
    _inc(counts, "failed")
    _inc(counts.setdefault("failed_by_stage", {}), failure.stage)
    key = stable_key(f"{failure.stage}\x00{failure.source}\x00{failure.position}\x00{failure.id}")
    offer(acc, "failed", "", key, lambda: {
        "stage": failure.stage, "source": cut_field(failure.source), "position": failure.position, "id": cut_field(failure.id),
        "error_type": cut_field(failure.error_type), "message": snippet(failure.message)})


def add_stage_stats(acc: dict[str, Any], stats: Mapping[str, Any]) -> None:
    """A stage's own counts (near dedup: clusters, verified pairs), summed as they are."""
    merge_counts(acc["counts"], dict(stats))


def add_partial(acc: dict[str, Any], other: Mapping[str, Any]) -> None:
    merge(acc, other)


ADDERS: dict[str, Callable[[dict[str, Any], Any], None]] = {
    "read": add_read, "clean": add_clean, "rejected": add_rejected, "failed": add_failed,
    "stats": add_stage_stats, "partial": add_partial,
}


def accumulate(kind: str, records: Iterable[Any], acc: dict[str, Any] | None = None) -> dict[str, Any]:
    """Fold records of one kind into an accumulator, without Beam (tests, benchmarks)."""
    acc = new_accumulator() if acc is None else acc
    add = ADDERS[kind]
    for record in records:
        add(acc, record)
    return acc


# --- keyed parts: boilerplate per domain and line, near-duplicate clusters -----------------------


def boilerplate_keys(doc: Document) -> Iterator[tuple[tuple[str, ...], tuple[int, int]]]:
    """A document's corpus-boilerplate removals as keyed (documents, lines) pairs: one for its
    domain, one per distinct removed boilerplate line it has as an example."""
    lines = sum(n for rule, n in doc.rule_counts if rule.startswith(BOILERPLATE_PREFIX))
    if not lines:
        return
    domain = doc.domain or "(no domain)"
    yield ("domain", domain), (1, lines)
    for line in sorted({line for rule, line in doc.removed_examples if rule.startswith(BOILERPLATE_PREFIX) and line}):
        yield ("line", domain, line), (1, 0)


def sum_pairs(pairs: Iterable[tuple[int, int]]) -> tuple[int, int]:
    docs = lines = 0
    for d, n in pairs:
        docs += d
        lines += n
    return docs, lines


def boilerplate_partial(item: tuple[tuple[str, ...], tuple[int, int]]) -> dict[str, Any]:
    (kind, domain, *line), (docs, lines) = item
    acc = new_accumulator()
    if kind == "domain":
        _inc(acc["counts"].setdefault("boilerplate", {}), "domains")
        offer(acc, "boilerplate_domains", "", -lines, lambda: {"domain": cut_field(domain), "docs": docs, "lines": lines}, tie=domain)
    else:
        offer(acc, "boilerplate_lines", "", -docs, lambda: {"domain": cut_field(domain), "line": line[0], "docs": docs},
              tie=f"{domain}\x00{line[0]}")
    return acc


def cluster_keys(outcome: Document | Rejection) -> Iterator[tuple[str, tuple]]:
    """The survivor of a near-duplicate cluster, or a member it replaced, keyed by the cluster
    (the survivor's id)."""
    if isinstance(outcome, Document):
        if outcome.dup_cluster_size > 1 and outcome.dup_cluster:
            yield outcome.dup_cluster, ("survivor", outcome.dup_cluster_size,
                                        {"id": cut_field(outcome.id), "url": cut_field(outcome.url), "snippet": snippet(outcome.text, 200)})
    elif str(outcome.reason) == NEAR_DUPLICATE and outcome.duplicate_of:
        doc = outcome.doc
        yield outcome.duplicate_of, ("member", stable_key(doc.id),
                                     {"id": cut_field(doc.id), "url": cut_field(doc.url), "detail": cut_field(outcome.detail), "snippet": snippet(doc.text, 200)})


def _first_survivor(a: Any, b: Any) -> Any:
    """One survivor whatever the order they come in (two only when a survivor id is repeated)."""
    if a is None or b is None:
        return a if b is None else b
    return min(a, b, key=lambda s: (-s[0], _canonical(s[1])))


class CombineCluster(beam.CombineFn):
    """One cluster's survivor and a bounded sample of its dropped members: (survivor, [(key, tie,
    member)])."""

    def create_accumulator(self) -> tuple[Any, list]:
        return None, []

    def add_input(self, acc: tuple[Any, list], item: tuple) -> tuple[Any, list]:
        survivor, members = acc
        kind, rank, payload = item
        if kind == "survivor":
            return _first_survivor(survivor, (rank, payload)), members
        entry = (rank, _canonical(payload), payload)
        return survivor, sorted([*members, entry], key=_entry_order)[:CLUSTER_MEMBERS]

    def merge_accumulators(self, accs: Iterable[tuple[Any, list]]) -> tuple[Any, list]:
        survivor, members = None, []
        for s, m in accs:
            survivor = _first_survivor(survivor, s)
            members = sorted([*members, *map(tuple, m)], key=_entry_order)[:CLUSTER_MEMBERS]
        return survivor, members

    def extract_output(self, acc: tuple[Any, list]) -> tuple[Any, list]:
        return acc


def cluster_partial(item: tuple[str, tuple[Any, list]]) -> dict[str, Any]:
    cluster_id, (survivor, members) = item
    acc = new_accumulator()
    if survivor is not None:  # members of a record repeated within one input have no cluster
        size, record = survivor
        offer(acc, "cluster", "", -size, lambda: {"id": cut_field(cluster_id), "size": size, "survivor": record,
                                                   "members": [m[2] for m in members]}, tie=cluster_id)
    return acc


# --- the finished report data ---------------------------------------------------------------------


def load_lookalike_pack(clean_cfg: Any, files: Any = None) -> Any:
    """The run's rule pack, read once where the job is built and shipped with the combiner (from
    `files`, the texts the run read, when given: the clean stage's own pack); None when it cannot be
    loaded (the page then leaves the look-alikes out with a note)."""
    disabled = tuple(getattr(clean_cfg, "disabled_rules", ()) or ())
    try:
        from transforms.clean import load_rule_pack, parse_rule_pack

        if files is not None:
            return parse_rule_pack(files.rule_pack, disabled)
        return load_rule_pack(str(getattr(clean_cfg, "rule_pack", "") or ""), disabled)
    except Exception:  # noqa: BLE001 - a missing or changed rule pack only hides this section
        return None


def find_lookalikes(texts: Iterable[tuple[str, str]], pack: Any) -> dict[str, list[dict[str, Any]]]:
    """Kept lines of clean documents that a cleaning rule's pattern matches: where a rule came close.

    A rule pack rule fires only on short lines (its `max_chars`) or whole sentences, so a long kept
    line its pattern matches is exactly the near miss a user wants to check.
    """
    from transforms.rule_prefilter import folded
    from transforms.rule_safety import longest_line

    # the longest line each rule is tried on: LOOKALIKE_MAX_CHARS_FACTOR times its max_chars, or
    # less where a failed search of a line that long could take more than about 0.1 s (the
    # pack check holds each pattern to that on lines of the rule's own max_chars only)
    scan_chars = {
        rule.code: min(LOOKALIKE_MAX_CHARS_FACTOR * rule.max_chars, rule.search_chars
                       or min(longest_line(p, LOOKALIKE_MAX_CHARS_FACTOR * rule.max_chars) for p in rule.patterns))
        for rule in pack.rules
    }

    found: dict[str, list[dict[str, Any]]] = {}
    for doc_id, text in texts:
        if len(found) == len(pack.rules) and all(len(v) >= LOOKALIKES_PER_RULE for v in found.values()):
            break  # every rule has its examples
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            lowered = folded(line)
            for rule in pack.rules:
                # a line within the rule's length that it matches would have been removed; one far
                # longer is no near miss, and would let the pattern backtrack without a bound
                if not rule.max_chars < len(line) <= scan_chars[rule.code]:
                    continue
                if len(found.get(rule.code, ())) >= LOOKALIKES_PER_RULE:
                    continue
                m = rule.search(line, lowered)
                if m is not None:
                    found.setdefault(rule.code, []).append(
                        {"id": doc_id, "line": snippet(line, 400), "match": cut_field(m.group(0)), "chars": len(line), "max_chars": rule.max_chars}
                    )
    return dict(sorted(found.items()))


def _payloads(acc: Mapping[str, Any], name: str) -> dict[str, list[Any]]:
    return {group: [e[2] for e in entries] for group, entries in sorted(acc["samples"].get(name, {}).items())}


def finish(acc: Mapping[str, Any], pack: Any = None) -> dict[str, Any]:
    """The accumulator as the stats dict report.py reads: the counts at the top level (as before),
    then `histograms`, `samples` and `boilerplate` for the page."""
    out = {k: v for k, v in acc["counts"].items() if k not in ("histograms", "signal_bins", "boilerplate", "cluster_sizes_exact")}
    counts = acc["counts"]
    hist = counts.get("histograms", {})
    signals: dict[str, dict[str, dict[str, int]]] = {}
    for (name, part, b), n in sorted(counts.get("signal_bins", {}).items()):
        signals.setdefault(name, {}).setdefault(part, {})[b] = n
    texts = [tuple(p) for p in _payloads(acc, "lookalike_texts").get("", [])]
    out["histograms"] = {
        "lengths": hist.get("lengths", {}),
        "signals": signals,
        "cluster_sizes": dict(sorted(counts.get("cluster_sizes_exact", {}).items(), key=lambda kv: int(kv[0]))),
    }
    cluster = _payloads(acc, "cluster").get("", [])
    out["samples"] = {
        "rejected": _payloads(acc, "rejected"),
        "rule_examples": _payloads(acc, "rule_examples"),
        "lookalikes": None if pack is None else find_lookalikes(texts, pack),
        "lookalike_docs": len(texts),
        "failed": _payloads(acc, "failed").get("", []),
        "largest_cluster": cluster[0] if cluster else None,
    }
    bp = counts.get("boilerplate", {})
    out["boilerplate"] = {
        "docs": int(bp.get("docs", 0)),
        "domains": int(bp.get("domains", 0)),
        "top_domains": _payloads(acc, "boilerplate_domains").get("", []),
        "top_lines": _payloads(acc, "boilerplate_lines").get("", []),
    }
    return out


def summarise(read: Iterable[Any], clean: Iterable[Document], rejected: Iterable[Rejection], failed: Iterable[Failure],
              stage_stats: Iterable[Mapping[str, Any]] = (), pack: Any = None) -> dict[str, Any]:
    """What `CountOutcomes` computes, in one process without Beam (tests, benchmarks): the same
    functions, with the keyed parts grouped in dicts."""
    clean, rejected = list(clean), list(rejected)
    acc = new_accumulator()
    for kind, records in (("read", read), ("clean", clean), ("rejected", rejected), ("failed", failed), ("stats", stage_stats)):
        accumulate(kind, records, acc)
    boilerplate: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for doc in [*clean, *(rej.doc for rej in rejected)]:
        for key, pair in boilerplate_keys(doc):
            boilerplate.setdefault(key, []).append(pair)
    clusters: dict[str, list[tuple]] = {}
    for outcome in [*clean, *rejected]:
        for key, part in cluster_keys(outcome):
            clusters.setdefault(key, []).append(part)
    merge_keyed(acc, boilerplate, clusters)
    return finish(acc, pack)


def merge_keyed(acc: dict[str, Any], boilerplate: Mapping[tuple[str, ...], list[tuple[int, int]]],
                clusters: Mapping[str, list[tuple]]) -> None:
    """The keyed parts, grouped by key in dicts, combined per key and merged into `acc`, as the
    job's per-key combines do (boilerplate pairs summed, each cluster's parts by CombineCluster)."""
    for key, pairs in boilerplate.items():
        merge(acc, boilerplate_partial((key, sum_pairs(pairs))))
    combine = CombineCluster()
    for key, parts in clusters.items():
        cluster_acc = combine.create_accumulator()
        for part in parts:
            cluster_acc = combine.add_input(cluster_acc, part)
        merge(acc, cluster_partial((key, cluster_acc)))


# --- Beam ----------------------------------------------------------------------------------------


class AccumulateBundle(beam.DoFn):
    """Records of one kind -> one accumulator per bundle, as the runner's lifting of a
    CombineGlobally(Accumulate(kind)) makes them; all kinds' accumulators then meet in the one
    final combine (Finish). A CombineGlobally per kind cost the job a small stage each (its
    grouping of the partials) for no gain: seven of them (docs/runners.md). An empty bundle sends
    nothing, as `without_defaults()` did."""

    def __init__(self, kind: str):
        self.kind = kind
        self.acc: dict[str, Any] | None = None

    def start_bundle(self) -> None:
        self.acc = None

    def process(self, record: Any) -> Iterable[dict[str, Any]]:
        # Nothing per record: the accumulator comes out of finish_bundle. Beam (2.78 on) reads this
        # annotation as the step's output type, which must be an iterable (None is refused).
        if self.acc is None:
            self.acc = new_accumulator()
        ADDERS[self.kind](self.acc, record)
        return ()

    def finish_bundle(self):
        acc, self.acc = self.acc, None
        if acc is not None:
            yield GlobalWindows.windowed_value(acc)


class Accumulate(beam.CombineFn):
    """Records of one kind (read, clean, rejected, failed, stats, partial) -> one accumulator.
    The job folds each kind per bundle (`AccumulateBundle`) and merges the partials with this
    combine's `partial` kind (`FinishReportData`); `benchmarks/report_time.py` times the `ADDERS`."""

    def __init__(self, kind: str):
        self.kind = kind

    def create_accumulator(self) -> dict[str, Any]:
        return new_accumulator()

    def add_input(self, acc: dict[str, Any], record: Any) -> dict[str, Any]:
        ADDERS[self.kind](acc, record)
        return acc

    def merge_accumulators(self, accs: Iterable[dict[str, Any]]) -> dict[str, Any]:
        out = new_accumulator()
        for acc in accs:
            merge(out, acc)
        return out

    def extract_output(self, acc: dict[str, Any]) -> dict[str, Any]:
        return acc


class FinishReportData(Accumulate):
    """Partial accumulators -> the report's stats dict (`finish`): look-alikes scanned here, once."""

    def __init__(self, pack: Any = None):
        super().__init__("partial")
        self.pack = pack

    def extract_output(self, acc: dict[str, Any]) -> dict[str, Any]:
        return finish(acc, self.pack)


def write_json(path: str, data: Mapping[str, Any]) -> None:
    from apache_beam.io.filesystems import FileSystems

    with FileSystems.create(path) as f:
        f.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def _write_json_to(data: Mapping[str, Any], path: str) -> str:
    write_json(path, data)
    return path


class CountOutcomes(beam.PTransform):
    """(read: any, clean: Document, rejected: Rejection, failed: Failure, stage stats: dict) -> the
    report's data (counts, histograms, samples) as one JSON file at `path`; its path."""

    def __init__(self, path: str, clean_cfg: Any = None, clean_files: Any = None):
        super().__init__()
        self.path = path
        self.pack = load_lookalike_pack(clean_cfg, clean_files) if clean_cfg is not None else None

    def expand(self, outcomes: tuple) -> beam.PCollection:
        read, clean, rejected, failed, stage_stats = outcomes
        # One accumulator per bundle and kind, merged once by Finish (which keeps its default: an
        # empty run still reports its zeros).
        partials = [
            pcoll | f"Accumulate{kind.title()}" >> beam.ParDo(AccumulateBundle(kind))
            for kind, pcoll in (("read", read), ("clean", clean), ("rejected", rejected), ("failed", failed), ("stats", stage_stats))
        ]
        # keys are taken before the Flatten: only small pairs cross a stage boundary, not documents
        partials.append(
            (clean | "BoilerplateKeysClean" >> beam.FlatMap(boilerplate_keys),
             rejected | "BoilerplateKeysRejected" >> beam.FlatMap(lambda rej: boilerplate_keys(rej.doc)))
            | "BoilerplateParts" >> beam.Flatten()
            | "SumBoilerplate" >> beam.CombinePerKey(sum_pairs)
            | "BoilerplatePartial" >> beam.Map(boilerplate_partial)
            | "AccumulateBoilerplate" >> beam.ParDo(AccumulateBundle("partial"))
        )
        partials.append(
            (clean | "ClusterSurvivors" >> beam.FlatMap(cluster_keys), rejected | "ClusterMembers" >> beam.FlatMap(cluster_keys))
            | "ClusterParts" >> beam.Flatten()
            | "CombineClusters" >> beam.CombinePerKey(CombineCluster())
            | "ClusterPartial" >> beam.Map(cluster_partial)
            | "AccumulateClusters" >> beam.ParDo(AccumulateBundle("partial"))
        )
        return (
            partials
            | "AllPartials" >> beam.Flatten()
            | "Finish" >> beam.CombineGlobally(FinishReportData(self.pack))
            | "WriteStats" >> beam.Map(_write_json_to, self.path)
        )
