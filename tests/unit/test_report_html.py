"""The report page's pure parts: samples, bins, thresholds, and sections that appear only when the
run's outputs carry their columns (quality signals, near-duplicate clusters)."""

from __future__ import annotations

import json
import random
import re
from collections import namedtuple
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.io import CLEAN_SCHEMA, REJECTED_SCHEMA
from pipeline.report_html import (
    BottomK,
    bins_for,
    gather,
    histogram,
    quality_section,
    render,
    rule_thresholds,
    stable_key,
    thresholds_for,
)


def test_bottom_k_is_the_same_sample_whatever_the_order() -> None:
    ids = [f"doc-{i}" for i in range(500)]
    samples = []
    for seed in (1, 2, 3):
        random.Random(seed).shuffle(ids)
        sample = BottomK(7)
        for doc_id in ids:
            sample.add(stable_key(doc_id), doc_id)
        samples.append(sample.items())
    assert samples[0] == samples[1] == samples[2]
    assert samples[0] == sorted(ids, key=stable_key)[:7]


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


def test_histogram_counts_every_value_once() -> None:
    edges = bins_for([0.0, 1.0], log=False, count=4)
    assert edges == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert histogram([0.0, 0.1, 0.25, 0.6, 0.99, 1.0, -3.0, 7.0], edges) == [3, 1, 1, 3]  # out-of-range values land in the end bins


def _table(schema: pa.Schema, rows: list[dict], extra: dict[str, pa.DataType]) -> pa.Table:
    full = pa.schema(list(schema) + [pa.field(name, t) for name, t in extra.items() if name not in schema.names])
    return pa.Table.from_pylist([{**{f.name: None for f in full}, **r} for r in rows], schema=full)


def _doc(doc_id: str, text: str, **kw) -> dict:
    return {"id": doc_id, "text": text, "url": f"https://example.com/{doc_id}", "chars_in": len(text) + 10, "dup_cluster_size": 1, **kw}


# A rule of the quality stage's table (transforms.quality.Threshold): op is the comparison that rejects.
Rule = namedtuple("Rule", "filter signal op limit")
QUALITY_RULES = [
    Rule("gopher_quality", "word_count", "<", 50),
    Rule("gopher_quality", "word_count", ">", 100_000),
    Rule("gopher_quality", "alpha_word_frac", "<", 0.8),
    Rule("c4_quality", "c4_sentence_count", "<", 5),  # its filter is not enabled in this run
    Rule("gopher_repetition", "dup_line_frac", ">", None),  # a rule set to null is off
]


def _write_run(folder: Path, clean: list[dict], rejected: list[dict], report: dict, extra: dict[str, pa.DataType]) -> dict:
    for name, schema, rows in (("clean", CLEAN_SCHEMA, clean), ("rejected", REJECTED_SCHEMA, rejected)):
        (folder / name).mkdir()
        pq.write_table(_table(schema, rows, extra), folder / name / "part-00000-of-00001.parquet")
    (folder / "report.json").write_text(json.dumps(report))
    return report


def _boilerplate(n: int, *lines: str) -> dict:
    return {"rule_counts": [{"rule": "boilerplate_domain", "count": n}, {"rule": "share_prompt", "count": 1}],
            "removed_examples": [{"rule": "boilerplate_domain", "line": line} for line in lines] + [{"rule": "share_prompt", "line": "Share this"}]}


def test_quality_cluster_and_boilerplate_sections_from_their_columns_and_keys(tmp_path: Path) -> None:
    """Column and key names as the quality, near-dedup and boilerplate stages write them."""
    signals = {"q_word_count": pa.float64(), "q_alpha_word_frac": pa.float64(), "q_char_count": pa.float64()}
    menu, footer = "Home | World | Sport | Contact", "© 2025 Daily Planet. All rights reserved."
    clean = [
        _doc("a", "Survivor of the big cluster. " * 5, q_word_count=120.0, q_alpha_word_frac=0.9, q_char_count=700.0,
             dup_cluster="a", dup_cluster_size=3, domain="planet.example", **_boilerplate(2, menu, footer)),
        _doc("b", "Survivor of a pair. " * 5, q_word_count=80.0, q_alpha_word_frac=0.85, q_char_count=500.0,
             dup_cluster="b", dup_cluster_size=2, domain="planet.example", **_boilerplate(1, menu)),
        _doc("c", "A unique story. " * 5, q_word_count=60.0, q_alpha_word_frac=0.95, q_char_count=400.0, domain="gazette.example",
             **_boilerplate(1, "Subscribe to the Gazette")),
    ]
    rejected = [
        _doc("d", "Survivor of the big cluster, copied. " * 5, q_word_count=118.0, q_alpha_word_frac=0.9, q_char_count=690.0,
             reason="duplicate_near", detail="near-duplicate of a (cluster of 3)", stage="near_dedup", duplicate_of="a",
             domain="planet.example", **_boilerplate(1, menu)),
        _doc("e", "Survivor of the big cluster, copied again. " * 5, q_word_count=119.0, q_alpha_word_frac=0.9, q_char_count=695.0,
             reason="duplicate_near", detail="near-duplicate of a (cluster of 3)", stage="near_dedup", duplicate_of="a"),
        _doc("f", "$$$ ### !!!", q_word_count=3.0, q_alpha_word_frac=0.1, q_char_count=11.0,
             reason="gopher_quality", detail="gopher_quality:word_count=3<50", stage="quality"),
    ]
    report = _write_run(tmp_path, clean, rejected, {
        "counts": {"input": 6, "clean": 3, "rejected": 3, "failed": 0, "balanced": True},
        "funnel": [{"stage": "read", "in": 6, "rejected": 0, "failed": 0, "out": 6}],
        "rejected_by_reason": {"duplicate_near": 2, "gopher_quality": 1},
        "rules": {"boilerplate_domain": 5, "share_prompt": 4},
        "near_dedup": {"clusters": 2, "docs_in_clusters": 5, "pairs_verified": 4, "pairs_rejected_by_verification": 1,
                       "hot_buckets": 0, "unconverged_nodes": 0, "cluster_sizes": {"3-4": 1, "2": 1}},
        "config": {"quality": {"gopher_min_words": 50, "filters": ["gopher_quality"]}, "near_dedup": {"threshold": 0.8},
                   "boilerplate": {"min_docs": 3, "max_line_chars": 200}},
    }, signals)
    samples = gather(str(tmp_path), report)
    assert sorted(samples.signals) == ["alpha_word_frac", "char_count", "word_count"]
    assert sorted(samples.signals["word_count"]["kept"]) == [60.0, 80.0, 120.0]
    assert samples.signals["word_count"]["rejected"] == [3.0]  # near_dedup's rejections passed the quality stage
    assert dict(samples.cluster_sizes) == {2: 1, 3: 1}
    assert samples.cluster is not None
    assert (samples.cluster["id"], samples.cluster["size"], samples.cluster["survivor"]["id"]) == ("a", 3, "a")
    assert sorted(m["id"] for m in samples.cluster["members"]) == ["d", "e"]
    assert samples.boilerplate_domains == {"planet.example": [3, 4], "gazette.example": [1, 1]}
    assert samples.boilerplate_lines == [("planet.example", menu, 3), ("gazette.example", "Subscribe to the Gazette", 1),
                                         ("planet.example", footer, 1)]

    rules = rule_thresholds(QUALITY_RULES, ["gopher_quality", "gopher_repetition"])
    assert rules == {"word_count": [("gopher_quality <", 50.0), ("gopher_quality >", 100_000.0)], "alpha_word_frac": [("gopher_quality <", 0.8)]}
    quality = quality_section(report, samples, rules)
    # Signals with a threshold first, in rule order; a signal without one folded away.
    assert re.findall(r'data-signal="(\w+)"', quality) == ["word_count", "alpha_word_frac", "char_count"]
    assert '<h3>word_count <span class="muted">(gopher_quality &lt; 50, gopher_quality &gt; 100,000)</span>' in quality
    assert '<summary><b>Signals without a threshold</b> (1)</summary>' in quality
    # A dashed line per threshold near the data; the maximum of 100,000 words is noted at the right edge instead.
    assert quality.count('stroke-dasharray="5 3"') == 2
    assert '<text x="628" y="22" text-anchor="end" class="tick thr">gopher_quality &gt; 100,000 →</text>' in quality
    assert "rejected by quality (1)" in quality

    page = render(report, samples)
    assert re.findall(r'data-near-dedup="(\w+)" data-value="(\d+)"', page) == [
        ("clusters", "2"), ("docs_in_clusters", "5"), ("pairs_verified", "4"), ("pairs_rejected_by_verification", "1"),
        ("hot_buckets", "0"), ("unconverged_nodes", "0")]
    assert re.findall(r'data-cluster-size="([^"]+)" data-value="(\d+)"', page) == [("size 2", "1"), ("size 3-4", "1")]
    assert "Largest cluster" in page and "near-duplicate of a (cluster of 3)" in page
    assert 'id="boilerplate-lines" data-value="5"' in page and 'id="boilerplate-docs" data-value="4"' in page
    assert re.findall(r'data-boilerplate-domain="([^"]+)" data-value="(\d+)"', page) == [("planet.example", "4"), ("gazette.example", "1")]
    assert "From 3 distinct documents on".lower() in page.lower()
    assert page.index('<section id="rules"') < page.index('<section id="boilerplate"') < page.index('<section id="quality"')


def test_near_dedup_without_clusters_and_boilerplate_without_removals(tmp_path: Path) -> None:
    report = _write_run(tmp_path, [_doc("a", "One story only. " * 5)], [], {
        "counts": {"input": 1, "clean": 1, "rejected": 0, "failed": 0, "balanced": True},
        "funnel": [{"stage": "read", "in": 1, "rejected": 0, "failed": 0, "out": 1}],
        "near_dedup": {"clusters": 0, "docs_in_clusters": 0, "pairs_verified": 0, "pairs_rejected_by_verification": 0,
                       "hot_buckets": 0, "unconverged_nodes": 0, "cluster_sizes": {}},
        "config": {"boilerplate": {"min_docs": 3}},
    }, {})
    page = render(report, gather(str(tmp_path), report))
    assert '<section id="clusters"' in page and "No near-duplicate cluster was found." in page
    assert '<section id="boilerplate"' in page and "No line recurred often enough to be removed." in page
    assert '<section id="quality"' not in page


def test_sections_without_data_are_left_out(tmp_path: Path) -> None:
    report = {"counts": {"input": 0, "clean": 0, "rejected": 0, "failed": 0, "balanced": True}, "funnel": []}
    page = render(report, gather(str(tmp_path), report))
    for section in ("quality", "clusters", "boilerplate", "rejected", "failed", "languages", "lengths"):
        assert f'<section id="{section}"' not in page
    assert '<section id="funnel"' in page


def test_lookalikes_name_the_rule_the_line_and_the_match():
    from pipeline.report_html import find_lookalikes

    prose = "The council met on Tuesday to discuss the harbour, and residents who spoke welcomed the plan. " * 3
    long_line = prose + "Share your thoughts in the comments below!"
    found = find_lookalikes([("d1", "Short title\n" + long_line + "\nPlain closing line.")], {})
    assert found == {"comment_prompt": [{"id": "d1", "line": long_line, "match": "Share your thoughts",
                                         "chars": len(long_line), "max_chars": 300}]}
    assert find_lookalikes([("d2", prose)], {}) == {}
