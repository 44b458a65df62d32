"""Language detection: speed and accuracy of langdetect's stock Detector and our FastDetector, at
langdetect's default character cap (10,000) and ours (1,000).

`python -m benchmarks.language_speed [--per-language 50] [--repeats 3]`

- Articles: the ground-truth bodies of ../shared/data/extraction (532 of at least 500 characters).
  They carry no language label, so the reference is langdetect on the whole text (cap 100,000); the
  figure is the share of articles whose answer at the cap equals it.
- Sentences: ../shared/data/language/lingua-sentences, the first N sentences of every language
  langdetect knows, accuracy against the file's label (a sentence shorter than the cap is judged
  identically at every cap, so the two caps differ only through sentences longer than it).
- "same probabilities": FastDetector's probability lists equal the stock Detector's, exactly.
Speeds are medians of --repeats runs, in CPU seconds of this process.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from benchmarks.corpus import load_articles
from benchmarks.data import DATA
from benchmarks.timing import median_seconds
from transforms.fast_langdetect import FastDetector, Profiles, load_factory

CAPS = (10000, 1000)


def load_sentences(per_language: int, data: Path = DATA) -> list[tuple[str, str]]:
    known = {p.name for p in Path(PROFILES_DIRECTORY).iterdir()}
    out = []
    for path in sorted((data / "language" / "lingua-sentences" / "sentences").glob("*.txt")):
        code = path.stem
        if code not in known:
            continue
        lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        out += [(code, s) for s in lines[:per_language]]
    return out


def _probabilities(make, texts: list[str], cap: int) -> list:
    out = []
    for text in texts:
        detector = make()
        detector.set_max_text_length(cap)
        detector.append(text[: 2 * cap])  # as transforms/language.py slices it
        try:
            out.append([(p.lang, p.prob) for p in detector.get_probabilities()])
        except LangDetectException:
            out.append([])
    return out


def _top(probs: list) -> str:
    return probs[0][0] if probs else "und"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-language", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    articles = ["\n".join(a.paragraphs) for a in load_articles()]
    sentences = load_sentences(args.per_language)
    stock_factory, profiles = load_factory(0), Profiles.load()  # the same (sorted) language order
    detectors = {"langdetect Detector": lambda: Detector(stock_factory),
                 "FastDetector (ours)": lambda: FastDetector(profiles, 0)}
    reference = [_top(p) for p in _probabilities(detectors["FastDetector (ours)"], articles, 100_000)]
    print(f"{len(articles)} articles (mean {statistics.mean(map(len, articles)):.0f} chars), "
          f"{len(sentences)} sentences in {len({c for c, _ in sentences})} languages; CPU medians of {args.repeats}")
    print(f"{'detector':<20} | {'max_chars':>9} | {'articles/s':>10} | {'articles = whole text':>21} | "
          f"{'sentences/s':>11} | {'sentence accuracy':>17} | {'same probabilities':>18}")
    for cap in CAPS:
        results = {}
        for name, make in detectors.items():
            probs, secs = median_seconds(lambda: _probabilities(make, articles, cap), args.repeats, time.process_time)
            s_probs, s_secs = median_seconds(lambda: _probabilities(make, [s for _, s in sentences], cap), 1, time.process_time)
            results[name] = probs + s_probs
            agree = sum(_top(p) == r for p, r in zip(probs, reference))
            correct = sum(_top(p) == c for p, (c, _) in zip(s_probs, sentences))
            same = sum(a == b for a, b in zip(results[name], results["langdetect Detector"]))
            print(f"{name:<20} | {cap:>9} | {len(articles) / secs:>10.1f} | {agree:>5}/{len(articles)} = "
                  f"{agree / len(articles):6.2%} | {len(sentences) / s_secs:>11.1f} | {correct / len(sentences):>17.2%} | "
                  f"{same:>7}/{len(results[name])}")


if __name__ == "__main__":
    main()
