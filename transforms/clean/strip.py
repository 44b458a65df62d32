"""The layers in order (`strip_cruft`) and the library API (`clean_text`)."""

from __future__ import annotations

import threading
from typing import Callable

from transforms.clean.body import drop_navigation, headline_anchors
from transforms.clean.classifier import give_back_only, relabel_by_classifier
from transforms.clean.code_blocks import code_block_runs, may_hold_code, restore_indentation
from transforms.clean.config import (
    NAVIGATION,
    OVERLONG_LINE,
    REPEATED_LINE,
    REPEATED_TITLE,
    SYMBOL_LINE,
    TAIL_SECTION,
    TEASER_RUN,
    CleanConfig,
)
from transforms.clean.furniture import drop_furniture_lines
from transforms.clean.guard import Budget, guarded, shows_chrome
from transforms.clean.layout import paragraph_units, text_lines
from transforms.clean.line_facts import LineFacts, normalize_line
from transforms.clean.removal import CleanResult, Removal
from transforms.clean.repeats import drop_merged_copies, drop_repeated_lines
from transforms.clean.rule_pack import RulePack, load_rule_pack
from transforms.clean.tables import drop_noise_lines, table_lines
from transforms.clean.tails import cut_tail, drop_glued_teasers, drop_teaser_runs
from transforms.clean.titles import drop_title_copies, infer_title
from transforms.furniture_lines import FURNITURE, FurnitureModel, load_furniture_model
from transforms.library_args import require_str
from transforms.line_classifier import (
    CLASSIFIER,
    LineModel,
    load_line_model,
)


def strip_cruft(
    text: str,
    pack: RulePack,
    cfg: CleanConfig = CleanConfig(),
    title: str = "",
    model: LineModel | None = None,
    url: str = "",
    furniture: FurnitureModel | None = None,
) -> CleanResult:
    """Remove cruft lines and sentences from `text`; `title` is the page's title when known.
    `model` is the line classifier (layer 2b), `furniture` the furniture-lines model (layer 2c);
    without one, its layer is skipped."""
    removals: list[Removal] = []
    lines: list[str | None] = []  # None marks a removed line; "" a blank one
    pack_codes: dict[int, str] = {}  # line index -> the pack rule that removed the whole line
    units = pack_units(text, pack, cfg)
    raw_lines = [line for line, _, _ in units]
    # code blocks are found on the lines as written (their indentation), which are the units
    # unless a hard wrap's pieces were joined into paragraphs
    written = text_lines(text) if cfg.code_blocks and may_hold_code(text) else []
    block_runs = code_block_runs(written) if len(written) == len(units) else []
    blocks = {i for run in block_runs for i in run}
    for line, kept, removed in units:
        if not line:
            lines.append("")
            continue
        if len(line) > cfg.max_line_chars:
            removals.append(Removal(OVERLONG_LINE, line, True))
            lines.append(None)
            continue
        removals.extend(removed)
        if removed and not kept:
            pack_codes[len(lines)] = removed[-1].rule
        lines.append(kept or None)

    by_pack = {i for i, line in enumerate(lines) if line is None}  # lines the rule pack removed
    pack_lines, first_structural = list(lines), len(removals)  # what the classifier starts from
    anchors = headline_anchors(raw_lines, url, cfg) if url and cfg.anchor_window else ()
    given = title.strip()
    title = given or infer_title(lines)
    title_key = normalize_line(title)
    stats_cache: dict[str, list[float]] = {}  # the classifier's per-line statistics, this document only
    facts = LineFacts(cfg)
    # a table's rows and cells, found once on the page the rule pack left: no structural layer
    # removes them, so a second pass sees the same tables (a cell removed would change a table's
    # shape, and its figures would go as symbol lines the next time)
    # (none of their readers runs on extracted text: `clean.skip_after_extraction`)
    readers = (SYMBOL_LINE, NAVIGATION, REPEATED_TITLE, REPEATED_LINE)
    tables = table_lines(lines, cfg, facts) if any(code not in cfg.disabled_rules for code in readers) else set()
    # Noise and navigation go first, so the title search below sees the same page head on a
    # second pass (idempotence); navigation also goes before repeated lines: a headline listed in
    # the menu and then heading the article must lose its menu copy, not its article copy.
    spared = tables | blocks if blocks else tables  # a table's cells and a code block's lines repeat
    drop_noise_lines(lines, cfg, removals, tables, blocks)
    # place and repetition are evidence only on a page that shows chrome (guard.shows_chrome)
    positional = shows_chrome(lines, by_pack, facts, cfg)
    budget = Budget(list(lines))  # what the positional layers may take together
    vetoed: list[Removal] = []  # positional removals the guard refused (transforms/clean/guard.py)
    thread_marks = {i for i, code in pack_codes.items() if code in cfg.tail_thread_lines}
    if positional and TAIL_SECTION not in cfg.disabled_rules:
        guarded(lambda: cut_tail(lines, cfg, removals, pack_codes, facts), lines, removals, facts, cfg, vetoed, thread_marks, listing=False, budget=budget)
    # Each structural removal can change what the others see (a menu gone moves the title's
    # copy into the page head; a copy gone shrinks the body span), so they run to a fixed point:
    # cleaning stays idempotent. Every round but the last removes a line, so it terminates;
    # in practice it takes two rounds.
    while True:
        before = len(removals)
        if positional and cfg.trim_navigation and NAVIGATION not in cfg.disabled_rules:
            guarded(lambda: drop_navigation(lines, cfg, removals, by_pack, anchors, facts, tables), lines, removals, facts, cfg, vetoed, thread_marks, budget=budget)
        if positional and TEASER_RUN not in cfg.disabled_rules:
            guarded(lambda: drop_teaser_runs(lines, cfg, removals, facts), lines, removals, facts, cfg, vetoed, thread_marks, budget=budget)
        if cfg.glued_teaser_min_units and TEASER_RUN not in cfg.disabled_rules:
            drop_glued_teasers(lines, cfg, removals, facts)  # evidence on each line: not guarded
        if REPEATED_TITLE not in cfg.disabled_rules and title:
            drop_title_copies(lines, title_key, cfg.title_lookahead, removals, facts, tables)
            if not given and (head := normalize_line(infer_title(lines))) and head != title_key:
                # the inferred title is the first line the rule pack left; when a later layer
                # removed it (the site's name in a menu), a second pass over the output infers the
                # first line left instead and removes that line's copies: so does this pass
                drop_title_copies(lines, head, cfg.title_lookahead, removals, facts, tables)
        if REPEATED_LINE not in cfg.disabled_rules:
            if positional:  # a repeated line is a menu's copy on a page with chrome, a refrain in clean text
                drop_repeated_lines(lines, cfg.repeated_line_min_chars, removals, facts, spared)
            if cfg.merged_copy_min_sentences:
                drop_merged_copies(lines, cfg, removals)  # the article twice: evidence on the line
        if len(removals) == before:
            break
    # the classifier relabels every line the rule pack kept, with what structure settled on as
    # evidence; under the guard like every positional layer
    if positional and model is not None and cfg.classifier and CLASSIFIER not in cfg.disabled_rules:
        def relabel(c: CleanConfig) -> Callable[[], None]:
            return lambda: relabel_by_classifier(pack_lines, lines, removals, first_structural, c, model, title_key, facts, stats_cache)

        if not guarded(relabel(cfg), lines, removals, facts, cfg, vetoed, thread_marks, budget=budget):
            # refused whole for what it removed; what it gave back takes nothing from the page
            # (an article the body span put outside it, among furniture the trees would remove
            # too eagerly): the give-backs alone, the same scores and bars
            relabel(give_back_only(cfg))()
    # last, on what every other layer kept: evidence on each line, not its place, so on clean text too
    if furniture is not None and cfg.furniture and FURNITURE not in cfg.disabled_rules:
        drop_furniture_lines(lines, furniture, cfg, title_key, facts, removals, alone_only=positional)
    if blocks:
        restore_indentation(lines, written, blocks, block_runs)
    return CleanResult(text=join_lines(lines), title=title, removals=tuple(removals), vetoed=tuple(vetoed))


def pack_units(text: str, pack: RulePack, cfg: CleanConfig) -> list[tuple[str, str, list[Removal]]]:
    """The units layers 1 and 2 judge, each with the rule pack's verdict: (unit, what stays of it,
    what went). The units are paragraphs: a hard-wrapped paragraph's pieces are joined into one
    line (transforms/clean/layout.py); lines a line rule of the pack removes whole are left out of
    that judgement (a second pass, without them, must see the same layout). A blank unit is
    ("", "", []); a unit over `max_line_chars` is not matched (unit, unit, []): it goes whole."""
    stripped = [raw.strip() for raw in text_lines(text)]
    # each distinct line and unit judged once: a page repeats its menus, bylines and buttons
    line_rules = {line: pack.line_rule(line) for line in dict.fromkeys(stripped) if line and len(line) <= cfg.max_line_chars}
    named = {i for i, line in enumerate(stripped) if line_rules.get(line) is not None}
    out: list[tuple[str, str, list[Removal]]] = []
    verdicts: dict[str, tuple[str, list[Removal]]] = {}
    for unit in paragraph_units(stripped, named=named, max_chars=cfg.max_line_chars):
        if not unit or len(unit) > cfg.max_line_chars:
            out.append((unit, unit, []))
            continue
        verdict = verdicts.get(unit)
        if verdict is None:
            verdict = verdicts[unit] = pack.verdict(unit, line_rules[unit]) if unit in line_rules else pack.verdict(unit)
        out.append((unit, *verdict))
    return out


def join_lines(lines: list[str | None]) -> str:
    """Join the kept lines (removed ones are None), keeping paragraph breaks, at most one in a row."""
    out: list[str] = []
    for line in lines:
        if line is None:
            continue
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def load_model(cfg: CleanConfig) -> LineModel | None:
    """The line classifier `cfg` asks for (its weights file, or the bundled trees), None when off."""
    if not cfg.classifier or CLASSIFIER in cfg.disabled_rules:
        return None
    return load_line_model(cfg.classifier_weights)


def load_furniture(cfg: CleanConfig) -> FurnitureModel | None:
    """The furniture-lines model `cfg` asks for (its file, or the bundled one), None when off."""
    if not cfg.furniture or FURNITURE in cfg.disabled_rules:
        return None
    return load_furniture_model(cfg.furniture_weights)


_default_pack: RulePack | None = None
_default_model: LineModel | None = None
_default_furniture: FurnitureModel | None = None
_default_lock = threading.Lock()


def _bundled() -> tuple[RulePack, LineModel | None, FurnitureModel | None]:
    # Library convenience only: the Beam stage builds its own pack (and models) in DoFn.setup().
    global _default_pack, _default_model, _default_furniture
    with _default_lock:
        if _default_pack is None:
            cfg = CleanConfig()
            _default_pack, _default_model, _default_furniture = load_rule_pack(), load_model(cfg), load_furniture(cfg)
        return _default_pack, _default_model, _default_furniture


def clean_text(text: str, title: str = "", url: str = "") -> str:
    """Library API: `text` cleaned with the default config (rule pack, structure layers and, when
    the default config has it on, the line classifier). `url`, when known, anchors the body at
    the headline its slug names."""
    for name, value in (("text", text), ("title", title), ("url", url)):
        require_str("clean_text", name, value)
    pack, model, furniture = _bundled()
    return strip_cruft(text, pack, CleanConfig(), title, model=model, url=url, furniture=furniture).text
