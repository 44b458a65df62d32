"""Text-mode cleaning benchmark: naive page text in, article text out, scored against ground truth.

Each page of the three extraction sets in ../shared/data/extraction (ScrapingHub, 181 article
pages; WCXB dev, 1,497 pages of seven types; trafilatura's evaluation set, 990 pages, mostly
German) is turned into its whole visible text, one block element per line (scripts, styles and
noscript removed; menus, footers and notices kept: what a naive scraper saves). Outputs scored:

  raw          the page text as is
  c4, fineweb  C4's published line rules alone (TFDS c4_utils.clean_page defaults); FineWeb's
               variant (no terminal-punctuation rule)
  ours         our text-mode cleaning without the line classifier: rule pack + structure
               (transforms.clean) and the corpus-learned boilerplate layer over the whole set
               grouped by domain (transforms.boilerplate), with the page's URL
  ours+clf-5fold  the default config: ours with the line classifier (layer 2b), each page cleaned
               by a model trained on the other folds of a 5-fold split by site (out-of-sample; the
               shipped trees learned from every page here, so they cannot be scored on them).
               Trains 5 models (about 10 minutes; --rows FILE keeps the feature rows for reuse;
               --no-classifier skips the row)
  ours+clf-by-set  (--by-set) the same, each set cleaned by a model trained on the other two sets
               only: sites, years, languages and labelling it has never seen, and less to learn
               from (WCXB's page types other than articles are in WCXB alone). The harsher
               out-of-sample test, nearer to what held-out page sets do to the model
  trafilatura  trafilatura on the HTML (the reference; not text mode)

Metrics, per set and, for WCXB, per page type:
  - ScrapingHub, WCXB: per-page bag-of-words P/R/F1 on lower-cased \\w+ tokens, averaged over
    pages (WCXB's word_f1); ScrapingHub also its own 4-gram shingle F1 (sh4-F1);
  - trafilatura-eval: trafilatura's own snippet metric: a `with` snippet found is a true
    positive, missed a false negative; a `without` snippet found a false positive, absent a
    true negative; P/R/F1 over all snippets of the set;
  - the whole-article-cut rate: among the pages whose raw text holds >= 90% of the truth's words
    (trafilatura-eval: of its `with` snippets), the share whose output keeps less than half.
The ground truths leave out the page title, which our cleaning keeps as the first line (it is
content for training): the first output line equal to the page's <h1> or <title> is dropped
before scoring, for every method alike (--title-counted scores it).

The page texts and trafilatura's outputs are built once (2 processes, a few minutes) into a
pickle, by default ../cache/text_mode_pages.pkl beside ../shared (--cache FILE; '' = none).

Run from the repo root:  python -m benchmarks.text_mode [--sets wcxb,...] [--cache FILE] [--dump DIR]
Error analysis (biggest false-kept / false-removed lines by family, classifier off):  ... --errors
Pages our cleaning cuts (classifier off), and the rule that cut them:  ... --cuts
Cleaning speed (layers 1+2, CPU ms per document):  ... --speed
"""

from __future__ import annotations

import argparse
import functools
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

from benchmarks.data import CACHE, DATA, html_path, scrapinghub_truth, trafilatura_eval, wcxb_page_types, wcxb_truth  # noqa: E402
from benchmarks.scoring import shingle_counts, tokens  # noqa: E402
from pipeline.charsets import decode_html  # noqa: E402
from transforms.records import domain_of  # noqa: E402
from transforms.boilerplate import BoilerplateConfig, apply_boilerplate, count_domain_lines  # noqa: E402
from transforms.clean import CleanConfig, load_model, load_rule_pack, strip_cruft  # noqa: E402

# Layers 1+2 without the line classifier: the shipped trees learned from every page of these sets,
# so the default config (classifier on) is scored out of fold (`ours_classifier`), never in sample.
RULES = replace(CleanConfig(), classifier=False)

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
    dataset: str  # "scrapinghub", "wcxb" or "trafilatura-eval"
    id: str
    url: str
    html_title: str
    text: str  # naive page text
    truth: str  # the ground-truth main text ("" for trafilatura-eval: snippets only)
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    html: str = ""  # not kept in the cache (see load_pages)
    page_type: str = ""  # WCXB's page type; "article" for the other two sets
    traf: str = ""  # trafilatura's extraction of the HTML (the reference row; labels trafilatura-eval)


SETS = ("scrapinghub", "wcxb", "trafilatura-eval")
DEFAULT_CACHE = CACHE / "text_mode_pages.pkl"


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _build_page(job: tuple) -> Page:
    """One page from (dataset, id, url, html path, truth, with, without, page type): its text,
    title and trafilatura's extraction (a page trafilatura cannot parse gets "")."""
    import trafilatura

    dataset, pid, url, path, truth, with_, without, page_type = job
    html, _ = decode_html(gzip.open(path, "rb").read())
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses a str that declares its encoding
    try:
        traf = trafilatura.extract(html, url=url) or ""
    except Exception:  # a page trafilatura cannot parse scores as empty
        traf = ""
    try:
        title, text = page_title(html), page_text(html)
    except (ValueError, etree.ParserError):  # an empty or unparsable page: no text (scores as empty)
        title, text = "", ""
    return Page(dataset, pid, url, title, text, truth, with_, without, "", page_type, traf)


def page_jobs(data: Path = DATA) -> list[tuple]:
    jobs: list[tuple] = []
    for pid, g in scrapinghub_truth(data):
        jobs.append(("scrapinghub", pid, g["url"], html_path(data, "scrapinghub", pid), g["articleBody"], [], [], "article"))
    types = wcxb_page_types(data)
    for pid, d in wcxb_truth(data):
        g = d["ground_truth"]
        jobs.append(
            ("wcxb", pid, d.get("url") or "", html_path(data, "wcxb-dev", pid), g.get("main_content") or "",
             g.get("with") or [], g.get("without") or [], types.get(pid, "unknown"))
        )  # fmt: skip
    for url, e in trafilatura_eval(data):
        jobs.append(
            ("trafilatura-eval", e["file"], url, html_path(data, "trafilatura-eval", e["file"]), "",
             e.get("with") or [], e.get("without") or [], "article")
        )  # fmt: skip
    return jobs


def load_pages(jobs: int = 2) -> list[Page]:
    """Every page of the three sets, in a fixed order (set, then id). The HTML is not kept: the
    page text, the title and trafilatura's extraction are all the benchmarks use."""
    work = page_jobs()
    if jobs <= 1:
        return [_build_page(j) for j in work]
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        return pool.map(_build_page, work, chunksize=8)


def load_cached_pages(cache: str | Path = DEFAULT_CACHE, jobs: int = 2) -> list[Page]:
    """The pages, from the pickle at `cache` when it exists (written there otherwise; "" = no cache)."""
    if cache and Path(cache).is_file():

        class _Unpickler(pickle.Unpickler):
            # a cache written by `python -m benchmarks.text_mode` names the class __main__.Page
            def find_class(self, module: str, name: str):  # type: ignore[override]
                return Page if name == "Page" else super().find_class(module, name)

        with open(cache, "rb") as fh:
            return _Unpickler(fh).load()
    pages = load_pages(jobs)
    if cache:
        Path(cache).parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(f"{cache}.tmp")
        tmp.write_bytes(pickle.dumps(pages))
        tmp.replace(cache)
    return pages


# --- the methods -----------------------------------------------------------------------------------


def ours_all(
    pages: list[Page], bp_cfg: BoilerplateConfig, clean_cfg: CleanConfig = RULES, use_domains: bool = True
) -> list[str]:
    """Layers 1+2 per page, then layer 3 across the whole set grouped by domain (the same pure
    functions the Beam transforms call). `use_domains=False` pretends no page has a domain."""
    pack, model = load_rule_pack(clean_cfg.rule_pack, clean_cfg.disabled_rules), load_model(clean_cfg)
    cleaned = [strip_cruft(p.text, pack, clean_cfg, model=model, url=p.url).text for p in pages]
    domains = [domain_of(p.url) if use_domains else "" for p in pages]
    if not bp_cfg.enabled:
        return cleaned
    counts = count_domain_lines(zip(domains, cleaned), bp_cfg)
    return [apply_boilerplate(t, d, counts, bp_cfg)[0] for t, d in zip(cleaned, domains)]


def ours_classifier(
    pages: list[Page], bp_cfg: BoilerplateConfig, shipped: bool = False, rows: str = "", by_set: bool = False, furniture: bool = True
) -> list[str]:
    """Layers 1+2 + the line classifier, then layer 3 as in `ours_all`. Out-of-sample by default:
    each page is cleaned by a model trained on the other folds (5-fold by site over all sets,
    benchmarks/train_line_classifier.py); with `by_set`, by a model trained on the other sets only.
    `shipped=True` uses the bundled weights, which were trained on every page here: an in-sample
    figure, shown only for comparison. The furniture-lines layer (`furniture`) is held out the
    same way: a model of benchmarks/train_furniture_lines.py per fold."""
    from benchmarks.train_line_classifier import (
        EXTRAS, FOLDS, SETS3, clean_with, dataset_fold, fold_models, kfold_outputs, load_rows, site_fold, training_extra,
    )  # fmt: skip
    from transforms.line_classifier import load_line_model

    if shipped:
        from transforms.furniture_lines import load_furniture_model

        cleaned = clean_with(pages, load_line_model(), furniture=load_furniture_model() if furniture else None)
    else:  # trained as the shipped trees are, on the other folds' pages and extra pages
        from benchmarks.train_furniture_lines import fold_models as furniture_folds

        sets = load_rows(pages, rows, EXTRAS)
        fold_of, k = (dataset_fold, len(SETS3)) if by_set else (site_fold, FOLDS)
        models = fold_models(pages, sets["pages"][1], k, training_extra(sets, EXTRAS), fold_of)
        layer = furniture_folds(by_set=by_set) if furniture else None
        cleaned = kfold_outputs(pages, k=k, models=models, fold_of=fold_of, furniture=layer)
    domains = [domain_of(p.url) for p in pages]
    counts = count_domain_lines(zip(domains, cleaned), bp_cfg)
    return [apply_boilerplate(t, d, counts, bp_cfg)[0] for t, d in zip(cleaned, domains)]


def trafilatura_all(pages: list[Page]) -> list[str]:
    """trafilatura on each page's HTML: computed once, with the page text, into the cache."""
    return [p.traf for p in pages]


# --- scoring ---------------------------------------------------------------------------------------

CUT_RAW_MIN = 0.9  # a page counts for the cut rate when its raw text holds this share of the truth ...
CUT_KEPT_MAX = 0.5  # ... and it is cut when the cleaned text keeps less than this share


# what the raw page text holds, asked again for every output scored (the trainer scores a grid of
# thresholds): computed once per page
@functools.lru_cache(maxsize=8192)
def _raw_recall(text: str, truth: str) -> float:
    return bow_prf(text, truth)[1]


@functools.lru_cache(maxsize=8192)
def _found_in_raw(text: str, with_: tuple[str, ...]) -> list[str]:
    raw = _norm(text)
    return [s for s in with_ if _norm(s) in raw]


def page_score(p: Page, out: str, no_title: bool = True) -> dict[str, float]:
    """One page's figures. Pages with a main text: bag-of-words P/R/F1 (+ ScrapingHub's 4-gram
    shingle P/R), and `cut` (1.0 or 0.0) when the raw text holds >= 90% of the truth's words
    (`cut` absent otherwise). trafilatura-eval (snippets only): the snippet counts tp/fn/tn/fp,
    and `cut` when the raw text holds >= 90% of the `with` snippets and the output keeps less
    than half of them."""
    if no_title:
        out = drop_title_line(out, p.html_title)
    m: dict[str, float] = {}
    if p.dataset == "trafilatura-eval":
        got = _norm(out)
        found_raw = _found_in_raw(p.text, tuple(p.with_))
        kept = sum(_norm(s) in got for s in p.with_)
        m["tp"], m["fn"] = kept, len(p.with_) - kept
        bad = sum(_norm(s) in got for s in p.without)
        m["fp"], m["tn"] = bad, len(p.without) - bad
        if p.with_ and len(found_raw) >= CUT_RAW_MIN * len(p.with_):
            m["cut"] = float(sum(_norm(s) in got for s in found_raw) < CUT_KEPT_MAX * len(found_raw))
        return m
    m["P"], m["R"], m["F1"] = bow_prf(out, p.truth)
    if p.dataset == "scrapinghub":
        m["sP"], m["sR"] = shingle_pr(out, p.truth)
    if p.truth.strip() and _raw_recall(p.text, p.truth) >= CUT_RAW_MIN:
        m["cut"] = float(m["R"] < CUT_KEPT_MAX)
    return m


def group_of(p: Page) -> list[str]:
    """The groups a page is reported in: its set and, for WCXB, its page type."""
    return [p.dataset, f"wcxb/{p.page_type}"] if p.dataset == "wcxb" else [p.dataset]


def summarise(pages: list[Page], per_page: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Per group: P, R, F1 (means over pages; trafilatura-eval: over all snippets, as trafilatura's
    own evaluation counts them), the cut rate over the pages that count for it, and the page counts."""
    groups: dict[str, list[dict[str, float]]] = {}
    for p, m in zip(pages, per_page):
        for g in group_of(p):
            groups.setdefault(g, []).append(m)
    final: dict[str, dict[str, float]] = {}
    for g in sorted(groups, key=lambda g: (SETS.index(g.split("/")[0]), g)):
        ms = groups[g]
        if "tp" in ms[0]:
            tp, fn, fp, tn = (sum(m[k] for m in ms) for k in ("tp", "fn", "fp", "tn"))
            prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
            r = {"P": prec, "R": rec, "F1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
                 "acc": (tp + tn) / max(1, tp + fn + fp + tn)}  # fmt: skip
        else:
            r = {k: sum(m[k] for m in ms) / len(ms) for k in ("P", "R", "F1")}
            if "sP" in ms[0]:
                sp, sr = (sum(m[k] for m in ms) / len(ms) for k in ("sP", "sR"))
                r["sF1"] = 2 * sp * sr / (sp + sr) if sp + sr else 0.0
        cuts = [m["cut"] for m in ms if "cut" in m]
        r["cut"] = sum(cuts) / len(cuts) if cuts else 0.0
        r["cut_n"], r["cut_of"], r["pages"] = sum(cuts), len(cuts), len(ms)
        final[g] = r
    return final


def score(pages: list[Page], outputs: list[str], no_title: bool = True) -> dict[str, dict[str, float]]:
    """summarise() of every page's page_score()."""
    return summarise(pages, [page_score(p, o, no_title) for p, o in zip(pages, outputs)])


def headline(s: dict[str, dict[str, float]]) -> dict[str, float]:
    """The issue's floors, on the dev proxies: WCXB articles F1 and recall; the older sets'
    (ScrapingHub, trafilatura-eval) mean F1; the mean and worst cut rate over the three sets."""
    sets = [g for g in SETS if g in s]
    out = {"cut_mean": sum(s[g]["cut"] for g in sets) / len(sets), "cut_max": max(s[g]["cut"] for g in sets)}
    older = [s[g]["F1"] for g in ("scrapinghub", "trafilatura-eval") if g in s]
    if older:
        out["older_F1"] = sum(older) / len(older)
    if "wcxb/article" in s:
        out["article_F1"], out["article_R"] = s["wcxb/article"]["F1"], s["wcxb/article"]["R"]
    return out


def print_scores(outputs: dict[str, list[str]], pages: list[Page], no_title: bool, timings: dict[str, float]) -> None:
    scores = {name: score(pages, outs, no_title) for name, outs in outputs.items()}
    groups = list(next(iter(scores.values())))
    width = max(map(len, outputs))
    for g in groups:
        first = next(iter(scores.values()))[g]
        extra = " sh4-F1" if "sF1" in first else "    acc" if "acc" in first else ""
        metric = "snippets" if "acc" in first else "bag of words"
        print(f"\n-- {g}: {first['pages']:.0f} pages, {metric}; cut rate over the {first['cut_of']:.0f} pages whose raw text holds >= 90%")
        print(f"{'method':{width}} | {'P':>6} {'R':>6} {'F1':>6}{extra} | {'cut':>6} {'(n)':>5}")
        for name, s in scores.items():
            r = s[g]
            more = f" {r['sF1']:6.3f}" if "sF1" in r else f" {r['acc']:6.3f}" if "acc" in r else ""
            print(f"{name:{width}} | {r['P']:6.3f} {r['R']:6.3f} {r['F1']:6.3f}{more} | {100 * r['cut']:5.1f}% {r['cut_n']:5.0f}")
    print("\n-- the floors on the dev proxies: WCXB articles F1 >= 0.94 at R >= 0.95; older sets "
          "(ScrapingHub, trafilatura-eval) mean F1 >= 0.86; cuts <= 2% mean, <= 5% on any set")
    print(f"{'method':{width}} | {'art F1':>6} {'art R':>6} | {'older F1':>8} | {'cut mean':>8} {'cut max':>7} | {'secs':>6}")
    for name, s in scores.items():
        h = headline(s)

        def f(key: str, w: int) -> str:
            return f"{h[key]:{w}.3f}" if key in h else f"{'-':>{w}}"

        print(
            f"{name:{width}} | {f('article_F1', 6)} {f('article_R', 6)} | {f('older_F1', 8)} | "
            f"{100 * h['cut_mean']:7.1f}% {100 * h['cut_max']:6.1f}% | {timings.get(name, 0):6.1f}"
        )


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


def errors(pages: list[Page], clean_cfg: CleanConfig = RULES, top: int = 25) -> None:
    """Print the biggest false-kept and false-removed lines of our cleaning (layers 1+2), by family.

    A line is content when benchmarks.train_line_classifier.label_lines says so (its tokens in
    order in the ground truth, or half its token 3-grams). False-removed lines are grouped by the
    rule that removed them; false-kept lines by where they sit (before, inside or
    after = around the content lines the ground truth has) and their shape. Weights are token counts, summed over both sets.
    """
    from benchmarks.train_line_classifier import label_lines
    from transforms.clean import normalize_line

    pack, model = load_rule_pack(clean_cfg.rule_pack, clean_cfg.disabled_rules), load_model(clean_cfg)
    kept_fam: Counter[str] = Counter()
    removed_fam: Counter[str] = Counter()
    kept_ex: dict[str, list[tuple[int, str]]] = {}
    removed_ex: dict[str, list[tuple[int, str]]] = {}
    for p in pages:
        res = strip_cruft(p.text, pack, clean_cfg, model=model, url=p.url)
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


def speed(pages: list[Page], clean_cfg: CleanConfig = RULES, repeats: int = 3) -> None:
    """CPU time of cleaning per document without and with the line classifier (same process,
    interleaved, median of `repeats` runs each), on the seed articles in samples/, the
    throughput corpus of benchmarks.stage_costs (when built) and the benchmark pages."""
    from benchmarks.timing import median_seconds
    from transforms.line_classifier import load_line_model

    pack = load_rule_pack(clean_cfg.rule_pack, clean_cfg.disabled_rules)
    model = load_line_model(clean_cfg.classifier_weights)
    off, on = replace(clean_cfg, classifier=False), replace(clean_cfg, classifier=True)
    seeds = [f.read_text(encoding="utf-8") for f in sorted((REPO / "samples").glob("*.txt"))]
    sets = [("seed articles", [(t, "") for t in seeds], repeats * 10)]
    from benchmarks.corpus import WORK, corpus_path

    corpus = Path(corpus_path(WORK, 2000))
    if corpus.is_file():
        import json

        docs = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        sets.append(("throughput corpus", [(d.get("text", ""), d.get("url", "")) for d in docs], repeats))
    sets.append(("benchmark pages", [(p.text, p.url) for p in pages], max(1, repeats // 3)))
    for name, texts, reps in sets:
        secs = {}
        for _ in range(reps):
            for label, cfg, m in (("off", off, None), ("on", on, model)):
                _, s = median_seconds(lambda: [strip_cruft(t, pack, cfg, model=m, url=u) for t, u in texts], 1, time.process_time)
                secs.setdefault(label, []).append(s)
        a, b = (sorted(secs[k])[len(secs[k]) // 2] * 1000 / len(texts) for k in ("off", "on"))
        print(f"{name}: {len(texts)} docs, {a:.2f} -> {b:.2f} ms CPU/doc with the classifier ({b / a:.2f}x; medians of {reps})")


def cuts(pages: list[Page], clean_cfg: CleanConfig = RULES) -> None:
    """The pages our cleaning (layers 1+2) cuts, with the rule that removed most of their words."""
    from collections import Counter as _Counter

    pack, model = load_rule_pack(clean_cfg.rule_pack, clean_cfg.disabled_rules), load_model(clean_cfg)
    by_rule: _Counter[str] = _Counter()
    for p in pages:
        res = strip_cruft(p.text, pack, clean_cfg, model=model, url=p.url)
        if not page_score(p, res.text).get("cut"):
            continue
        words: _Counter[str] = _Counter()
        for r in res.removals:
            words[r.rule] += len(tokens(r.text))
        rule = words.most_common(1)[0][0] if words else "-"
        by_rule[rule] += 1
        print(f"{p.dataset:16} {p.page_type:13} {p.id[:40]:40} {rule:16} {p.url[:80]}")
    print("\npages cut, by the rule that removed most words:", dict(by_rule.most_common()))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", default="", help="write per-page line verdicts of our cleaning to this folder")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help="page-text pickle, built on the first run ('' = none)")
    ap.add_argument("--jobs", type=int, default=2, help="processes that build the page texts (first run only)")
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated subset of " + ",".join(SETS))
    ap.add_argument("--min-docs", type=int, default=None, help="override boilerplate.min_docs")
    ap.add_argument("--title-counted", action="store_true", help="score the title line too (the ground truths leave it out)")
    ap.add_argument("--no-classifier", action="store_true", help="skip ours + the line classifier (the default config), 5-fold by site")
    ap.add_argument("--rows", default="", help="pickle the classifier's feature rows here and reuse them (while the layers stay the same)")
    ap.add_argument("--variants", action="store_true", help="also layer-3 variants and the in-sample classifier")
    ap.add_argument("--no-furniture", action="store_true", help="the classifier's rows without layer 2c (the furniture-lines model)")
    ap.add_argument("--by-set", action="store_true", help="also the classifier held out by set: each set cleaned by trees learnt from the others")
    ap.add_argument("--speed", action="store_true", help="time layers 1+2 (CPU, median of 3 runs), then stop")
    ap.add_argument("--errors", action="store_true", help="list the biggest false-kept / false-removed lines by family, then stop")
    ap.add_argument("--cuts", action="store_true", help="list the pages our cleaning cuts and the rule that did it, then stop")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    wanted = set(args.sets.split(","))
    if wanted - set(SETS):
        sys.exit(f"text_mode: unknown set(s) {sorted(wanted - set(SETS))}; choose from {','.join(SETS)}")
    pages = [p for p in load_cached_pages(args.cache, args.jobs) if p.dataset in wanted]
    t_load = time.perf_counter() - t0
    if args.errors:
        errors([p for p in pages if p.truth])
        return
    if args.speed:
        speed(pages)
        return
    if args.cuts:
        cuts(pages)
        return
    bp_cfg = BoilerplateConfig() if args.min_docs is None else BoilerplateConfig(min_docs=args.min_docs)
    methods: dict[str, Callable[[], list[str]]] = {
        "raw": lambda: [p.text for p in pages],
        "c4": lambda: [c4_clean(p.text) for p in pages],
        "fineweb": lambda: [c4_clean(p.text, terminal_punct=False) for p in pages],
        "ours": lambda: ours_all(pages, bp_cfg),
        "trafilatura(html)": lambda: trafilatura_all(pages),
    }
    if not args.no_classifier:
        # the default config, with the line classifier (layer 2b), out of sample: 5-fold by site
        methods["ours+clf-5fold"] = lambda: ours_classifier(pages, bp_cfg, rows=args.rows, furniture=not args.no_furniture)
    if args.by_set:
        if len(wanted) < 2:
            sys.exit("text_mode: --by-set needs at least two sets (each is cleaned by trees learnt from the others)")
        # harsher than 5-fold by site: the trees have never seen the set's sites, years, languages or labelling
        methods["ours+clf-by-set"] = lambda: ours_classifier(pages, bp_cfg, rows=args.rows, by_set=True, furniture=not args.no_furniture)
    if args.variants:
        methods["ours-no-boilerplate"] = lambda: ours_all(pages, replace(bp_cfg, enabled=False))
        # layer 3 at its most eager: two pages of a site suffice
        methods["ours-bp-min2"] = lambda: ours_all(pages, replace(bp_cfg, min_docs=2))
        # what per-domain counting protects against: every page pooled as if no domain were known
        methods["ours-bp-pooled5"] = lambda: ours_all(pages, replace(bp_cfg, unknown_domain="corpus", corpus_min_docs=5), use_domains=False)
        # the shipped weights, trained on all these pages: in-sample, NOT a fair figure
        methods["ours+clf-insample"] = lambda: ours_classifier(pages, bp_cfg, shipped=True, furniture=not args.no_furniture)
    outputs: dict[str, list[str]] = {}
    timings: dict[str, float] = {}
    for name, fn in methods.items():
        t = time.perf_counter()
        outputs[name] = fn()
        timings[name] = time.perf_counter() - t
    counts = Counter(p.dataset for p in pages)
    print(f"pages: {dict(counts)} (loaded in {t_load:.1f}s); title line {'counted' if args.title_counted else 'NOT counted'}")
    print_scores(outputs, pages, not args.title_counted, timings)
    if args.dump:
        dump(pages, outputs["ours"], Path(args.dump))


if __name__ == "__main__":
    main()
