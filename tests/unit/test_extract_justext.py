"""jusText's paragraph revision in linear time (transforms/extract_justext.py): the classes jusText
gives, without a scan of the page per paragraph (hostile round 13)."""

from __future__ import annotations

import copy
import random

import justext.core
import trafilatura.external

from transforms.extract import ExtractConfig, extract_page
from transforms.extract_justext import revise_paragraph_classification

CLASSES = ("good", "bad", "neargood", "short")


class Para:
    """What the revision reads of a jusText paragraph."""

    def __init__(self, cf_class: str, heading: bool, text: str, class_type: str = ""):
        self.cf_class, self.heading, self.text, self.class_type = cf_class, heading, text, class_type


def random_page(rng: random.Random) -> list[Para]:
    n = rng.randint(0, 30)
    runs = rng.choice([CLASSES, ("short",), ("short", "neargood"), ("short", "bad"), ("short", "good")])
    return [
        Para(
            rng.choice(runs if rng.random() < 0.8 else CLASSES),
            rng.random() < 0.3,
            " " * rng.choice([0, 1]) if rng.random() < 0.2 else "x" * rng.choice([1, 5, 40, 120, 260]),
            # before the revision jusText leaves it "", but a page revised twice carries classes
            "" if rng.random() < 0.7 else rng.choice(CLASSES),
        )
        for _ in range(n)
    ]


def test_the_revision_gives_every_paragraph_the_class_justext_gives_it():
    rng = random.Random(13)
    for case in range(20_000):
        page = random_page(rng)
        distance = rng.choice([0, 3, 150, 200, -1])
        theirs = copy.deepcopy(page)
        justext.core.revise_paragraph_classification(theirs, distance)
        revise_paragraph_classification(page, distance)
        assert [p.class_type for p in page] == [p.class_type for p in theirs], case


class CountedPara(Para):
    reads = 0

    @property
    def class_type(self):
        CountedPara.reads += 1
        return self._class_type

    @class_type.setter
    def class_type(self, value):
        self._class_type = value


def test_a_page_of_short_paragraphs_is_revised_in_a_pass_not_a_scan_per_paragraph():
    # the cells of a big table: every paragraph short, each one's nearest good or bad neighbour
    # at the ends of the page. jusText read n^2 (10^8) classes; this reads a few per paragraph
    n = 10_000
    page = [CountedPara("short", False, "7") for _ in range(n)]
    CountedPara.reads = 0
    revise_paragraph_classification(page)
    assert [p.class_type for p in page] == ["bad"] * n
    assert CountedPara.reads <= 12 * n


def tables_page(tables: int) -> str:
    # too little text for trafilatura, which asks jusText
    return "<html><body>" + "<table><tr><td>a</td><td>b</td></tr></table>" * tables + "</body></html>"


def test_extraction_falls_back_on_the_linear_revision_and_extracts_what_justext_did(monkeypatch):
    cfg = ExtractConfig(isolation="inline")
    revised = []

    def counted(paragraphs, max_heading_distance=200):
        revised.append(len(paragraphs))
        revise_paragraph_classification(paragraphs, max_heading_distance)

    monkeypatch.setattr("transforms.extract_justext.revise_paragraph_classification", counted)
    linear = extract_page(tables_page(300), "https://example.com/results", cfg)
    assert revised and max(revised) >= 600  # jusText was asked, and revised with ours
    monkeypatch.setattr("transforms.extract.install_linear_justext", lambda: None)
    monkeypatch.setattr(trafilatura.external, "revise_paragraph_classification", justext.core.revise_paragraph_classification)
    shipped = extract_page(tables_page(300), "https://example.com/results", cfg)
    assert linear == shipped
    assert linear is not None and linear.text.startswith("a\nb\na\nb")


def test_over_a_release_it_was_not_checked_against_trafilatura_keeps_justexts_own(monkeypatch):
    # another jusText release may revise otherwise: the replacement is only put in over the one
    # the tests above compare it with
    from transforms import extract_justext

    monkeypatch.setattr(trafilatura.external, "revise_paragraph_classification", justext.core.revise_paragraph_classification)
    monkeypatch.setattr(extract_justext, "_verified_release", lambda: False)
    assert extract_justext.install() is False
    assert trafilatura.external.revise_paragraph_classification is justext.core.revise_paragraph_classification
    monkeypatch.setattr(extract_justext, "_verified_release", lambda: True)
    assert extract_justext.install() is True
    assert trafilatura.external.revise_paragraph_classification is revise_paragraph_classification



def random_markup(rng: random.Random, depth: int = 0) -> str:
    tags = ("div", "p", "span", "a", "h2", "br", "td", "li", "b")
    out = []
    for _ in range(rng.randint(0, 4 if depth < 6 else 0)):
        tag = rng.choice(tags)
        words = " ".join(rng.choice(("the", "a", "news", "of", "x")) for _ in range(rng.randint(0, 6)))
        out.append(f"<br>{words}" if tag == "br" else f"<{tag}>{words}{random_markup(rng, depth + 1)}</{tag}>{words[:3]}")
    return "".join(out)


def paragraph_fields(paragraphs) -> list[tuple]:
    return [(p.dom_path, p.xpath, p.text, p.tags_count, p.chars_count_in_links) for p in paragraphs]


def test_the_paragraph_maker_gives_every_paragraph_the_paths_and_text_justext_gives_it():
    from lxml.html import fromstring

    from transforms.extract_justext import _linear_paragraph_maker

    rng = random.Random(14)
    for case in range(2_000):
        tree = fromstring(f"<html><body>{random_markup(rng)}</body></html>")
        theirs = justext.core.ParagraphMaker.make_paragraphs(tree)
        ours = _linear_paragraph_maker().make_paragraphs(tree)
        assert paragraph_fields(ours) == paragraph_fields(theirs), case


class CountingList(list):
    """A list that counts the items read by iterating it."""

    reads = 0

    def __iter__(self):
        for item in super().__iter__():
            CountingList.reads += 1
            yield item


def test_a_deep_page_makes_its_paragraphs_without_joining_the_path_for_each_one():
    # 450 two-word paragraphs under 2,000 divs: jusText joined the 2,000 open tags for every
    # paragraph it started, twice (dom and xpath): millions of reads, 3.8 s of the page's 7 s
    from lxml.html import HTMLParser, fromstring

    from transforms.extract_justext import install

    assert install()
    maker = trafilatura.external.ParagraphMaker

    class Counted(maker):
        def __init__(self):
            super().__init__()
            self.path._elements = CountingList(self.path._elements)

    tree = fromstring("<html><body>" + "<div>" * 2_000 + "<p>hello world</p>" * 450 + "</div>" * 2_000 + "</body></html>",
                      parser=HTMLParser(huge_tree=True))
    CountingList.reads = 0
    paragraphs = Counted.make_paragraphs(tree)
    assert [p.text for p in paragraphs] == ["hello world"] * 450
    assert paragraphs[0].dom_path == "html.body" + ".div" * 2_000 + ".p"
    assert CountingList.reads == 0
