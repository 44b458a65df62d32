"""Text-mode cleaning benchmark: naive page text in, article text out, scored against ground truth.

Each page of both extraction sets in ../shared/data/extraction is turned into its whole visible
text, one block element per line (scripts, styles and noscript removed; menus, footers and notices
kept: what a naive scraper saves). Four outputs are scored with each benchmark's own metric:

  raw          the page text as is
  c4           C4's published line rules alone (TFDS c4_utils.clean_page defaults)
  ours         our text-mode cleaning: rule pack + structure (transforms.clean) and the
               corpus-learned boilerplate layer over the whole set grouped by domain
               (transforms.boilerplate), with the page's URL
  ours+clf     ours with the line classifier (layer 2b), each page cleaned by a model trained on
               the other folds of a 5-fold split by site (out-of-sample); ours+clf-insample uses
               the shipped weights, trained on all these pages (in-sample, for comparison only)
  trafilatura  trafilatura on the HTML (the reference; not text mode)

Metrics: WCXB — per-page bag-of-words P/R/F1 on lower-cased \\w+ tokens, averaged over pages, and
the share of `with` snippets found / `without` snippets avoided. ScrapingHub — \\w+ tokens, word
4-gram shingle multisets, per-page P and R averaged, F1 of the two means.

The ground truth of both sets leaves out the page title, which our cleaning keeps as the first
line (it is content for training). Figures are shown twice: as is, and with the title line not
counted (the first output line equal to the page's <h1> or <title> is dropped before scoring, for
every method alike).

Run from the repo root:  python -m benchmarks.text_mode [--no-trafilatura] [--dump DIR] [--cache FILE]
Error analysis (biggest false-kept / false-removed lines by family):  ... --errors
Cleaning speed (layers 1+2, CPU ms per document):  ... --speed
"""

from __future__ import annotations

import argparse
import gzip
import pickle
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import lxml.html
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.data import DATA, html_path, scrapinghub_truth, wcxb_truth  # noqa: E402
from benchmarks.scoring import shingle_counts, tokens  # noqa: E402
from pipeline.io import domain_of  # noqa: E402
from transforms.boilerplate import BoilerplateConfig, apply_boilerplate, count_domain_lines  # noqa: E402
from transforms.clean import CleanConfig, load_rule_pack, strip_cruft  # noqa: E402

# --- HTML -> naive visible text ------------------------------------------------------------------

_DROP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "html", "label", "legend", "li", "main", "menu", "nav", "ol",
    "option", "p", "pre", "section", "select", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip


def page_text(html: str) -> str:
    """The visible text of a page, one block element per line, as a naive scraper saves it."""
    root = lxml.html.document_fromstring(html)
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        el.getparent().remove(el) if el.getparent() is not None else None
    for el in list(root.iter(*_DROP)):
        el.drop_tree()
    lines: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        text = " ".join("".join(cur).split())
        if text:
            lines.append(text)
        cur.clear()

    for event, el in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        block = el.tag in _BLOCK
        if event == "start":
            if block:
                flush()
            if el.text:
                cur.append(el.text)
        else:
            if block:
                flush()
            if el.tail:
                cur.append(el.tail)
    flush()
    return "\n".join(lines)


def page_title(html: str) -> str:
    root = lxml.html.document_fromstring(html)
    for xpath in ("//h1", "//title"):
        for el in root.xpath(xpath):
            text = " ".join(el.text_content().split())
            if text:
                return text
    return ""


# --- C4's line rules (TFDS c4_utils.clean_page, default arguments) --------------------------------

_C4_CITATION = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]")
_C4_ENDS = (".", "?", "!", '"')
_C4_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")


def c4_clean(text: str, terminal_punct: bool = True) -> str:
    """C4: lines ending in terminal punctuation with >= 3 words; page dropped on lorem ipsum, '{' or < 3 sentences.
    FineWeb runs the same line rules with the terminal-punctuation rule off (datatrove
    C4QualityFilter(filter_no_terminal_punct=False)): `terminal_punct=False`."""
    if "lorem ipsum" in text.lower():
        return ""
    kept: list[str] = []
    sentences = 0
    for line in text.splitlines():
        line = _C4_CITATION.sub("", line.strip())
        if terminal_punct and (not line.endswith(_C4_ENDS) or line.endswith("...")):
            continue
        if len(line.split()) < 3:
            continue
        if any(len(w) > 1000 for w in line.split()):
            continue
        low = line.lower()
        if "javascript" in low or any(p in low for p in _C4_POLICY):
            continue
        if "{" in line:
            return ""
        sentences += len(re.findall(r"[.!?]+(?:\s|$)", line)) or 1
        kept.append(line)
    return "\n".join(kept) if sentences >= 3 else ""


# --- metrics ---------------------------------------------------------------------------------------

def bow_prf(pred: str, ref: str) -> tuple[float, float, float]:
    """WCXB word_f1, with P and R as well."""
    p, r = Counter(tokens(pred)), Counter(tokens(ref))
    if not r:
        return (1.0, 1.0, 1.0) if not p else (0.0, 1.0, 0.0)
    if not p:
        return 1.0, 0.0, 0.0
    overlap = sum((p & r).values())
    prec, rec = overlap / sum(p.values()), overlap / sum(r.values())
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def shingle_pr(pred: str, ref: str) -> tuple[float, float]:
    """ScrapingHub article-extraction-benchmark: 4-gram shingle multiset precision and recall."""
    tp, fp, fn = shingle_counts(ref, pred)
    if fp == fn == 0:
        return 1.0, 1.0
    if tp == 0:
        return 0.0, 0.0
    return tp / (tp + fp), tp / (tp + fn)


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).lower().split())


def snippet_rates(pred: str, with_: list[str], without: list[str]) -> tuple[float | None, float | None]:
    out = _norm(pred)
    w = sum(_norm(s) in out for s in with_) / len(with_) if with_ else None
    wo = sum(_norm(s) not in out for s in without) / len(without) if without else None
    return w, wo


def drop_title_line(text: str, title: str) -> str:
    if not title:
        return text
    key = _norm(title).strip(" .:|-–—")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            if _norm(line).strip(" .:|-–—") == key:
                return "\n".join(lines[:i] + lines[i + 1 :])
            return text
    return text


# --- data ------------------------------------------------------------------------------------------


@dataclass
class Page:
    dataset: str
    id: str
    url: str
    html_title: str
    text: str  # naive page text
    truth: str
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    html: str = ""


def load_pages() -> list[Page]:
    pages: list[Page] = []
    for pid, g in scrapinghub_truth():
        html = gzip.open(html_path(DATA, "scrapinghub", pid), "rt", encoding="utf-8", errors="replace").read()
        pages.append(Page("scrapinghub", pid, g["url"], page_title(html), page_text(html), g["articleBody"], html=html))
    for pid, d in wcxb_truth():
        html = gzip.open(html_path(DATA, "wcxb-dev", pid), "rt", encoding="utf-8", errors="replace").read()
        g = d["ground_truth"]
        pages.append(
            Page("wcxb", pid, d["url"], page_title(html), page_text(html), g["main_content"] or "",
                 g.get("with") or [], g.get("without") or [], html=html)
        )  # fmt: skip
    return pages


def load_cached_pages(cache: str = "") -> list[Page]:
    """The pages, from the pickle at `cache` when it exists (written there otherwise)."""
    if cache and Path(cache).is_file():

        class _Unpickler(pickle.Unpickler):
            # a cache written by `python -m benchmarks.text_mode` names the class __main__.Page
            def find_class(self, module: str, name: str):  # type: ignore[override]
                return Page if name == "Page" else super().find_class(module, name)

        with open(cache, "rb") as fh:
            return _Unpickler(fh).load()
    pages = load_pages()
    if cache:
        Path(cache).write_bytes(pickle.dumps(pages))
    return pages


# --- the methods -----------------------------------------------------------------------------------


def ours_all(
    pages: list[Page], bp_cfg: BoilerplateConfig, clean_cfg: CleanConfig = CleanConfig(), use_domains: bool = True
) -> list[str]:
    """Layers 1+2 per page, then layer 3 across the whole set grouped by domain (the same pure
    functions the Beam transforms call). `use_domains=False` pretends no page has a domain."""
    pack = load_rule_pack(clean_cfg.rule_pack, clean_cfg.disabled_rules)
    cleaned = [strip_cruft(p.text, pack, clean_cfg, url=p.url).text for p in pages]
    domains = [domain_of(p.url) if use_domains else "" for p in pages]
    if not bp_cfg.enabled:
        return cleaned
    counts = count_domain_lines(zip(domains, cleaned), bp_cfg)
    return [apply_boilerplate(t, d, counts, bp_cfg)[0] for t, d in zip(cleaned, domains)]


def ours_classifier(pages: list[Page], bp_cfg: BoilerplateConfig, shipped: bool = False) -> list[str]:
    """Layers 1+2 + the line classifier, then layer 3 as in `ours_all`. Out-of-sample by default:
    each page is cleaned by a model trained on the other folds (5-fold by site over both sets,
    benchmarks/train_line_classifier.py). `shipped=True` uses the bundled weights, which were
    trained on every page here: an in-sample figure, shown only for comparison."""
    from benchmarks.train_line_classifier import clean_with, kfold_outputs
    from transforms.line_classifier import load_line_model

    cleaned = clean_with(pages, load_line_model()) if shipped else kfold_outputs(pages)
    domains = [domain_of(p.url) for p in pages]
    counts = count_domain_lines(zip(domains, cleaned), bp_cfg)
    return [apply_boilerplate(t, d, counts, bp_cfg)[0] for t, d in zip(cleaned, domains)]


def trafilatura_all(pages: list[Page]) -> list[str]:
    import trafilatura

    out = []
    for p in pages:
        try:
            out.append(trafilatura.extract(p.html, url=p.url) or "")
        except Exception:  # a page trafilatura cannot parse scores as empty
            out.append("")
    return out


def score(pages: list[Page], outputs: list[str], no_title: bool) -> dict[str, dict[str, float]]:
    res: dict[str, dict[str, list[float]]] = {"scrapinghub": {}, "wcxb": {}}
    for p, out in zip(pages, outputs):
        if no_title:
            out = drop_title_line(out, p.html_title)
        r = res[p.dataset]
        if p.dataset == "scrapinghub":
            prec, rec = shingle_pr(out, p.truth)
            r.setdefault("P", []).append(prec)
            r.setdefault("R", []).append(rec)
        else:
            prec, rec, f1 = bow_prf(out, p.truth)
            r.setdefault("P", []).append(prec)
            r.setdefault("R", []).append(rec)
            r.setdefault("F1", []).append(f1)
            w, wo = snippet_rates(out, p.with_, p.without)
            if w is not None:
                r.setdefault("with", []).append(w)
            if wo is not None:
                r.setdefault("without", []).append(wo)
    final: dict[str, dict[str, float]] = {}
    for ds, r in res.items():
        if not r:  # a subset of pages from one set only (classifier training)
            continue
        m = {k: sum(v) / len(v) for k, v in r.items()}
        if ds == "scrapinghub":
            m["F1"] = 2 * m["P"] * m["R"] / (m["P"] + m["R"]) if m["P"] + m["R"] else 0.0
        final[ds] = m
    return final


def dump(pages: list[Page], outputs: list[str], out_dir: Path) -> None:
    """Per page: every output line marked + (in the truth) or - (not in it), and truth lines lost."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for p, out in zip(pages, outputs):
        truth = _norm(p.truth)
        kept = {_norm(l) for l in out.split("\n") if l.strip()}
        rows = [f"# {p.dataset} {p.id} {p.url}"]
        for line in p.text.split("\n"):
            n = _norm(line)
            mark = ("K" if n in kept else "x") + ("+" if n and n in truth else "-")
            rows.append(f"{mark} {line}")
        (out_dir / f"{p.dataset}_{p.id}.txt").write_text("\n".join(rows), encoding="utf-8")


def _shape(line: str, cfg: CleanConfig) -> str:
    """A coarse family for a kept line, for the error listing: where it sits and what it looks like."""
    from transforms.clean import ends_like_sentence, is_prose, word_count

    words = word_count(line)
    if is_prose(line, cfg):
        return "prose-long" if words >= 40 else "prose"
    if words <= 3:
        return "short"
    return "headline-like" if not ends_like_sentence(line) else "short-sentence"


def errors(pages: list[Page], clean_cfg: CleanConfig = CleanConfig(), top: int = 25) -> None:
    """Print the biggest false-kept and false-removed lines of our cleaning (layers 1+2), by family.

    A line is content when benchmarks.train_line_classifier.label_lines says so (its tokens in
    order in the ground truth, or half its token 3-grams). False-removed lines are grouped by the
    rule that removed them; false-kept lines by where they sit (before, inside or
    after = around the content lines the ground truth has) and their shape. Weights are token counts, summed over both sets.
    """
    from benchmarks.train_line_classifier import label_lines
    from transforms.clean import normalize_line

    pack = load_rule_pack(clean_cfg.rule_pack, clean_cfg.disabled_rules)
    kept_fam: Counter[str] = Counter()
    removed_fam: Counter[str] = Counter()
    kept_ex: dict[str, list[tuple[int, str]]] = {}
    removed_ex: dict[str, list[tuple[int, str]]] = {}
    for p in pages:
        res = strip_cruft(p.text, pack, clean_cfg, url=p.url)
        titles = {normalize_line(res.title), normalize_line(p.html_title)}
        kept = [line for line in res.text.split("\n") if line.strip()]
        labels = label_lines(kept, p.truth)
        content = [i for i, lab in enumerate(labels) if lab]
        first, last = (content[0], content[-1]) if content else (len(kept), -1)
        for i, (line, lab) in enumerate(zip(kept, labels)):
            if lab or normalize_line(line) in titles:
                continue
            where = "before" if i < first else "after" if i > last else "inside"
            fam = f"{where}/{_shape(line, clean_cfg)}"
            n = len(tokens(line))
            kept_fam[fam] += n
            kept_ex.setdefault(fam, []).append((n, f"[{p.dataset} {p.id}] {line[:160]}"))
        gone = [r for r in res.removals]
        gone_labels = label_lines([r.text for r in gone], p.truth)
        for r, lab in zip(gone, gone_labels):
            if not lab or normalize_line(r.text) in titles:
                continue
            n = len(tokens(r.text))
            removed_fam[r.rule] += n
            removed_ex.setdefault(r.rule, []).append((n, f"[{p.dataset} {p.id}] {r.text[:160]}"))
    for name, fams, ex in (("FALSE-KEPT (cruft kept)", kept_fam, kept_ex), ("FALSE-REMOVED (content lost)", removed_fam, removed_ex)):
        print(f"\n== {name}: tokens by family, total {sum(fams.values())} ==")
        for fam, n in fams.most_common():
            print(f"{n:7d}  {fam}")
        for fam, _ in fams.most_common(8):
            print(f"\n-- {fam}: biggest lines --")
            for n, text in sorted(ex[fam], key=lambda t: (-t[0], t[1]))[:top]:
                print(f"{n:5d}  {text}")


def speed(pages: list[Page], clean_cfg: CleanConfig = CleanConfig(), repeats: int = 3) -> None:
    """CPU time of layers 1+2 per page and per KB of page text (median of `repeats` runs), on
    the benchmark pages and on the seed articles in samples/."""
    from benchmarks.timing import median_seconds

    pack = load_rule_pack(clean_cfg.rule_pack, clean_cfg.disabled_rules)
    seeds = [f.read_text(encoding="utf-8") for f in sorted((REPO / "samples").glob("*.txt"))]
    for name, texts, reps in (("seed articles", [(t, "") for t in seeds], repeats * 10), ("benchmark pages", [(p.text, p.url) for p in pages], repeats)):
        _, secs = median_seconds(lambda: [strip_cruft(t, pack, clean_cfg, url=u) for t, u in texts], reps, time.process_time)
        kb = sum(len(t.encode("utf-8")) for t, _ in texts) / 1024
        print(f"{name}: {len(texts)} docs, {kb / len(texts):.1f} KB/doc, {1000 * secs / len(texts):.2f} ms CPU/doc, {1000 * secs / kb:.3f} ms/KB")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-trafilatura", action="store_true", help="skip the HTML reference (slow part)")
    ap.add_argument("--dump", default="", help="write per-page line verdicts of our cleaning to this folder")
    ap.add_argument("--cache", default="", help="pickle the page texts here and reuse them on later runs")
    ap.add_argument("--min-docs", type=int, default=None, help="override boilerplate.min_docs")
    ap.add_argument("--speed", action="store_true", help="time layers 1+2 (CPU, median of 3 runs), then stop")
    ap.add_argument("--errors", action="store_true", help="list the biggest false-kept / false-removed lines by family, then stop")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    pages = load_cached_pages(args.cache)
    t_load = time.perf_counter() - t0
    if args.errors:
        errors(pages)
        return
    if args.speed:
        speed(pages)
        return
    bp_cfg = BoilerplateConfig() if args.min_docs is None else BoilerplateConfig(min_docs=args.min_docs)
    methods: dict[str, Callable[[], list[str]]] = {
        "raw": lambda: [p.text for p in pages],
        "c4": lambda: [c4_clean(p.text) for p in pages],
        "fineweb": lambda: [c4_clean(p.text, terminal_punct=False) for p in pages],
        "ours-no-boilerplate": lambda: ours_all(pages, replace(bp_cfg, enabled=False)),
        "ours": lambda: ours_all(pages, bp_cfg),
        # layer 3 at its most eager: two pages of a site suffice (62 sites here have 2+ pages)
        "ours-bp-min2": lambda: ours_all(pages, replace(bp_cfg, min_docs=2)),
        # what per-domain counting protects against: every page pooled as if no domain were known
        "ours-bp-pooled5": lambda: ours_all(pages, replace(bp_cfg, unknown_domain="corpus", corpus_min_docs=5), use_domains=False),
        # the line classifier (layer 2b), out-of-sample: 5-fold by site, trained on the other folds
        "ours+clf-5fold": lambda: ours_classifier(pages, bp_cfg),
        # the shipped weights, trained on all these pages: in-sample, NOT a fair figure
        "ours+clf-insample": lambda: ours_classifier(pages, bp_cfg, shipped=True),
    }
    if not args.no_trafilatura:
        methods["trafilatura(html)"] = lambda: trafilatura_all(pages)
    outputs: dict[str, list[str]] = {}
    timings: dict[str, float] = {}
    for name, fn in methods.items():
        t = time.perf_counter()
        outputs[name] = fn()
        timings[name] = time.perf_counter() - t
    n_sh = sum(p.dataset == "scrapinghub" for p in pages)
    print(f"pages: scrapinghub {n_sh}, wcxb-dev {len(pages) - n_sh} (page text built in {t_load:.1f}s)")
    for no_title in (False, True):
        print(f"\n== title line {'NOT counted' if no_title else 'counted as is'} ==")
        print(f"{'method':19} | {'ScrapingHub P':>13} {'R':>6} {'F1':>6} | {'WCXB P':>7} {'R':>6} {'F1':>6} {'with':>6} {'without':>7} | {'secs':>6}")
        for name, outs in outputs.items():
            s = score(pages, outs, no_title)
            sh, wc = s["scrapinghub"], s["wcxb"]
            print(
                f"{name:19} | {sh['P']:13.3f} {sh['R']:6.3f} {sh['F1']:6.3f} | {wc['P']:7.3f} {wc['R']:6.3f} "
                f"{wc['F1']:6.3f} {wc.get('with', 0):6.3f} {wc.get('without', 0):7.3f} | {timings[name]:6.1f}"
            )
    if args.dump:
        dump(pages, outputs["ours"], Path(args.dump))


if __name__ == "__main__":
    main()
