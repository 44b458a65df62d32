"""What one rule pack removes that another keeps, on the dev pages, against their ground truth.

Each line of each page's naive text (benchmarks/text_mode.py's page cache) goes through layer 1
alone (`apply_rules`) with both packs. A line the new pack cuts and the old one keeps is counted
under the new pack's rule, as

  cruft    ScrapingHub, WCXB: its words are not in the page's main text; trafilatura-eval: it
           holds one of the page's `without` snippets (text the page's annotators marked as not
           main content)
  content  its words are in the main text / it holds a `with` snippet
  unknown  trafilatura-eval only: it holds neither snippet

and a few lines of each kind are printed, every `content` one.

A line the pack removes also changes what the structure layer sees (which lines mark a comment
thread, where the body span goes), and that layer-1 count cannot show it: with `--structure`, every
page also goes through layers 1+2 (`strip_cruft`, classifier off) with each pack, and the pages
whose article is cut with one pack and not the other (`benchmarks.text_mode.page_score`'s `cut`)
are listed with the change in each rule's removals.

Run from the repo root, after `python -m benchmarks.text_mode` has built its page cache:
  python -m benchmarks.rule_pack_diff [--old configs/rules/cruft-v1.yaml] [--new PACK] [--cache FILE] [--structure]
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections import Counter, defaultdict

from benchmarks.text_mode import Page, load_cached_pages, page_score
from transforms.clean import CleanConfig, RulePack, apply_rules, load_rule_pack, strip_cruft

_WORDS = re.compile(r"\w+")


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", text).lower()))


def _holds(snippets: list[str], removed: str) -> bool:
    return any(s and (s in removed or removed in s) for s in snippets)


def structure_cuts(pages: list[Page], old: RulePack, new: RulePack) -> list[str]:
    """One line per page whose whole-article cut (layers 1+2, classifier off) differs between the
    packs: the set, the page, which pack cuts it, and how each rule's removals changed."""
    cfg = CleanConfig(classifier=False)
    out = []
    for page in pages:
        a, b = strip_cruft(page.text, old, cfg, url=page.url), strip_cruft(page.text, new, cfg, url=page.url)
        cut_old, cut_new = page_score(page, a.text).get("cut"), page_score(page, b.text).get("cut")
        if cut_old == cut_new:
            continue
        before, after = Counter(r.rule for r in a.removals), Counter(r.rule for r in b.removals)
        change = {rule: after[rule] - before[rule] for rule in sorted(before | after) if after[rule] != before[rule]}
        which = "cut by the new pack only" if cut_new else "cut by the old pack only"
        out.append(f"{page.dataset} {page.page_type} {page.url[:80]}: {which}; removals {change}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", default="configs/rules/cruft-v1.yaml")
    ap.add_argument("--new", default="", help="the new pack ('': the bundled default)")
    ap.add_argument("--cache", default=None, help="benchmarks/text_mode.py's page cache")
    ap.add_argument("--show", type=int, default=4, help="lines shown per rule and kind (content: all)")
    ap.add_argument("--structure", action="store_true", help="also list the pages whose whole-article cut by layers 1+2 changes")
    args = ap.parse_args()
    old, new = load_rule_pack(args.old), load_rule_pack(args.new)
    pages = load_cached_pages(args.cache) if args.cache else load_cached_pages()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    shown: dict[tuple[str, str], list[str]] = defaultdict(list)
    for page in pages:
        truth = _norm(page.truth or "")
        withs, withouts = [_norm(s) for s in page.with_ or []], [_norm(s) for s in page.without or []]
        for raw in page.text.split("\n"):
            line = raw.strip()
            if not line:
                continue
            kept_old, gone_old = apply_rules(line, old)
            kept_new, gone_new = apply_rules(line, new)
            if kept_new == kept_old:
                continue
            before = {r.text for r in gone_old}
            removed = _norm(" ".join(r.text for r in gone_new if r.text not in before))
            if not removed:
                continue
            if page.dataset == "trafilatura-eval":
                kind = "content" if _holds(withs, removed) else "cruft" if _holds(withouts, removed) else "unknown"
            else:
                kind = "content" if removed in truth else "cruft"
            for rule in sorted({r.rule for r in gone_new if r.text not in before}):
                counts[rule][kind] += 1
                if kind == "content" or len(shown[(rule, kind)]) < args.show:
                    shown[(rule, kind)].append(f"{page.dataset}: {line[:110]!r}")
    print(f"{'rule':<22} {'cruft':>6} {'content':>8} {'unknown':>8}   (lines {args.new or 'the default pack'} removes, {args.old} keeps)")
    for rule, c in sorted(counts.items()):
        print(f"{rule:<22} {c['cruft']:>6} {c['content']:>8} {c['unknown']:>8}")
    for (rule, kind), lines in sorted(shown.items()):
        print(f"-- {rule} / {kind}")
        for line in lines:
            print("   ", line)
    if args.structure:
        changed = structure_cuts(pages, old, new)
        print(f"\npages whose article layers 1+2 cut with one pack and not the other: {len(changed)} of {len(pages)}")
        for line in changed:
            print("   ", line)


if __name__ == "__main__":
    main()
