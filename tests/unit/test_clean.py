"""strip_cruft on the seed articles and on small documents: exact text, exact removals."""

from __future__ import annotations

import pytest

from tests.conftest import content_lines
from transforms import clean_text
from transforms.clean import (
    CleanConfig,
    apply_rules,
    clean_document,
    config_for,
    parse_rule_pack,
    split_sentences,
    strip_cruft,
)
from transforms.clean.layout import line_count, text_lines
from transforms.records import Document, Reason, Rejection




def test_seed_articles_come_out_as_labelled(repo, pack, expected_samples):
    for name, expected in expected_samples.items():
        result = strip_cruft((repo / "samples" / name).read_text(encoding="utf-8"), pack)
        assert content_lines(result.text) == [line.strip() for line in expected["kept"]], name
        assert [(r.rule, r.text) for r in result.removals] == [(r["rule"], r["line"]) for r in expected["removed"]], name
        assert result.title == expected["title"], name


def test_repeated_title_is_kept_once_and_counted(pack):
    text = "Storm hits coast\n\nStorm hits coast\n\nThe storm reached the coast at dawn on Monday."
    result = strip_cruft(text, pack)
    assert result.text == "Storm hits coast\n\nThe storm reached the coast at dawn on Monday."
    assert result.rule_counts() == (("repeated_title", 1),)
    assert result.lines_removed == 1


_BODY = "The storm reached the coast at dawn on Monday and closed every school in the county."


@pytest.mark.parametrize(
    "head,title",
    [
        (["Storm hits coast | The Daily Courier", "Storm hits coast"], ""),  # the <title>, then the headline
        (["Storm hits coast | The Daily Courier", "Storm hits coast"], "Storm hits coast"),
        (["Storm hits coast", "Storm hits coast | The Daily Courier"], ""),
        (["Storm hits coast | The Daily Courier", "Storm hits coast"], "Storm hits coast | The Daily Courier"),
        (["The Daily Courier - Storm hits coast", "Storm hits coast"], "Storm hits coast"),
        (["08.11.2021 | Storm hits coast", "Storm hits coast"], ""),
    ],
)
def test_a_copy_of_the_title_with_the_sites_name_goes_and_the_bare_headline_stays(pack, head, title):
    result = strip_cruft("\n".join([*head, _BODY]), pack, title=title)
    assert result.text == f"Storm hits coast\n{_BODY}"
    assert result.rule_counts() == (("repeated_title", 1),)


@pytest.mark.parametrize(
    "head",
    [
        ["Storm hits coast | The Daily Courier"],  # one copy: it stays, site name and all
        ["Storm hits coast – a region counts the cost"],  # a headline with a subtitle
        ["41 - check size table", "42 - check size table", "43 - check size table"],  # a list sharing a tail
        ["Storm hits coast", "Coast | Storm hits"],
    ],
)
def test_lines_that_only_look_like_a_tagged_title_stay(pack, head):
    assert strip_cruft("\n".join([*head, _BODY]), pack).text == "\n".join([*head, _BODY])


def test_given_title_removes_its_copy_at_the_top(pack):
    text = "Storm hits coast\nThe storm reached the coast at dawn on Monday."
    result = strip_cruft(text, pack, title="Storm hits coast")
    # the text's own first line is the title: one copy stays
    assert result.text == text
    twice = strip_cruft("Storm hits coast\n" + text, pack, title="Storm Hits Coast")
    assert twice.text == text


def test_the_first_line_left_loses_its_copies_like_a_title(pack):
    # the page's first line (the site's name, its inferred title) goes with its menu; a second
    # pass would infer the line after it as the title and remove that line's copy, so this pass does
    article = [
        "The city council approved a new budget for schools on Monday after a long debate that ran late into the night.",
        "Teachers had asked for smaller classes and more help for pupils who fall behind, and the union welcomed the vote.",
        "The mayor said the plan would be paid for by savings elsewhere in the city's accounts, including a hiring freeze.",
    ]
    menu = ["Valley Gazette", "News", "Sport", "Business", "Weather", "Opinion"]
    result = strip_cruft("\n".join([*menu, "Courtesy of Amp", "Courtesy of Amp", *article]), pack)
    assert result.title == "Valley Gazette"  # the record's title when it has none: the first line the rule pack left
    assert result.text == "\n".join(["Courtesy of Amp", *article])
    assert strip_cruft(result.text, pack).text == result.text


def test_repeated_long_lines_go_short_ones_stay(pack):
    text = "Pros:\nA long line that repeats itself.\nCons:\nA long line that repeats itself.\nPros:"
    result = strip_cruft(text, pack, CleanConfig(chrome_min_lines=0))  # the chrome gate off
    assert result.text == "Pros:\nA long line that repeats itself.\nCons:\nPros:"
    assert result.rule_counts() == (("repeated_line", 1),)


def test_disabled_rules_are_not_applied():
    pack = parse_rule_pack(
        "rules:\n  - {code: a, scope: line, patterns: ['^x$']}\n  - {code: b, scope: line, patterns: ['^y$']}\n",
        disabled=["a"],
    )
    assert [r.code for r in pack.rules] == ["b"]
    assert strip_cruft("x\ny\nzzz", pack, CleanConfig(disabled_rules=("repeated_title",))).text == "x\nzzz"


@pytest.mark.parametrize(
    "bad,message",
    [
        ("rules:\n  - {code: a, scope: page, patterns: ['x']}\n", "scope must be line or sentence"),
        ("rules:\n  - {code: a, patterns: ['(']}\n", "bad pattern"),
        ("rules:\n  - {code: a, patterns: ['x'], colour: red}\n", "unknown keys ['colour']"),
        ("rules:\n  - {code: a, patterns: []}\n", "rule a: no patterns"),
    ],
)
def test_malformed_rule_pack_is_an_error_naming_the_rule(bad, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_rule_pack(bad)


@pytest.mark.parametrize(
    "line,sentences",
    [
        ("One. Two! Three?", [("One.", " "), ("Two!", " "), ("Three?", "")]),
        ("He said “stop.” Then left.", [("He said “stop.”", " "), ("Then left.", "")]),
        ("No end", [("No end", "")]),
        ("你好。再见！", [("你好。", ""), ("再见！", "")]),
        ("", []),
    ],
)
def test_split_sentences_round_trips(line, sentences):
    assert split_sentences(line) == sentences
    assert "".join(s + ws for s, ws in split_sentences(line)) == line


def test_sentence_removal_keeps_original_spacing(pack):
    assert apply_rules("First fact.  Second fact. Share your thoughts below!", pack)[0] == "First fact.  Second fact."


def test_paragraph_breaks_kept_and_collapsed(pack):
    assert strip_cruft("A first paragraph here.\n\n\n\nA second one here.\r\nThird.", pack).text == (
        "A first paragraph here.\n\nA second one here.\nThird."
    )


def test_clean_text_library_api():
    assert clean_text("Home » News » Rain\nRain fell all day in the city.\nLeave a Comment") == "Rain fell all day in the city."


def test_clean_document_counts_and_examples(pack):
    doc = Document(id="d", text="Title line\nBody text that stays here.\nShare\nPrint\nShare on X", source="s", source_format="text")
    out = clean_document(doc, pack, CleanConfig(max_examples=2))
    assert isinstance(out, Document)
    assert out.text == "Title line\nBody text that stays here."
    assert out.rule_counts == (("share_prompt", 3),)
    assert out.removed_examples == (("share_prompt", "Share"), ("share_prompt", "Print"))
    assert (out.lines_removed, out.chars_removed, out.chars_in, out.title) == (3, 20, len(doc.text), "Title line")


def test_all_cruft_document_is_rejected_with_the_rules(pack):
    doc = Document(id="d", text="Leave a Comment\nAdblock Detected", source="s", source_format="text")
    out = clean_document(doc, pack, CleanConfig())
    assert isinstance(out, Rejection)
    assert (out.reason, out.detail, out.stage) == (Reason.EMPTY_AFTER_CLEANING, "adblock_notice,comment_widget", "clean")


def test_overlong_line_is_removed_and_counted_the_rest_stays(pack):
    text = "A short report on the harbour wall.\n" + "x" * 120 + "\nThe council voted on Tuesday."
    result = strip_cruft(text, pack, CleanConfig(max_line_chars=100))
    assert result.text == "A short report on the harbour wall.\nThe council voted on Tuesday."
    assert result.rule_counts() == (("overlong_line", 1),)


def test_a_text_of_more_lines_than_max_lines_is_rejected_before_any_layer(pack):
    # hostile round 8: a 2 MB text of a million one-character lines took 15 s and 1.9 GB in the
    # layers (a 10 MB one, under read.max_document_bytes, would exhaust a worker); blank lines count
    text = "a\n\n" * 3 + "b"
    at_cap = clean_document(Document(id="d", text=text, source="s", source_format="text"), pack, CleanConfig(max_lines=7))
    assert isinstance(at_cap, Document)
    doc = Document(id="d", text=text + "\n" + "c" * 2000, source="s", source_format="text")
    out = clean_document(doc, pack, CleanConfig(max_lines=7))
    assert isinstance(out, Rejection)
    assert (out.reason, out.detail, out.stage) == (Reason.DOCUMENT_TOO_LARGE, "8 lines > clean.max_lines=7", "clean")
    assert (out.doc.text, out.doc.chars_in) == (doc.text[:1000], len(doc.text))


def test_the_default_line_cap_rejects_a_million_lines_at_once(pack):
    doc = Document(id="d", text="a\n" * 1_000_000, source="s", source_format="text")
    out = clean_document(doc, pack, CleanConfig())
    assert isinstance(out, Rejection)
    assert (out.reason, out.detail) == (Reason.DOCUMENT_TOO_LARGE, "1000001 lines > clean.max_lines=100000")


@pytest.mark.parametrize("end", ["\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"])
def test_every_line_end_counts_toward_max_lines(pack, end):
    # hostile round 9: the cap counted "\n" while cleaning also cut at "\r", so a text of 400,000
    # lone-CR lines (old Mac files) passed the cap and held a worker for 30 s
    doc = Document(id="d", text=end.join(["line"] * 8), source="s", source_format="text")
    out = clean_document(doc, pack, CleanConfig(max_lines=7))
    assert isinstance(out, Rejection)
    assert (out.reason, out.detail) == (Reason.DOCUMENT_TOO_LARGE, "8 lines > clean.max_lines=7")


@pytest.mark.parametrize("end", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1e", "\r\n", "\r"])
def test_unicode_and_control_line_ends_part_lines_as_a_newline_does(end):
    # hostile round 9: U+2028 / U+2029 (in JSON, from JavaScript) were read as part of a line, so a
    # page's paragraphs were one line: its cruft stayed, and past max_line_chars the whole
    # article went as `overlong_line`
    lines = ["Home » News » Rain", "Rain fell all day in the city and the river rose by a metre overnight.", "Leave a Comment"]
    assert clean_text(end.join(lines)) == clean_text("\n".join(lines)) == lines[1]
    long = end.join(f"Paragraph {i} tells how the council met and what the mayor said about the budget." for i in range(1500))
    assert clean_text(long) == long.replace(end, "\n")


def test_text_lines_cut_where_splitlines_cuts():
    text = "a\rb\r\nc\u2028d\u2029e\x85f\x0bg\x0ch\x1ci\x1dj\x1ek\nl\n"
    assert text_lines(text) == [*text.splitlines(), ""]
    assert line_count(text) == len(text_lines(text)) == 13
    assert line_count("no end") == 1


def test_extracted_text_skips_the_structure_layer(pack):
    # A list inside an article that trafilatura extracted: short unpunctuated lines that the
    # structure layer would call a menu in raw page text.
    body = "\n".join(
        ["The recipe needs few things and takes about an hour to make from start to finish."]
        + ["Flour", "Butter", "Sugar", "Two eggs"]
        + ["Mix everything in a large bowl and bake it in a hot oven until the top is golden."]
    )
    raw = Document(id="a", text=body, source="a.txt", source_format="text")
    extracted = raw.with_(flags=("extracted",))
    cfg = CleanConfig(nav_min_run=3, body_only=True, chrome_min_lines=0)  # the chrome gate off: raw text is judged by place
    assert config_for(raw, cfg) is cfg
    assert "navigation" in config_for(extracted, cfg).disabled_rules
    assert clean_document(extracted, pack, cfg).text == body
    assert clean_document(raw, pack, cfg).text != body  # the same lines as raw page text do go


@pytest.mark.parametrize("bad", [None, b"Some text.", 12])
def test_the_library_functions_name_the_argument_of_the_wrong_type(bad):
    from transforms import detect_language, minhash_signature
    from transforms.quality import score_document

    # score_document: hostile round 9 (an AttributeError about `__contains__` or `split`)
    for call, name in ((lambda: clean_text(bad), "text"), (lambda: clean_text("x", title=bad), "title"),
                       (lambda: clean_text("x", url=bad), "url"), (lambda: detect_language(bad), "text"),
                       (lambda: minhash_signature(bad), "text"), (lambda: score_document(bad), "text")):  # fmt: skip
        with pytest.raises(TypeError, match=f"`{name}` must be str, not {type(bad).__name__}"):
            call()
