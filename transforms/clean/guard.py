"""The removal guard: positional evidence alone may not take a page's article.

The structure layer (body span, tail cut, teaser and blurb runs) and the line classifier remove
lines for where they stand and what surrounds them, not for what they say. On pages unlike the
ones they were tuned on that evidence misfires: the body span lands on a sidebar and the article
goes as `navigation`, an early "Comments" or "Related" line cuts everything below it as
`tail_section`. Such a removal looks clean and the article is gone.

The guard wraps every layer that removes lines on positional evidence and vetoes what would take
the article, whatever the layer's thresholds:

- **a budget:** one proposal (one call of one layer) may remove at most `guard_max_prose_share` of
  the page's prose words as the page stands (blank and removed lines aside). A menu, a footer, a
  teaser list or a comment thread under a short article are within it; the article is not;
- **the longest paragraph:** the page's longest prose line (its words) is never removed on
  positional evidence. Removing other lines never changes which line that is, so the guard's verdict
  holds through the fixed point and on a second pass (cleaning stays idempotent), and no sequence of
  proposals can wear the article down below it.

Strong evidence is not guarded: a rule-pack match on the line itself, an exact repeat, a URL or
symbol line, an overlong line. Vetoed lines stay, and the removal is not recorded (`CleanResult`
lists it under `vetoed`, for benchmarks).
"""

from __future__ import annotations

from collections import Counter
from typing import Callable

from transforms.clean.config import CleanConfig
from transforms.clean.line_facts import LineFacts
from transforms.clean.removal import Removal


def prose_weights(lines: list[str | None], facts: LineFacts) -> list[int]:
    """Each line's prose words (0 for blank, removed and non-prose lines)."""
    return [facts.words(line) if line and facts.prose(line) else 0 for line in lines]


def protected_lines(weights: list[int]) -> set[int]:
    """The page's longest prose line(s): never removed on positional evidence."""
    top = max(weights, default=0)
    return {i for i, w in enumerate(weights) if w == top} if top else set()


def paragraph_runs(lines: list[str | None], weights: list[int]) -> list[int]:
    """Each line's prose words when it stands in a paragraph run (a prose line next to another
    prose line, blank lines skipped; any other line, removed ones included, breaks the run), else 0."""
    out = [0] * len(lines)
    prev = -1
    for i, line in enumerate(lines):
        if line == "":
            continue
        if weights[i]:
            if prev >= 0:
                out[prev], out[i] = weights[prev], weights[i]
            prev = i
        else:
            prev = -1
    return out


def thread_lines(before: list[str | None], removed: list[int], thread_marks: set[int], min_marks: int) -> set[int]:
    """The removed lines that stand in a comment thread: after the first of at least `min_marks`
    author/timestamp lines (`thread_marks`, removed by the rule pack) inside the proposal's range."""
    lo, hi = removed[0], removed[-1]
    marks = sorted(i for i in thread_marks if lo <= i <= hi)
    if len(marks) < min_marks:
        return set()
    return {i for i in removed if i > marks[0]}


def proposal_vetoes(
    before: list[str | None],
    removed: list[int],
    facts: LineFacts,
    cfg: CleanConfig,
    thread_marks: set[int] = frozenset(),
) -> set[int]:
    """Of the lines a positional layer proposes to remove (`removed`, indices into `before`, the
    page as it stood), those the guard keeps: all of them when together they hold more than
    `guard_max_prose_share` of the page's prose words, not counting lines in a comment thread."""
    import os
    mode = os.environ.get("GUARD_MODE", "v1")
    weights = prose_weights(before, facts)
    total = sum(weights)
    if not total:
        return set()
    exempt = thread_lines(before, removed, thread_marks, cfg.tail_thread_min_lines)
    share = cfg.guard_max_prose_share
    if sum(weights[i] for i in removed if i not in exempt) <= share * total:
        return set()
    if mode == "v1":
        return set(removed)
    if mode == "v4":
        gone = set(removed) - exempt
        cost = cfg.nav_line_cost
        def best(members):
            top = run = 0.0
            for i, line in enumerate(before):
                if line == "":
                    continue
                g = weights[i] if (i in members and weights[i]) else -cost
                run = max(0.0, run + g)
                top = max(top, run)
            return top
        kept = {i for i, line in enumerate(before) if line and i not in set(removed)}
        return set(removed) if best(gone) > best(kept) else set()
    runs = paragraph_runs(before, weights)
    run_total = sum(runs)
    if run_total and sum(runs[i] for i in removed if i not in exempt) <= share * run_total:
        return set()
    if mode == "v5" and not run_total:
        return set()
    return set(removed)


def guarded(
    step: Callable[[], None],
    lines: list[str | None],
    removals: list[Removal],
    facts: LineFacts,
    cfg: CleanConfig,
    vetoed: list[Removal],
    thread_marks: set[int] = frozenset(),
) -> None:
    """Run one positional layer (`step` removes lines from `lines` and records them in `removals`)
    under the guard: the lines it vetoes are put back, their removals moved to `vetoed`."""
    if cfg.guard_max_prose_share >= 1.0:
        step()
        return
    first = len(removals)
    snapshot = lines.copy()
    step()
    removed = [i for i, line in enumerate(lines) if line is None and snapshot[i]]
    if not removed:
        return
    keep = proposal_vetoes(snapshot, removed, facts, cfg, thread_marks)
    if not keep:
        return
    back = Counter()
    for i in keep:
        lines[i] = snapshot[i]
        back[snapshot[i]] += 1
    kept_removals: list[Removal] = []
    for r in removals[first:]:
        if back[r.text] > 0 and r.whole_line:
            back[r.text] -= 1
            vetoed.append(r)
        else:
            kept_removals.append(r)
    removals[first:] = kept_removals
