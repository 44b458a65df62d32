"""The report page's charts: plain inline SVG drawn in Python, so the page needs no script and
loads nothing, and a test can read every bar as markup.

Histograms arrive as counts on the fixed bins of `pipeline/report_data.py` (0.01 wide below 1,
40 per decade from 1 on); a chart merges neighbouring bins into at most MAX_BARS bars, on a linear
axis when every value is below 1 (fractions) and on a log axis otherwise (lengths, counts).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from pipeline.report_data import LINEAR_BINS, PER_DECADE, bin_edge

KEPT_COLOR = "#3b6fb6"
LOST_COLOR = "#d9534f"
THRESHOLD_COLOR = "#222"
MAX_BARS = 40


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). An RLO in a
# sampled id or line, never closed, reversed the rest of its row on the page: the url, the detail
# and the text after it read backwards ("Trojan Source" for a report; hostile round 9). They are
# shown as their code points: the page is for judging the data, which holds them.
_BIDI_CONTROLS = {c: f"<U+{c:04X}>" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
# C0 controls but tab, newline and CR, DEL and the C1 controls: an id or line holding them reached
# the page as it was (hostile round 16). HTML makes each a parse error: a NUL is dropped, so ids
# "a\0b" and "ab" read alike, and an ESC sequence acted on the terminal the page was `cat` to
# (cleared it, recoloured it). Shown as code points, as the bidi controls are.
_SHOWN = _BIDI_CONTROLS | {c: f"<U+{c:04X}>" for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r"}


def esc(value: Any) -> str:
    return html.escape(str(value).translate(_SHOWN), quote=True)


def fmt(n: Any) -> str:
    if isinstance(n, bool):
        return str(n).lower()
    if isinstance(n, int):
        return f"{n:,}"
    if isinstance(n, float):
        if math.isinf(n):
            return "∞" if n > 0 else "−∞"
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


# --- histograms on the fixed bins ----------------------------------------------------------------


def position(value: float) -> float:
    """A value's place on the bin scale (bin i spans [i, i + 1)): the continuous form of bin_of."""
    if value < 0:
        return -1.0
    if value < 1:
        return value * LINEAR_BINS
    return LINEAR_BINS + PER_DECADE * math.log10(value)


def as_counts(hist: Mapping[Any, Any]) -> dict[int, int]:
    """A histogram from report.json ({"<bin>": count}) with int bins."""
    return {int(b): int(n) for b, n in (hist or {}).items() if int(n)}


@dataclass(frozen=True)
class Axis:
    """Which fixed bins a chart shows: bins [start, end) in bars of `step` bins, and below them one
    bar for everything under the axis's floor (values below 1 on a log axis, negatives on a linear
    one) when there is any."""

    start: int
    end: int
    step: int
    low: bool  # a first bar for the values below `start`
    log: bool

    @property
    def floor(self) -> float:
        """The value the low bar's values are below: 1 on a log axis, 0 on a linear one."""
        return bin_edge(LINEAR_BINS if self.log else 0)

    @property
    def bars(self) -> int:
        return self.low + -(-(self.end - self.start) // self.step)

    def bar_of(self, b: int) -> int:
        return 0 if b < self.start else self.low + (b - self.start) // self.step

    def x(self, pos: float, left: float, width: float) -> float:
        """The x of a place on the bin scale."""
        return left + width * (self.low + (pos - self.start) / self.step) / self.bars


def choose_axis(occupied: Sequence[int], thresholds: Sequence[tuple[str, float]]) -> tuple[Axis, list, list]:
    """The axis for these occupied bins, and the thresholds near the data (drawn as lines, the axis
    stretched to them) and far from it (noted at the edge): a max_words of 100,000 must not squash
    every document into the first bar."""
    log = max(occupied) >= LINEAR_BINS
    floor = LINEAR_BINS if log else 0
    shown = [b for b in occupied if b >= floor]
    lo, hi = min(shown), max(shown) + 1
    spread = hi - lo
    near, far = [], []
    for label, t in thresholds:
        p = position(t)
        # near: with the threshold on the axis, the data still fills at least a quarter of it
        (near if p >= floor and max(hi, p) - min(lo, p) <= 4 * spread else far).append((label, t))
    for _, t in near:
        p = position(t)
        lo, hi = min(lo, int(math.floor(p))), max(hi, int(math.floor(p)) + 1)
    step = max(1, -(-(hi - lo) // MAX_BARS))
    return Axis(lo, hi, step, any(b < floor for b in occupied), log), near, far


def tick_bins(axis: Axis) -> list[int]:
    """Where the x axis is labelled: at round values (powers of ten on a log axis, tenths on a
    linear one) when at least two fall on it, else at evenly spaced bar edges."""
    unit, base = (PER_DECADE, LINEAR_BINS) if axis.log else (10, 0)
    round_bins = [b for b in range(axis.start, axis.end + 1) if (b - base) % unit == 0]
    if len(round_bins) >= 2:
        return round_bins[:: -(-len(round_bins) // 8)]
    bars = -(-(axis.end - axis.start) // axis.step)
    return [min(axis.start + k * axis.step, axis.end) for k in range(0, bars + 1, max(bars // 6, 1))]


def histogram_svg(series: Sequence[tuple[str, Mapping[Any, Any], str]], *, thresholds: Sequence[tuple[str, float]] = (),
                  title: str = "", stacked: bool = True) -> str:
    """A histogram of one or more series (label, {bin: count}, colour), stacked or overlaid, with
    vertical threshold lines. Plain SVG: 640x220 with axes and tick labels."""
    hists = [as_counts(h) for _, h, _ in series]
    occupied = sorted({b for h in hists for b in h})
    legend = "".join(f'<span class="key"><i style="background:{color}"></i>{esc(label)} ({fmt(sum(h.values()))})</span>'
                     for (label, _, color), h in zip(series, hists))
    if not occupied:
        return f'<figure><p class="muted">No values.</p><figcaption>{legend}</figcaption></figure>'
    axis, near, far = choose_axis(occupied, thresholds)
    counts = []
    for h in hists:
        bars = [0] * axis.bars
        for b, n in h.items():
            bars[min(axis.bar_of(b), axis.bars - 1)] += n
        counts.append(bars)
    W, H, L, B, T, R = 640, 220, 48, 34, 12, 12
    pw, ph = W - L - R, H - T - B
    nb = axis.bars
    heights = [sum(c[i] for c in counts) for i in range(nb)] if stacked else [max(c[i] for c in counts) for i in range(nb)]
    top = max(heights) or 1
    bw = pw / nb

    def bar_range(i: int) -> tuple[float, float]:
        if axis.low and i == 0:
            return -math.inf, axis.floor
        first = axis.start + (i - axis.low) * axis.step
        return bin_edge(first), bin_edge(min(first + axis.step, axis.end))

    parts = [f'<svg class="chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{esc(title)}" '
             f'data-axis="{"log" if axis.log else "linear"}">']
    parts.append(f'<line x1="{L}" y1="{T + ph}" x2="{W - R}" y2="{T + ph}" stroke="#999"/>')
    # A mid-height gridline only where its label is exact (or near enough): "0" halfway up a chart of 1 misleads.
    for frac in (0.5, 1.0) if top % 2 == 0 or top >= 10 else (1.0,):
        y = T + ph * (1 - frac)
        parts.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{L - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">{fmt(round(top * frac))}</text>')
    for i in range(nb):
        base = 0.0
        lo, hi = bar_range(i)
        for (label, _, color), c in zip(series, counts):
            if not c[i]:
                continue
            h = ph * c[i] / top
            y0 = T + ph - (base if stacked else 0) - h
            opacity = "" if stacked or len(series) == 1 else ' fill-opacity="0.55"'
            parts.append(
                f'<rect x="{L + i * bw + 0.5:.1f}" y="{y0:.1f}" width="{max(bw - 1, 0.5):.1f}" height="{h:.1f}" fill="{color}"{opacity} '
                f'data-series="{esc(label)}" data-value="{c[i]}"><title>{esc(label)}: {c[i]} in [{fmt(lo)}, {fmt(hi)})</title></rect>'
            )
            if stacked:
                base += h
    if axis.low:
        parts.append(f'<text x="{L + bw / 2:.1f}" y="{T + ph + 16}" text-anchor="middle" class="tick">&lt;{esc(fmt(axis.floor))}</text>')
    for b in tick_bins(axis):
        x = axis.x(b, L, pw)
        parts.append(f'<line x1="{x:.1f}" y1="{T + ph}" x2="{x:.1f}" y2="{T + ph + 4}" stroke="#999"/>')
        if b > axis.start or not axis.low:  # the low bar's own label stands there
            parts.append(f'<text x="{x:.1f}" y="{T + ph + 16}" text-anchor="middle" class="tick">{esc(fmt(bin_edge(b)))}</text>')
    for label, t in near:
        x = axis.x(position(t), L, pw)
        anchor, dx = ("end", -4) if x > L + pw * 0.8 else ("start", 4)
        parts.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{T + ph}" stroke="{THRESHOLD_COLOR}" stroke-width="2" stroke-dasharray="5 3"/>')
        parts.append(f'<text x="{x + dx:.1f}" y="{T + 10}" text-anchor="{anchor}" class="tick thr">{esc(label)} {esc(fmt(t))}</text>')
    for k, (label, t) in enumerate(far):  # far outside the data: a note at the edge, not a squashed chart
        right = position(t) >= axis.end
        x, anchor, arrow = (W - R, "end", "{} {} →") if right else (L + 2, "start", "← {} {}")
        parts.append(f'<text x="{x}" y="{T + 10 + 12 * k}" text-anchor="{anchor}" class="tick thr">{esc(arrow.format(label, fmt(t)))}</text>')
    parts.append("</svg>")
    return f'<figure>{"".join(parts)}<figcaption>{legend}</figcaption></figure>'


def median(hist: Mapping[Any, Any]) -> float | None:
    """The middle of the bin holding the median value (geometric middle on the log bins)."""
    counts = sorted(as_counts(hist).items())
    total = sum(n for _, n in counts)
    if not total:
        return None
    seen = 0
    for b, n in counts:
        seen += n
        if 2 * seen >= total:
            lo, hi = bin_edge(b), bin_edge(b + 1)
            if b < 0:
                return lo if math.isfinite(lo) else hi
            return math.sqrt(lo * hi) if b >= LINEAR_BINS else (lo + hi) / 2
    return None  # pragma: no cover - the loop always reaches half the total
