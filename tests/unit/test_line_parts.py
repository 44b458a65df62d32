"""A short line's parts (transforms/clean/line_parts.py): furniture found under its decoration, its
stamps and its bars, and nothing made cruft by a decoration or a stamp alone."""

from __future__ import annotations

import time

import pytest

from transforms.clean import RulePackError, apply_rules, clean_text, parse_rule_pack
from transforms.clean.line_parts import MAX_CHARS, furniture_head, is_stamp, parts, undecorated, without_bracketed_stamps
from transforms.clean.rule_pack import RulePack, matching_line_rule


@pytest.mark.parametrize(
    "line,core",
    [
        ("➡️ Read more: X", "Read more: X"),
        ("💬 47 comments", "47 comments"),
        ("— ADVERTISEMENT —", "ADVERTISEMENT"),
        ("↑ Back to top", "Back to top"),
        ("» Leggi anche: X", "Leggi anche: X"),
        # a dash opening a line without one closing it is a quote's attribution or a list item
        ("—Jessica Brandt, Senior Editor", "—Jessica Brandt, Senior Editor"),
        ("- Share on Facebook", "- Share on Facebook"),
        # signs a name carries, a required field's star, quotes and brackets stay
        ("By Latitude Home®", "By Latitude Home®"),
        ("PIN *", "PIN *"),
        ("«Partagez cet article»", "«Partagez cet article»"),
        ("»Teilen«", "»Teilen«"),  # German quotation marks: no space after the opening one
        ("(12)", "(12)"),
        ("🎧🎧", ""),
    ],
)
def test_undecorated_strips_only_symbols_dashes_and_bullets_at_the_ends(line, core):
    assert undecorated(line) == core


@pytest.mark.parametrize(
    "part",
    [
        "Published Dec 4, 2026",
        "Updated 3:45 p.m.",
        "Aktualisiert am 05.12.2026, 14:32 Uhr",
        "Mis à jour le 5 déc. 2026 à 18h42",
        "Publié le 14/11/2026 à 07h30, mis à jour à 10h12",
        "Actualizado: 05/12/2026",
        "17:45 h",
        "Aggiornato il 5 dicembre 2026 alle 16:20",
        "Atualizado há 2 horas",
        "5 december 2026, 14:12",
        "Friday, Jan 9, 2027",
        "3 min read",
        "7 minuti fa",
        "jdoe@example.com",
        "@citydesk",
        "1/12",
        "12 maart 2027, 21:10",  # Dutch "maart" (since the sixteenth batch)
        "03/08/2023 15h27",  # a date and its time after a space
        "Bild 3 von 15",  # a gallery's counter with its word (since the fifteenth batch)
        "6 min",  # a player's duration
        "modificato il 24 aprile 2024",
    ],
)
def test_stamps_are_dates_times_ages_reading_times_and_addresses(part):
    assert is_stamp(part)


@pytest.mark.parametrize("part", ["Madrid", "5 things", "Page 2", "3.45 usd", "Reuters", "The vote is on May 5, 2026", ""])
def test_other_parts_are_not_stamps(part):
    assert not is_stamp(part)


def test_parts_are_the_spans_between_bars():
    line = "Share on X · Email | Print   Copy link → Save ✉️ Mail - Reddit"
    assert [line[a:b] for a, b in parts(line)] == ["Share on X", "Email", "Print", "Copy link", "Save", "Mail", "Reddit"]
    assert parts("state-of-the-art 2026-01-09") == [(0, 27)]  # a hyphen in a word or a date is no bar
    assert [s[a:b] for s in ["Photo 3 of 18  ◀ Previous | Next ▶"] for a, b in parts(s)] == ["Photo 3 of 18", "Previous", "Next"]


@pytest.mark.parametrize(
    "line,without",
    [
        ("di Marco Ferrari — 23 aprile 2024 (modificato il 24 aprile 2024 | 08:45)", "di Marco Ferrari — 23 aprile 2024"),
        ("Von Anna Berger (aktualisiert 14:32 Uhr)", "Von Anna Berger"),
        # a bracket that holds anything but stamps stays: a duration is one, a name is not
        ("Council votes on budget (Reuters)", "Council votes on budget (Reuters)"),
        ("(5 May 2026)", "(5 May 2026)"),  # nothing before it: the line is the stamp
    ],
)
def test_a_bracket_of_stamps_at_the_end_is_set_aside(line, without):
    assert without_bracketed_stamps(line) == without


def test_a_bracket_of_stamps_is_set_aside_only_when_the_line_does_not_go_with_it(pack):
    # a video's duration is its teaser's evidence: the line goes with its bracket, under the teaser's rule
    line = "▶ WATCH: Divers recover a 300-year-old anchor (2:14)"
    assert furniture_head(line, _removes(pack)) == matching_line_rule(line, pack).code
    # an edit's stamp is not: "di Luca Conti" is judged without it
    assert furniture_head("di Luca Conti — 3 marzo 2027 (modificato il 4 marzo 2027 | 10:02)", _removes(pack)) == "byline"
    assert apply_rules("Rail strike ends after six weeks (updated 5 May 2026)", pack)[1] == []


def _removes(pack):
    def removes(text):
        rest, removals = apply_rules(text, pack)
        return removals[-1].rule if not rest and removals else None

    return removes


@pytest.mark.parametrize(
    "line,code",
    [
        ("➡️ Read more: Ferries to stop at midnight", "related_teaser"),
        ("By Ana Ruiz | Reporter | Updated 3:45 p.m.", "byline"),
        ("Condividi: Facebook | X | WhatsApp", "share_prompt"),  # every part is a button
        ("Share on Facebook (1.2k) · Share on X", "share_prompt"),  # a counter after a button
        ("Sponsored · Partner content from Acme Bank", "advertisement_label"),
        # (since the seventeenth batch) a bar's neutral parts are set aside: icon letters, a dialog's answers
        ("f   in   𝕏   Share", "share_prompt"),
        ("Was this article helpful?   👍 Yes   👎 No", "feedback_widget"),
        ("Attiva le notifiche per le ultime notizie 🔔 Consenti · Non ora", "follow_prompt"),
        ("Print | 5 May 2026 | Share", "share_prompt"),  # a stamp between buttons
        # (since the eighteenth batch) a live page's label beside furniture goes with it
        ("🔴 LIVE · Follow the match minute by minute", "ui_widget"),
        ("EN DIRECT | Suivez le match minute par minute", "ui_widget"),
    ],
)
def test_a_dressed_line_goes_under_the_code_of_the_rule_that_removes_its_parts(pack, line, code):
    assert furniture_head(line, _removes(pack)) == code
    assert matching_line_rule(line, pack).code == code


@pytest.mark.parametrize(
    "line",
    [
        "Rail strike ends after six weeks | 5 May 2026",  # a headline and its date: the head is no rule's
        "Share on Facebook | The mayor's plan for the buses",  # one part is not furniture
        "📈 Ridership grew by eight percent last year.",
        "5 May 2026 | 3:45 p.m.",  # stamps alone: a stamp is never the evidence
        "Yes | No | Not now",  # neutral parts alone: never the evidence either
        "Do you back the plan? | Yes | No",  # a poll: its question is no rule's
        "f | in | The council's plan",
        "🔴 Live · Budget vote in parliament",  # a live label beside a headline
        "Live | En direct",  # live labels alone
    ],
)
def test_a_dressed_line_whose_parts_are_not_all_furniture_stays(pack, line):
    assert furniture_head(line, _removes(pack)) is None
    assert apply_rules(line, pack) == (line, [])


def test_a_pack_without_line_parts_judges_the_line_as_it_is(pack, repo):
    plain = RulePack(version=pack.version, rules=pack.rules)  # the setting's default: off
    assert plain.line_parts is False and pack.line_parts is True
    line = "➡️ Read more: Ferries to stop at midnight"
    assert apply_rules(line, plain) == (line, [])
    assert apply_rules(line, pack)[0] == ""
    # the bundled packs written before it leave it off, so runs that must reproduce them still do
    for name in ("cruft-v1.yaml", "cruft-v2.yaml"):
        assert "\nline_parts:" not in (repo / "configs" / "rules" / name).read_text(encoding="utf-8")
    # and a rule pack derived without some codes keeps the setting
    assert pack.without(["ai_notice"]).line_parts is True


def test_line_parts_must_be_a_boolean():
    with pytest.raises(RulePackError, match="'line_parts' must be true or false"):
        parse_rule_pack("line_parts: 'yes'\nrules:\n  - {code: promo, patterns: ['x']}\n")


def test_dressed_furniture_goes_between_paragraphs_and_cleaning_is_idempotent():
    para = (
        "The council voted on Tuesday to extend the downtown bus network by three routes, a decision "
        "that officials said would cut commuting times for thousands of residents."
    )
    text = f"{para}\n💬 47 comments\n{para.replace('Tuesday', 'Monday')}\n— ADVERTISEMENT —\n{para.replace('three', 'four')}"
    once = clean_text(text)
    assert "comments" not in once and "ADVERTISEMENT" not in once
    assert once.count("The council voted") == 3
    assert clean_text(once) == once


@pytest.mark.parametrize(
    "line",
    [
        "| " * (MAX_CHARS // 2),
        "a · " * (MAX_CHARS // 4),
        "🎧 " * (MAX_CHARS // 2),
        "Share, " * 40 + "5 May 2026",
        "1, " * 100,
    ],
)
def test_hostile_bars_stay_fast(pack, line):
    start = time.process_time()
    matching_line_rule(line[:MAX_CHARS], pack)
    assert time.process_time() - start < 0.5


def test_lines_past_the_limit_are_not_split(pack):
    line = "Read more: " + "x" * MAX_CHARS + " · 5 May 2026"
    assert furniture_head(line, _removes(pack)) is None
