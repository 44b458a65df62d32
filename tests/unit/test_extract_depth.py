"""Runs of identical empty wrappers in pages nested past 256 levels (transforms/extract_depth.py):
shortened before trafilatura, whose work grows with the depth above each paragraph (hostile
round 14)."""

from __future__ import annotations

import pytest
from lxml.html import fromstring, tostring

from tests.hostile import mixed
from transforms import extract
from transforms.extract import ExtractConfig, extract_page, load_page
from transforms.extract_depth import shorten_wrapper_runs

INLINE = ExtractConfig(isolation="inline")
REAL = "".join(f"<p>{s}.</p>" for s in mixed(3).rstrip(".").split(". "))
LINKS = "<ul>" + "".join(f"<li><a href='/x{i}'>Link {i}</a></li>" for i in range(20)) + "</ul>"


def depth(tree) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element)
    return deepest


@pytest.mark.parametrize(
    "markup, shortened",
    [
        ("<div class=a>" * 10 + "<p>x</p><p>y</p>" + "</div>" * 10,
         "<div class=\"a\">" * 4 + "<p>x</p><p>y</p>" + "</div>" * 4),
        # whitespace between the wrappers is no text
        ("<div>\n" * 6 + "<p>x</p>" + "</div>\n" * 6, "<div>\n" * 4 + "<p>x</p>" + "</div>\n" * 4),
        # a run of 4 is as short as it gets
        ("<span>" * 4 + "x" + "</span>" * 4, "<span>" * 4 + "x" + "</span>" * 4),
        # attributes that differ, text between, a second child: no run
        ("".join(f"<div id=d{i}>" for i in range(6)) + "x" + "</div>" * 6, "".join(f'<div id="d{i}">' for i in range(6)) + "x" + "</div>" * 6),
        ("<div>t" * 6 + "</div>" * 6, "<div>t" * 6 + "</div>" * 6),
        ("<div><div><div><div><div><div>x</div></div>y</div></div></div></div>",
         "<div><div><div><div><div><div>x</div></div>y</div></div></div></div>"),
        # two runs, the second inside the first's content
        ("<div>" * 8 + "<p>x</p>" + "<span>" * 8 + "y" + "</span>" * 8 + "</div>" * 8,
         "<div>" * 4 + "<p>x</p>" + "<span>" * 4 + "y" + "</span>" * 4 + "</div>" * 4),
    ],
)
def test_a_run_of_identical_empty_wrappers_keeps_its_first_elements_and_its_last(markup, shortened):
    tree = fromstring(f"<html><body>{markup}</body></html>")
    shorten_wrapper_runs(tree)
    assert tostring(tree, encoding=str) == f"<html><body>{shortened}</body></html>"


def test_a_page_of_tiny_paragraphs_under_2000_wrappers_reaches_trafilatura_a_few_levels_deep():
    # the page of hostile round 13: 450 two-word paragraphs under 2,000 divs took 7 s (1,000 of
    # them 20 s, extract.timeout_s), trafilatura walking 2,000 ancestors per paragraph
    page = "<html><body>" + "<div>" * 2_000 + "<p>hello world</p>" * 450 + "</div>" * 2_000 + "</body></html>"
    tree = load_page(page)
    assert depth(tree) == 2 + 4 + 1
    assert len(tree.findall(".//p")) == 450
    result = extract_page(page, "", INLINE)
    assert result is not None and result.text == "\n".join(["hello world"] * 450)


def test_a_page_under_256_levels_is_parsed_as_it_is():
    # only pages parsed with huge_tree are touched: no page of the three extraction benchmark
    # sets is deeper than 100 levels, and those sets' output is byte-identical
    page = "<html><body>" + "<div>" * 200 + REAL + "</div>" * 200 + "</body></html>"
    assert depth(load_page(page)) == 2 + 200 + 1


DEEP_SHAPES = {
    "tiny paragraphs": "<html><body>" + "<div>" * 2_000 + "<p>hello world</p>" * 40 + "</body></html>",
    "whitespace between": "<html><body>" + "<div>\n" * 600 + REAL + "</body></html>",
    "a class and a headline": "<html><head><title>T</title></head><body>" + "<div class=wrap>" * 1_000 + "<h1>Head</h1>" + REAL + "</body></html>",
    "links around": "<html><body>" + LINKS + "<span>" * 800 + REAL + LINKS + "</span>" * 800 + "<p>After the chain the footer text.</p></body></html>",
    "a sidebar run": "<html><body><article>" + REAL + "</article>" + "<div class=sidebar>" * 500 + LINKS + "</body></html>",
    "tail text in a run": "<html><body>" + "<div>" * 500 + "<p>one para text here.</p>" + "</div>" * 250
                          + "Tail text at the middle of the run that is rather long." + "</div>" * 250 + REAL + "</body></html>",
    "font tags": "<html><body>" + "<font face=arial>" * 700 + REAL + "</body></html>",
}


@pytest.mark.parametrize("shape", sorted(DEEP_SHAPES))
def test_shortening_the_runs_changes_nothing_trafilatura_extracts(shape, monkeypatch):
    page = DEEP_SHAPES[shape]
    shortened = extract_page(page, "https://e.example/a", INLINE)
    monkeypatch.setattr(extract, "shorten_wrapper_runs", lambda tree: 0)
    assert depth(load_page(page)) > 256
    assert shortened == extract_page(page, "https://e.example/a", INLINE)
    assert shortened is not None
