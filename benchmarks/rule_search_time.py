"""How long each rule of a pack takes to search one line of its own `max_chars`, at worst.

A rule's cost on one line is bounded by its `max_chars`, but a page holds up to `clean.max_lines`
lines: before hostile round 8 (docs/cleaning.md) qa_widget spent 3 ms on a 300-digit line (2,000 of
them took 3.8 s in `clean_text`) and dateline 1 ms on an 80-character line of spaces, where a rule
takes some microseconds on a line of text. For every rule, lines of its `max_chars` are built from
20 fills (digits, letters, spaces, punctuation) with none, one or two of the rule's own words before
and after them, and each is searched three times; the best of the three is the line's CPU time
(other processes on a busy host do not count). Prints the slowest rules and exits 1 when one takes
more than `--limit` milliseconds on a line.

  python -m benchmarks.rule_search_time [--pack PATH] [--limit 0.6] [--show 10]

`--check` tries the pack check's promise instead: a user pattern whose loops can share a line out
in many ways (`.*,.*,.*x$`) is refused when a failed search of a line of its rule's `max_chars`
could take more than MAX_SEARCH_STEPS (transforms/rule_safety.py, about 0.1 s). For patterns of
degree 1 to 4, anchored or not, with bounded repeats and lookaheads, it finds the largest
`max_chars` the check passes and times the search on the line that makes every split fail there.
Exits 1 when one takes more than --check-limit seconds.

  python -m benchmarks.rule_search_time --check [--check-limit 0.5]
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import time

from transforms.clean import load_rule_pack

FILLS = ["1", "1 ", "a", "a ", "Ab ", ",", ".", "-", " ", "'", ":", "1,", "1.", "a.", "k", "|", "» ", "(", "1:1 ", "@"]


def search_seconds(rule, line: str) -> float:
    started = time.process_time()
    rule.search(line)
    return time.process_time() - started


def worst_lines(rule) -> list[tuple[float, str]]:
    """(best-of-three CPU seconds, line) for each adversarial line built for `rule`."""
    words = sorted({w.lower() for p in rule.patterns for w in re.findall(r"[a-zA-Z]{3,}", p.pattern)})[:12]
    heads = ["", *(w + " " for w in words[:3])]
    out = []
    for fill, head, tail in itertools.product(FILLS, heads, ["", *(" " + w for w in words)]):
        line = head + (fill * rule.max_chars)[: max(0, rule.max_chars - len(head) - len(tail))] + tail
        out.append((min(search_seconds(rule, line) for _ in range(3)), line))
    return out


# (pattern, the character its loops all read): a line of that character never matches, so the
# search tries every way the loops can split it, from every start
POLYNOMIAL = [
    (r".*,.*x$", ","), (r"^.*,.*,.*x$", ","), (r".*,.*,.*x$", ","), (r"^.*,.*,.*,.*x$", ","),
    (r".*,.*,.*,.*x$", ","), (r"^.*,.*,.*,.*,.*x$", ","), (r"\s*\s*x$", " "), (r"\s*\s*\s*x$", " "),
    (r"^\s*\s*\s*\s*x$", " "), (r"\s{0,60}\s{0,60}\s{0,60}\s{0,60}x", " "), (r"[^.]{0,90}[^!]{0,90}[^?]*x$", "a"),
    (r"(?=.*,.*,.*x)z", ","), (r"\w+\w+\w+!", "a"), (r"(\d+ )?\d*\d*\d*x$", "1"),
]


def check_promise(limit: float) -> int:
    """Time each POLYNOMIAL pattern at the largest max_chars the pack check passes; 1 if one is
    slower than `limit` seconds."""
    from transforms.clean.rule_pack import MAX_RULE_CHARS
    from transforms.rule_safety import longest_line, search_steps

    slow = 0
    print(f"{'pattern':<40} {'max_chars':>9} {'est. steps':>11} {'CPU s':>7}")
    for source, fill in POLYNOMIAL:
        pattern = re.compile(source, re.IGNORECASE)
        low = longest_line(pattern, MAX_RULE_CHARS)  # the longest the check passes: it refuses past it
        seconds = min(search_seconds(pattern, fill * low) for _ in range(3))
        slow += seconds > limit
        print(f"{source:<40} {low:>9} {search_steps(pattern, low):>11.1e} {seconds:>7.3f}")
    print(f"{len(POLYNOMIAL)} patterns at the longest line the check allows; over {limit} s: {slow}")
    return 1 if slow else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pack", default="", help="a rule pack ('': the bundled default)")
    ap.add_argument("--limit", type=float, default=0.6, help="milliseconds a rule may take on one line")
    ap.add_argument("--show", type=int, default=10, help="rules shown, slowest first")
    ap.add_argument("--check", action="store_true", help="time the pack check's promise on polynomial patterns instead")
    ap.add_argument("--check-limit", type=float, default=0.5, help="seconds a pattern the check passes may take on a line")
    args = ap.parse_args()
    if args.check:
        sys.exit(check_promise(args.check_limit))
    pack = load_rule_pack(args.pack)
    slowest = []
    for rule in pack.rules:
        seconds, line = max(worst_lines(rule))
        slowest.append((seconds, rule.code, rule.max_chars, line))
    slowest.sort(reverse=True)
    print(f"{'rule':<22} {'max_chars':>9} {'worst ms':>9}  line")
    for seconds, code, max_chars, line in slowest[: args.show]:
        print(f"{code:<22} {max_chars:>9} {seconds * 1000:>9.3f}  {line[:50]!r}")
    over = [code for seconds, code, _, _ in slowest if seconds * 1000 > args.limit]
    print(f"{len(pack.rules)} rules; over {args.limit} ms on a line: {len(over)} {over}")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
