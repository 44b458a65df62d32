"""The run report as one self-contained HTML page (`report.html`), beside `report.json`.

Built by the driver after a run, or later with `python -m pipeline.report OUT_DIR`, from the
finished run's outputs only: `report.json` for the counts (so the page and the JSON never disagree)
and the clean / rejected / failed Parquet for distributions and examples. The Parquet is streamed
batch by batch and sampled with a bottom-k sample on a hash of the document id, so memory stays
bounded on any corpus and the same run always gives the same page.

The page has no script and loads nothing: inline CSS and SVG drawn here. A section is shown only
when its data exists (quality signals, near-duplicate clusters, ...), so the page grows with the
pipeline. Every string taken from the data is HTML-escaped.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import html
import json
import math
from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Any, Iterable, Iterator, Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from apache_beam.io.filesystems import FileSystems

from pipeline.report import REPORT_FILE, read_json

HTML_FILE = "report.html"
SIGNAL_PREFIX = "q_"  # quality signals are Parquet columns named q_<signal>
QUALITY_STAGE = "quality"  # the stage whose rejections the signal charts show
BOILERPLATE_PREFIX = "boilerplate"  # rule codes of corpus-learned boilerplate (boilerplate_domain, ...)
BOILERPLATE_SAMPLE_DOCS = 5_000  # documents whose removed boilerplate lines are tallied for the top lines
BOILERPLATE_DOMAINS_SHOWN = 15
BOILERPLATE_LINES_SHOWN = 12
DISTRIBUTION_SAMPLE = 20_000  # values per distribution: enough for a 30-bin histogram
REJECTED_PER_REASON = 5
EXAMPLES_PER_RULE = 5
LOOKALIKE_DOCS = 300  # clean documents scanned for kept look-alikes of the cleaning rules
LOOKALIKES_PER_RULE = 3
CLUSTER_MEMBERS_SHOWN = 8
FAILED_SHOWN = 20
SNIPPET_CHARS = 300
BATCH_ROWS = 2_000

KEPT_COLOR = "#3b6fb6"
LOST_COLOR = "#d9534f"
THRESHOLD_COLOR = "#222"


# --- sampling ----------------------------------------------------------------------------------


def stable_key(doc_id: str) -> int:
    """A 64-bit hash of the id that orders samples the same way in every run, whatever the file
    order or worker count. The low 6 bits are left free for a part number (`_add_examples`)."""
    digest = hashlib.blake2b(doc_id.encode("utf-8", "replace"), digest_size=8).digest()
    return int.from_bytes(digest, "big") << 6


class BottomK:
    """The k items with the smallest keys seen so far: a deterministic, bounded sample."""

    def __init__(self, k: int):
        self.k = k
        self._heap: list[tuple[int, int, Any]] = []  # a max-heap through negated keys
        self._seen = 0  # breaks ties (only a repeated id) without comparing the items

    def add(self, key: int, item: Any) -> None:
        self._seen += 1
        entry = (-key, -self._seen, item)
        if len(self._heap) < self.k:
            heapq.heappush(self._heap, entry)
        elif entry[:2] > self._heap[0][:2]:
            heapq.heapreplace(self._heap, entry)

    def items(self) -> list[Any]:
        return [e[2] for e in sorted(self._heap, key=lambda e: (-e[0], -e[1]))]


# --- reading the run's outputs -----------------------------------------------------------------


def _dataset(path: str) -> ds.Dataset | None:
    try:
        if not FileSystems.exists(path):
            return None
        dataset = ds.dataset(path, format="parquet")
    except (OSError, ValueError, pa.ArrowInvalid):
        return None
    return dataset if dataset.files else None


def _batches(dataset: ds.Dataset | None, wanted: Sequence[str]) -> Iterator[pa.RecordBatch]:
    if dataset is None:
        return
    names = set(dataset.schema.names)
    columns = [c for c in wanted if c in names]
    if not columns:
        return
    yield from dataset.to_batches(columns=columns, batch_size=BATCH_ROWS)


def _signal_columns(*datasets: ds.Dataset | None) -> list[str]:
    names: set[str] = set()
    for d in datasets:
        if d is not None:
            names |= {n for n in d.schema.names if n.startswith(SIGNAL_PREFIX)}
    return sorted(names)


def _column(rows: Mapping[str, list], name: str, n: int) -> list:
    """A batch's column, or Nones when this output has no such column (an older or smaller run)."""
    return rows.get(name) or [None] * n


def _number(value: Any) -> float | None:
    """A signal value worth plotting: None for a null or NaN."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _snippet(text: str | None, n: int = SNIPPET_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class Samples:
    """What the page shows beyond report.json's counts, read from the Parquet outputs."""

    lengths: list[tuple[int, int]] = field(default_factory=list)  # (chars_in, len(text)) of clean docs
    signals: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # signal -> kept/rejected values
    rejected: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # reason -> rows
    examples: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # rule -> removed lines
    lookalikes: dict[str, list[dict[str, Any]]] | None = None  # rule -> kept lines its patterns match
    cluster_sizes: Counter = field(default_factory=Counter)  # cluster size -> clusters
    cluster: dict[str, Any] | None = None  # the largest cluster: survivor and members
    failed: list[dict[str, Any]] = field(default_factory=list)
    boilerplate_domains: dict[str, list[int]] = field(default_factory=dict)  # domain -> [documents, lines removed]
    boilerplate_lines: list[tuple[str, str, int]] = field(default_factory=list)  # (domain, line, sampled docs) most frequent first
    scanned: dict[str, int] = field(default_factory=dict)  # rows read per output


def gather(out_dir: str, report: Mapping[str, Any]) -> Samples:
    """Stream the clean, rejected and failed Parquet of a run into bounded samples."""
    outputs = report.get("outputs", {})
    clean_ds = _dataset(outputs.get("clean") or FileSystems.join(out_dir, "clean"))
    rejected_ds = _dataset(outputs.get("rejected") or FileSystems.join(out_dir, "rejected"))
    failed_ds = _dataset(outputs.get("failed") or FileSystems.join(out_dir, "failed"))
    signals = _signal_columns(clean_ds, rejected_ds)
    s = Samples()

    lengths = BottomK(DISTRIBUTION_SAMPLE)
    signal_samples = {name: {"kept": BottomK(DISTRIBUTION_SAMPLE), "rejected": BottomK(DISTRIBUTION_SAMPLE)} for name in signals}
    examples: dict[str, BottomK] = {}
    texts = BottomK(LOOKALIKE_DOCS)
    boilerplate_docs = BottomK(BOILERPLATE_SAMPLE_DOCS)
    best_cluster: tuple[int, str, str] | None = None  # (size, cluster id, survivor id): largest, then smallest id

    n = 0
    for batch in _batches(clean_ds, ["id", "url", "domain", "text", "chars_in", "rule_counts", "removed_examples", "dup_cluster", "dup_cluster_size", *signals]):
        rows = batch.to_pydict()
        ids = rows["id"]
        n += len(ids)
        col = lambda name: _column(rows, name, len(ids))  # noqa: E731
        text_len = pc.utf8_length(batch.column(batch.schema.get_field_index("text"))).to_pylist() if "text" in rows else col("text")
        chars_in, domains, rule_counts, removed = col("chars_in"), col("domain"), col("rule_counts"), col("removed_examples")
        sizes, clusters = col("dup_cluster_size"), col("dup_cluster")
        signal_values = {name: col(name) for name in signals}
        for i, doc_id in enumerate(ids):
            key = stable_key(doc_id)
            lengths.add(key, (int(chars_in[i] or 0), int(text_len[i] or 0)))
            for name, values in signal_values.items():
                if (value := _number(values[i])) is not None:
                    signal_samples[name]["kept"].add(key, value)
            _add_examples(examples, removed[i], key, doc_id)
            _add_boilerplate(s, boilerplate_docs, key, domains[i], rule_counts[i], removed[i])
            if "text" in rows:
                texts.add(key, (doc_id, (rows["text"][i] or "")[:20_000]))
            size = int(sizes[i] or 1)
            cluster = clusters[i] or ""
            if size > 1 and cluster:
                s.cluster_sizes[size] += 1
                candidate = (size, cluster, doc_id)
                if best_cluster is None or (-size, cluster) < (-best_cluster[0], best_cluster[1]):
                    best_cluster = candidate
    s.scanned["clean"] = n

    rejected_samples: dict[str, BottomK] = {}
    members = BottomK(CLUSTER_MEMBERS_SHOWN)
    n = 0
    wanted = ["id", "url", "domain", "reason", "detail", "stage", "text", "duplicate_of", "dup_cluster", "rule_counts", "removed_examples", *signals]
    for batch in _batches(rejected_ds, wanted):
        rows = batch.to_pydict()
        ids = rows["id"]
        n += len(ids)
        columns = {name: _column(rows, name, len(ids)) for name in wanted}
        for i, doc_id in enumerate(ids):
            key = stable_key(doc_id)
            get = lambda name, i=i: columns[name][i]  # noqa: E731
            reason = get("reason") or "?"
            rejected_samples.setdefault(reason, BottomK(REJECTED_PER_REASON)).add(
                key,
                {"id": doc_id, "url": get("url") or "", "stage": get("stage") or "", "detail": get("detail") or "",
                 "duplicate_of": get("duplicate_of") or "", "snippet": _snippet(get("text"))},
            )
            # Only the quality stage's own rejections: later stages (dedup) reject documents that passed it.
            for name in signals if get("stage") in (QUALITY_STAGE, None) else ():
                if (value := _number(get(name))) is not None:
                    signal_samples[name]["rejected"].add(key, value)
            _add_examples(examples, get("removed_examples"), key, doc_id)
            _add_boilerplate(s, boilerplate_docs, key, get("domain"), get("rule_counts"), get("removed_examples"))
            if best_cluster and (get("dup_cluster") == best_cluster[1] or (get("duplicate_of") == best_cluster[2] and reason == "duplicate_near")):
                members.add(key, {"id": doc_id, "url": get("url") or "", "detail": get("detail") or "", "snippet": _snippet(get("text"), 200)})
    s.scanned["rejected"] = n

    s.lengths = lengths.items()
    s.signals = {}  # a q_ column that is null everywhere (the stage did not run) draws no chart
    for name, parts in signal_samples.items():
        values = {part: sample.items() for part, sample in parts.items()}
        if any(values.values()):
            s.signals[name[len(SIGNAL_PREFIX):]] = values
    s.rejected = {reason: sample.items() for reason, sample in sorted(rejected_samples.items())}
    s.examples = {rule: sample.items() for rule, sample in sorted(examples.items())}
    if best_cluster:
        survivor = _find_row(clean_ds, best_cluster[2])
        s.cluster = {"id": best_cluster[1], "size": best_cluster[0], "survivor": survivor, "members": members.items()}
    s.lookalikes = find_lookalikes(texts.items(), report.get("config", {}).get("clean", {}))
    s.boilerplate_lines = top_boilerplate_lines(boilerplate_docs.items())

    for batch in _batches(failed_ds, ["stage", "source", "position", "id", "error_type", "message"]):
        s.failed.extend(batch.slice(0, FAILED_SHOWN - len(s.failed)).to_pylist())
        if len(s.failed) >= FAILED_SHOWN:
            break
    return s


def _add_examples(examples: dict[str, BottomK], items: Iterable[Mapping[str, str]] | None, key: int, doc_id: str) -> None:
    for j, item in enumerate(items or ()):
        rule, line = item.get("rule") or "?", item.get("line") or ""
        examples.setdefault(rule, BottomK(EXAMPLES_PER_RULE)).add(key | (j & 63), {"id": doc_id, "line": line})


def _add_boilerplate(s: Samples, sample: BottomK, key: int, domain: str | None,
                     rule_counts: Iterable[Mapping[str, Any]] | None, removed: Iterable[Mapping[str, str]] | None) -> None:
    """Count a document's corpus-boilerplate removals per domain, and keep its removed lines in a
    bounded sample for the most frequent lines."""
    lines = sum(int(rc.get("count") or 0) for rc in rule_counts or () if str(rc.get("rule") or "").startswith(BOILERPLATE_PREFIX))
    if not lines:
        return
    domain = domain or "(no domain)"
    totals = s.boilerplate_domains.setdefault(domain, [0, 0])
    totals[0] += 1
    totals[1] += lines
    texts = tuple(sorted({item.get("line") or "" for item in removed or () if str(item.get("rule") or "").startswith(BOILERPLATE_PREFIX)}))
    if texts:
        sample.add(key, (domain, texts))


def top_boilerplate_lines(docs: Iterable[tuple[str, Sequence[str]]]) -> list[tuple[str, str, int]]:
    """(domain, line, documents) for the lines removed as boilerplate in the most sampled documents."""
    counts = Counter((domain, line) for domain, lines in docs for line in lines if line)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(domain, line, n) for (domain, line), n in ranked[:BOILERPLATE_LINES_SHOWN]]


def _find_row(dataset: ds.Dataset | None, doc_id: str) -> dict[str, Any] | None:
    if dataset is None:
        return None
    columns = [c for c in ("id", "url", "text") if c in dataset.schema.names]
    table = dataset.to_table(columns=columns, filter=ds.field("id") == doc_id)
    if not table.num_rows:
        return None
    row = table.slice(0, 1).to_pylist()[0]
    return {"id": row["id"], "url": row.get("url") or "", "snippet": _snippet(row.get("text"), 200)}


def find_lookalikes(texts: Sequence[tuple[str, str]], clean_cfg: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]] | None:
    """Kept lines of clean documents that a cleaning rule's pattern matches: where a rule came close.

    A rule pack rule fires only on short lines (its `max_chars`) or whole sentences, so a long kept
    line its pattern matches is exactly the near miss a user wants to check. Returns None when the
    rule pack cannot be loaded (the section is then left out with a note).
    """
    try:
        from transforms.clean import load_rule_pack
        from transforms.rule_prefilter import folded

        pack = load_rule_pack(str(clean_cfg.get("rule_pack") or ""), tuple(clean_cfg.get("disabled_rules") or ()))
    except Exception:  # noqa: BLE001 - a missing or changed rule pack only hides this section
        return None
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
                # a line within the rule's length that it matches would have been removed
                if len(line) <= rule.max_chars or len(found.get(rule.code, ())) >= LOOKALIKES_PER_RULE:
                    continue
                m = rule.search(line, lowered)
                if m is not None:
                    found.setdefault(rule.code, []).append(
                        {"id": doc_id, "line": _snippet(line, 400), "match": m.group(0), "chars": len(line), "max_chars": rule.max_chars}
                    )
    return dict(sorted(found.items()))


# --- small SVG charts --------------------------------------------------------------------------


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def fmt(n: Any) -> str:
    if isinstance(n, bool):
        return str(n).lower()
    if isinstance(n, int):
        return f"{n:,}"
    if isinstance(n, float):
        return f"{n:,.3g}" if abs(n) < 1000 else f"{n:,.0f}"
    return str(n)


def bar_list(items: Sequence[tuple[str, int]], *, color: str = KEPT_COLOR, total: int | None = None, data_kind: str = "") -> str:
    """Horizontal bars, one row per (label, count): HTML rows with an inline SVG bar each."""
    if not items:
        return '<p class="muted">None.</p>'
    top = max(v for _, v in items) or 1
    rows = []
    for label, value in items:
        width = max(1.0, 300 * value / top) if value else 0
        share = f'<span class="muted"> {100 * value / total:.1f}%</span>' if total else ""
        rows.append(
            f'<tr><th scope="row">{esc(label)}</th>'
            f'<td class="num" data-{data_kind}="{esc(label)}" data-value="{value}">{fmt(value)}{share}</td>'
            f'<td><svg width="300" height="14" role="img" aria-label="{esc(label)} {value}"><rect width="{width:.1f}" height="14" fill="{color}" rx="2"/></svg></td></tr>'
        )
    return f'<table class="bars">{"".join(rows)}</table>'


def bins_for(values: Sequence[float], *, log: bool, extra: Sequence[float] = (), count: int = 30) -> list[float]:
    """Bin edges covering the values (and any thresholds in `extra`); log10-spaced for lengths."""
    points = [v for v in list(values) + list(extra) if v is not None and math.isfinite(v)]
    if log:
        points = [max(v, 1.0) for v in points]
    lo, hi = (min(points), max(points)) if points else (0.0, 1.0)
    if log:
        lo, hi = math.log10(lo), math.log10(hi)
    if hi <= lo:
        hi = lo + 1.0
    edges = [lo + (hi - lo) * i / count for i in range(count + 1)]
    return [10**e for e in edges] if log else edges


def histogram(values: Sequence[float], edges: Sequence[float]) -> list[int]:
    counts = [0] * (len(edges) - 1)
    for v in values:
        if v is None or not math.isfinite(v):
            continue
        # the bin whose left edge is the last one <= v; values out of range land in the end bins
        counts[bisect.bisect_right(edges, v, 1, len(edges) - 1) - 1] += 1
    return counts


def histogram_svg(series: Sequence[tuple[str, Sequence[float], str]], *, log: bool = False,
                  thresholds: Sequence[tuple[str, float]] = (), title: str = "", stacked: bool = True) -> str:
    """A histogram of one or more series (label, values, colour), stacked or overlaid, with
    vertical threshold lines. Plain SVG: 600x200 plot with axes and tick labels."""
    all_values = [v for _, values, _ in series for v in values]
    near, far = split_thresholds(all_values, thresholds, log=log)
    edges = bins_for(all_values, log=log, extra=[t for _, t in near])
    counts = [histogram(values, edges) for _, values, _ in series]
    W, H, L, B, T, R = 640, 220, 48, 34, 12, 12
    pw, ph = W - L - R, H - T - B
    nb = len(edges) - 1
    heights = [sum(c[i] for c in counts) for i in range(nb)] if stacked else [max(c[i] for c in counts) for i in range(nb)]
    top = max(heights) or 1
    bw = pw / nb

    def x_of(v: float) -> float:
        if log:
            a, b, v = math.log10(edges[0]), math.log10(edges[-1]), math.log10(max(v, 1e-9))
        else:
            a, b = edges[0], edges[-1]
        return L + pw * (v - a) / ((b - a) or 1)

    parts = [f'<svg class="chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{esc(title)}">']
    parts.append(f'<line x1="{L}" y1="{T + ph}" x2="{W - R}" y2="{T + ph}" stroke="#999"/>')
    # A mid-height gridline only where its label is exact (or near enough): "0" halfway up a chart of 1 misleads.
    for frac in (0.5, 1.0) if top % 2 == 0 or top >= 10 else (1.0,):
        y = T + ph * (1 - frac)
        parts.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{L - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">{fmt(round(top * frac))}</text>')
    for i in range(nb):
        base = 0
        for (label, _, color), c in zip(series, counts):
            if not c[i]:
                continue
            h = ph * c[i] / top
            y0 = T + ph - (base if stacked else 0) - h
            opacity = "" if stacked or len(series) == 1 else ' fill-opacity="0.55"'
            parts.append(
                f'<rect x="{L + i * bw + 0.5:.1f}" y="{y0:.1f}" width="{max(bw - 1, 0.5):.1f}" height="{h:.1f}" fill="{color}"{opacity}>'
                f'<title>{esc(label)}: {c[i]} in [{fmt(edges[i])}, {fmt(edges[i + 1])})</title></rect>'
            )
            if stacked:
                base += h
    for k in range(0, nb + 1, max(nb // 6, 1)):
        x = L + k * bw
        parts.append(f'<line x1="{x:.1f}" y1="{T + ph}" x2="{x:.1f}" y2="{T + ph + 4}" stroke="#999"/>')
        parts.append(f'<text x="{x:.1f}" y="{T + ph + 16}" text-anchor="middle" class="tick">{esc(fmt(edges[k]))}</text>')
    for label, t in near:
        x = x_of(t)
        anchor, dx = ("end", -4) if x > L + pw * 0.8 else ("start", 4)
        parts.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{T + ph}" stroke="{THRESHOLD_COLOR}" stroke-width="2" stroke-dasharray="5 3"/>')
        parts.append(f'<text x="{x + dx:.1f}" y="{T + 10}" text-anchor="{anchor}" class="tick thr">{esc(label)} {esc(fmt(t))}</text>')
    for k, (label, t) in enumerate(far):  # far outside the data: a note at the edge, not a squashed chart
        right = t > edges[-1]
        x, anchor, arrow = (W - R, "end", "{} {} →") if right else (L + 2, "start", "← {} {}")
        parts.append(f'<text x="{x}" y="{T + 10 + 12 * k}" text-anchor="{anchor}" class="tick thr">{esc(arrow.format(label, fmt(t)))}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span class="key"><i style="background:{color}"></i>{esc(label)} ({fmt(len(values))})</span>' for label, values, color in series)
    return f'<figure>{"".join(parts)}<figcaption>{legend}</figcaption></figure>'


def split_thresholds(values: Sequence[float], thresholds: Sequence[tuple[str, float]], *, log: bool) -> tuple[list, list]:
    """Thresholds near the data (drawn as lines, the axis stretched to them) and far from it (noted
    at the edge): a max_words of 100,000 must not squash every document into the first bin."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return list(thresholds), []
    scale = (lambda v: math.log10(max(v, 1.0))) if log else (lambda v: v)  # noqa: E731
    lo, hi = scale(min(finite)), scale(max(finite))
    spread = hi - lo
    if spread < 1e-9:  # one value (a ratio that is 0 everywhere): nothing to squash, draw every line
        return list(thresholds), []
    # Near: with the threshold on the axis, the data still fills at least a quarter of it.
    near = [(b, t) for b, t in thresholds if max(hi, scale(t)) - min(lo, scale(t)) <= 4 * spread]
    return near, [bt for bt in thresholds if bt not in near]


# --- sections ----------------------------------------------------------------------------------


def quality_thresholds(quality_cfg: Mapping[str, Any]) -> dict[str, list[tuple[str, float]]] | None:
    """signal -> [(label, limit)] from the quality stage's own rule table (`transforms.quality.
    thresholds`), for the filters the run enabled; None when that module is not there (an older
    run, or a pipeline without the stage): `thresholds_for` then reads the config keys."""
    try:
        from transforms import quality
    except ImportError:
        return None
    try:
        known = {f.name for f in fields(quality.QualityConfig)}
        cfg = quality.QualityConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in quality_cfg.items() if k in known})
        rules = quality.thresholds(cfg)
    except Exception:  # noqa: BLE001 - a config from another version: fall back to the key names
        return None
    return rule_thresholds(rules, cfg.filters)


def rule_thresholds(rules: Iterable[Any], enabled: Sequence[str]) -> dict[str, list[tuple[str, float]]]:
    """Rules with (filter, signal, op, limit), op being the comparison that rejects -> per signal,
    the labels drawn on its chart ("gopher_quality <" 50), in rule order."""
    out: dict[str, list[tuple[str, float]]] = {}
    for rule in rules:
        if rule.limit is None or rule.filter not in enabled:
            continue
        out.setdefault(rule.signal, []).append((f"{rule.filter} {rule.op}", float(rule.limit)))
    return out


def thresholds_for(signal: str, quality_cfg: Mapping[str, Any]) -> list[tuple[str, float]]:
    """Configured thresholds for a signal: keys min_<signal>/max_<signal> or <signal>_min/_max,
    or a mapping under the signal's own name with min/max keys. Anything else is not guessed."""
    out: list[tuple[str, float]] = []

    def number(v: Any) -> float | None:
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None

    def walk(cfg: Mapping[str, Any]) -> None:
        for key, value in cfg.items():
            if isinstance(value, Mapping):
                if key == signal:
                    for bound in ("min", "max"):
                        if (v := number(value.get(bound))) is not None:
                            out.append((bound, v))
                else:
                    walk(value)
                continue
            v = number(value)
            if v is None:
                continue
            for bound in ("min", "max"):
                if key in (f"{bound}_{signal}", f"{signal}_{bound}"):
                    out.append((bound, v))

    walk(quality_cfg)
    return sorted(set(out))


def _section(anchor: str, title: str, body: str, note: str = "") -> str:
    note_html = f'<p class="muted">{note}</p>' if note else ""
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{note_html}{body}</section>'


def summary_section(report: Mapping[str, Any]) -> str:
    c = report.get("counts", {})
    chars = report.get("chars", {})
    wall = report.get("timings", {}).get("wall_seconds")
    cards = [
        ("input", "documents read", c.get("input", 0)),
        ("clean", "clean", c.get("clean", 0)),
        ("rejected", "rejected", c.get("rejected", 0)),
        ("failed", "failed", c.get("failed", 0)),
    ]
    html_cards = "".join(
        f'<div class="card {key}"><div class="big" id="count-{key}" data-value="{int(v)}">{fmt(int(v))}</div><div>{esc(label)}</div></div>'
        for key, label, v in cards
    )
    extra = []
    if chars:
        extra.append(f'characters of clean documents: {fmt(chars.get("in", 0))} before cleaning → {fmt(chars.get("out", 0))} after')
    if wall is not None:
        extra.append(f"wall time {fmt(float(wall))} s")
    balanced = c.get("balanced")
    check = (
        '<span class="ok">counts add up: input = clean + rejected + failed</span>'
        if balanced
        else '<span class="bad">counts do NOT add up: input ≠ clean + rejected + failed</span>'
    )
    return f'<section id="summary"><div class="cards">{html_cards}</div><p>{check}. {esc(" · ".join(extra))}</p></section>'


def funnel_section(report: Mapping[str, Any]) -> str:
    rows = report.get("funnel", [])
    by_stage_reason = report.get("rejected_by_stage_reason", {})
    start = rows[0]["in"] if rows else 0
    body = []
    for row in rows:
        stage = row["stage"]
        lost = row["rejected"] + row["failed"]
        reasons = by_stage_reason.get(stage, {})
        chips = "".join(
            f'<span class="chip" data-stage="{esc(stage)}" data-reason="{esc(r)}" data-value="{n}">{esc(r)} <b>{fmt(n)}</b></span>'
            for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        if row["failed"]:
            chips += f'<span class="chip failed" data-stage="{esc(stage)}" data-reason="failed" data-value="{row["failed"]}">failed <b>{fmt(row["failed"])}</b></span>'
        if not reasons and row["rejected"]:  # a report.json without the stage × reason table
            chips += f'<span class="chip">rejected <b>{fmt(row["rejected"])}</b></span>'
        kept_w = 400 * row["out"] / start if start else 0
        lost_w = 400 * lost / start if start else 0
        bar = (
            f'<svg width="400" height="16" role="img" aria-label="{esc(stage)}: {row["out"]} of {row["in"]} kept">'
            f'<rect width="{kept_w:.1f}" height="16" fill="{KEPT_COLOR}"/><rect x="{kept_w:.1f}" width="{lost_w:.1f}" height="16" fill="{LOST_COLOR}"/></svg>'
        )
        body.append(
            f'<tr class="funnel-row{" quiet" if not lost else ""}" data-stage="{esc(stage)}"><th scope="row">{esc(stage)}</th>'
            f'<td class="num" data-field="in" data-value="{row["in"]}">{fmt(row["in"])}</td>'
            f'<td class="num lost" data-field="lost" data-value="{lost}">{"−" + fmt(lost) if lost else "0"}</td>'
            f'<td class="num" data-field="out" data-value="{row["out"]}">{fmt(row["out"])}</td>'
            f"<td>{bar}</td><td>{chips}</td></tr>"
        )
    head = "<tr><th>stage</th><th>in</th><th>lost</th><th>out</th><th></th><th>lost to (reason: documents)</th></tr>"
    table = f'<table class="funnel" id="funnel">{head}{"".join(body)}</table>'
    return _section("funnel", "Funnel: input → clean", table, "Documents entering and leaving each stage, and why the lost ones went. Stages that did not run in this pipeline pass everything through.")


def rules_section(report: Mapping[str, Any], s: Samples) -> str:
    rules = report.get("rules", {})
    if not rules:
        return _section("rules", "Cleaning rules", '<p class="muted">No line was removed by a cleaning rule.</p>')
    items = sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [bar_list(items, color=LOST_COLOR, data_kind="rule")]
    for rule, _ in items:
        examples = s.examples.get(rule, [])
        look = (s.lookalikes or {}).get(rule, [])
        if not examples and not look:
            continue
        lis = "".join(f'<li><q>{esc(_snippet(e["line"], 400))}</q> <span class="muted">{esc(e["id"])}</span></li>' for e in examples)
        block = f'<details open><summary><b>{esc(rule)}</b>: removed lines</summary><ul class="examples">{lis}</ul>'
        if look:
            lk = "".join(
                f'<li><q>{esc(e["line"])}</q> <span class="muted">{esc(e["id"])} · matched “{esc(e["match"])}” · {e["chars"]} chars'
                f'{" &gt; max_chars " + str(e["max_chars"]) if e["max_chars"] and e["chars"] > e["max_chars"] else ""}</span></li>'
                for e in look
            )
            block += f'<p class="sub">Kept look-alikes (the rule\'s pattern matches, the line stayed):</p><ul class="examples kept">{lk}</ul>'
        parts.append(block + "</details>")
    note = "Lines removed per rule, over clean and rejected documents; examples are a deterministic sample of real removed lines."
    if s.lookalikes is None:
        note += " Kept look-alikes are left out: the rule pack could not be loaded."
    else:
        note += f" Kept look-alikes come from up to {LOOKALIKE_DOCS} sampled clean documents."
    return _section("rules", "Cleaning rules", "".join(parts), note)


def languages_section(report: Mapping[str, Any]) -> str:
    langs = report.get("languages", {})
    if not langs:
        return ""
    total = sum(langs.values())
    items = sorted(langs.items(), key=lambda kv: (-kv[1], kv[0]))
    return _section("languages", "Languages of clean documents", bar_list(items, total=total, data_kind="language"))


def lengths_section(s: Samples) -> str:
    if not s.lengths:
        return ""
    before = [float(a) for a, _ in s.lengths]
    after = [float(b) for _, b in s.lengths]
    chart = histogram_svg([("before cleaning (chars_in)", before, "#b9c7dd"), ("after cleaning (len(text))", after, KEPT_COLOR)],
                          log=True, stacked=False, title="document length")
    med = lambda v: sorted(v)[len(v) // 2]  # noqa: E731
    note = f"Characters per clean document, log scale; median {fmt(int(med(before)))} before, {fmt(int(med(after)))} after."
    if len(s.lengths) < s.scanned.get("clean", 0):
        note += f" A sample of {fmt(len(s.lengths))} of {fmt(s.scanned['clean'])} documents."
    return _section("lengths", "Document length before and after cleaning", chart, note)


def quality_section(report: Mapping[str, Any], s: Samples, rules: dict[str, list[tuple[str, float]]] | None = None) -> str:
    """A histogram per signal, clean vs rejected by the quality stage, with its thresholds. Signals
    with a threshold come first (in the stage's rule order); the others are folded away."""
    if not s.signals:
        return ""
    cfg = report.get("config", {}).get("quality", {}) or {}
    if rules is None:
        rules = quality_thresholds(cfg)
    order = [sig for sig in (rules or {}) if sig in s.signals] + sorted(sig for sig in s.signals if sig not in (rules or {}))
    with_thr, without = [], []
    for signal in order:
        parts = s.signals[signal]
        thresholds = rules.get(signal, []) if rules is not None else thresholds_for(signal, cfg)
        chart = histogram_svg([("clean", parts["kept"], KEPT_COLOR), ("rejected by quality", parts["rejected"], LOST_COLOR)],
                              thresholds=thresholds, title=signal)
        thr = ", ".join(f"{b} {fmt(v)}" for b, v in thresholds) or "no threshold configured"
        block = f'<div class="signal" data-signal="{esc(signal)}"><h3>{esc(signal)} <span class="muted">({esc(thr)})</span></h3>{chart}</div>'
        (with_thr if thresholds else without).append(block)
    body = f'<div class="grid">{"".join(with_thr)}</div>' if with_thr else ""
    if without:
        grid = f'<div class="grid">{"".join(without)}</div>'
        body += grid if not with_thr else f"<details><summary><b>Signals without a threshold</b> ({len(without)})</summary>{grid}</details>"
    note = ("Distribution of each signal (Parquet column q_&lt;signal&gt;) over clean documents and those the quality stage "
            "rejected; dashed lines are the thresholds of the enabled filters, labelled with the comparison that rejects.")
    if cfg.get("annotate_only"):
        note += " annotate_only is on: the signals were computed, nothing was rejected on them."
    return _section("quality", "Quality signals", body, note)


NEAR_DEDUP_STATS = (
    ("clusters", "clusters"),
    ("docs_in_clusters", "documents in clusters"),
    ("pairs_verified", "candidate pairs verified"),
    ("pairs_rejected_by_verification", "candidate pairs below the threshold"),
    ("hot_buckets", "band buckets over max_bucket"),
    ("unconverged_nodes", "documents whose cluster did not converge"),
)


def _size_order(label: str) -> int:
    head = label.split("-")[0]
    return int(head) if head.isdigit() else 1 << 62


def clusters_section(report: Mapping[str, Any], s: Samples) -> str:
    """Near-duplicate clusters: the near-dedup stage's counts from report.json (cluster sizes in
    power-of-two bins) when present, else the exact sizes read from the clean Parquet; and the
    largest cluster with its survivor and dropped members."""
    stats = report.get("near_dedup") or {}
    if not stats and not s.cluster_sizes:
        return ""
    parts = []
    if stats:
        kv = "".join(
            f'<tr><th>{esc(label)}</th><td class="num" data-near-dedup="{key}" data-value="{int(stats.get(key, 0))}">{fmt(int(stats.get(key, 0)))}</td></tr>'
            for key, label in NEAR_DEDUP_STATS if key in stats
        )
        parts.append(f'<table class="kv">{kv}</table>')
    binned = stats.get("cluster_sizes") or {}
    if binned:
        items = [(f"size {size}", int(n)) for size, n in sorted(binned.items(), key=lambda kv: _size_order(kv[0]))]
    else:
        items = [(f"size {size}", n) for size, n in sorted(s.cluster_sizes.items())]
    if items:
        parts.append("<h3>Clusters by size</h3>" + bar_list(items, data_kind="cluster-size"))
    elif stats:
        parts.append('<p class="muted">No near-duplicate cluster was found.</p>')
    if s.cluster:
        c = s.cluster
        surv = c.get("survivor") or {}
        lis = f'<li class="survivor"><b>kept</b> {esc(surv.get("id", ""))} {esc(surv.get("url", ""))}<br><q>{esc(surv.get("snippet", ""))}</q></li>'
        lis += "".join(
            f'<li><b>dropped</b> {esc(m["id"])} {esc(m["url"])} <span class="muted">{esc(m["detail"])}</span><br><q>{esc(m["snippet"])}</q></li>'
            for m in c.get("members", [])
        )
        parts.append(f'<h3>Largest cluster <span class="muted">{esc(c["id"])} · {c["size"]} documents</span></h3><ul class="cluster">{lis}</ul>')
    cfg = report.get("config", {}).get("near_dedup", {}) or {}
    note = "Clusters of near-duplicates (one document kept per cluster, the others rejected as duplicate_near)."
    if cfg.get("threshold") is not None:
        note += f" Word-shingle Jaccard threshold {esc(fmt(cfg['threshold']))}."
    return _section("clusters", "Near-duplicate clusters", "".join(parts), note)


def boilerplate_section(report: Mapping[str, Any], s: Samples) -> str:
    """Corpus-learned boilerplate (cleaning layer 3): lines removed because they recur across
    documents of one domain. Shown when the run has the stage's config or its removals."""
    removed = {rule: n for rule, n in report.get("rules", {}).items() if rule.startswith(BOILERPLATE_PREFIX)}
    cfg = report.get("config", {}).get("boilerplate")
    if not removed and not s.boilerplate_domains and not cfg:
        return ""
    note = "Lines removed because they recur in many documents of the same domain (menus, footers, sign-up boxes no rule names)."
    if isinstance(cfg, Mapping) and cfg.get("min_docs") is not None:
        note += f" A line is boilerplate in a domain from {esc(fmt(cfg['min_docs']))} distinct documents on"
        note += f"; longer lines than {esc(fmt(cfg['max_line_chars']))} characters are never counted." if cfg.get("max_line_chars") else "."
    total = sum(removed.values())
    if not total and not s.boilerplate_domains:
        return _section("boilerplate", "Corpus boilerplate", '<p class="muted">No line recurred often enough to be removed.</p>', note)
    docs = sum(d for d, _ in s.boilerplate_domains.values())
    parts = [f'<p><b id="boilerplate-lines" data-value="{total}">{fmt(total)}</b> lines removed from '
             f'<b id="boilerplate-docs" data-value="{docs}">{fmt(docs)}</b> documents in {fmt(len(s.boilerplate_domains))} domains.</p>']
    ranked = sorted(s.boilerplate_domains.items(), key=lambda kv: (-kv[1][1], kv[0]))
    shown = ranked[:BOILERPLATE_DOMAINS_SHOWN]
    if shown:
        trs = "".join(
            f'<tr><th scope="row">{esc(d)}</th><td class="num" data-boilerplate-domain="{esc(d)}" data-value="{lines}">{fmt(lines)}</td>'
            f'<td class="num">{fmt(n)}</td></tr>'
            for d, (n, lines) in shown
        )
        more = f'<p class="muted">{fmt(len(ranked) - len(shown))} more domains.</p>' if len(ranked) > len(shown) else ""
        parts.append(f'<table class="bars"><tr><th>domain</th><th>lines removed</th><th>documents</th></tr>{trs}</table>{more}')
    if s.boilerplate_lines:
        lis = "".join(f'<li><q>{esc(_snippet(line, 300))}</q> <span class="muted">{esc(d)} · {fmt(n)} documents</span></li>'
                      for d, line, n in s.boilerplate_lines)
        parts.append(f'<h3>Most frequent removed lines <span class="muted">(in up to {fmt(BOILERPLATE_SAMPLE_DOCS)} sampled documents)</span></h3>'
                     f'<ul class="examples">{lis}</ul>')
    return _section("boilerplate", "Corpus boilerplate", "".join(parts), note)


def rejected_section(report: Mapping[str, Any], s: Samples) -> str:
    by_reason = report.get("rejected_by_reason", {})
    if not by_reason:
        return ""
    parts = [bar_list(sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0])), color=LOST_COLOR, data_kind="rejected-reason")]
    for reason in sorted(by_reason, key=lambda r: (-by_reason[r], r)):
        rows = s.rejected.get(reason, [])
        trs = "".join(
            f'<tr><td class="id">{esc(r["id"])}</td><td class="url">{esc(r["url"])}</td><td>{esc(r["stage"])}</td>'
            f'<td>{esc(r["detail"])}{" · duplicate of " + esc(r["duplicate_of"]) if r["duplicate_of"] else ""}</td><td class="snip">{esc(r["snippet"])}</td></tr>'
            for r in rows
        )
        parts.append(
            f'<details><summary><b>{esc(reason)}</b>: {fmt(by_reason[reason])} documents, {len(rows)} shown</summary>'
            f'<table class="rows"><tr><th>id</th><th>url</th><th>stage</th><th>detail</th><th>text</th></tr>{trs}</table></details>'
        )
    return _section("rejected", "Rejected documents", "".join(parts), "A deterministic sample per reason, so each filter can be judged on real documents.")


def failed_section(report: Mapping[str, Any], s: Samples) -> str:
    total = report.get("counts", {}).get("failed", 0)
    if not total:
        return ""
    trs = "".join(
        f'<tr><td>{esc(r.get("stage"))}</td><td class="url">{esc(r.get("source"))}</td><td class="num">{esc(r.get("position"))}</td>'
        f'<td class="id">{esc(r.get("id"))}</td><td>{esc(r.get("error_type"))}</td><td class="snip">{esc(_snippet(r.get("message"), 300))}</td></tr>'
        for r in s.failed
    )
    by_stage = bar_list(sorted(report.get("failed_by_stage", {}).items()), color=LOST_COLOR, data_kind="failed-stage")
    table = f'<table class="rows"><tr><th>stage</th><th>source</th><th>position</th><th>id</th><th>error</th><th>message</th></tr>{trs}</table>'
    return _section("failed", "Failed records", by_stage + table, f"{fmt(len(s.failed))} of {fmt(total)} shown; full tracebacks are in the failed Parquet.")


def run_section(report: Mapping[str, Any]) -> str:
    def kv_table(d: Mapping[str, Any]) -> str:
        return '<table class="kv">' + "".join(f"<tr><th>{esc(k)}</th><td>{esc(fmt(v) if isinstance(v, (int, float)) else v)}</td></tr>" for k, v in d.items()) + "</table>"

    parts = []
    meta = {"command": report.get("command", ""), "inputs": ", ".join(report.get("inputs", [])), "config hash": report.get("config_hash", ""),
            "Beam options": " ".join(report.get("beam_options", [])) or "(defaults)"}
    meta.update({f"output {k}": v for k, v in report.get("outputs", {}).items()})
    parts.append(kv_table(meta))
    if report.get("timings"):
        parts.append("<h3>Timings (seconds)</h3>" + kv_table(report["timings"]))
    if report.get("versions"):
        parts.append("<h3>Versions</h3>" + kv_table(report["versions"]))
    if report.get("config") is not None:
        cfg = json.dumps(report["config"], indent=2, sort_keys=True, ensure_ascii=False)
        parts.append(f'<details><summary><b>Effective config</b></summary><pre>{esc(cfg)}</pre></details>')
    return _section("run", "Run: config, versions, timings", "".join(parts))


CSS = """
:root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f6f7f9}
body{margin:0}main{max-width:1180px;margin:0 auto;padding:16px 24px 48px}
header{background:#1d2330;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#c9d1dd;font-size:13px}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #dde1e7;padding:6px 24px;font-size:13px;z-index:1}nav a{margin-right:14px;color:#3b6fb6;text-decoration:none}
section{background:#fff;border:1px solid #e1e4e9;border-radius:8px;padding:14px 18px;margin:16px 0}
h2{font-size:17px;margin:0 0 8px}h3{font-size:14px;margin:14px 0 6px}
.muted{color:#6b7380;font-size:12.5px;font-weight:normal}.sub{margin:6px 0 2px;font-size:13px;color:#555}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{flex:1;min-width:140px;border-radius:8px;padding:10px 14px;background:#eef2f8}
.card .big{font-size:26px;font-weight:600}.card.clean{background:#e6f0fb}.card.rejected{background:#fdecea}.card.failed{background:#fff4e0}
.ok{color:#2b7a3d;font-weight:600}.bad{color:#b3261e;font-weight:600}
table{border-collapse:collapse;font-size:13px}th{text-align:left;font-weight:600;padding:3px 10px 3px 0;vertical-align:top}td{padding:3px 10px 3px 0;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.funnel th,table.funnel td{padding:6px 12px 6px 0;border-bottom:1px solid #eef0f3;vertical-align:middle}table.funnel tr.quiet{color:#8a919c}
td.lost{color:#b3261e}
.chip{display:inline-block;background:#fdecea;color:#8c1d18;border-radius:10px;padding:1px 8px;margin:1px 4px 1px 0;font-size:12px}.chip.failed{background:#fff4e0;color:#7a4b00}
table.bars th{font-weight:normal;max-width:360px;overflow-wrap:anywhere}
table.rows{width:100%;margin:6px 0;table-layout:fixed}table.rows td,table.rows th{border-bottom:1px solid #eef0f3;padding:4px 8px 4px 0;overflow-wrap:anywhere}
table.rows td.id{width:14%}table.rows td.url{width:18%}table.rows td.snip{width:42%;color:#333}
table.kv th{width:160px;color:#555;font-weight:normal}table.kv td{overflow-wrap:anywhere}
details{margin:6px 0}summary{cursor:pointer;font-size:13.5px}
ul.examples,ul.cluster{margin:4px 0 8px;padding-left:20px;font-size:13px}ul.examples li,ul.cluster li{margin:3px 0;overflow-wrap:anywhere}ul.examples.kept q{background:#e6f0fb}
q{quotes:"“" "”";background:#fdf3f2}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:8px 20px}
figure{margin:0}figcaption{font-size:12px;color:#555}.key{margin-right:12px}.key i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:baseline}
svg.chart{max-width:100%;height:auto}svg .tick{font-size:10px;fill:#666}svg .thr{fill:#222;font-weight:600}
pre{background:#f6f7f9;padding:10px;font-size:12px;overflow:auto;max-height:420px}
"""


def render(report: Mapping[str, Any], samples: Samples) -> str:
    """The whole page, from report.json's content and the samples read from the Parquet."""
    sections = [
        summary_section(report),
        funnel_section(report),
        rules_section(report, samples),
        boilerplate_section(report, samples),
        languages_section(report),
        lengths_section(samples),
        quality_section(report, samples),
        clusters_section(report, samples),
        rejected_section(report, samples),
        failed_section(report, samples),
        run_section(report),
    ]
    present = [s for s in sections if s]
    titles = {"funnel": "Funnel", "rules": "Rules", "boilerplate": "Boilerplate", "languages": "Languages", "lengths": "Lengths", "quality": "Quality",
              "clusters": "Near-duplicates", "rejected": "Rejected", "failed": "Failed", "run": "Run"}
    nav = "".join(f'<a href="#{a}">{t}</a>' for a, t in titles.items() if any(f'<section id="{a}"' in s for s in present))
    c = report.get("counts", {})
    subtitle = f'{fmt(c.get("input", 0))} documents read → {fmt(c.get("clean", 0))} clean · config {report.get("config_hash", "")} · {", ".join(report.get("inputs", []))}'
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        f"<title>newsclean run report</title><style>{CSS}</style></head><body>"
        f"<header><h1>newsclean run report</h1><p>{esc(subtitle)}</p></header><nav>{nav}</nav>"
        f'<main>{"".join(present)}</main></body></html>\n'
    )


def write_html(out_dir: str) -> str:
    """Render `report.html` in `out_dir` from the finished run there; returns its path."""
    report = read_json(FileSystems.join(out_dir, REPORT_FILE))
    page = render(report, gather(out_dir, report))
    path = FileSystems.join(out_dir, HTML_FILE)
    with FileSystems.create(path, mime_type="text/html") as f:
        f.write(page.encode("utf-8"))
    return path

