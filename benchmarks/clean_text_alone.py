"""Clean text is left alone: what cleaning removes from real article text that has no cruft in it.

The texts are human-written ground-truth article bodies of ../shared/data/extraction: WCXB
`main_content` of its article pages and ScrapingHub `articleBody`, each of >= 100 words. Each is
cleaned (default config: `strip_cruft` with the bundled rule pack and the page's URL) in three
layouts:

  as-is      as the set gives it (one paragraph a line; WCXB puts blank lines between them)
  wrapped    hard-wrapped at 72 columns, a blank line between paragraphs (plain-text dumps, mail)
  sentences  one sentence a line, a blank line between paragraphs

and the figures are the share of non-space characters removed over all articles, and the share of
articles that lose more than a fifth of theirs (issue 15's floor: <= 2% and <= 0.5%, for as-is and
wrapped). Non-space characters, so that unwrapping a paragraph (newlines become spaces) counts
as nothing removed. The worst articles are listed with the rules that cut them.

With `--languages`: the same for every 30 real sentences of the 75 languages of
../shared/data/language/lingua-sentences (news and web sentences of the Leipzig corpora, 3 to a
paragraph; some carry the web's own cruft), by script family: scripts unlike English (combining
vowel signs, no spaces, right to left) are where a rule written for Latin text misfires.

Also: the whole-article-cut rate on the text-mode benchmark's pages (`--pages FILE`, the pickle
`benchmarks.text_mode --cache FILE` writes): pages whose raw text holds >= 90% of the ground
truth's words where the cleaned text keeps < half of them (`benchmarks.scoring.whole_article_cut`).

With `--code`: the code of every ground-truth body of any page type that holds >= 3 lines of it
(by the quality stage's `code_lines`): its characters removed, by rule, and its indented lines
written back with their indentation (`transforms/clean/code_blocks.py`).

Run from the repo root:  python -m benchmarks.clean_text_alone [--worst 10] [--pages FILE] [--languages] [--code]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.data import DATA, scrapinghub_truth, wcxb_truth  # noqa: E402
from benchmarks.scoring import whole_article_cut  # noqa: E402
from transforms.clean import CleanConfig, load_model, load_rule_pack, split_sentences, strip_cruft  # noqa: E402

MIN_WORDS = 100
LAYOUTS = ("as-is", "wrapped", "sentences")


def articles(data: Path = DATA) -> list[tuple[str, str, str, str]]:
    """(set, page id, url, article text) of every ground-truth article body of >= MIN_WORDS words."""
    meta = json.loads((data / "extraction" / "wcxb-dev" / "metadata.json").read_text(encoding="utf-8"))["files"]
    out = []
    for pid, rec in wcxb_truth(data):
        text = rec["ground_truth"].get("main_content") or ""
        if meta.get(pid, {}).get("page_type") == "article" and len(text.split()) >= MIN_WORDS:
            out.append(("wcxb", pid, rec.get("url", ""), text))
    for pid, rec in scrapinghub_truth(data):
        if len(rec["articleBody"].split()) >= MIN_WORDS:
            out.append(("scrapinghub", pid, rec["url"], rec["articleBody"]))
    return out


def language_articles(data: Path = DATA) -> list[tuple[str, str, str, str]]:
    """(script family, language-k, "", text) for every 30 sentences of every lingua-sentences language."""
    from benchmarks.quality_filters import load_all_lingua_documents, script_family

    seen: Counter[str] = Counter()
    out = []
    for lang, text in load_all_lingua_documents(data):
        out.append((script_family(lang), f"{lang}-{seen[lang]}", "", text))
        seen[lang] += 1
    return out


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def hard_wrapped(text: str, width: int = 72) -> str:
    """Each paragraph wrapped at `width` columns (words whole), a blank line between paragraphs."""
    return "\n\n".join(textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in paragraphs(text))


def one_sentence_a_line(text: str) -> str:
    return "\n\n".join("\n".join(s for s, _ in split_sentences(p)) for p in paragraphs(text))


def laid_out(text: str, layout: str) -> str:
    return {"as-is": lambda t: t, "wrapped": hard_wrapped, "sentences": one_sentence_a_line}[layout](text)


def nonspace(text: str) -> int:
    return sum(not c.isspace() for c in text)


def measure(arts: list[tuple[str, str, str, str]], layout: str, cfg: CleanConfig, worst: int) -> None:
    pack, model = load_rule_pack(cfg.rule_pack, cfg.disabled_rules), load_model(cfg)
    by_set: dict[str, list[tuple[float, int, int, str, Counter]]] = {}
    started = time.process_time()
    for set_name, pid, url, text in arts:
        raw = laid_out(text, layout)
        res = strip_cruft(raw, pack, cfg, model=model, url=url)
        before, after = nonspace(raw), nonspace(res.text)
        rules = Counter()
        for r in res.removals:
            rules[r.rule] += nonspace(r.text)
        by_set.setdefault(set_name, []).append((1 - after / before, before, after, pid, rules))
    secs = time.process_time() - started
    rows = [(name, rows) for name, rows in sorted(by_set.items())]
    rows.append(("all", [r for _, rs in rows for r in rs]))
    for name, rs in rows:
        chars_in = sum(r[1] for r in rs)
        chars_out = sum(r[2] for r in rs)
        lossy = sum(r[0] > 0.2 for r in rs)
        print(
            f"{layout:9} {name:11} articles {len(rs):4d}  chars removed {1 - chars_out / chars_in:6.2%}  "
            f"articles losing > 1/5: {lossy:3d} ({lossy / len(rs):5.1%})"
        )
    everything = rows[-1][1]
    by_rule = Counter()
    for r in everything:
        by_rule.update(r[4])
    total = sum(r[1] for r in everything)
    print(f"{'':9} by rule (share of all characters): " + ", ".join(f"{k} {v / total:.2%}" for k, v in by_rule.most_common(8)))
    print(f"{'':9} cleaning: {1000 * secs / len(everything):.2f} ms CPU per article")
    for loss, before, _, pid, rules in sorted(everything, key=lambda r: (-r[0], r[3]))[:worst]:
        if loss <= 0:
            break
        print(f"{'':9}   {loss:6.1%} of {before:6d} chars  {pid[:16]:16}  " + ", ".join(f"{k} {v}" for k, v in rules.most_common(4)))


def article_cuts(pages_file: str, cfg: CleanConfig) -> None:
    """The whole-article-cut rate on the text-mode benchmark's pages, per set."""
    from benchmarks.text_mode import load_cached_pages

    pages = load_cached_pages(pages_file)
    pack, model = load_rule_pack(cfg.rule_pack, cfg.disabled_rules), load_model(cfg)
    counted: Counter[str] = Counter()
    cut: Counter[str] = Counter()
    for p in pages:
        verdict = whole_article_cut(p.truth, p.text, strip_cruft(p.text, pack, cfg, model=model, url=p.url).text)
        if verdict is None:
            continue
        for key in (p.dataset, "all"):
            counted[key] += 1
            cut[key] += verdict
    for key in sorted(counted):
        print(f"whole-article cuts  {key:11} {cut[key]:4d} of {counted[key]:4d} pages ({cut[key] / counted[key]:.1%})")


def code_texts(data: Path = DATA) -> list[tuple[str, str, set[int]]]:
    """(page id, text, its code lines) of every ground-truth body, of any page type, holding >= 3
    lines of code by the quality stage's `code_lines` (a detector apart from the cleaning's own
    code blocks)."""
    from transforms.quality import code_lines

    bodies = itertools.chain(((pid, rec["ground_truth"].get("main_content") or "") for pid, rec in wcxb_truth(data)),
                             ((pid[:12], rec["articleBody"]) for pid, rec in scrapinghub_truth(data)))
    out = []
    for pid, text in bodies:
        code = code_lines([line.strip() for line in text.split("\n")])
        if len(code) >= 3:
            out.append((pid, text, code))
    return out


def code_figures(cfg: CleanConfig, data: Path = DATA) -> None:
    """What cleaning does to the code of the bodies that hold some (`code_texts`), as they are:
    the non-space characters of their code lines removed, by rule, and how many of the code lines
    written indented come out as written (their whitespace kept; a block indented as a whole
    would come out less its common indentation, which none of these is)."""
    pack, model = load_rule_pack(cfg.rule_pack), load_model(cfg)
    total = indented = kept_indented = 0
    by_rule: Counter[str] = Counter()
    texts = code_texts(data)
    for _, text, code in texts:
        raw = text.split("\n")
        result = strip_cruft(text, pack, cfg, model=model)
        out = set(result.text.split("\n"))
        code_keys = {raw[i].strip() for i in code}
        for r in result.removals:
            if r.text.strip() in code_keys:
                by_rule[r.rule] += len("".join(r.text.split()))
        total += sum(len("".join(raw[i].split())) for i in code)
        for i in code:
            if raw[i][:1] in " \t" and raw[i].strip():
                indented += 1
                kept_indented += raw[i].rstrip() in out
    removed = sum(by_rule.values())
    print(f"code      {len(texts)} bodies with >= 3 code lines: {total} non-space characters of code, {removed / total:.1%} removed "
          f"({', '.join(f'{r} {n / total:.1%}' for r, n in by_rule.most_common(6))}); "
          f"{kept_indented} of {indented} indented code lines come out with their indentation")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worst", type=int, default=10, help="list this many worst articles per layout")
    ap.add_argument("--layouts", default=",".join(LAYOUTS), help="comma-separated: " + ", ".join(LAYOUTS))
    ap.add_argument("--pages", default="", help="text_mode page cache: also print the whole-article-cut rate")
    ap.add_argument("--languages", action="store_true", help="the lingua sentences of 75 languages instead of the English/German articles")
    ap.add_argument("--code", action="store_true", help="only the code of every body that holds some (any page type): `code_figures`")
    args = ap.parse_args(argv)
    cfg = CleanConfig()
    if args.code:
        code_figures(cfg)
        return
    arts = language_articles() if args.languages else articles()
    for layout in args.layouts.split(","):
        measure(arts, layout, cfg, args.worst)
    if args.pages:
        article_cuts(args.pages, cfg)


if __name__ == "__main__":
    main()
