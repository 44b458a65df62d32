"""Code blocks in page text (transforms/clean/code_blocks.py): found by their nesting, spared by the
noise and repeat rules, given back their indentation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from transforms import clean_text
from transforms.clean import CleanConfig
from transforms.clean.code_blocks import (
    code_block_lines,
    indent_width,
    may_hold_code,
    restore_indentation,
)
from transforms.clean.strip import _bundled, strip_cruft

INTRO = ("Python makes loops simple. Here is a function that sums a list of numbers and prints each step as it "
         "goes, which helps when you are learning.")
OUTRO = ("The function above walks the list once. Each value is added to the running sum, and the sum is printed "
         "after every step so you can follow it.")
PYTHON = """def total(xs):
    s = 0
    for x in xs:
        s += x
        print(s)
    return s"""
JS = """document.querySelectorAll('.tab').forEach((tab) => {
  tab.addEventListener('click', () => {
    show(tab.dataset.panel);
  });
});
window.addEventListener('load', () => {
  init();
});"""


def cleaned(text: str, cfg: CleanConfig | None = None):
    pack, model, furniture = _bundled()
    return strip_cruft(text, pack, cfg or CleanConfig(), "", model=model, furniture=furniture)


@pytest.mark.parametrize("code", [PYTHON, JS])
def test_a_code_block_keeps_its_lines_and_their_indentation(code):
    text = f"How to write it\n\n{INTRO}\n\n{code}\n\n{OUTRO}"
    result = cleaned(text)
    assert code in result.text
    assert result.removals == ()
    assert clean_text(result.text) == result.text  # idempotent


def test_without_the_switch_code_is_stripped_and_its_symbols_go():
    result = cleaned(f"How to write it\n\n{INTRO}\n\n{JS}\n\n{OUTRO}", replace(CleanConfig(), code_blocks=False))
    assert "\n  tab.addEventListener" not in result.text
    # "});" is mostly symbols, and its second copy a repeat
    assert {r.rule for r in result.removals} >= {"symbol_line"}
    assert "});" not in result.text


def test_extracted_text_sets_code_between_paragraphs_without_blank_lines():
    # trafilatura writes a <pre> block's lines as they are, with no blank line around it: the
    # paragraphs flush left are no part of the block
    text = f"{INTRO}\n{PYTHON}\n{OUTRO}"
    lines = text.split("\n")
    assert code_block_lines(lines) == set(range(1, 7))
    assert PYTHON in clean_text(text)


def test_a_block_indented_as_a_whole_is_set_flush_left_with_its_nesting():
    indented = "\n".join("    " + line for line in PYTHON.split("\n"))
    assert PYTHON in clean_text(f"{INTRO}\n\n{indented}\n\n{OUTRO}")
    # tabs: the common prefix is removed character for character
    tabbed = "\n".join("\t" + line.replace("    ", "\t") for line in PYTHON.split("\n"))
    assert "def total(xs):\n\ts = 0\n\tfor x in xs:\n\t\ts += x" in clean_text(f"{INTRO}\n\n{tabbed}\n\n{OUTRO}")


@pytest.mark.parametrize("code", [
    # two functions of a block indented as a whole, a blank line between them: set flush left,
    # the blank line before `def g` ended a run, and `def f` with its one line was no block
    "    def f():\n        x = 1\n\n    def g():\n        y = 2\n        return y",
    # a sentence at the block's edge: flush left, it ended a run too
    "    def f(x):\n        x = 1\n    This function returns the value it was given.\n        y = 2;\n        return y;",
])
def test_a_block_that_flush_left_would_read_as_other_blocks_keeps_its_indentation(code):
    # the second pass stripped `x = 1` of its indentation or dropped it as a symbol line
    once = clean_text(f"How to write it\n\n{INTRO}\n\n{code}\n\n{OUTRO}")
    assert code in once
    assert clean_text(once) == once


def test_a_blank_line_inside_a_body_stays_in_the_block():
    code = "class Cart:\n    def __init__(self):\n        self.items = []\n\n    def add(self, item):\n        self.items.append(item)"
    lines = f"{INTRO}\n\n{code}\n\n{OUTRO}".split("\n")
    assert code_block_lines(lines) == {2, 3, 4, 6, 7}
    assert code in clean_text("\n".join(lines))


@pytest.mark.parametrize(
    "name,text",
    [
        # a poem's indented lines: nesting without marks of code
        ("poem", ("Two roads diverged in a yellow wood,\n    And sorry I could not travel both\n"
                  "And be one traveler, long I stood\n    And looked down one as far as I could")),
        # an outline: bullet items nested in each other
        ("outline", "- Budget\n  - add 10% for overruns [optional]\n  - keep the sheet updated (weekly)\n- Bids\n  - get 3 of them"),
        # indented prose: lines ending as sentences
        ("indented prose", ("    The council met on Monday (its third meeting).\n"
                            "        It voted on the budget = the plan for 2025.\n    Nobody objected to it.")),
        # a menu a naive text conversion left indented as the HTML source was: a "Cart(0)" and a
        # "[Sign in]" among its items are too few marks
        ("indented menu", "\n".join(["  Home", "    News", "    Sport", "    Weather", "    Cart(0)", "    [Sign in]",
                                      "      Local", "      World", "      Business", "  About us", "  Contact"])),
        # a script flattened to one line: no nesting
        ("one line", "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}"),
    ],
)
def test_what_is_not_a_code_block(name, text):
    assert code_block_lines(text.split("\n")) == set()


def test_a_line_another_layer_changed_or_removed_keeps_that():
    raw = ["def f(x):", "    y = x  # Share this on Facebook", "    return y"]
    lines: list[str | None] = ["def f(x):", "y = x", None]  # cut by the rule pack; removed
    restore_indentation(lines, raw, {0, 1, 2})
    assert lines == ["def f(x):", "y = x", None]


def test_only_a_text_with_an_indented_line_is_searched():
    assert may_hold_code("a\n    b") and may_hold_code("\tb") and may_hold_code("a\r  b") and may_hold_code("a\u2028 b")
    assert not may_hold_code("a\nb  c\n") and not may_hold_code("")


def test_the_common_indentation_is_found_in_one_pass_however_deep():
    # 50,000 columns of spaces over 50,000 of tabs: nothing in common, found by comparing the
    # least and greatest heads once (a prefix shrunk a character at a time took the square)
    raw = [" " * 50_000 + "x = 1", "\t" * 50_000 + "y = 2", "z(3)"]
    lines: list[str | None] = [line.strip() for line in raw]
    restore_indentation(lines, raw, {0, 1, 2})
    assert lines == [raw[0], raw[1], "z(3)"]


def test_indent_width_reads_tabs_as_a_terminal_does():
    assert (indent_width("    x"), indent_width("\tx"), indent_width("  \tx"), indent_width("x")) == (4, 8, 8, 0)
