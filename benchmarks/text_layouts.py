"""The same pages in other layouts: does text-mode cleaning hold when the page text is laid out as
text dumps and scrapers write it?

`python -m benchmarks.text_layouts [--layouts lines,blank,wrap72,wrap72+blank,sentences] [--cache ...]`

Each dev page's visible text (one block a line, as `benchmarks.text_mode` builds it) is laid out
again and cleaned with the default config (the shipped rule pack and trees) before it is scored as
in `benchmarks.text_mode`:

- `lines`: as built, one block a line;
- `blank`: a blank line between blocks (newspaper3k, trafilatura's own text output);
- `wrap72`: every block longer than 72 columns hard-wrapped at 72, no blank lines;
- `wrap72+blank`: wrapped, a blank line between blocks (lynx, w3m, html2text dumps);
- `sentences`: one sentence a line, a blank line between blocks.

The shipped trees learned from these very pages, one block a line, so the figures are in sample:
the claim is the difference between a layout and `lines`, not the level (text_mode's out-of-fold
figures are the level). Printed per layout: WCXB articles F1 and recall, the older sets' mean F1,
the cut rate's mean and worst over the three sets, and each set's F1 and cut rate.
"""

from __future__ import annotations

import argparse
import re
import textwrap
import time
from dataclasses import replace

from benchmarks.text_mode import DEFAULT_CACHE, SETS, headline, load_cached_pages, score
from benchmarks.train_line_classifier import clean_with
from transforms.line_classifier import load_line_model

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def wrapped(text: str, width: int = 72, blank: bool = False) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(textwrap.wrap(line, width) if len(line) > width else [line])
        if blank:
            out.append("")
    return "\n".join(out)


LAYOUTS = {
    "lines": lambda text: text,
    "blank": lambda text: "\n\n".join(text.split("\n")),
    "wrap72": lambda text: wrapped(text, 72),
    "wrap72+blank": lambda text: wrapped(text, 72, blank=True),
    "sentences": lambda text: "\n\n".join("\n".join(_SENTENCE_END.split(line)) for line in text.split("\n")),
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layouts", default=",".join(LAYOUTS), help="comma-separated, of " + ", ".join(LAYOUTS))
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help="page-text pickle shared with benchmarks.text_mode")
    args = ap.parse_args(argv)
    pages = load_cached_pages(args.cache)
    model = load_line_model()
    print(f"{'layout':<14} {'articles F1':>11} {'R':>6} {'older F1':>8} {'cut mean':>8} {'worst':>6}  " + "  ".join(f"{s:>20}" for s in SETS))
    for name in args.layouts.split(","):
        started = time.perf_counter()
        laid_out = [replace(p, text=LAYOUTS[name](p.text)) for p in pages]
        s = score(pages, clean_with(laid_out, model))
        h = headline(s)
        sets = "  ".join(f"F1 {s[g]['F1']:.3f} cut {s[g]['cut']:5.1%}" for g in SETS)
        print(f"{name:<14} {h['article_F1']:>11.4f} {h['article_R']:>6.3f} {h['older_F1']:>8.4f} {h['cut_mean']:>8.1%} "
              f"{h['cut_max']:>6.1%}  {sets}   ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
