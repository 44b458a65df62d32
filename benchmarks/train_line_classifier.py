"""Train the line classifier (layer 2b of cleaning) on the extraction benchmark's dev pages.

Rows: every line the rule pack and the structure layer keep of each page's naive visible text
(benchmarks/text_mode.py builds that text), with transforms.line_classifier's features.
Label: content when the line's lower-cased \\w+ tokens appear, in order, in the page's ground
truth, or, for lines of 4+ tokens, when at least half the line's token 3-grams do (lines cut by
sentence rules or reflowed by the ground truth). Rows are weighted by their token count: both
benchmarks score words; title lines get no weight (the ground truths leave titles out, and the
stage never lets the classifier remove the title). Model: L2-regularised logistic regression fitted by Newton steps (numpy,
deterministic). The threshold is the one that maximises the training set's own benchmark F1.

Out-of-sample figures (what docs/cleaning.md reports): train on one set, score on the other.
  python -m benchmarks.train_line_classifier --cache /tmp/pages.pkl            # cross-set figures
  python -m benchmarks.train_line_classifier --cache /tmp/pages.pkl --write    # + ship weights trained on both
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.scoring import tokens  # noqa: E402
from benchmarks.text_mode import Page, load_cached_pages, score  # noqa: E402
from pipeline.io import domain_of  # noqa: E402
from transforms.clean import CleanConfig, classifier_features, load_rule_pack, normalize_line, strip_cruft  # noqa: E402
from transforms.line_classifier import DEFAULT_WEIGHTS, FEATURES, LineModel  # noqa: E402

RECALL_BUDGET = 0.005  # training recall the threshold may cost (proxy; the stage's fixed point adds ~0.005)
L2 = 1.0  # ridge penalty on standardised weights; the fit barely moves between 0.1 and 10


def label_lines(lines: list[str], truth: str) -> np.ndarray:
    """1 for lines found in the ground truth (token sequence, or half their token 3-grams)."""
    t_tokens = tokens(truth)
    t_str = " " + " ".join(t_tokens) + " "
    t_grams = {tuple(t_tokens[i : i + 3]) for i in range(len(t_tokens) - 2)}
    out = []
    for line in lines:
        toks = tokens(line)
        if not toks:
            out.append(0.0)
            continue
        if " " + " ".join(toks) + " " in t_str:
            out.append(1.0)
            continue
        if len(toks) >= 4:
            grams = [tuple(toks[i : i + 3]) for i in range(len(toks) - 2)]
            out.append(float(sum(g in t_grams for g in grams) >= 0.5 * len(grams)))
            continue
        out.append(0.0)
    return np.asarray(out)


def page_rows(pages: list[Page], cfg: CleanConfig = CleanConfig()):
    """Per page: (kept lines, feature rows, labels, token weights) after layers 1+2."""
    pack = load_rule_pack(cfg.rule_pack, cfg.disabled_rules)
    rows = []
    for p in pages:
        result = strip_cruft(p.text, pack, cfg, url=p.url)
        kept = [line for line in result.text.split("\n") if line.strip()]
        x = classifier_features(kept, cfg)
        y = label_lines(kept, p.truth)
        # title lines carry no label (the ground truths leave titles out; the stage never removes them)
        titles = {normalize_line(result.title), normalize_line(p.html_title)}
        w = np.asarray([0.0 if normalize_line(line) in titles else max(1, len(tokens(line))) for line in kept])
        rows.append((kept, x, y, w))
    return rows


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2, steps: int = 30) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Weighted L2 logistic regression by Newton's method on standardised features."""
    mean = np.average(x, axis=0, weights=w)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = w / w.mean()
    beta = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0  # no penalty on the bias
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w * (p - y)) + reg * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean, scale, beta[:-1], float(beta[-1])


def train(pages: list[Page], source: str, cfg: CleanConfig = CleanConfig(), rows: list | None = None) -> LineModel:
    """A model fitted on `pages` (`rows`: their page_rows, when already computed)."""
    rows = page_rows(pages, cfg) if rows is None else rows
    x = np.vstack([r[1] for r in rows if len(r[0])])
    y = np.concatenate([r[2] for r in rows if len(r[0])])
    w = np.concatenate([r[3] for r in rows if len(r[0])])
    mean, scale, weights, bias = fit(x, y, w)
    model = LineModel(FEATURES, mean, scale, weights, bias, 0.5, source)
    # threshold: the best benchmark F1 on the training pages among thresholds that cost at most
    # RECALL_BUDGET of their recall (one classifier round per page, a fast proxy of the stage: in
    # the stage, the fixed point removes a little more). Recall first: the aim is R >= 0.95.
    probs = [model.probabilities(r[1]) if len(r[0]) else np.zeros(0) for r in rows]

    def measure(t: float) -> tuple[float, float]:
        outs = []
        for (kept, _, _, w), pr in zip(rows, probs):
            keep = (pr >= t) | (w == 0)  # titles stay, as in the stage
            outs.append("\n".join(k for k, ok in zip(kept, keep) if ok) if keep.any() else "\n".join(kept))
        s = [v for v in score(pages, outs, no_title=True).values() if v]
        return float(np.mean([v["F1"] for v in s])), float(np.mean([v["R"] for v in s]))

    _, base_recall = measure(0.0)
    best_t, best_f1 = 0.0, -1.0
    for t in np.round(np.arange(0.05, 0.80, 0.05), 2):
        f1, recall = measure(float(t))
        if recall >= base_recall - RECALL_BUDGET and f1 > best_f1 + 1e-9:
            best_t, best_f1 = float(t), f1
    return replace(model, threshold=best_t)


def clean_with(pages: list[Page], model: LineModel | None, cfg: CleanConfig = CleanConfig()) -> list[str]:
    pack = load_rule_pack(cfg.rule_pack, cfg.disabled_rules)
    if model is not None:
        # the stage only runs the classifier when `classifier` is on (off by default)
        cfg = replace(cfg, classifier=True, classifier_threshold=model.threshold)
    return [strip_cruft(p.text, pack, cfg, model=model, url=p.url).text for p in pages]


def site_fold(page: Page, k: int) -> int:
    """The fold of a page: a hash of its domain, so no site is in both training and test."""
    return int(hashlib.md5(domain_of(page.url).encode()).hexdigest(), 16) % k


def kfold_outputs(pages: list[Page], k: int = 5, cfg: CleanConfig = CleanConfig()) -> list[str]:
    """Every page cleaned by a classifier trained on the other folds (k-fold by site, both sets)."""
    rows = page_rows(pages, cfg)
    folds = [site_fold(p, k) for p in pages]
    outputs = [""] * len(pages)
    for f in range(k):
        train_idx = [i for i in range(len(pages)) if folds[i] != f]
        model = train([pages[i] for i in train_idx], f"fold {f} of {k}", cfg, [rows[i] for i in train_idx])
        idx = [i for i in range(len(pages)) if folds[i] == f]
        for i, text in zip(idx, clean_with([pages[i] for i in idx], model, cfg)):
            outputs[i] = text
    return outputs


def cross_set_outputs(pages: list[Page], cfg: CleanConfig = CleanConfig()) -> tuple[list[str], dict[str, LineModel]]:
    """Every page cleaned by a classifier trained on the *other* set only (out-of-sample)."""
    sets = sorted({p.dataset for p in pages})
    models = {ds: train([p for p in pages if p.dataset != ds], f"all but {ds}", cfg) for ds in sets}
    outputs = [""] * len(pages)
    for ds in sets:
        idx = [i for i, p in enumerate(pages) if p.dataset == ds]
        for i, text in zip(idx, clean_with([pages[i] for i in idx], models[ds], cfg)):
            outputs[i] = text
    return outputs, models


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default="", help="page-text pickle shared with benchmarks.text_mode")
    ap.add_argument("--write", action="store_true", help=f"train on both sets and write configs/{DEFAULT_WEIGHTS}")
    args = ap.parse_args(argv)
    pages = load_cached_pages(args.cache)
    base = clean_with(pages, None)
    kfold = kfold_outputs(pages)
    cross, models = cross_set_outputs(pages)
    print(f"{'method':38} | {'ScrapingHub P':>13} {'R':>6} {'F1':>6} | {'WCXB P':>7} {'R':>6} {'F1':>6}")
    rows = (("layers 1+2", base), ("+ classifier (5-fold by site)", kfold), ("+ classifier (trained on the other set)", cross))
    for name, outs in rows:
        s = score(pages, outs, no_title=True)
        sh, wc = s["scrapinghub"], s["wcxb"]
        print(f"{name:38} | {sh['P']:13.3f} {sh['R']:6.3f} {sh['F1']:6.3f} | {wc['P']:7.3f} {wc['R']:6.3f} {wc['F1']:6.3f}")
    for ds, m in models.items():
        print(f"model for {ds}: trained on {m.source}, threshold {m.threshold}")
    if args.write:
        model = train(pages, "scrapinghub + wcxb-dev (all 537 pages)")
        out = REPO / "configs" / DEFAULT_WEIGHTS
        out.write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {out} (threshold {model.threshold})")


if __name__ == "__main__":
    main()
