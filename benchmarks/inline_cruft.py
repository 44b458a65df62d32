"""Inline cruft between article paragraphs: which furniture lines survive cleaning, which
look-alike sentences are cut.

Each line of `benchmarks/data/inline_cruft_lines.txt` (furniture in English, German, French,
Spanish, Italian, Portuguese, Dutch and Polish, written in forms the dev pages did not show, and sentences
that use the same words) is put between the second and third of four paragraphs of a news article
and cleaned with the default config (`transforms.clean_text`, the library call other projects
use). A furniture line survives when it is still in the output; a look-alike is cut when it is not.
Either way the four paragraphs must come through whole.

The batches of inline_cruft_lines.txt are also layer 2c's training rows
(benchmarks/train_furniture_lines.py), so its figure here is in sample for that layer.
`benchmarks/data/inline_cruft_heldout.txt` holds three more batches, each written by someone who had
read none of the project, kept unread and never trained on: `--lines` it to measure cleaning on
furniture nobody has written a rule for nor trained on (the rate to quote for unseen furniture).

Run from the repo root:  python -m benchmarks.inline_cruft [--show] [--lines FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from transforms import clean_text  # noqa: E402

LINES = REPO / "benchmarks" / "data" / "inline_cruft_lines.txt"
ARTICLE = (
    "The city council voted on Tuesday to extend the downtown bus network by three routes, a decision that officials said would cut commuting times for thousands of residents in the eastern districts.",
    "Transit director Maria Lopez told reporters that the new routes would begin running in September, once the agency has hired and trained about forty additional drivers for the expanded service.",
    "Critics on the council argued that the plan does little for the northern suburbs, where residents have long complained about infrequent service and crowded buses during the morning rush.",
    "The agency expects ridership to grow by about eight percent over the next two years, according to a report presented at the meeting, and will review the routes again next spring.",
)  # fmt: skip


def read_lines(path: Path = LINES) -> list[tuple[str, str]]:
    """(tag, line) pairs: tag is cruft, choice or keep."""
    pairs = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            tag, line = raw.split(None, 1)
            pairs.append((tag, line.strip()))
    return pairs


def cleaned_in_article(line: str) -> tuple[bool, bool]:
    """Whether `line` is still there, and whether every article paragraph is, after cleaning."""
    out = clean_text("\n".join(ARTICLE[:2] + (line,) + ARTICLE[2:]))
    kept = set(out.split("\n"))
    return line in kept, all(p in kept for p in ARTICLE)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true", help="list every line that came out wrong")
    ap.add_argument("--lines", type=Path, default=LINES, help="the tagged lines (default: the read batches)")
    args = ap.parse_args(argv)
    tally = {tag: [0, 0] for tag in ("cruft", "choice", "keep")}  # tag -> [wrong, of]
    article_cut = 0
    for tag, line in read_lines(args.lines):
        there, article_whole = cleaned_in_article(line)
        wrong = there if tag == "cruft" else not there if tag == "keep" else False
        tally[tag][0] += wrong
        tally[tag][1] += 1
        article_cut += not article_whole
        if args.show and (wrong or not article_whole):
            print(f"  {tag:6s} {'kept' if there else 'cut '}{'' if article_whole else ' (ARTICLE CUT)'}: {line}")
    print(f"furniture lines surviving: {tally['cruft'][0]} of {tally['cruft'][1]}")
    print(f"furniture left in by choice: {tally['choice'][1]}")
    print(f"look-alike sentences cut: {tally['keep'][0]} of {tally['keep'][1]}")
    print(f"articles losing a paragraph: {article_cut} of {sum(n for _, n in tally.values())}")


if __name__ == "__main__":
    main()
