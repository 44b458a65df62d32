"""Extraction benchmark: trafilatura alone vs our settings vs the full pipeline in HTML mode.

    python -m benchmarks.extraction [--data ../shared/data] [--limit N] [--speed-repeat 3]

Sets (see ../shared/data/README.md):
- ScrapingHub article-extraction-benchmark: `\\w+` tokens, word 4-gram shingle multisets, per-page
  precision/recall (the benchmark's own normalisation and empty-page rules), means over pages,
  F1 of the means.
- WCXB dev, all 1,497 pages and each of its seven page types apart (article, service, forum,
  listing, documentation, collection, product): per-page bag-of-words P/R/F1 on lower-cased `\\w+`
  tokens, averaged; share of `with` snippets found and `without` snippets avoided (lower-cased,
  whitespace-folded substring).
- trafilatura-eval (990 pages, mostly German): trafilatura's own snippet metric, micro-averaged over
  all snippets: a `with` snippet found is a true positive (missed: a false negative), a `without`
  snippet found a false positive; whitespace folded, case kept (trafilatura's tests/comparison.py).

Rows:
- trafilatura default: `trafilatura.extract(html, url=url)` with its defaults.
- trafilatura, ours: `extract_page` with `ExtractConfig()` (the settings in configs/default.yaml).
- pipeline: what the pipeline writes to clean.parquet for the page, per-document stages in
  pipeline/build.py's order: read (charset decoding) -> extract -> clean -> language -> quality,
  with the given config; a page rejected on the way scores as empty.
- pipeline, quality annotate-only: the same, with the text as it reached the quality stage (the
  HTML-mode figure the issues compare with trafilatura: quality selects pages, it does not cut text).
At the end, the F1 of each row per set (ScrapingHub, trafilatura-eval, each WCXB page type) and
their mean, the row "pipeline, quality annotate-only" minus "trafilatura default" per set.
Also: pages per CPU-second (= pages/s per core) for each row, the wall-clock cost of running
extraction in a child process, and which cleaning rules removed ground-truth text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from benchmarks.data import DATA, html_path, scrapinghub_truth, wcxb_truth
from benchmarks.scoring import shingle_counts, tokens
from pipeline.config import Config, load_config
from pipeline.documents import html_document
from pipeline.formats import ReadConfig
from transforms.clean import CleanConfig, clean_document, load_rule_pack, strip_cruft
from transforms.extract import (
    ExtractConfig,
    IsolatedExtractor,
    drop_leading_title,
    extract_document,
    extract_page,
)
from transforms.language import LanguageDetector, decide_language
from transforms.quality import assess_quality
from transforms.records import Document, Rejection


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    raw: bytes
    truth: str
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    kind: str = ""  # WCXB page type


SETS = ("scrapinghub", "wcxb-dev", "trafilatura-eval")
WCXB_TYPES = (
    "article",
    "service",
    "forum",
    "listing",
    "documentation",
    "collection",
    "product",
)


# --- loading -----------------------------------------------------------------------------------


def load_scrapinghub(data: Path) -> list[Page]:
    return [
        Page(
            key,
            item.get("url", ""),
            gzip.decompress(html_path(data, "scrapinghub", key).read_bytes()),
            item.get("articleBody", ""),
        )
        for key, item in scrapinghub_truth(data)
    ]


def load_wcxb(data: Path) -> list[Page]:
    kinds = {
        key: f["page_type"]
        for key, f in json.loads((data / "extraction" / "wcxb-dev" / "metadata.json").read_text()).get("files", {}).items()
    }
    pages = []
    for key, record in wcxb_truth(data):
        gt = record["ground_truth"]
        pages.append(
            Page(
                key,
                record.get("url", ""),
                gzip.decompress(html_path(data, "wcxb-dev", key).read_bytes()),
                gt.get("main_content") or "",
                tuple(gt.get("with") or ()),
                tuple(gt.get("without") or ()),
                kinds.get(key, ""),
            )
        )
    return pages


def load_trafilatura_eval(data: Path) -> list[Page]:
    """The pages of trafilatura's evaluation set, by URL: `cache/<file>.gz` when it exists, else
    `eval/<file>.gz`; a page with neither is left out (none is, at the data's commit)."""
    folder = data / "extraction" / "trafilatura-eval"
    pages = []
    for url, item in sorted(json.loads((folder / "evaldata.json").read_text(encoding="utf-8")).items()):
        path = next(
            (
                p
                for p in (
                    folder / "cache" / f"{item['file']}.gz",
                    folder / "eval" / f"{item['file']}.gz",
                )
                if p.exists()
            ),
            None,
        )
        if path is not None:
            pages.append(
                Page(
                    item["file"],
                    url,
                    gzip.decompress(path.read_bytes()),
                    "",
                    tuple(item.get("with") or ()),
                    tuple(item.get("without") or ()),
                )
            )
    return pages


# --- metrics -----------------------------------------------------------------------------------


def scrapinghub_scores(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """The benchmark's evaluate.py rules: normalised tp/fp/fn per page; precision averaged over pages
    with any prediction, recall over pages with any truth; F1 of the two means."""
    precisions, recalls = [], []
    for truth, pred in pairs:
        tp, fp, fn = shingle_counts(truth, pred)
        total = tp + fp + fn
        tp, fp, fn = (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)
        if tp + fp > 0:
            precisions.append(1.0 if fp == fn == 0 else tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(1.0 if fp == fn == 0 else tp / (tp + fn))
    p, r = statistics.mean(precisions), statistics.mean(recalls)
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0}


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def wcxb_scores(rows: Iterable[tuple[Page, str]]) -> dict[str, float]:
    ps, rs, fs, found, avoided = [], [], [], [], []
    for page, pred in rows:
        pc, rc = Counter(tokens(pred)), Counter(tokens(page.truth))
        if not rc:
            p = r = f = 1.0 if not pc else 0.0
        elif not pc:
            p = r = f = 0.0
        else:
            overlap = sum((pc & rc).values())
            p, r = overlap / sum(pc.values()), overlap / sum(rc.values())
            f = 2 * p * r / (p + r) if p + r else 0.0
        ps.append(p)
        rs.append(r)
        fs.append(f)
        folded = _fold(pred)
        found += [_fold(s) in folded for s in page.with_]
        avoided += [_fold(s) not in folded for s in page.without]
    return {
        "P": statistics.mean(ps),
        "R": statistics.mean(rs),
        "F1": statistics.mean(fs),
        "with": statistics.mean(found) if found else float("nan"),
        "without": statistics.mean(avoided) if avoided else float("nan"),
    }


def _space(text: str) -> str:
    return " ".join(text.split())


def snippet_scores(rows: Iterable[tuple[Page, str]]) -> dict[str, float]:
    """trafilatura's evaluation (tests/comparison.py): micro-averaged over all snippets, a `with`
    snippet found is a true positive, missed a false negative; a `without` snippet found is a false
    positive. An empty output finds nothing."""
    tp = fn = fp = 0
    for page, pred in rows:
        text = _space(pred)
        found = sum(_space(s) in text for s in page.with_) if text else 0
        tp += found
        fn += len(page.with_) - found
        fp += sum(_space(s) in text for s in page.without) if text else 0
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0}


def set_scores(set_name: str, pages: list[Page], outputs: list[str]) -> dict[str, float]:
    if set_name == "scrapinghub":
        return scrapinghub_scores((p.truth, o) for p, o in zip(pages, outputs))
    if set_name == "trafilatura-eval":
        return snippet_scores(zip(pages, outputs))
    return wcxb_scores(zip(pages, outputs))


# --- systems -----------------------------------------------------------------------------------


def trafilatura_default(page: Page) -> str:
    import trafilatura

    # the bytes: trafilatura detects the encoding itself (trafilatura-eval has pages in Latin-1)
    return trafilatura.extract(page.raw, url=page.url or None) or ""


def read_page(page: Page) -> Document | Rejection:
    return html_document(f"{page.id}.html", page.raw, ReadConfig(), url=page.url)


class Ours:
    """extract_page with our settings, on the page the reader decoded."""

    def __init__(self, cfg: ExtractConfig):
        self.cfg = cfg
        self.titles: dict[str, str] = {}

    def __call__(self, page: Page) -> str:
        doc = read_page(page)
        if isinstance(doc, Rejection):
            return ""
        found = extract_page(doc.html, doc.url, self.cfg)
        self.titles[page.id] = found.title if found else ""
        return found.text if found else ""


def scored_text(out: Document | Rejection) -> str:
    """The text a pipeline outcome is scored on: the ground truths leave the headline out, and the
    pipeline's text starts with it (extract.title_in_text); a page whose whole text is its
    headline (a link post) is scored on it. A rejected page scores as empty."""
    return "" if isinstance(out, Rejection) else drop_leading_title(out.text, (out.title,)) or out.text


class Pipeline:
    """The per-document stages in pipeline order, as the Beam stages call them, with the run's Config."""

    def __init__(self, config: Config, isolated: bool = False):
        self.cfg = config.extract if isolated else replace(config.extract, isolation="inline")
        self.pack = load_rule_pack(config.clean.rule_pack, config.clean.disabled_rules)
        self.clean_cfg = config.clean
        self.lang_cfg = config.language
        self.detector = LanguageDetector(self.lang_cfg.seed, self.lang_cfg.max_chars)
        self.extractor = IsolatedExtractor(self.cfg) if isolated else None
        self.quality_cfg = config.quality
        self.outcomes: dict[str, Document | Rejection] = {}  # the last run's, per page id
        self.extracted: dict[str, str] = {}  # the extract stage's text per page id, headline dropped, before cleaning

    def document(self, page: Page) -> Document | Rejection:
        out: Document | Rejection = read_page(page)
        self.extracted[page.id] = ""

        def extract(d: Document) -> Document | Rejection:
            done = extract_document(d, self.cfg, self.extractor)
            if isinstance(done, Document):
                self.extracted[page.id] = drop_leading_title(done.text, (done.title,)) or done.text
            return done

        for step in (
            extract,
            lambda d: clean_document(d, self.pack, self.clean_cfg),
            lambda d: decide_language(d, self.detector.probabilities(d.text), self.lang_cfg),
            lambda d: assess_quality(d, self.quality_cfg),
        ):
            if isinstance(out, Rejection):
                return out
            out = step(out)
        return out

    def __call__(self, page: Page) -> str:
        out = self.document(page)
        self.outcomes[page.id] = out
        return scored_text(out)

    def close(self) -> None:
        if self.extractor is not None:
            self.extractor.close()


# --- which cleaning rules cut ground truth -----------------------------------------------------


def rule_losses(
    pages: list[Page],
    extracted: list[str],
    titles: list[str],
    pack,
    clean_cfg: CleanConfig,
) -> tuple[Counter, Counter, dict[str, list[str]]]:
    """Per rule: removals, and removals of a line that occurs in the ground truth at least as many
    times as in the extracted text (so the cut lost real content), with examples of the latter."""
    fired, hurt, examples = Counter(), Counter(), {}
    for page, text, title in zip(pages, extracted, titles):
        if not text:
            continue
        truth = _fold(page.truth)
        # as the clean stage sees extracted text (transforms.clean.config_for)
        skipped = replace(
            clean_cfg,
            disabled_rules=(
                *clean_cfg.disabled_rules,
                *clean_cfg.skip_after_extraction,
            ),
        )
        result = strip_cruft(text, pack.without(clean_cfg.skip_after_extraction), skipped, title)
        folded = _fold(text)
        for removal in result.removals:
            fired[removal.rule] += 1
            piece = _fold(removal.text)
            if len(piece) >= 20 and 0 < folded.count(piece) <= truth.count(piece):
                hurt[removal.rule] += 1
                examples.setdefault(removal.rule, []).append(f"[{page.id[:12]}] {removal.text[:140]}")
    return fired, hurt, examples


# --- main --------------------------------------------------------------------------------------


def timed(fn: Callable[[Page], str], pages: list[Page], cpu: bool = False) -> tuple[list[str], float]:
    """Outputs and seconds: wall clock, or this process's CPU time (`cpu`), which is pages per
    second per core whatever else the machine runs (it shares its cores with other jobs)."""
    clock = time.process_time if cpu else time.perf_counter
    start = clock()
    outputs = [fn(p) for p in pages]
    return outputs, clock() - start


def groups(set_name: str, pages: list[Page]) -> list[tuple[str, list[int]]]:
    """(label, page indexes) of the figures printed for a set: WCXB as a whole and per page type."""
    if set_name != "wcxb-dev":
        return [(set_name, list(range(len(pages))))]
    out = [("wcxb-dev (all)", list(range(len(pages))))]
    for kind in WCXB_TYPES:
        idx = [i for i, p in enumerate(pages) if p.kind == kind]
        if idx:
            out.append((f"wcxb {kind}", idx))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA), help="benchmark data root (default: ../shared/data beside the checkout or a folder above it)")
    parser.add_argument(
        "--config",
        default="configs/default.yaml",
        help="the pipeline config the 'ours' and pipeline rows use",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="config override as for pipeline.run, e.g. extract.favor_precision=true",
    )
    parser.add_argument(
        "--sets",
        default=",".join(SETS),
        help=f"comma-separated sets to run (default: {','.join(SETS)})",
    )
    parser.add_argument("--limit", type=int, default=0, help="first N pages of each set (0: all)")
    parser.add_argument(
        "--types",
        default="",
        help=f"comma-separated WCXB page types to run (default: all: {','.join(WCXB_TYPES)})",
    )
    parser.add_argument("--speed-repeat", type=int, default=1, help="runs per row for the speed median")
    parser.add_argument(
        "--no-isolation-row",
        action="store_true",
        help="skip the subprocess-isolation speed row",
    )
    parser.add_argument("--dump", default="", help="write every row's text per page to this JSON file")
    args = parser.parse_args(argv)

    import logging

    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    config = load_config(args.config, args.overrides)
    ours_cfg = replace(config.extract, isolation="inline")
    print(f"config: {args.config} {' '.join('--set ' + o for o in args.overrides)}")
    print(f"ours = {ours_cfg}; clean = {config.clean}")

    data = Path(args.data)
    loaders = {
        "scrapinghub": load_scrapinghub,
        "wcxb-dev": load_wcxb,
        "trafilatura-eval": load_trafilatura_eval,
    }
    chosen = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in loaders]
    if unknown:
        parser.error(f"unknown set {unknown[0]!r} (known: {', '.join(SETS)})")
    sets = {name: loaders[name](data) for name in chosen}
    if args.types:
        keep = {t.strip() for t in args.types.split(",")}
        if keep - set(WCXB_TYPES):
            parser.error(f"unknown page type {min(keep - set(WCXB_TYPES))!r} (known: {', '.join(WCXB_TYPES)})")
        sets = {k: [p for p in v if k != "wcxb-dev" or p.kind in keep] for k, v in sets.items()}
    if args.limit:
        sets = {k: v[: args.limit] for k, v in sets.items()}
    pipeline = Pipeline(config)
    ours = Ours(ours_cfg)
    annotated_row = "pipeline, quality annotate-only"
    systems: list[tuple[str, Callable[[Page], str]]] = [
        ("trafilatura default", trafilatura_default),
        ("trafilatura, ours", ours),
        ("pipeline (full, quality filtering)", pipeline),
    ]
    extracted: dict[str, list[str]] = {}
    f1: dict[str, dict[str, float]] = {}  # group -> row -> F1
    dump: dict[str, dict[str, dict[str, str]]] = {}  # set -> row -> page id -> text
    print(f"{'set':<22} {'system':<34} {'P':>6} {'R':>6} {'F1':>6} {'with':>6} {'w/out':>6} {'pages/s/core':>13}")

    def show(set_name: str, name: str, pages: list[Page], outputs: list[str], speed: str) -> None:
        dump.setdefault(set_name, {})[name] = {p.id: o for p, o in zip(pages, outputs)}
        for label, idx in groups(set_name, pages):
            s = set_scores(set_name, [pages[i] for i in idx], [outputs[i] for i in idx])
            extra = f"{s['with']:6.3f} {s['without']:6.3f}" if "with" in s else f"{'':>6} {'':>6}"
            print(
                f"{label:<22} {name:<34} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {extra} {speed:>13}",
                flush=True,
            )
            f1.setdefault(label, {})[name] = s["F1"]

    reasons: dict[str, Counter] = {}
    recall: dict[str, tuple[float, float]] = {}  # group -> recall of the extracted text, of HTML mode
    fallback: dict[str, int] = {}  # set -> pages whose text came from the favor_recall call
    extracted_row = "extracted (before cleaning)"
    for set_name, pages in sets.items():
        for name, fn in systems:
            runs = []
            outputs: list[str] = []
            for _ in range(max(1, args.speed_repeat)):
                outputs, seconds = timed(fn, pages, cpu=True)
                runs.append(len(pages) / seconds)
            if fn is ours:
                extracted[set_name] = outputs
            if fn is pipeline:
                # The quality stage selects documents, it does not cut text: a page it rejects
                # scores 0 above. Here the same run with quality only annotating (its text as
                # it reached quality), which is what extraction + cleaning achieve.
                outcomes = [pipeline.outcomes[p.id] for p in pages]
                annotated = [scored_text(o.doc if isinstance(o, Rejection) and o.stage == "quality" else o) for o in outcomes]
                show(
                    set_name,
                    extracted_row,
                    pages,
                    [pipeline.extracted[p.id] for p in pages],
                    "",
                )
                show(set_name, annotated_row, pages, annotated, "")
                for label, idx in groups(set_name, pages):
                    before = set_scores(
                        set_name,
                        [pages[i] for i in idx],
                        [pipeline.extracted[pages[i].id] for i in idx],
                    )
                    after = set_scores(set_name, [pages[i] for i in idx], [annotated[i] for i in idx])
                    recall[label] = (before["R"], after["R"])
                fallback[set_name] = sum(
                    "extracted_favor_recall" in o.doc.flags if isinstance(o, Rejection) else "extracted_favor_recall" in o.flags
                    for o in outcomes
                )
                reasons[set_name] = Counter(f"{o.stage}:{o.reason}" for o in outcomes if isinstance(o, Rejection))
            show(set_name, name, pages, outputs, f"{statistics.median(runs):.1f}")
    for set_name, counts in reasons.items():
        print(f"pipeline rejections on {set_name} ({len(sets[set_name])} pages): {dict(sorted(counts.items())) or 'none'}")
        print(f"  text from the favor_recall call (extract.recall_fallback): {fallback[set_name]} of {len(sets[set_name])} pages")

    # One F1 per kind of page: ScrapingHub, trafilatura-eval and each WCXB page type (the whole of
    # WCXB is not a set of its own here: its types are)
    kinds = [label for label in f1 if label != "wcxb-dev (all)"]
    rows = ["trafilatura default", "trafilatura, ours", annotated_row]
    print(f"\nF1 per set ({len(kinds)} sets; HTML mode = {annotated_row!r})")
    print(f"{'set':<22}" + "".join(f"{r[:22]:>24}" for r in rows) + f"{'HTML mode - trafilatura':>26}")
    for label in kinds:
        print(f"{label:<22}" + "".join(f"{f1[label][r]:>24.3f}" for r in rows) + f"{f1[label][annotated_row] - f1[label][rows[0]]:>+26.3f}")
    means = {r: statistics.mean(f1[label][r] for label in kinds) for r in rows}
    print(f"{'mean':<22}" + "".join(f"{means[r]:>24.4f}" for r in rows) + f"{means[annotated_row] - means[rows[0]]:>+26.4f}")
    # cleaning after extraction must never lower recall on a set (issue 15.6)
    print(f"\nrecall of the extracted text before and after cleaning (HTML mode)\n{'set':<22}{'before':>10}{'after':>10}{'change':>10}")
    for label, (before, after) in recall.items():
        print(f"{label:<22}{before:>10.4f}{after:>10.4f}{after - before:>+10.4f}")
    if args.dump:
        Path(args.dump).write_text(json.dumps(dump, ensure_ascii=False), encoding="utf-8")

    if not args.no_isolation_row and "scrapinghub" in sets:
        isolated = Pipeline(
            replace(config, extract=replace(config.extract, isolation="subprocess")),
            isolated=True,
        )
        pages = sets["scrapinghub"]
        isolated(pages[0])  # the child's start-up (imports) is paid once per worker, not per page
        runs = [len(pages) / timed(isolated, pages)[1] for _ in range(max(1, args.speed_repeat))]
        isolated.close()
        inline = [len(pages) / timed(pipeline, pages)[1] for _ in range(max(1, args.speed_repeat))]
        print(
            f"\nisolation overhead on scrapinghub (pipeline row, wall clock, back to back): inline {statistics.median(inline):.1f} pages/s, "
            f"subprocess {statistics.median(runs):.1f} pages/s (median of {len(runs)})"
        )

    print("\ncleaning rules on extracted text (ScrapingHub, WCXB): removals / removals that cut ground-truth text")
    fired, hurt, examples = Counter(), Counter(), {}
    for set_name, pages in sets.items():
        f, h, e = rule_losses(
            pages,
            extracted[set_name],
            [ours.titles.get(p.id, "") for p in pages],
            pipeline.pack,
            config.clean,
        )
        fired.update(f)
        hurt.update(h)
        for rule, ex in e.items():
            examples.setdefault(rule, []).extend(ex)
    for rule, n in fired.most_common():
        print(f"  {rule:<28} {n:5d} {hurt[rule]:5d}")
        for ex in examples.get(rule, [])[:3]:
            print(f"      {ex}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
