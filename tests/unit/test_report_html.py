"""The report's data and page without Beam: fixed bins, bounded deterministic samples, the sections
that appear only when the run has their data, and the page drawn from report.json alone."""

from __future__ import annotations

import json
import random
import re
import time
from collections import namedtuple
from dataclasses import replace

import pytest
from lxml import etree, html

from pipeline.report import build_report
from pipeline.report_charts import esc, histogram_svg, median
from pipeline.report_data import (
    SAMPLE_SIZES,
    accumulate,
    bin_edge,
    bin_of,
    find_lookalikes,
    load_lookalike_pack,
    merge,
    new_accumulator,
    stable_key,
    summarise,
)
from pipeline.report_html import quality_section, render, rule_thresholds, thresholds_for
from transforms.clean import CleanConfig, parse_rule_pack
from transforms.records import Document, Failure, Reason, Rejection


def doc(doc_id: str, text: str, **kw) -> Document:
    return Document(id=doc_id, text=text, source="crawl.jsonl", source_format="jsonl", url=f"https://example.com/{doc_id}",
                    chars_in=len(text) + 10, **kw)


def rejection(d: Document, reason: Reason, detail: str, stage: str, duplicate_of: str = "") -> Rejection:
    return Rejection(doc=d, reason=reason, detail=detail, stage=stage, duplicate_of=duplicate_of)


def report_of(read, clean, rejected, failed=(), stage_stats=(), config=None, pack=None) -> dict:
    stats = summarise(read, clean, rejected, failed, stage_stats, pack)
    return build_report(stats, config=config or {}, config_hash="abc", inputs=["crawl.jsonl"], outputs={}, timings={}, options=[])


# --- fixed bins and samples ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [(0.0, 0), (0.005, 0), (0.01, 1), (0.29, 29), (0.999, 99), (1.0, 100), (9.99, 139), (10.0, 140), (1000.0, 220), (-3.0, -1)],
)
def test_fixed_bins(value: float, expected: int) -> None:
    assert bin_of(value) == expected
    if expected >= 0:  # the value lies in its bin's edges
        assert bin_edge(expected) <= value * (1 + 1e-12) and value < bin_edge(expected + 1)


def test_samples_are_the_same_whatever_the_order_and_split() -> None:
    docs = [rejection(doc(f"doc-{i}", f"text {i}"), Reason.GOPHER_QUALITY, "x", "quality") for i in range(300)]
    results = []
    for seed in (1, 2, 3):
        random.Random(seed).shuffle(docs)
        cut = random.Random(seed).randrange(len(docs))
        # two workers, each folding its part, then merged in either order
        a, b = accumulate("rejected", docs[:cut]), accumulate("rejected", docs[cut:])
        results.append(merge(a, b) if seed % 2 else merge(b, merge(new_accumulator(), a)))
    assert results[0] == results[1] == results[2]
    ids = [e[2]["id"] for e in results[0]["samples"]["rejected"][str(Reason.GOPHER_QUALITY)]]
    assert ids == sorted((f"doc-{i}" for i in range(300)), key=stable_key)[: SAMPLE_SIZES["rejected"]]
    assert results[0]["counts"]["rejected_by_reason"] == {str(Reason.GOPHER_QUALITY): 300}


@pytest.mark.parametrize(
    "cfg, expected",
    [
        ({"min_words": 50, "max_words": 100_000}, [("max", 100_000.0), ("min", 50.0)]),
        ({"words_min": 50}, [("min", 50.0)]),
        ({"words": {"min": 3, "max": 9}}, [("max", 9.0), ("min", 3.0)]),
        ({"gopher": {"min_words": 50}}, [("min", 50.0)]),
        ({"min_words_per_line": 3, "enabled": True, "min_words": True}, []),  # another signal; a bool is no threshold
        ({}, []),
    ],
)
def test_thresholds_for(cfg: dict, expected: list) -> None:
    assert thresholds_for("words", cfg) == expected


def test_histogram_bars_count_every_value_once() -> None:
    values = [0.0, 0.1, 0.25, 0.6, 0.99, 0.994]
    hist: dict[str, int] = {}
    for v in values:
        hist[str(bin_of(v))] = hist.get(str(bin_of(v)), 0) + 1
    svg = histogram_svg([("clean", hist, "#000")], title="fraction")
    bars = re.findall(r'data-series="clean" data-value="(\d+)"', svg)
    assert sum(map(int, bars)) == len(values)
    assert 'data-axis="linear"' in svg and len(bars) == 5  # 0.99 and 0.994 share a bar
    counts = histogram_svg([("clean", {str(bin_of(v)): 1 for v in (0.0, 3.0, 30.0, 300.0)}, "#000")])
    assert 'data-axis="log"' in counts
    # a log axis is labelled at powers of ten; values below 1 share the first bar, labelled "<1"
    assert re.findall(r'class="tick">([^<]*)</text>', counts)[-3:] == ["&lt;1", "10", "100"]
    assert median({"0": 1, "140": 2}) == pytest.approx(10 ** 0.0125 * 10)  # the geometric middle of bin [10, 10.6)


# --- sections from the data ---------------------------------------------------------------------

# A rule of the quality stage's table (transforms.quality.Threshold): op is the comparison that rejects.
Rule = namedtuple("Rule", "filter signal op limit")
QUALITY_RULES = [
    Rule("gopher_quality", "word_count", "<", 50),
    Rule("gopher_quality", "word_count", ">", 100_000),
    Rule("gopher_quality", "alpha_word_frac", "<", 0.8),
    Rule("c4_quality", "c4_sentence_count", "<", 5),  # its filter is not enabled in this run
    Rule("gopher_repetition", "dup_line_frac", ">", None),  # a rule set to null is off
]
MENU, FOOTER = "Home | World | Sport | Contact", "© 2025 Daily Planet. All rights reserved."


def _boilerplate(n: int, *lines: str) -> dict:
    return {"rule_counts": (("boilerplate_domain", n), ("share_prompt", 1)),
            "removed_examples": (*(("boilerplate_domain", line) for line in lines), ("share_prompt", "Share this"))}


def _signals(words: float, alpha: float, chars: float) -> dict:
    return {"signals": {"word_count": words, "alpha_word_frac": alpha, "char_count": chars}}


def mixed_report() -> dict:
    clean = [
        doc("a", "Survivor of the big cluster. " * 5, **_signals(120.0, 0.9, 700.0), dup_cluster="a", dup_cluster_size=3,
            domain="planet.example", **_boilerplate(2, MENU, FOOTER)),
        doc("b", "Survivor of a pair. " * 5, **_signals(80.0, 0.85, 500.0), dup_cluster="b", dup_cluster_size=2,
            domain="planet.example", **_boilerplate(1, MENU)),
        doc("c", "A unique story. " * 5, **_signals(60.0, 0.95, 400.0), domain="gazette.example", **_boilerplate(1, "Subscribe to the Gazette")),
    ]
    rejected = [
        rejection(doc("d", "Survivor of the big cluster, copied. " * 5, **_signals(118.0, 0.9, 690.0), domain="planet.example",
                      **_boilerplate(1, MENU)), Reason.DUPLICATE_NEAR, "near-duplicate of a (cluster of 3)", "near_dedup", "a"),
        rejection(doc("e", "Survivor of the big cluster, copied again. " * 5, **_signals(119.0, 0.9, 695.0)),
                  Reason.DUPLICATE_NEAR, "near-duplicate of a (cluster of 3)", "near_dedup", "a"),
        rejection(doc("b2", "Survivor of a pair, copied. " * 5), Reason.DUPLICATE_NEAR, "near-duplicate of b (cluster of 2)", "near_dedup", "b"),
        rejection(doc("f", "$$$ ### !!!", **_signals(3.0, 0.1, 11.0)), Reason.GOPHER_QUALITY, "gopher_quality:word_count=3<50", "quality"),
    ]
    failed = [Failure(stage="read", source="crawl.jsonl", position=7, id="", error_type="JSONDecodeError", message="Expecting value")]
    near = {"near_dedup": {"clusters": 2, "docs_in_clusters": 5, "pairs_verified": 4, "pairs_rejected_by_verification": 1,
                           "hot_buckets": 0, "unconverged_nodes": 0, "cluster_sizes": {"3-4": 1, "2": 1}}}
    config = {"quality": {"gopher_min_words": 50, "filters": ["gopher_quality"]}, "near_dedup": {"threshold": 0.8},
              "boilerplate": {"min_docs": 3, "max_line_chars": 200}}
    return report_of(range(8), clean, rejected, failed, [near], config)


def test_quality_cluster_and_boilerplate_sections_from_the_data() -> None:
    report = mixed_report()
    assert report["counts"] == {"input": 8, "clean": 3, "rejected": 4, "failed": 1, "balanced": True}
    signals = report["histograms"]["signals"]
    assert sorted(signals) == ["alpha_word_frac", "char_count", "word_count"]
    assert signals["word_count"] == {"kept": {str(bin_of(v)): 1 for v in (120.0, 80.0, 60.0)}, "rejected": {str(bin_of(3.0)): 1}}
    # near_dedup's rejections passed the quality stage: not on the "rejected by quality" side
    assert report["histograms"]["cluster_sizes"] == {"2": 1, "3": 1}
    cluster = report["samples"]["largest_cluster"]
    assert (cluster["id"], cluster["size"], cluster["survivor"]["id"]) == ("a", 3, "a")
    assert sorted(m["id"] for m in cluster["members"]) == ["d", "e"]
    assert report["boilerplate"] == {
        "docs": 4, "domains": 2,
        "top_domains": [{"domain": "planet.example", "docs": 3, "lines": 4}, {"domain": "gazette.example", "docs": 1, "lines": 1}],
        "top_lines": [{"domain": "planet.example", "line": MENU, "docs": 3}, {"domain": "gazette.example", "line": "Subscribe to the Gazette", "docs": 1},
                      {"domain": "planet.example", "line": FOOTER, "docs": 1}],
    }
    assert report["rules"] == {"boilerplate_domain": 5, "share_prompt": 4}

    rules = rule_thresholds(QUALITY_RULES, ["gopher_quality", "gopher_repetition"])
    assert rules == {"word_count": [("gopher_quality <", 50.0), ("gopher_quality >", 100_000.0)], "alpha_word_frac": [("gopher_quality <", 0.8)]}
    quality = quality_section(report, rules)
    # Signals with a threshold first, in rule order; a signal without one folded away.
    assert re.findall(r'data-signal="(\w+)"', quality) == ["word_count", "alpha_word_frac", "char_count"]
    assert '<h3>word_count <span class="muted">(gopher_quality &lt; 50, gopher_quality &gt; 100,000)</span>' in quality
    assert '<summary><b>Signals without a threshold</b> (1)</summary>' in quality
    # A dashed line per threshold near the data: on the log axis of a count, 100,000 words is near enough.
    assert quality.count('stroke-dasharray="5 3"') == 3
    assert 'data-signal="word_count"><h3>' in quality and quality.count('data-axis="log"') == 2  # word_count, char_count
    # A threshold far from the data is noted at the chart's edge instead of squashing the bars.
    far = histogram_svg([("clean", {"85": 2, "97": 1}, "#000")], thresholds=[("max", 100.0)])
    assert 'stroke-dasharray' not in far and 'data-axis="linear"' in far
    assert '<text x="628" y="22" text-anchor="end" class="tick thr">max 100 →</text>' in far
    assert "rejected by quality (1)" in quality

    page = render(report)
    assert re.findall(r'data-near-dedup="(\w+)" data-value="(\d+)"', page) == [
        ("clusters", "2"), ("docs_in_clusters", "5"), ("pairs_verified", "4"), ("pairs_rejected_by_verification", "1"),
        ("hot_buckets", "0"), ("unconverged_nodes", "0")]
    assert re.findall(r'data-cluster-size="([^"]+)" data-value="(\d+)"', page) == [("size 2", "1"), ("size 3-4", "1")]
    assert "Largest cluster" in page and "near-duplicate of a (cluster of 3)" in page
    assert 'id="boilerplate-lines" data-value="5"' in page and 'id="boilerplate-docs" data-value="4"' in page
    assert re.findall(r'data-boilerplate-domain="([^"]+)" data-value="(\d+)"', page) == [("planet.example", "4"), ("gazette.example", "1")]
    assert "From 3 distinct documents on".lower() in page.lower()
    assert page.index('<section id="rules"') < page.index('<section id="boilerplate"') < page.index('<section id="quality"')
    assert '<td class="id">f</td>' in page and "JSONDecodeError" in page


def test_page_is_well_formed_self_contained_and_every_svg_parses() -> None:
    page = render(mixed_report())
    tree = html.fromstring(page)
    assert [s.get("id") for s in tree.iter("section")] == [
        "summary", "funnel", "rules", "boilerplate", "languages", "lengths", "quality", "clusters", "rejected", "failed", "run"]
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    assert len(svgs) == len(tree.xpath("//svg")) and svgs
    for svg in svgs:  # inline SVG is XML: each one must parse on its own
        etree.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1).encode())
    assert not tree.xpath("//script | //link | //iframe | //img | //object | //embed")
    urls = [v for el in tree.iter() if isinstance(el.tag, str) for k, v in el.attrib.items() if k in ("src", "href", "action")]
    assert all(u.startswith("#") for u in urls), urls  # in-page anchors only: nothing is fetched


def test_near_dedup_without_clusters_and_boilerplate_without_removals() -> None:
    report = report_of(range(1), [doc("a", "One story only. " * 5)], [], stage_stats=[{"near_dedup": {"clusters": 0}}],
                       config={"boilerplate": {"min_docs": 3}})
    page = render(report)
    assert '<section id="clusters"' in page and "No near-duplicate cluster was found." in page
    assert '<section id="boilerplate"' in page and "No line recurred often enough to be removed." in page
    assert '<section id="quality"' not in page


def test_a_field_name_that_found_nothing_is_a_warning_in_the_report_and_on_the_page() -> None:
    # hostile round 22: `read.title_field=meta.title` on records without it left every title empty
    # without a word. The read tasks' tallies are summed as stage stats are; a name found in no
    # record of the run is one line in report.json and in the page's summary
    tallies = [{"read_fields": {"records": 2, "found": {"title_field": 0, "url_field": 1}}},
               {"read_fields": {"records": 1, "found": {"title_field": 0, "url_field": 0}}}]
    config = {"read": {"title_field": "meta.title", "url_field": "metadata.url"}}
    report = report_of(range(3), [doc(f"d{i}", "One story only. " * 5) for i in range(3)], [], stage_stats=tallies, config=config)
    assert report["read_fields"] == {"records": 3, "found": {"title_field": 0, "url_field": 1}}
    assert report["warnings"] == [(
        "read.title_field 'meta.title' was found in none of the 3 records read by field name (JSON, CSV, Parquet): no "
        "record's title was read; check the name (a dotted name reaches into nested objects: metadata.url)")]
    summary = html.fromstring(render(report)).get_element_by_id("summary")
    assert [p.text_content() for p in summary.find_class("bad")] == [f"warning: {report['warnings'][0]}"]
    assert report_of(range(1), [doc("a", "One story only. " * 5)], [])["warnings"] == []


def test_sections_without_data_are_left_out() -> None:
    page = render({"counts": {"input": 0, "clean": 0, "rejected": 0, "failed": 0, "balanced": True}, "funnel": []})
    for section in ("quality", "clusters", "boilerplate", "rejected", "failed", "languages", "lengths"):
        assert f'<section id="{section}"' not in page
    assert '<section id="funnel"' in page
    # an older report.json, without histograms or samples, still draws
    assert '<section id="funnel"' in render({"counts": {"input": 1, "clean": 1}, "funnel": [], "rules": {"x": 1}, "rejected_by_reason": {"y": 1}})


def test_ids_urls_sources_and_details_are_cut_in_the_samples() -> None:
    # hostile round 8: the reader keeps a 5 MB id or URL whole, and the samples copied them: 300
    # records with 10 kB ids and 100 kB URLs made a 2.5 MB report.json and report.html
    big = "x" * 100_000
    survivor = replace(doc("s" + big, "Survivor of the pair. " * 5, dup_cluster="s" + big, dup_cluster_size=2,
                           rule_counts=(("share_prompt", 1),), removed_examples=(("share_prompt", "Share this"),)), url="https://e.com/" + big)
    copy = replace(doc("c" + big, "Survivor of the pair, copied. " * 5), url="https://e.com/c" + big)
    rejected = [rejection(copy, Reason.DUPLICATE_NEAR, "near-duplicate of s" + big, "near_dedup", "s" + big)]
    failed = [Failure(stage="read", source="crawl/" + big, position=1, id="f" + big, error_type="E" + big, message="m" + big)]
    report = report_of(range(3), [survivor], rejected, failed)
    assert len(json.dumps(report)) < 20_000 and len(render(report)) < 60_000
    sample = report["samples"]["rejected"]["duplicate_near"][0]
    assert sample["id"] == ("c" + big)[:299] + "…"
    assert [len(sample[k]) for k in ("id", "url", "detail", "duplicate_of")] == [300, 300, 300, 300]
    assert [len(report["samples"]["failed"][0][k]) for k in ("source", "id", "error_type")] == [300, 300, 300]
    cluster = report["samples"]["largest_cluster"]
    assert [len(x) for x in (cluster["id"], cluster["survivor"]["id"], cluster["survivor"]["url"], cluster["members"][0]["url"])] == [300] * 4
    assert report["samples"]["rule_examples"]["share_prompt"][0]["id"] == ("s" + big)[:299] + "…"


def test_lookalikes_are_looked_for_only_on_lines_up_to_twice_a_rules_max_chars() -> None:
    # hostile round 8: every rule searched every sampled line, however long: 50 clean documents
    # holding a 4,900-digit line kept qa_widget's pattern of then (quadratic in a run of digits,
    # bounded only by max_chars) busy for 40 s at the end of the job
    user_pack = parse_rule_pack("rules:\n  - {code: badges, patterns: ['^[\\d,.]*k?\\s?(\\d+\\s?(gold|silver|bronze) badges?\\s?){1,3}$']}\n")
    texts = [(f"d{i}", "The council met on Tuesday.\n" + "1" * 4_900 + " badges") for i in range(50)]
    started = time.perf_counter()
    assert find_lookalikes(texts, user_pack) == {}
    assert time.perf_counter() - started < 2.0
    assert find_lookalikes([("d", "1" * 500 + " gold badges")], user_pack)["badges"][0]["chars"] == 512  # a near miss
    pack = load_lookalike_pack(CleanConfig())
    prose = "The council met on Tuesday to discuss the harbour, and residents who spoke welcomed the plan. " * 6
    assert find_lookalikes([("d", prose + "Share your thoughts in the comments below!")], pack) == {}  # over 600 characters


def test_lookalikes_are_not_looked_for_on_lines_a_rules_pattern_could_take_too_long_on() -> None:
    # the pack check holds `.*,.*,.*x` to 1e8 steps on lines of its max_chars (100); at twice that
    # a failed search could take 16 times as long, on every such line of 50 sampled documents
    pack = parse_rule_pack("rules:\n  - {code: commas, patterns: ['.*,.*,.*x'], max_chars: 100}\n"
                           "  - {code: comma, patterns: [',x'], max_chars: 100}\n")
    line = "a," * 60 + "x"  # 121 characters, both patterns match
    assert sorted(find_lookalikes([("d", line)], pack)) == ["comma"]


def test_lookalikes_name_the_rule_the_line_and_the_match() -> None:
    pack = load_lookalike_pack(CleanConfig())
    prose = "The council met on Tuesday to discuss the harbour, and residents who spoke welcomed the plan. " * 3
    long_line = prose + "Share your thoughts in the comments below!"
    found = find_lookalikes([("d1", "Short title\n" + long_line + "\nPlain closing line.")], pack)
    assert found == {"comment_prompt": [{"id": "d1", "line": long_line, "match": "Share your thoughts",
                                         "chars": len(long_line), "max_chars": 300}]}
    assert find_lookalikes([("d2", prose)], pack) == {}
    # in the report: from the sampled clean documents, at the end of the job
    report = report_of(range(1), [doc("d1", "Short title\n" + long_line, rule_counts=(("comment_prompt", 1),))], [], pack=pack)
    assert report["samples"]["lookalikes"] == found and report["samples"]["lookalike_docs"] == 1
    assert "Share your thoughts" in render(report)
    assert report_of(range(1), [doc("d1", long_line)], [])["samples"]["lookalikes"] is None  # no pack: the section says so


def test_control_characters_in_sampled_fields_are_shown_as_code_points() -> None:
    # hostile round 16: a NUL, an ESC sequence, a bell, DEL and C1 controls in a sampled id, url,
    # source or message reached the page raw (a NUL is dropped by the HTML parser, so "a\0b" read
    # as "ab"; the ESC sequence recoloured the terminal the page was printed to)
    evil = "a\x00b\x1b[31mRED\x07\x08\x0c\x7f\x85\x9b"
    d = replace(doc("id" + evil, "Body text. " * 5 + evil), url="https://example.com/" + evil)
    report = report_of(range(2), [], [rejection(d, Reason.GOPHER_QUALITY, "gopher_quality:x " + evil, "quality")],
                       [Failure(stage="read", source="crawl/" + evil, position=1, id="f" + evil, error_type="E", message=evil)])
    page = render(report)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", page)
    shown = "a&lt;U+0000&gt;b&lt;U+001B&gt;[31mRED&lt;U+0007&gt;&lt;U+0008&gt;&lt;U+000C&gt;&lt;U+007F&gt;&lt;U+0085&gt;&lt;U+009B&gt;"
    assert page.count(shown) >= 4  # id, url, detail, source, failure id and message
    assert "\t" not in evil and esc("tab\there\nline") == "tab\there\nline"


def test_hostile_page_content_is_escaped_and_bidi_controls_are_shown_not_obeyed() -> None:
    # hostile round 9: an RLO (U+202E) never closed in a sampled id reversed the rest of its row
    # (url, detail, text) on the page; markup in ids, urls, texts and details stays text
    evil = '</script><script>alert(1)</script>"><img src=x onerror=alert(1)>\u202eevil\u2066'
    d = replace(doc("id" + evil, "Body text. " * 5 + evil + "\U0001d54f"), url="javascript:alert(1)//" + evil)
    report = report_of(range(2), [], [rejection(d, Reason.GOPHER_QUALITY, "gopher_quality:x " + evil, "quality")],
                       [Failure(stage="read", source="crawl/" + evil, position=1, id="f" + evil, error_type="E", message=evil)])
    page = render(report)
    tree = html.fromstring(page)
    assert not tree.xpath("//script | //img | //@onerror")
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", page)
    assert page.count("&lt;U+202E&gt;evil&lt;U+2066&gt;") >= 3  # id, url, detail, text, failure
    assert "\U0001d54f" in page
    assert all(u.startswith("#") for el in tree.iter("a") for u in [el.get("href", "#")])


def test_every_id_on_the_page_is_given_once() -> None:
    # hostile round 32: the funnel's section and its table were both `id="funnel"`, on every page
    # (HTML allows an id once; `#funnel` named two elements)
    for report in (mixed_report(), {"counts": {"input": 0, "clean": 0, "rejected": 0, "failed": 0, "balanced": True}, "funnel": []}):
        ids = [el.get("id") for el in html.fromstring(render(report)).iter() if isinstance(el.tag, str) and el.get("id")]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        assert "funnel" in ids
