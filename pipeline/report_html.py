"""The run report as one self-contained HTML page (`report.html`), beside `report.json`.

Drawn by the driver after a run, or later with `python -m pipeline.report OUT_DIR`, from
`report.json` alone: its counts, and the histograms and samples the job gathered with combiners
(`pipeline/report_data.py`). The Parquet outputs are never opened, so drawing the page takes the
same time for ten documents as for a billion, and the page and the JSON never disagree.

The page has no script and loads nothing: inline CSS and SVG (`pipeline/report_charts.py`). A
section is shown only when its data exists (quality signals, near-duplicate clusters, ...), so the
page grows with the pipeline. Every string taken from the data is HTML-escaped.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields
from typing import Any, Iterable, Mapping, Sequence

from apache_beam.io.filesystems import FileSystems

from pipeline.report import REPORT_FILE, read_json
from pipeline.report_charts import KEPT_COLOR, LOST_COLOR, bar_list, esc, fmt, histogram_svg, median
from pipeline.report_data import BOILERPLATE_PREFIX, snippet


HTML_FILE = "report.html"


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
    # the run's warnings (a field name that found nothing) stand where the counts are read
    warned = "".join(f'<p class="bad">warning: {esc(str(line))}</p>' for line in report.get("warnings") or [])
    return f'<section id="summary"><div class="cards">{html_cards}</div><p>{check}. {esc(" · ".join(extra))}</p>{warned}</section>'


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
    # the section holds the page's `funnel` id: a table of the same id made two (invalid HTML, hostile round 32)
    table = f'<table class="funnel">{head}{"".join(body)}</table>'
    return _section("funnel", "Funnel: input → clean", table, "Documents entering and leaving each stage, and why the lost ones went. Stages that did not run in this pipeline pass everything through.")


def _samples(report: Mapping[str, Any]) -> Mapping[str, Any]:
    return report.get("samples") or {}


def rules_section(report: Mapping[str, Any]) -> str:
    rules = report.get("rules", {})
    if not rules:
        return _section("rules", "Cleaning rules", '<p class="muted">No line was removed by a cleaning rule.</p>')
    samples = _samples(report)
    lookalikes = samples.get("lookalikes")
    items = sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [bar_list(items, color=LOST_COLOR, data_kind="rule")]
    for rule, _ in items:
        examples = (samples.get("rule_examples") or {}).get(rule, [])
        look = (lookalikes or {}).get(rule, [])
        if not examples and not look:
            continue
        lis = "".join(f'<li><q>{esc(snippet(e["line"], 400))}</q> <span class="muted">{esc(e["id"])}</span></li>' for e in examples)
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
    if lookalikes is None:
        note += " Kept look-alikes are left out: the rule pack could not be loaded."
    else:
        note += f" Kept look-alikes come from {fmt(int(samples.get('lookalike_docs', 0)))} sampled clean documents."
    return _section("rules", "Cleaning rules", "".join(parts), note)


def languages_section(report: Mapping[str, Any]) -> str:
    langs = report.get("languages", {})
    if not langs:
        return ""
    total = sum(langs.values())
    items = sorted(langs.items(), key=lambda kv: (-kv[1], kv[0]))
    return _section("languages", "Languages of clean documents", bar_list(items, total=total, data_kind="language"))


def lengths_section(report: Mapping[str, Any]) -> str:
    lengths = (report.get("histograms") or {}).get("lengths") or {}
    before, after = lengths.get("before") or {}, lengths.get("after") or {}
    if not before and not after:
        return ""
    chart = histogram_svg([("before cleaning (chars_in)", before, "#b9c7dd"), ("after cleaning (len(text))", after, KEPT_COLOR)],
                          stacked=False, title="document length")
    note = "Characters per clean document, log scale (bins about 6% wide)."
    mids = [median(before), median(after)]
    if None not in mids:
        note += f" Median about {fmt(round(mids[0]))} before, {fmt(round(mids[1]))} after."
    return _section("lengths", "Document length before and after cleaning", chart, note)


def quality_section(report: Mapping[str, Any], rules: dict[str, list[tuple[str, float]]] | None = None) -> str:
    """A histogram per signal, clean vs rejected by the quality stage, with its thresholds. Signals
    with a threshold come first (in the stage's rule order); the others are folded away."""
    signals = {name: parts for name, parts in ((report.get("histograms") or {}).get("signals") or {}).items()
               if any((parts or {}).values())}  # a signal null everywhere (the stage did not run) draws no chart
    if not signals:
        return ""
    cfg = report.get("config", {}).get("quality", {}) or {}
    if rules is None:
        rules = quality_thresholds(cfg)
    order = [sig for sig in (rules or {}) if sig in signals] + sorted(sig for sig in signals if sig not in (rules or {}))
    with_thr, without = [], []
    for signal in order:
        parts = signals[signal]
        thresholds = rules.get(signal, []) if rules is not None else thresholds_for(signal, cfg)
        chart = histogram_svg([("clean", parts.get("kept") or {}, KEPT_COLOR), ("rejected by quality", parts.get("rejected") or {}, LOST_COLOR)],
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


def clusters_section(report: Mapping[str, Any]) -> str:
    """Near-duplicate clusters: the near-dedup stage's counts from report.json (cluster sizes in
    power-of-two bins) when present, else the exact sizes of the clean documents' clusters; and
    the largest cluster with its survivor and dropped members."""
    stats = report.get("near_dedup") or {}
    exact = (report.get("histograms") or {}).get("cluster_sizes") or {}
    largest = _samples(report).get("largest_cluster")
    if not stats and not exact:
        return ""
    parts = []
    if stats:
        kv = "".join(
            f'<tr><th>{esc(label)}</th><td class="num" data-near-dedup="{key}" data-value="{int(stats.get(key, 0))}">{fmt(int(stats.get(key, 0)))}</td></tr>'
            for key, label in NEAR_DEDUP_STATS if key in stats
        )
        parts.append(f'<table class="kv">{kv}</table>')
    binned = stats.get("cluster_sizes") or exact
    items = [(f"size {size}", int(n)) for size, n in sorted(binned.items(), key=lambda kv: _size_order(kv[0]))]
    if items:
        parts.append("<h3>Clusters by size</h3>" + bar_list(items, data_kind="cluster-size"))
    elif stats:
        parts.append('<p class="muted">No near-duplicate cluster was found.</p>')
    if largest:
        surv = largest.get("survivor") or {}
        lis = f'<li class="survivor"><b>kept</b> {esc(surv.get("id", ""))} {esc(surv.get("url", ""))}<br><q>{esc(surv.get("snippet", ""))}</q></li>'
        lis += "".join(
            f'<li><b>dropped</b> {esc(m["id"])} {esc(m["url"])} <span class="muted">{esc(m["detail"])}</span><br><q>{esc(m["snippet"])}</q></li>'
            for m in largest.get("members", [])
        )
        parts.append(f'<h3>Largest cluster <span class="muted">{esc(largest["id"])} · {fmt(int(largest["size"]))} documents</span></h3>'
                     f'<ul class="cluster">{lis}</ul>')
    cfg = report.get("config", {}).get("near_dedup", {}) or {}
    note = "Clusters of near-duplicates (one document kept per cluster, the others rejected as duplicate_near)."
    if cfg.get("threshold") is not None:
        note += f" Word-shingle Jaccard threshold {esc(fmt(cfg['threshold']))}."
    return _section("clusters", "Near-duplicate clusters", "".join(parts), note)


def boilerplate_section(report: Mapping[str, Any]) -> str:
    """Corpus-learned boilerplate (cleaning layer 3): lines removed because they recur across
    documents of one domain. Shown when the run has the stage's config or its removals."""
    removed = {rule: n for rule, n in report.get("rules", {}).items() if rule.startswith(BOILERPLATE_PREFIX)}
    cfg = report.get("config", {}).get("boilerplate")
    data = report.get("boilerplate") or {}
    domains, docs = int(data.get("domains", 0)), int(data.get("docs", 0))
    if not removed and not domains and not cfg:
        return ""
    note = "Lines removed because they recur in many documents of the same domain (menus, footers, sign-up boxes no rule names)."
    if isinstance(cfg, Mapping) and cfg.get("min_docs") is not None:
        note += f" A line is boilerplate in a domain from {esc(fmt(cfg['min_docs']))} distinct documents on"
        note += f"; longer lines than {esc(fmt(cfg['max_line_chars']))} characters are never counted." if cfg.get("max_line_chars") else "."
    total = sum(removed.values())
    if not total and not domains:
        return _section("boilerplate", "Corpus boilerplate", '<p class="muted">No line recurred often enough to be removed.</p>', note)
    parts = [(f'<p><b id="boilerplate-lines" data-value="{total}">{fmt(total)}</b> lines removed from '
              f'<b id="boilerplate-docs" data-value="{docs}">{fmt(docs)}</b> documents in '
              f'<b id="boilerplate-domains" data-value="{domains}">{fmt(domains)}</b> domains.</p>')]
    shown = data.get("top_domains") or []
    if shown:
        trs = "".join(
            f'<tr><th scope="row">{esc(d["domain"])}</th><td class="num" data-boilerplate-domain="{esc(d["domain"])}" data-value="{int(d["lines"])}">'
            f'{fmt(int(d["lines"]))}</td><td class="num">{fmt(int(d["docs"]))}</td></tr>'
            for d in shown
        )
        more = f'<p class="muted">{fmt(domains - len(shown))} more domains.</p>' if domains > len(shown) else ""
        parts.append(f'<table class="bars"><tr><th>domain</th><th>lines removed</th><th>documents</th></tr>{trs}</table>{more}')
    lines = data.get("top_lines") or []
    if lines:
        lis = "".join(f'<li><q>{esc(snippet(t["line"], 300))}</q> <span class="muted">{esc(t["domain"])} · {fmt(int(t["docs"]))} documents</span></li>'
                      for t in lines)
        parts.append('<h3>Most frequent removed lines <span class="muted">(by documents that list the line among their removed examples)</span></h3>'
                     f'<ul class="examples">{lis}</ul>')
    return _section("boilerplate", "Corpus boilerplate", "".join(parts), note)


def rejected_section(report: Mapping[str, Any]) -> str:
    by_reason = report.get("rejected_by_reason", {})
    if not by_reason:
        return ""
    samples = _samples(report).get("rejected") or {}
    parts = [bar_list(sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0])), color=LOST_COLOR, data_kind="rejected-reason")]
    for reason in sorted(by_reason, key=lambda r: (-by_reason[r], r)):
        rows = samples.get(reason, [])
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


def failed_section(report: Mapping[str, Any]) -> str:
    total = report.get("counts", {}).get("failed", 0)
    if not total:
        return ""
    rows = _samples(report).get("failed") or []
    trs = "".join(
        f'<tr><td>{esc(r.get("stage"))}</td><td class="url">{esc(r.get("source"))}</td><td class="num">{esc(r.get("position"))}</td>'
        f'<td class="id">{esc(r.get("id"))}</td><td>{esc(r.get("error_type"))}</td><td class="snip">{esc(snippet(r.get("message"), 300))}</td></tr>'
        for r in rows
    )
    by_stage = bar_list(sorted(report.get("failed_by_stage", {}).items()), color=LOST_COLOR, data_kind="failed-stage")
    table = f'<table class="rows"><tr><th>stage</th><th>source</th><th>position</th><th>id</th><th>error</th><th>message</th></tr>{trs}</table>'
    return _section("failed", "Failed records", by_stage + table,
                    f"{fmt(len(rows))} of {fmt(total)} shown (a deterministic sample); full tracebacks are in the failed Parquet.")


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


# Anchor -> navigation label, in page order (the summary has no link).
SECTION_TITLES = {"funnel": "Funnel", "rules": "Rules", "boilerplate": "Boilerplate", "languages": "Languages", "lengths": "Lengths",
                  "quality": "Quality", "clusters": "Near-duplicates", "rejected": "Rejected", "failed": "Failed", "run": "Run"}

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


def render(report: Mapping[str, Any]) -> str:
    """The whole page, from report.json's content alone."""
    sections = [
        summary_section(report),
        funnel_section(report),
        rules_section(report),
        boilerplate_section(report),
        languages_section(report),
        lengths_section(report),
        quality_section(report),
        clusters_section(report),
        rejected_section(report),
        failed_section(report),
        run_section(report),
    ]
    present = [s for s in sections if s]
    nav = "".join(f'<a href="#{a}">{t}</a>' for a, t in SECTION_TITLES.items() if any(f'<section id="{a}"' in s for s in present))
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
    """Render `report.html` in `out_dir` from the `report.json` there (nothing else is read);
    returns its path."""
    report = read_json(FileSystems.join(out_dir, REPORT_FILE))
    page = render(report)  # before the file is opened: a report.json it cannot draw leaves the old page
    path = FileSystems.join(out_dir, HTML_FILE)
    with FileSystems.create(path, mime_type="text/html") as f:
        f.write(page.encode("utf-8"))
    return path
