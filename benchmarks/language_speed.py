"""Language detection: speed and accuracy of the character cap, before (10,000) and after (1,000).

`python -m benchmarks.language_speed [--per-language 50]`

- Articles: the ground-truth bodies of ../shared/data/extraction (532 of at least 500 characters).
  They carry no language label, so the reference is langdetect on the whole text (cap 100,000); the
  figure is the share of articles whose answer at the cap equals it.
- Sentences: ../shared/data/language/lingua-sentences, the first N sentences of every language
  langdetect knows, accuracy against the file's label (a sentence shorter than the cap is judged
  identically at every cap, so the two columns differ only through sentences longer than it).
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from benchmarks.corpus import load_articles
from benchmarks.data import DATA
from benchmarks.timing import median_seconds
from transforms.language import LanguageDetector

CAPS = (10000, 1000)


def _rate(detector: LanguageDetector, texts: list[str], repeats: int = 3) -> tuple[list[str], float]:
    labels, seconds = median_seconds(lambda: [detector.detect(x)[0] for x in texts], repeats)
    return labels, len(texts) / seconds


def load_sentences(per_language: int, data: Path = DATA) -> list[tuple[str, str]]:
    from langdetect.detector_factory import PROFILES_DIRECTORY

    known = {p.name for p in Path(PROFILES_DIRECTORY).iterdir()}
    out = []
    for path in sorted((data / "language" / "lingua-sentences" / "sentences").glob("*.txt")):
        code = path.stem
        if code not in known:
            continue
        lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        out += [(code, s) for s in lines[:per_language]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-language", type=int, default=50)
    args = ap.parse_args()
    articles = ["\n".join(a.paragraphs) for a in load_articles()]
    reference = [LanguageDetector(0, 100_000).detect(a)[0] for a in articles]
    sentences = load_sentences(args.per_language)
    print(f"{len(articles)} articles (mean {statistics.mean(map(len, articles)):.0f} chars), "
          f"{len(sentences)} sentences in {len({c for c, _ in sentences})} languages "
          f"({sum(len(s) > min(CAPS) for _, s in sentences)} longer than {min(CAPS)} chars)")
    print(f"{'max_chars':>9} | {'articles/s':>10} | {'articles = whole text':>21} | {'sentences/s':>11} | {'sentence accuracy':>17}")
    for cap in CAPS:
        det = LanguageDetector(0, cap)
        labels, rate = _rate(det, articles)
        agree = sum(a == b for a, b in zip(labels, reference))
        s_labels, s_rate = _rate(det, [s for _, s in sentences], repeats=1)
        correct = sum(p == c for p, (c, _) in zip(s_labels, sentences))
        print(f"{cap:>9} | {rate:>10.1f} | {agree:>5}/{len(articles)} = {agree / len(articles):6.2%} | "
              f"{s_rate:>11.1f} | {correct / len(sentences):>17.2%}")


if __name__ == "__main__":
    main()
