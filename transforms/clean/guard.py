"""The removal guard: positional evidence alone may not take a page's article.

The structure layer (body span, tail cut, teaser and blurb runs) and the line classifier remove
lines for where they stand and what surrounds them, not for what they say. On pages unlike the
ones they were tuned on that evidence misfires: the body span lands on a sidebar and the article
goes as `navigation`, an early "Comments" or "Related" line cuts everything below it as
`tail_section`. Such a removal looks clean and the article is gone.

The guard wraps every layer that removes lines on positional evidence (`navigation` and
`outside_body`, `tail_section`, `teaser_run` and `blurb_run`, the classifier) and refuses a
proposal (one call of one layer) that would take the article, whatever the layer's thresholds: one
that removes more than `guard_max_prose_share` (half) of the page's prose words **and** of the
prose in its paragraph runs (prose lines in a row), as the page stands. Article text comes in
paragraphs in a row; a menu has no prose, and a teaser list, a quote gallery or a footer has its
prose one line at a time, so their removal stays within the budget however long they are. A
comment thread's lines (after two or more author/timestamp lines the rule pack named) are not
counted: the thread's own lines are its evidence. A refused proposal is undone whole.

The page's budget (`Budget`) holds the same bound for all of a page's positional proposals
together: an accepted proposal is checked again, with everything the earlier accepted ones took,
against the page as it stood before the first of them. Otherwise one layer after another, each
within its share of what the last one left, could whittle the article down.

Evidence on the line itself is not guarded: a rule-pack match, an exact repeat, a glued teaser, a
URL or symbol line, an overlong line. Each proposal is judged on the page as it stands and the
budget on the page before the positional layers, both of which a second pass over the output
sees as its own page; on clean text nothing is positional (the gate below) and cleaning is
idempotent (hypothesis tests), on page text a second pass can still find more (docs/cleaning.md
has the count). Refused removals are not recorded on the record; `CleanResult.vetoed` lists them.

The chrome gate comes first (`shows_chrome`): a page that shows no chrome at all, no line the
rule pack names and no menu above its first paragraph, is clean text (an article body a user
already extracted, a plain-text dump, mail), and on it nothing is evidence by place or repeat:
a list is the article's list, a repeated line its refrain. Scraped page text nearly always shows
one or the other and clean article text nearly never does (docs/cleaning.md has the counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Collection

from transforms.clean.config import CleanConfig
from transforms.clean.line_facts import LineFacts
from transforms.clean.removal import Removal


def shows_chrome(lines: list[str | None], by_pack: Collection[int], facts: LineFacts, cfg: CleanConfig) -> bool:
    """Whether the page shows page furniture: `chrome_min_lines` lines the rule pack removed whole
    (`by_pack`), or a head menu: `chrome_head_menu` lines of at most `chrome_menu_max_words` words
    before the first prose line (lines already removed are skipped, so a second pass over the
    output, its menu and named cruft gone, sees a clean page). chrome_min_lines 0: always."""
    if not cfg.chrome_min_lines or len(by_pack) >= cfg.chrome_min_lines:
        return True
    menu = 0
    for line in lines:
        if not line:
            continue
        if facts.prose(line):
            return False
        if facts.words(line) <= cfg.chrome_menu_max_words:
            menu += 1
            if menu >= cfg.chrome_head_menu:
                return True
    return False


def prose_weights(lines: list[str | None], facts: LineFacts) -> list[int]:
    """Each line's prose words (0 for blank, removed and non-prose lines)."""
    return [facts.words(line) if line and facts.prose(line) else 0 for line in lines]


def paragraph_runs(lines: list[str | None], weights: list[int]) -> list[int]:
    """Each line's prose words when it stands in a paragraph run (a prose line next to another
    prose line, blank lines skipped; any other line, a removed one included, breaks the run), else 0."""
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


def longest_run(lines: list[str | None], runs: list[int]) -> int:
    """The prose words of the page's longest paragraph run (`runs`: `paragraph_runs`)."""
    best = total = 0
    for i, line in enumerate(lines):
        if line == "":
            continue
        total = total + runs[i] if runs[i] else 0
        best = max(best, total)
    return best


def thread_lines(removed: list[int], thread_marks: Collection[int], min_marks: int) -> set[int]:
    """The proposed lines that stand in a comment thread: after the first of at least `min_marks`
    author/timestamp lines (`thread_marks`: lines the rule pack removed as such) in the proposal's range."""
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
    thread_marks: Collection[int] = (),
    listing: bool = True,
) -> bool:
    """Whether the guard refuses a positional layer's proposal (`removed`: indices into `before`,
    the page as it stood): the lines it would remove hold more than `guard_max_prose_share` of the
    page's prose words and of the prose in its paragraph runs. A page without paragraph runs, or
    whose longest run holds fewer than `guard_listing_max_run` prose words, has no article body:
    it is a listing (a catalogue, a link directory, a gallery, a product or service page of
    blurbs), and with `listing` the proposal may take at most that share of the words in its item
    lines (lines of `guard_listing_words`+ words; menus' labels are shorter), when it has at least
    `guard_listing_min_items` of them; with fewer, its paragraph runs are protected as an
    article's. Lines of a comment thread (`thread_lines`) are not counted."""
    weights = prose_weights(before, facts)
    total = sum(weights)
    counted = [i for i in removed if i not in thread_lines(removed, thread_marks, cfg.tail_thread_min_lines)]
    share = cfg.guard_max_prose_share
    runs = paragraph_runs(before, weights) if total else []
    run_total = sum(runs)
    if listing and cfg.guard_listing_words and (not run_total or longest_run(before, runs) < cfg.guard_listing_max_run):
        items = [n if n >= cfg.guard_listing_words else 0 for n in (facts.words(line) if line else 0 for line in before)]
        if sum(map(bool, items)) >= cfg.guard_listing_min_items:  # a one-paragraph story and a tag cloud are no listing
            return sum(items[i] for i in counted) > share * sum(items)
    if not run_total:
        return False
    if sum(weights[i] for i in counted) <= share * total:
        return False
    return sum(runs[i] for i in counted) > share * run_total


@dataclass
class Budget:
    """What the positional layers of one page may take together: `base` is the page before the
    first of them (after the rule pack and the noise lines), `taken` the lines of `base` their
    accepted proposals removed so far."""

    base: list[str | None]
    taken: set[int] = field(default_factory=set)


def guarded(
    step: Callable[[], None],
    lines: list[str | None],
    removals: list[Removal],
    facts: LineFacts,
    cfg: CleanConfig,
    vetoed: list[Removal],
    thread_marks: Collection[int] = (),
    listing: bool = True,
    budget: Budget | None = None,
) -> bool:
    """Run one positional layer (`step` removes lines from `lines` and records them in `removals`)
    under the guard: a vetoed proposal is undone whole (its lines back, its removals moved to
    `vetoed`). `thread_marks`: the lines the rule pack removed as comment authors/timestamps.
    `listing=False` for the tail cut: a header the rule pack named ("You may also like",
    "Comments") ends a listing too. With a `budget`, the proposal is also vetoed when, with what
    the page's earlier positional proposals took, it would take the article of the page as it
    stood before them (`budget.base`): one layer after another, each within the share of what
    the last one left, would otherwise whittle the article down. Returns False when the
    proposal was refused, True when it stands."""
    if cfg.guard_max_prose_share >= 1.0:
        step()
        return True
    snapshot, before = lines.copy(), removals.copy()
    step()
    removed = [i for i, line in enumerate(lines) if line is None and snapshot[i]]
    if not removed:
        return True
    veto = proposal_vetoes(snapshot, removed, facts, cfg, thread_marks, listing)
    if not veto and budget is not None:
        # (a layer may give lines back too: the classifier)
        taken = {i for i in budget.taken if lines[i] is None} | {i for i in removed if budget.base[i]}
        veto = proposal_vetoes(budget.base, sorted(taken), facts, cfg, thread_marks, listing)
        if not veto:
            budget.taken = taken
    if veto:
        # undone whole, removals too (a layer may also give back lines others removed: the classifier)
        kept_before = set(before)
        new = [r for r in removals if r not in kept_before]
        lines[:] = snapshot
        removals[:] = before
        # the fixed point asks again each round: list each refused removal once (looked up in a
        # set: a scan of the list for each removal took the square of a page's refused lines)
        listed = set(vetoed)
        for r in new:
            if r not in listed:
                listed.add(r)
                vetoed.append(r)
    return not veto
