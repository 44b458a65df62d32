"""Quality filters on real articles (they should reject almost none) and on junk made from them.

Good text: the real-article set (`load_real_articles`): ground-truth bodies of >= 100 words from
../shared/data/extraction (scrapinghub `articleBody`, wcxb-dev `main_content` of its article pages
and of its other pages written in paragraphs), text people wrote and others judged to be the
article, so every rejection of one is a false rejection; scored as it is (one paragraph a line)
and hard-wrapped at 72 columns. For languages those sets barely cover, documents of 30
news/web sentences (3 to a paragraph) from ../shared/data/language/lingua-sentences (Leipzig
corpora) are scored as well, and every 30 sentences of all 75 lingua languages are scored to
check the prose filter (false rejection per script family).

Junk: each real article corrupted in the ways crawls are polluted (deterministic per article):
boilerplate (the page chrome around a teaser), keyword spam, a table of numbers, repeated lines
(a scraper looping over pagination), lorem ipsum (a template page), code (a script dump), teasers
(every paragraph cut to 80 characters and "..."), and word salad (the article's words shuffled: the
spam no published heuristic on lengths, stop words or punctuation can see; our prose rule looks at
how sentences start). Junk recall is the share rejected. Beside these, junk cut from the same
pages (`page_chrome`): each real-set page's text outside its ground truth (the naive page text of
benchmarks.text_mode, cached in ../cache, labelled by benchmarks.train_line_classifier), and its
lines of <= 5 words alone (`menu_only`).

Prints per filter (each alone, default thresholds): false-rejection rate on articles overall and
per language, junk recall per corruption, the rules that fire, a few alternative settings, and the
scoring speed (documents per second on one core, median of several runs). "Published thresholds"
is the closest configuration to the published rules: repeats of every length count (Gopher), 5
sentences (C4) and no sentence in an unpunctuated line, duplicate-line characters >= 0.01
(FineWeb), no prose-page or list-page exemption, every repeat counted under every heading, n-gram
repetition decided alone, no prose filter; the scoring changes that have no key (the last line's
ellipsis, braced asides, one-line texts judged by sentences, finished sentences of unpunctuated
lines, invisible lines, numbered table rows) stay as they are.

    python -m benchmarks.quality_filters [--data ../shared/data] [--repeats 5] [--show 2] [--compare-with PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import textwrap
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from benchmarks.data import DATA, scrapinghub_truth, wcxb_truth
from benchmarks.timing import median_seconds
from transforms.language import LanguageDetector
from transforms.quality import (
    FILTERS,
    QualityConfig,
    assess_quality,
    enabled_rules,
    fires,
    keep_document,
    score_document,
    thresholds,
)
from transforms.records import Document

LINGUA_LANGUAGES = ("ar", "de", "es", "fr", "hi", "ja", "ko", "ru", "th", "tr", "vi", "zh")
LANGDETECT_CODE = {"zh": "zh-cn"}  # langdetect's code for the lingua file's language


def load_articles(data: Path) -> list[tuple[str, str, str]]:
    """(set, id, text) for every ground-truth article with text."""
    out: list[tuple[str, str, str]] = []
    for key, item in scrapinghub_truth(data):
        text = item.get("articleBody") or ""
        if text.strip():
            out.append(("scrapinghub", key[:12], text))
    for key, record in wcxb_truth(data):
        text = record["ground_truth"].get("main_content") or ""
        if text.strip():
            out.append(("wcxb-dev", key, text))
    return out


# The real-article set: ground-truth bodies of >= 100 words that are articles. ScrapingHub's bodies
# are all articles; WCXB's `article` pages are; of its other page types (service, forum, listing,
# documentation, collection, product) a body is an article when it is written in paragraphs: at
# least 60% of its characters in lines of >= 25 words (a forum thread of posts, a service page's
# essay, a product's write-up), not a list of names, prices or links. A rule on the ground truth's
# layout alone, independent of every quality signal.
REAL_MIN_WORDS = 100
PARAGRAPH_WORDS = 25
PARAGRAPH_SHARE = 0.6


def is_written_in_paragraphs(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    chars = sum(len(line) for line in lines)
    return sum(len(line) for line in lines if len(line.split()) >= PARAGRAPH_WORDS) >= PARAGRAPH_SHARE * chars


def load_real_articles(data: Path) -> list[tuple[str, str, str]]:
    """(set or WCXB page type, id, text) of the real-article set (see above), in a fixed order."""
    kinds = {k: f["page_type"] for k, f in json.loads((data / "extraction/wcxb-dev/metadata.json").read_text()).get("files", {}).items()}
    out: list[tuple[str, str, str]] = []
    for key, item in scrapinghub_truth(data):
        text = item.get("articleBody") or ""
        if len(text.split()) >= REAL_MIN_WORDS:
            out.append(("scrapinghub", key[:12], text))
    for key, record in wcxb_truth(data):
        text = record["ground_truth"].get("main_content") or ""
        kind = kinds.get(key, "")
        if len(text.split()) >= REAL_MIN_WORDS and (kind == "article" or is_written_in_paragraphs(text)):
            out.append((f"wcxb {kind}", key, text))
    return out


ARTICLE_KINDS = ("scrapinghub", "wcxb article")  # the real set's articles, apart from other page types


def hard_wrapped(text: str, width: int = 72) -> str:
    """The layout of plain-text dumps and mail: each paragraph (a line of the ground truth) wrapped
    at `width` columns, a blank line between paragraphs."""
    return "\n\n".join(textwrap.fill(p, width) for p in (line.strip() for line in text.split("\n")) if p)


def load_lingua_documents(data: Path, per_language: int = 10) -> list[tuple[str, str, str]]:
    """(language, id, text): documents of 30 sentences, 3 to a paragraph, one paragraph a line."""
    out = []
    for lang in LINGUA_LANGUAGES:
        path = data / "language/lingua-sentences/sentences" / f"{lang}.txt"
        sents = [s.strip() for s in path.read_text(encoding="utf-8").split("\n") if s.strip()]
        for k in range(per_language):
            chunk = sents[k * 30 : (k + 1) * 30]
            sep = "" if lang in ("zh", "ja", "th") else " "
            out.append((LANGDETECT_CODE.get(lang, lang), f"{lang}-{k}", "\n".join(sep.join(chunk[j : j + 3]) for j in range(0, 30, 3))))
    return out


# Script families of the lingua-sentences languages, for the per-family false-rejection table.
SCRIPT_FAMILIES = {
    "Cyrillic": ("be", "bg", "kk", "mk", "mn", "ru", "sr", "uk"),
    "Greek, Armenian, Georgian": ("el", "hy", "ka"),
    "Arabic, Hebrew": ("ar", "fa", "he", "ur"),
    "Indic": ("bn", "gu", "hi", "mr", "pa", "ta", "te"),
    "CJK, Thai": ("ja", "ko", "th", "zh"),
}


def script_family(lang: str) -> str:
    return next((f for f, langs in SCRIPT_FAMILIES.items() if lang in langs), "Latin")


def load_all_lingua_documents(data: Path) -> list[tuple[str, str]]:
    """(file language, text) for every 30 sentences of every lingua-sentences file (75 languages,
    ~33 documents each), 3 sentences to a line: real sentences, for the prose filter's check."""
    out = []
    for path in sorted((data / "language/lingua-sentences/sentences").glob("*.txt")):
        sents = [s.strip() for s in path.read_text(encoding="utf-8").split("\n") if s.strip()]
        sep = "" if path.stem in ("zh", "ja", "th") else " "
        for k in range(len(sents) // 30):
            chunk = sents[k * 30 : (k + 1) * 30]
            out.append((path.stem, "\n".join(sep.join(chunk[j : j + 3]) for j in range(0, 30, 3))))
    return out


# --- corruptions ----------------------------------------------------------------------------------

NAV = ["Home", "News", "World", "Politics", "Business", "Tech", "Science", "Sport", "Culture", "Opinion", "Video"]
CHROME_HEAD = ["Sign in", "Subscribe", "Search", "Menu"]
CHROME_TAIL = ["Most read", "About us", "Contact", "Careers", "Advertise with us", "Privacy policy",
               "Terms of use", "Cookie settings", "Follow us on Facebook", "Follow us on X",
               "© 2025 Example Media Group. All rights reserved."]
LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
         "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip "
         "ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore.")
CODE = """(function () {
  var config = { siteId: 'news-01', lazy: true, slots: ['top', 'side', 'bottom'] };
  function loadAds(slots) {
    for (var i = 0; i < slots.length; i++) {
      var el = document.getElementById('ad-' + slots[i]);
      if (!el) { continue; }
      el.setAttribute('data-loaded', 'true');
      window.googletag = window.googletag || { cmd: [] };
      googletag.cmd.push(function () { googletag.display(el.id); });
    }
  }
  document.addEventListener('DOMContentLoaded', function () { loadAds(config.slots); });
})();
.article-body p { margin: 0 0 1em; line-height: 1.6; }
.share-bar a:hover { color: #c00; text-decoration: underline; }
@media (max-width: 600px) { .sidebar { display: none; } }"""
_WORD = re.compile(r"[^\W\d_]{4,}")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def corrupt(text: str, others: list[str], seed: int) -> dict[str, str]:
    """Junk versions of one article; `others` are other articles (for teaser headlines)."""
    rng = random.Random(seed)
    paras = _paragraphs(text)
    first = paras[0]
    words = _WORD.findall(text.lower())
    top = [w for w, _ in Counter(words).most_common(12)] or ["news"]
    headlines = [_paragraphs(o)[0][:70].rsplit(" ", 1)[0] for o in rng.sample(others, 8)]
    out: dict[str, str] = {}
    out["boilerplate"] = "\n".join(
        [*NAV, *CHROME_HEAD, first[:120].rsplit(" ", 1)[0] + " ...", "Read more", "Related stories", *headlines,
         "Advertisement", *CHROME_TAIL]
    )
    out["keyword_spam"] = "\n".join(
        " ".join(rng.choice(top) for _ in range(rng.randint(8, 14))) for _ in range(20)
    )
    header = " | ".join(w.title() for w in top[:5])
    out["number_table"] = "\n".join(
        [header] + [" | ".join(f"{rng.uniform(0, 5000):,.2f}" for _ in range(5)) for _ in range(40)]
    )
    out["repeated_lines"] = "\n".join(paras[:3] * 5)
    out["lorem_ipsum"] = "\n".join([first] + [LOREM[: max(80, len(p))] for p in paras[1:6]] + [LOREM] * 2)
    out["code"] = first + "\n" + CODE
    out["teasers"] = "\n".join((p[:80].rsplit(" ", 1)[0] + " ...") for p in paras[:15] + headlines)
    # spinner / word-salad spam: the article's own words shuffled into paragraphs of the same sizes,
    # each closed by a full stop: word lengths, stop words and punctuation all look like prose
    shuffled = text.split()
    rng.shuffle(shuffled)
    salad, at = [], 0
    for p in paras:
        n = len(p.split())
        salad.append(" ".join(shuffled[at : at + n]).rstrip(".") + ".")
        at += n
    out["word_salad"] = "\n".join(salad)
    return out


# --- junk taken from the pages themselves -----------------------------------------------------------

# The generated corruptions above are made from the articles, so they test what the filters were
# built against. Real junk is what a page holds outside its article: the visible text of each
# real-set page (the naive page text of benchmarks.text_mode, one block a line), minus the lines
# found in its ground truth (train_line_classifier's labels). Navigation, footers, related links,
# cookie and share prompts, product grids; also, on some pages, comments or teasers written in
# sentences, so its recall is not expected to reach 100%: it is the before/after that matters.
CHROME_MIN_WORDS = 50  # shorter chrome is rejected by the length rule alone, whatever the rest does
MENU_MAX_WORDS = 5  # a menu entry: a line of at most this many words


def page_chrome(data: Path, real: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(kind, text) of the junk cut from the real-set pages: `page_chrome`, every line of the page
    text outside the ground truth, and `menu_only`, the lines of those of at most MENU_MAX_WORDS
    words (navigation and link lists); each kept when it has >= CHROME_MIN_WORDS words."""
    from benchmarks.text_mode import DEFAULT_CACHE, load_cached_pages
    from benchmarks.train_line_classifier import label_lines

    wanted = {(("scrapinghub", aid) if kind == "scrapinghub" else ("wcxb", aid)) for kind, aid, _ in real}
    out: list[tuple[str, str]] = []
    for page in load_cached_pages(DEFAULT_CACHE):
        key = (page.dataset, page.id[:12] if page.dataset == "scrapinghub" else page.id)
        if key not in wanted or not page.text.strip():
            continue
        lines = [line for line in page.text.split("\n") if line.strip()]
        chrome = [line for line, y in zip(lines, label_lines(lines, page.truth)) if not y]
        menu = [line for line in chrome if len(line.split()) <= MENU_MAX_WORDS]
        for kind, kept in (("page_chrome", chrome), ("menu_only", menu)):
            text = "\n".join(kept)
            if len(text.split()) >= CHROME_MIN_WORDS:
                out.append((kind, text))
    return out


def all_page_chrome() -> list[tuple[str, str]]:
    """(page id, text) of the chrome of every cached page, not only the real set's: each page's
    text outside its ground truth, when it has >= CHROME_MIN_WORDS words (a wider check that a
    change lets no more page chrome through)."""
    from benchmarks.text_mode import DEFAULT_CACHE, load_cached_pages
    from benchmarks.train_line_classifier import label_lines

    out: list[tuple[str, str]] = []
    for page in load_cached_pages(DEFAULT_CACHE):
        lines = [line for line in page.text.split("\n") if line.strip()]
        if not lines or not page.truth:
            continue
        text = "\n".join(line for line, y in zip(lines, label_lines(lines, page.truth)) if not y)
        if len(text.split()) >= CHROME_MIN_WORDS:
            out.append((f"{page.dataset}/{page.id}", text))
    return out


# --- probes: junk shaped like the pages the exemptions keep ------------------------------------------

# Junk that borrows the shape an exemption keeps, made from the real texts: an introduction of 2
# paragraphs over a code dump or a menu (the list-page exemption: a lede over a list), a sentence
# appended to paragraphs (the n-gram exemption: repeats no repeated line corroborates), the first
# paragraphs again with another noun (a doorway page of 2 cities). Not part of the junk recall
# above (its figures stay comparable from round to round): printed apart, per probe.
PROMO = "Subscribe to our newsletter to get the latest stories delivered to your inbox every morning."
SHORT_PROMO = "Read the full story on our website today."  # 8 words: shorter than the longest n-grams


def probes(texts: list[str]) -> list[tuple[str, str]]:
    """(probe, text) for every real text of at least 4 paragraphs."""
    out: list[tuple[str, str]] = []
    for text in texts:
        paras = _paragraphs(text)
        if len(paras) < 4:
            continue
        out += [
            ("lede + code dump", "\n".join(paras[:2]) + "\n" + CODE),
            ("lede + menu", "\n".join(paras[:2] + NAV + CHROME_HEAD + CHROME_TAIL)),
            ("sentence after every paragraph", "\n".join(p + " " + PROMO for p in paras)),
            ("short sentence after every paragraph", "\n".join(p + " " + SHORT_PROMO for p in paras)),
            ("sentence after every 2nd paragraph", "\n".join(p + (" " + PROMO if j % 2 else "") for j, p in enumerate(paras))),
            ("doorway page of 2 cities", "\n".join(paras[:4]).replace(" the ", " Boston's ") + "\n"
             + "\n".join(paras[:4]).replace(" the ", " Denver's ")),
        ]
    return out


def print_probes(texts: list[str], detector: LanguageDetector, other_path: str | None) -> None:
    """The share of each probe rejected by the default filters (and by the version at `other_path`)."""
    other = _load_other(Path(other_path)) if other_path else None
    rejected: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for kind, text in probes(texts):
        lang = detector.detect(text)[0]
        row = rejected[kind]
        row[0] += 1
        row[1] += not keep_document(score_document(text, lang, QualityConfig()), QualityConfig(), lang)[0]
        if other is not None:
            c = other.QualityConfig()
            row[2] += not other.keep_document(other.score_document(text, lang, c), c, lang)[0]
    print("Probes (junk shaped like what the exemptions keep; not in the junk recall), rejected"
          + (f": {other_path} -> this" if other else ""))
    for kind, (n, this, that) in rejected.items():
        print(f"  {kind:<38}{n:>6}  " + (f"{rate(that, n):>7} -> " if other else "") + f"{rate(this, n):>7}")


# --- report ---------------------------------------------------------------------------------------


def first_rules(scored, cfg: QualityConfig) -> list[str | None]:
    """The detail of the rejecting rule per document, or None when kept."""
    return [keep_document(signals, cfg, lang)[1] for signals, lang in scored]


def rate(n: int, d: int) -> str:
    return f"{n / d:.1%}" if d else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--repeats", type=int, default=5, help="timing runs; the median is printed")
    parser.add_argument("--show", type=int, default=2, help="rejected articles printed per filter")
    parser.add_argument("--show-real", type=int, default=100, help="rejected real-set articles printed per layout")
    parser.add_argument("--compare-with", metavar="PATH", help="another version of the quality stage: its package folder "
                        "(`git archive REV transforms/quality | tar x -C /tmp/q`, then /tmp/q/transforms/quality), or the "
                        "single module of a revision before the package (`git show REV:transforms/quality.py`): "
                        "score_document timed against it in this process, and the chrome of every cached page judged by both")
    args = parser.parse_args()
    data = Path(args.data)

    cfg = QualityConfig()
    detector = LanguageDetector()
    articles = load_real_articles(data)
    art_langs = [detector.detect(t)[0] for _, _, t in articles]
    art_scored = [(score_document(t, lang, cfg), lang) for (_, _, t), lang in zip(articles, art_langs)]
    lingua = load_lingua_documents(data)
    lin_scored = [(score_document(t, lang, cfg), lang) for lang, _, t in lingua]

    texts = [t for _, _, t in articles]
    junk: list[tuple[str, str, str]] = []  # (kind, language, text)
    for i, text in enumerate(texts):
        for kind, jt in corrupt(text, texts[:i] + texts[i + 1 :], seed=i).items():
            junk.append((kind, detector.detect(jt)[0], jt))
    for kind, jt in page_chrome(data, articles):
        junk.append((kind, detector.detect(jt)[0], jt))
    junk_scored = [(score_document(t, lang, cfg), lang) for _, lang, t in junk]
    kinds = list(dict.fromkeys(k for k, _, _ in junk))

    configs = {name: replace(cfg, filters=(name,)) for name in FILTERS} | {"all (default)": cfg}
    lang_groups = Counter("en" if lang == "en" else "other" for lang in art_langs)
    print(f"Real articles: {len(articles)} (scrapinghub {sum(s == 'scrapinghub' for s, _, _ in articles)}, "
          f"wcxb-dev {sum(s != 'scrapinghub' for s, _, _ in articles)}); languages: "
          f"{', '.join(f'{k} {v}' for k, v in Counter(art_langs).most_common())}")
    print(f"Lingua documents: {len(lingua)} ({len(LINGUA_LANGUAGES)} languages x 10 of 30 sentences); "
          f"junk: {len(junk)} (8 corruptions x {len(articles)} articles, and the chrome of their pages: "
          f"page_chrome {sum(k == 'page_chrome' for k, _, _ in junk)}, menu_only {sum(k == 'menu_only' for k, _, _ in junk)})")
    print()
    print("False-rejection rate (real text rejected) and junk recall (junk rejected), each filter alone")
    head = f"{'filter':<20}{'articles':>9}{'en':>7}{'non-en':>8}{'lingua':>8}{'junk':>7}"
    print(head + "".join(f"{k[:11]:>12}" for k in kinds))
    details: dict[str, list[str | None]] = {}
    for name, c in configs.items():
        art = first_rules(art_scored, c)
        details[name] = art
        lin = first_rules(lin_scored, c)
        jnk = first_rules(junk_scored, c)
        en = sum(1 for d, lang in zip(art, art_langs) if d and lang == "en")
        non = sum(1 for d, lang in zip(art, art_langs) if d and lang != "en")
        row = (f"{name:<20}{rate(sum(map(bool, art)), len(art)):>9}{rate(en, lang_groups['en']):>7}"
               f"{rate(non, lang_groups['other']):>8}{rate(sum(map(bool, lin)), len(lin)):>8}"
               f"{rate(sum(map(bool, jnk)), len(jnk)):>7}")
        for k in kinds:
            hits = [d for d, (kind, _, _) in zip(jnk, junk) if kind == k]
            row += f"{rate(sum(map(bool, hits)), len(hits)):>12}"
        print(row)

    print()
    # The real-article set (load_real_articles) in both layouts real text comes in: one paragraph a
    # line (as the ground truth has it), and hard-wrapped at 72 columns with blank lines between
    # paragraphs (plain-text dumps, mail); language detected on each
    real = load_real_articles(data)
    kinds_real = Counter(k for k, _, _ in real)
    print(f"Real-article set: {len(real)} ground-truth bodies of >= {REAL_MIN_WORDS} words "
          f"({', '.join(f'{k} {n}' for k, n in kinds_real.most_common())})")
    print(f"  {'layout':<40}{'rejected':>9}{'rate':>7}  first rules")
    for layout, fn in (("one paragraph a line", lambda t: t), ("hard-wrapped at 72, blank lines between", hard_wrapped)):
        texts_l = [fn(t) for _, _, t in real]
        scored_l = [(score_document(t, lang, cfg), lang) for t, lang in ((t, detector.detect(t)[0]) for t in texts_l)]
        rejected_l = [(r, d) for r, d in zip(real, first_rules(scored_l, cfg)) if d]
        rules_l = Counter(d.split("=", 1)[0] for _, d in rejected_l)
        print(f"  {layout:<40}{len(rejected_l):>9}{rate(len(rejected_l), len(real)):>7}  "
              + ", ".join(f"{r.split(':', 1)[1]} {n}" for r, n in rules_l.most_common()))
        # the articles alone (ScrapingHub's bodies and WCXB's article pages): the floor
        n_articles = sum(1 for k, _, _ in real if k in ARTICLE_KINDS)
        r_articles = sum(1 for (k, _, _), _ in rejected_l if k in ARTICLE_KINDS)
        print(f"  {'  of which articles':<40}{r_articles:>9}{rate(r_articles, n_articles):>7}  of {n_articles}")
        for (kind, aid, _), d in rejected_l[: args.show_real]:
            print(f"{'':<8}{kind}/{aid}: {d}")
    print()
    print("Real articles rejected per language (all filters), and lingua documents per language")
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d, lang in zip(details["all (default)"], art_langs):
        per_lang[lang][0] += bool(d)
        per_lang[lang][1] += 1
    print("  articles: " + ", ".join(f"{lang} {r}/{n}" for lang, (r, n) in sorted(per_lang.items(), key=lambda x: -x[1][1])))
    lin_all = first_rules(lin_scored, cfg)
    lin_lang: dict[str, list] = defaultdict(list)
    for d, (lang, _, _) in zip(lin_all, lingua):
        lin_lang[lang].append(d)
    print("  lingua:   " + ", ".join(f"{lang} {sum(map(bool, ds))}/{len(ds)}" for lang, ds in lin_lang.items()))
    for lang, ds in lin_lang.items():
        for d in sorted({d.split('=')[0] for d in ds if d}):
            print(f"            {lang}: {d} x{sum(1 for x in ds if x and x.startswith(d + '='))}")

    print()
    # The prose rule's threshold was set on this benchmark's word salad: check it on real sentences
    # of every lingua language (language as detected, as in the pipeline), per script family
    every = load_all_lingua_documents(data)
    every_scored = [(score_document(t, lang, cfg), lang) for lang, t in
                    ((detector.detect(t)[0], t) for _, t in every)]
    prose_only = replace(cfg, filters=("prose_quality",))
    print(f"Real sentences, all {len({f for f, _ in every})} lingua languages ({len(every)} documents of 30): "
          "false rejection per script family, prose_quality alone / all filters, highest lower_sentence_start_frac")
    fam: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0.0, set()])
    for (file_lang, _), (signals, lang) in zip(every, every_scored):
        row = fam[script_family(file_lang)]
        row[0] += 1
        row[1] += not keep_document(signals, prose_only, lang)[0]
        row[2] += not keep_document(signals, cfg, lang)[0]
        row[3] = max(row[3], signals.get("lower_sentence_start_frac", 0.0))
        row[4].add(file_lang)
    for name, (n, p, a, top, langs) in sorted(fam.items(), key=lambda x: -x[1][0]):
        print(f"  {name:<26}{len(langs):>3} lang. {n:>5} docs  prose {rate(p, n):>6}  all {rate(a, n):>6}  max {top:.3f}")
    every_rules = Counter((f, d.split("=", 1)[0]) for (f, _), d in zip(every, first_rules(every_scored, cfg)) if d)
    print("  rejected (all filters), language: rule x documents: "
          + ", ".join(f"{f}: {r.split(':', 1)[1]} x{n}" for (f, r), n in every_rules.most_common()))

    print()
    print("Rules that reject real articles (first rule that fires, each filter alone), with examples")
    for name in FILTERS:
        rules = Counter(d.split("=", 1)[0] for d in details[name] if d)
        print(f"  {name:<18} " + (", ".join(f"{r.split(':', 1)[1]} {n}" for r, n in rules.most_common()) or "-"))
        shown = [(articles[i], art_langs[i], d) for i, d in enumerate(details[name]) if d][: args.show]
        for (s, aid, _), lang, d in shown:
            print(f"{'':<22}e.g. {s}/{aid} ({lang}) {d}")
    print("Each rule on its own, articles / junk it would reject:")
    for t in thresholds(cfg):
        a = sum(1 for s, lang in art_scored if fires(t, s, lang, cfg))
        j = sum(1 for s, lang in junk_scored if fires(t, s, lang, cfg))
        if a or j:
            print(f"  {t.filter}:{t.signal} {t.op} {t.limit:g}: {a} / {j}")

    print()
    print("Alternative settings (all filters): false rejection on articles, junk recall")
    published = replace(cfg, dup_min_chars=0, c4_min_sentences=5, fineweb_max_dup_line_char_frac=0.01,
                        prose_page_min_lines=None, c4_long_sentence_words=None, parallel_sections=False,
                        list_page_min_lede_lines=None, prose_page_max_dup_ngram_char_frac=None,
                        filters=tuple(f for f in FILTERS if f != "prose_quality"))
    alternatives = {
        "default": cfg,
        "published thresholds (see docstring)": published,
        "dup_min_chars=0 (Gopher: every repeat)": replace(cfg, dup_min_chars=0),
        "c4_min_sentences=5 (C4)": replace(cfg, c4_min_sentences=5),
        "fineweb dup-line chars >= 0.01 (FineWeb)": replace(cfg, fineweb_max_dup_line_char_frac=0.01),
        "no prose-page exemption (prose_page_min_lines=null)": replace(cfg, prose_page_min_lines=None),
        "prose pages by lines only (prose_page_min_sentences=null)": replace(cfg, prose_page_min_sentences=None),
        "c4_long_sentence_words=null (C4)": replace(cfg, c4_long_sentence_words=None),
        "parallel_sections=false (Gopher)": replace(cfg, parallel_sections=False),
        "list_page_min_lede_lines=null (no list pages)": replace(cfg, list_page_min_lede_lines=None),
        "prose_page_max_dup_ngram_char_frac=null": replace(cfg, prose_page_max_dup_ngram_char_frac=None),
        "without prose_quality": replace(cfg, filters=tuple(f for f in FILTERS if f != "prose_quality")),
        "without fineweb_quality": replace(cfg, filters=tuple(f for f in FILTERS if f != "fineweb_quality")),
        "gopher_quality + gopher_repetition": replace(cfg, filters=("gopher_quality", "gopher_repetition")),
    }
    for label, c in alternatives.items():
        a_scored, j_scored = art_scored, junk_scored
        scoring = ("dup_min_chars", "c4_long_sentence_words", "parallel_sections")  # keys the signals depend on
        if any(getattr(c, k) != getattr(cfg, k) for k in scoring):  # score again
            a_scored = [(score_document(t, lang, c), lang) for (_, _, t), lang in zip(articles, art_langs)]
            j_scored = [(score_document(t, lang, c), lang) for _, lang, t in junk]
        a = sum(map(bool, first_rules(a_scored, c)))
        j = sum(map(bool, first_rules(j_scored, c)))
        print(f"  {label:<52}{rate(a, len(art_scored)):>8}{rate(j, len(junk_scored)):>8}")

    print()
    print_probes(texts, detector, args.compare_with)

    docs = [Document(id=aid, text=t, source=s, source_format="text", language=lang)
            for (s, aid, t), lang in zip(articles, art_langs)]
    mid = [d for d in docs if 4000 <= len(d.text) <= 6000]
    rules = enabled_rules(cfg)  # as the stage's DoFn builds them, once in setup()
    print()
    # CPU time of this process: the machine may be shared, and docs/s per core is what we want.
    print(f"score + decide (the stage's assess_quality), one core ({args.repeats} runs, median of CPU time)")
    print(f"{'':<24}{'docs':>6}{'mean KB':>9}{'ms/doc':>8}{'docs/s':>8}{'MB/s':>7}")
    for label, batch in (("all articles", docs), ("articles of 4-6 KB", mid)):
        _, sec = median_seconds(
            lambda batch=batch: [assess_quality(doc, cfg, rules) for doc in batch], args.repeats, time.process_time,
        )
        chars = sum(len(d.text) for d in batch)
        print(f"{label:<24}{len(batch):>6}{chars / len(batch) / 1000:>9.1f}{sec / len(batch) * 1e3:>8.2f}"
              f"{len(batch) / sec:>8.0f}{chars / sec / 1e6:>7.2f}")
    if args.compare_with:
        compare_cost(Path(args.compare_with), [(d.text, d.language) for d in docs], args.repeats)
        compare_chrome(Path(args.compare_with), detector)


def _load_other(path: Path):
    """The quality stage at `path`, another version of it, loaded aside as `quality_other`: a package
    folder (its imports inside the package are relative, so they find its own modules), or the
    single module the stage was before (transforms/quality.py up to 2026-12-06)."""
    import importlib.util
    import sys

    if "quality_other" not in sys.modules:
        if path.is_dir():
            spec = importlib.util.spec_from_file_location("quality_other", path / "__init__.py",
                                                          submodule_search_locations=[str(path)])
        else:
            spec = importlib.util.spec_from_file_location("quality_other", path)
        other = importlib.util.module_from_spec(spec)
        sys.modules["quality_other"] = other  # dataclasses look their module up while it loads
        spec.loader.exec_module(other)
    return sys.modules["quality_other"]


def compare_chrome(path: Path, detector: LanguageDetector) -> None:
    """The chrome of every cached page (`all_page_chrome`) rejected by this version and by the one
    at `path`, and the pages whose verdict differs."""
    other = _load_other(path)
    this_cfg, other_cfg = QualityConfig(), other.QualityConfig()
    pages = all_page_chrome()
    changed, this_n, other_n = [], 0, 0
    for pid, text in pages:
        lang = detector.detect(text)[0]
        a = keep_document(score_document(text, lang, this_cfg), this_cfg, lang)[0]
        b = other.keep_document(other.score_document(text, lang, other_cfg), other_cfg, lang)[0]
        this_n += not a
        other_n += not b
        if a != b:
            changed.append(f"{pid} ({'kept' if a else 'rejected'} now)")
    print(f"page chrome of all {len(pages)} cached pages, rejected: {other_n} ({path}) -> {this_n} (this); "
          f"changed: {', '.join(changed) or 'none'}")


def compare_cost(path: Path, texts: list[tuple[str, str]], repeats: int) -> None:
    """score_document's CPU time per document, this version against the one at `path`, in one
    process, the two alternating run by run (so both see the same machine load); medians."""
    import statistics

    other = _load_other(path)
    versions = {"this": (score_document, QualityConfig()), str(path): (other.score_document, other.QualityConfig())}
    times: dict[str, list[float]] = {name: [] for name in versions}
    for run in range(repeats):
        for name in (list(versions) if run % 2 == 0 else list(reversed(versions))):
            score, c = versions[name]
            start = time.process_time()
            for text, lang in texts:
                score(text, lang, c)
            times[name].append((time.process_time() - start) / len(texts) * 1e3)
    this, that = statistics.median(times["this"]), statistics.median(times[str(path)])
    print(f"score_document, {len(texts)} texts, medians of {repeats} alternating runs: "
          f"{that:.3f} ms/doc ({path}) -> {this:.3f} ms/doc (this), x{this / that:.3f}")


if __name__ == "__main__":
    main()
