"""The chrome gate: place and repeats are evidence only on a page that shows chrome.

Clean text (an article body, a plain-text dump) has no line the rule pack names and no menu above
its first paragraph; on it the structure layers that judge lines by where they stand or by their
copies (navigation, outside_body, tail_section, teaser runs, repeated lines, the classifier) stay
silent. Scraped page text shows chrome, and there they work as before.
"""

from __future__ import annotations

import pytest

from transforms.clean import CleanConfig, strip_cruft
from transforms.clean.guard import shows_chrome
from transforms.clean.layout import paragraph_units, wrap_width
from transforms.clean.line_facts import LineFacts

INTRO = [
    "The recipe needs few things and takes about an hour to make from start to finish.",
    "Most of the work is waiting, so start it in the morning and come back to it later.",
]
# a list inside the article, and a sources list closing it: short lines without a sentence end,
# which on a page with chrome read as menus
INGREDIENTS = ["Flour", "Butter", "Sugar", "Two eggs", "A pinch of salt"]
METHOD = [
    "Mix everything in a large bowl and bake it in a hot oven until the top is golden.",
    "Let the cake cool for an hour before you cut it, or the slices will fall apart.",
]
SOURCES = ["Sources", "Home Baking Guide", "The Flour Council", "Kitchen Notes Weekly"]
ARTICLE = [*INTRO, *INGREDIENTS, *METHOD, *SOURCES]
UNGATED = CleanConfig(chrome_min_lines=0)


def test_clean_article_text_is_left_whole(pack):
    text = "\n".join(ARTICLE)
    assert strip_cruft(text, pack).text == text
    # without the gate the structure layers take the closing list for a menu
    assert strip_cruft(text, pack, UNGATED).text != text


def test_a_repeated_line_in_clean_text_is_its_refrain(pack):
    refrain = "Keep the oven door shut while it bakes."
    text = "\n".join([INTRO[0], refrain, INTRO[1], refrain, METHOD[0]])
    assert strip_cruft(text, pack).text == text
    assert strip_cruft(text, pack, UNGATED).text.count(refrain) == 1


@pytest.mark.parametrize(
    "chrome",
    [
        ["Skip to content", "Privacy Policy"],  # two lines the rule pack names
        ["Home", "News", "Recipes", "Baking", "Contact"],  # a head menu
    ],
)
def test_on_a_page_with_chrome_the_structure_layers_work(pack, chrome):
    page = [*chrome, *INTRO, *METHOD, "", *SOURCES]
    text = "\n".join(page)
    out = strip_cruft(text, pack).text
    assert out.split("\n") == [*INTRO, *METHOD]
    assert strip_cruft(out, pack).text == out  # a second pass sees a clean page and keeps it


@pytest.mark.parametrize(
    "lines,shows",
    [
        (ARTICLE, False),
        (["Skip to content", *ARTICLE], False),  # one named line may be a quote or a false match
        (["Skip to content", *ARTICLE, "Privacy Policy"], True),
        (["Home", "News", "Recipes", "Baking", "Contact", *ARTICLE], True),
        (["Home", "News", "Recipes", "Baking", *ARTICLE], False),  # four short lines: a title block
        (["Home", "News", "Recipes", "Baking", "Our kitchen, our rules and our favourite cakes", "Contact", *ARTICLE], True),  # a tagline among the items
        ([*INTRO[:1], "Home", "News", "Recipes", "Baking", "Contact", *INTRO[1:]], False),  # below the first paragraph
    ],
)
def test_shows_chrome(pack, lines, shows):
    from transforms.clean.rule_pack import apply_rules

    cfg = CleanConfig()
    kept = []
    for line in lines:
        rest, removed = apply_rules(line, pack)
        kept.append(None if removed and not rest else line)
    by_pack = {i for i, line in enumerate(kept) if line is None}
    assert shows_chrome(kept, by_pack, LineFacts(cfg), cfg) is shows


def test_gate_off_always_shows_chrome():
    cfg = UNGATED
    assert shows_chrome(list(ARTICLE), set(), LineFacts(cfg), cfg) is True


def test_a_url_on_its_own_line_does_not_widen_the_wrap():
    # hard-wrapped at 60 columns; a long URL no wrap can cut stands on its own line
    para = (
        "The council met on Monday to discuss the budget for the coming year and agreed that "
        "schools would get more money while roads would wait for another round of talks."
    )
    import textwrap

    wrapped = textwrap.fill(para, 60).split("\n")
    url = "https://example.org/" + "a-very-long-path-segment/" * 4
    lines = [*wrapped, "", url, "", *wrapped]
    assert wrap_width(lines) <= 60
    assert paragraph_units(lines) == [para, "", url, "", para]


def test_a_page_dumped_as_text_is_judged_on_its_paragraphs_among_its_menus(pack):
    # lynx, w3m and html2text wrap a page's article at 72-80 columns and leave its menus one item
    # a line: the wrapped pieces were a few percent of the lines, the page was taken for one
    # paragraph a line, and the guard kept the menus whole rather than cut the pieces with them
    import textwrap

    menu = [f"{word} {i}" for i in range(40) for word in ("Politics", "Sport")]
    paragraphs = [
        "The city council voted on Tuesday to extend the downtown bus network by three routes, a decision "
        "that officials said would cut commuting times for thousands of residents in the eastern districts.",
        "Transit director Maria Lopez told reporters that the new routes would begin running in September, "
        "once the agency has hired and trained about forty additional drivers for the expanded service.",
        "Critics on the council argued that the plan does little for the northern suburbs, where residents "
        "have long complained about infrequent service and crowded buses during the morning rush hours.",
        "The agency expects ridership to grow by about eight percent over the next two years, according to "
        "a report presented at the meeting, and it will review the new routes again next spring.",
    ]
    lines = [*menu, "Buses to reach the eastern districts", *(p for para in paragraphs for p in textwrap.wrap(para, 72)), *menu]
    assert paragraph_units(lines)[len(menu) + 1 : len(menu) + 5] == paragraphs
    out = strip_cruft("\n".join(lines), pack, CleanConfig()).text.split("\n")
    assert all(p in out for p in paragraphs)
    assert not [line for line in out if line in menu]
