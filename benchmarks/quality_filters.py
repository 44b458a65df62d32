"""Quality filters on real articles (they should reject almost none) and on junk (they should bite).

Reads the ground-truth article texts of ../shared/data/extraction (scrapinghub `articleBody`,
wcxb-dev `main_content`): text people wrote and others judged to be the article, so every
rejection here is a false positive. Prints, per filter and per rule, how many articles it rejects
with the default thresholds, then which filter rejects each synthetic junk text, then the scoring
speed (documents per second on one core, median of several runs).

    python -m benchmarks.quality_filters [--data ../shared/data] [--repeats 5] [--show 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from transforms.language import LanguageDetector
from transforms.quality import FILTERS, QualityConfig, fires, keep_document, score_document, thresholds


def load_articles(data: Path) -> list[tuple[str, str, str]]:
    """(set, id, text) for every ground-truth article with text."""
    out: list[tuple[str, str, str]] = []
    sh = json.loads((data / "extraction/scrapinghub/ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(sh):
        text = sh[key].get("articleBody") or ""
        if text.strip():
            out.append(("scrapinghub", key[:12], text))
    for path in sorted((data / "extraction/wcxb-dev/ground-truth").glob("*.json")):
        text = json.loads(path.read_text(encoding="utf-8"))["ground_truth"].get("main_content") or ""
        if text.strip():
            out.append(("wcxb-dev", path.stem, text))
    return out


def junk_texts() -> dict[str, str]:
    """Made-up pages of the kinds the filters exist for; none of them is an article."""
    nav = "\n".join(["Home", "World", "Politics", "Business", "Tech", "Sport", "Culture", "Opinion", "Video", "Podcasts"])
    footer = "\n".join(
        [
            "About us",
            "Contact",
            "Careers",
            "Advertise with us",
            "Privacy policy",
            "Terms of use",
            "Cookie settings",
            "© 2024 Example Media Group. All rights reserved.",
            "Follow us on Facebook",
            "Follow us on Twitter",
        ]
    )
    boilerplate = "\n".join([nav, "Sign in", "Subscribe", footer, nav, "Most read", "Newsletter", footer])
    spam = " ".join(["cheap shoes online buy cheap shoes best cheap shoes sale discount shoes"] * 40)
    code = "\n".join(
        [
            "import json",
            "",
            "def load(path):",
            "    with open(path) as f:",
            "        return json.load(f)",
            "",
            "class Cache:",
            "    def __init__(self):",
            "        self.items = {}",
            "",
            "    def get(self, key):",
            "        return self.items.get(key)",
            "",
            "function render(el) { return el.innerHTML = template({items: data}); }",
            "for (let i = 0; i < n; i++) { total += values[i]; }",
        ]
        * 3
    )
    lorem = (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed do eiusmod tempor incididunt ut labore "
        "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.\n\n"
    ) * 6
    hashtags = "\n".join(f"#travel #photo #sunset #beach #summer{i} #instagood #love #nature #follow" for i in range(20))
    repeated = (
        "Breaking news: the council approved the new budget for the coming year after a long debate.\n\n"
        "Click here to read the full story and more updates from our reporters.\n\n"
    ) * 10
    listing = "\n".join(f"Product {i} - Size M - Blue - $19.{i:02d}" for i in range(60))
    teasers = "\n".join(
        f"The minister said on Tuesday that the plan for region {i} would be announced soon and that talks..."
        for i in range(25)
    )
    return {
        "boilerplate_only": boilerplate,
        "keyword_spam": spam,
        "source_code": code,
        "lorem_ipsum": lorem,
        "hashtag_list": hashtags,
        "repeated_paragraphs": repeated,
        "product_listing": listing,
        "teaser_list": teasers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--repeats", type=int, default=5, help="timing runs; the median is printed")
    parser.add_argument("--show", type=int, default=3, help="rejected examples printed per filter")
    args = parser.parse_args()

    cfg = QualityConfig()
    articles = load_articles(Path(args.data))
    detector = LanguageDetector()
    languages = [detector.detect(text)[0] for _, _, text in articles]
    scored = [score_document(text, lang, cfg) for (_, _, text), lang in zip(articles, languages)]

    by_set = Counter(s for s, _, _ in articles)
    print(f"Real articles: {len(articles)} ({', '.join(f'{k} {v}' for k, v in sorted(by_set.items()))}); "
          f"languages: {', '.join(f'{k} {v}' for k, v in Counter(languages).most_common(8))}")
    print()
    print(f"{'filter':<20}{'rejected':>10}{'share':>9}   first rule that fires (count)")
    rejected_any = set()
    for name in FILTERS:
        only = replace(cfg, filters=(name,))
        rules: Counter[str] = Counter()
        examples = []
        for i, (signals, lang) in enumerate(zip(scored, languages)):
            keep, detail = keep_document(signals, only, lang)
            if not keep:
                rejected_any.add(i)
                rule = detail.split(":", 1)[1].split("=", 1)[0]
                rules[rule] += 1
                if len(examples) < args.show:
                    examples.append(f"{articles[i][0]}/{articles[i][1]} ({lang}) {detail}")
        n = sum(rules.values())
        print(f"{name:<20}{n:>10}{n / len(articles):>9.1%}   {', '.join(f'{r} {c}' for r, c in rules.most_common()) or '-'}")
        for ex in examples:
            print(f"{'':<22}e.g. {ex}")
    print(f"{'any filter':<20}{len(rejected_any):>10}{len(rejected_any) / len(articles):>9.1%}")

    print()
    print("Each rule on its own (articles it would reject):")
    for t in thresholds(cfg):
        hits = sum(1 for signals, lang in zip(scored, languages) if fires(t, signals, lang, cfg))
        if hits:
            print(f"  {t.filter}:{t.signal} {t.op} {t.limit:g}: {hits}")

    print()
    print(f"{'junk text':<22}{'verdict':<10}detail")
    for name, text in junk_texts().items():
        lang = detector.detect(text)[0]
        keep, detail = keep_document(score_document(text, lang, cfg), cfg, lang)
        print(f"{name:<22}{'kept' if keep else 'rejected':<10}{detail or ''} ({lang})")

    texts = [(text, lang) for (_, _, text), lang in zip(articles, languages)]
    mid = [(t, lang) for t, lang in texts if 4000 <= len(t) <= 6000]
    print()
    # CPU time of this process: the machine may be shared, and docs/s per core is what we want.
    print(f"score + decide, one core ({args.repeats} runs, median of CPU time)")
    print(f"{'':<24}{'docs':>6}{'mean KB':>9}{'ms/doc':>8}{'docs/s':>8}{'MB/s':>7}")
    for label, batch in (("all articles", texts), ("articles of 4-6 KB", mid)):
        runs = []
        for _ in range(args.repeats):
            start = time.process_time()
            for text, lang in batch:
                keep_document(score_document(text, lang, cfg), cfg, lang)
            runs.append(time.process_time() - start)
        sec = statistics.median(runs)
        chars = sum(len(t) for t, _ in batch)
        print(f"{label:<24}{len(batch):>6}{chars / len(batch) / 1000:>9.1f}{sec / len(batch) * 1e3:>8.2f}"
              f"{len(batch) / sec:>8.0f}{chars / sec / 1e6:>7.2f}")


if __name__ == "__main__":
    main()
