"""The script fallback and the full-width fold (transforms/language_scripts.py): accuracy per
language before and after, the answers they change, and their cost per article.

`python -m benchmarks.language_scripts [--per-language 1000] [--repeats 5]`

- Sentences: ../shared/data/language/lingua-sentences, the first N of each of its 75 languages.
  "before" is `LanguageDetector(script_fallback=False)` (langdetect alone, as the stage was),
  "after" the default; a sentence is right when the answer is its file's code (`zh`: zh-cn or
  zh-tw, langdetect's two Chinese codes; `nb`: langdetect's `no`). The languages are grouped:
  langdetect's (a profile), the fallback's (its script names them: ka, hy), and the rest (no
  profile and a script shared with langdetect's languages: out of reach of both).
- "script share": the share of a sentence's letters in the fallback's scripts (`script_share`):
  the lowest in the fallback's languages, the highest in all the others; the fallback answers at
  `MIN_SHARE` and above.
- Full width: the first --full-width sentences of each Latin-script language langdetect knows,
  their ASCII letters and digits typed in full-width forms (ＡＢＣ, as pages from CJK sites do).
- Articles: the ground-truth bodies of ../shared/data/extraction (as benchmarks/language_speed.py);
  CPU per article of `probabilities()` before and after, medians of --repeats, and the articles
  whose answer changed.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from benchmarks.corpus import load_articles
from benchmarks.data import DATA
from benchmarks.timing import median_seconds
from transforms.fast_langdetect import profile_names
from transforms.language import UNDETERMINED, LanguageDetector
from transforms.language_scripts import (
    LANGUAGES,
    MIN_SHARE,
    fold_fullwidth,
    script_share,
)

# lingua's code -> the answers that are right for it
ANSWERS = {"zh": {"zh-cn", "zh-tw"}, "nb": {"no"}}


def load_lingua(per_language: int, data: Path = DATA) -> dict[str, list[str]]:
    out = {}
    for path in sorted((data / "language" / "lingua-sentences" / "sentences").glob("*.txt")):
        lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        out[path.stem] = lines[:per_language]
    return out


def _top(detector: LanguageDetector, text: str) -> str:
    probs = detector.probabilities(text)
    return probs[0][0] if probs else UNDETERMINED


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-language", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--full-width", type=int, default=100, help="sentences per language typed in full-width forms")
    args = ap.parse_args()
    before, after = LanguageDetector(script_fallback=False), LanguageDetector(script_fallback=True)
    profiles = set(profile_names())
    lingua = load_lingua(args.per_language)
    groups: dict[str, list[str]] = {"langdetect's": [], "the fallback's": [], "no profile, shared script": []}
    for code in lingua:
        if code in profiles or code in ANSWERS:
            groups["langdetect's"].append(code)
        elif code in LANGUAGES:
            groups["the fallback's"].append(code)
        else:
            groups["no profile, shared script"].append(code)

    print(f"lingua sentences, the first {args.per_language} of each language; fallback at script share >= {MIN_SHARE}")
    print(f"{'lang':<6} | {'n':>5} | {'before':>7} | {'after':>7} | {'changed':>7} | {'script share':>12} | top answers after")
    changed_examples = []
    for group, codes in groups.items():
        right_b = right_a = total = changed_n = 0
        print(f"-- {group} languages ({len(codes)})")
        for code in codes:
            right = ANSWERS.get(code, {code})
            sentences = lingua[code]
            answers_b = [_top(before, s) for s in sentences]
            answers_a = [_top(after, s) for s in sentences]
            shares = [script_share(s)[1] for s in sentences]
            rb = sum(a in right for a in answers_b)
            ra = sum(a in right for a in answers_a)
            ch = sum(a != b for a, b in zip(answers_a, answers_b))
            changed_examples += [(code, b, a, s) for a, b, s in zip(answers_a, answers_b, sentences) if a != b
                                 and group == "langdetect's"]
            share = min(shares) if code in LANGUAGES else max(shares)
            top = ", ".join(f"{c} {n}" for c, n in Counter(answers_a).most_common(3))
            if ch:
                top += "  (before: " + ", ".join(f"{c} {n}" for c, n in Counter(answers_b).most_common(3)) + ")"
            print(f"{code:<6} | {len(sentences):>5} | {rb / len(sentences):>7.2%} | {ra / len(sentences):>7.2%} | "
                  f"{ch:>7} | {('min ' if code in LANGUAGES else 'max ') + f'{share:.3f}':>12} | {top}")
            right_b, right_a, total, changed_n = right_b + rb, right_a + ra, total + len(sentences), changed_n + ch
        print(f"{'all':<6} | {total:>5} | {right_b / total:>7.2%} | {right_a / total:>7.2%} | {changed_n:>7} |")
    for code, b, a, s in changed_examples[:20]:
        print(f"changed in {code}: {b} -> {a}: {s[:100]!r}")
    fullwidth = sum(fold_fullwidth(s) != s for codes in groups.values() for c in codes for s in lingua[c])
    print(f"sentences with full-width letters or digits (folded): {fullwidth}")

    # The same sentences typed in full-width forms (ASCII letters and digits -> U+FF21.., as in
    # pages from CJK sites), in the languages langdetect knows that write ASCII letters.
    widen = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}
    latin = [c for c in groups["langdetect's"] if sum(ch.isascii() and ch.isalpha() for s in lingua[c][:50] for ch in s)
             > 0.5 * sum(ch.isalpha() for s in lingua[c][:50] for ch in s)]
    wide = [(c, "".join(widen.get(ch, ch) for ch in s)) for c in latin for s in lingua[c][:args.full_width]]
    right = [sum(_top(d, s) in ANSWERS.get(c, {c}) for c, s in wide) for d in (before, after)]
    plain = sum(_top(after, s) in ANSWERS.get(c, {c}) for c in latin for s in lingua[c][:args.full_width])
    print(f"full-width copies of {len(wide)} sentences (of {len(latin)} Latin-script languages): "
          f"accuracy before {right[0] / len(wide):.2%}, after {right[1] / len(wide):.2%} (the sentences as written: {plain / len(wide):.2%})")

    articles = ["\n".join(a.paragraphs) for a in load_articles()]
    print(f"\n{len(articles)} articles (ground truth of ../shared/data/extraction); CPU medians of {args.repeats}")
    results = {}
    for name, detector in (("before", before), ("after", after)):
        answers, secs = median_seconds(lambda d=detector: [_top(d, a) for a in articles], args.repeats, time.process_time)
        results[name] = answers
        print(f"{name:<7} {secs / len(articles) * 1e3:.3f} ms CPU per article")
    _, secs = median_seconds(lambda: [script_share(a[:1000]) for a in articles], args.repeats, time.process_time)
    print(f"script check alone (first 1,000 characters) {secs / len(articles) * 1e6:.1f} us per article")
    changed = [(b, a) for b, a in zip(results["before"], results["after"]) if a != b]
    print(f"articles whose answer changed: {len(changed)} {Counter(changed).most_common(5)}")


if __name__ == "__main__":
    main()
