"""The clean stage's DoFn travels with its rule pack parsed: a worker neither reads the pack's path
nor checks its patterns again (the builder did), and cleans exactly as a freshly parsed pack does."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tests.conftest import make_doc
from transforms.clean import CleanConfig, StripCruft, StripCruftFn, clean_document
from transforms.clean import rule_pack as rule_pack_module
from transforms.clean.rule_pack import parse_rule_pack

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))


def test_a_worker_unpickles_the_parsed_pack_without_checking_it_again(monkeypatch):
    cfg = CleanConfig()
    files = StripCruft(cfg).files
    shipped = pickle.dumps(StripCruftFn(cfg, files))

    def refuse(*_args, **_kwargs):
        raise AssertionError("the worker checked the patterns again")

    monkeypatch.setattr(rule_pack_module, "backtracking_risk", refuse)
    rule_pack_module._parse_rule_pack.cache_clear()  # nothing remembered in this process either
    worker = pickle.loads(shipped)
    worker.setup()
    monkeypatch.undo()
    fresh = parse_rule_pack(files.rule_pack, cfg.disabled_rules)
    assert [r.code for r in worker.pack.rules] == [r.code for r in fresh.rules]
    assert len(SAMPLES) >= 5
    for path in SAMPLES:
        doc = make_doc(path.stem, path.read_text(encoding="utf-8"))
        assert worker.decide(doc) == clean_document(doc, fresh, cfg, worker.model, worker.furniture)


def test_a_bad_pack_still_fails_where_the_pipeline_is_built(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text("version: x\nrules:\n  - {code: bad, scope: line, patterns: ['(a+)+$']}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad"):
        StripCruft(CleanConfig(rule_pack=str(path)))


def test_a_loaded_pack_takes_its_compiled_patterns_from_the_process_not_re_s_cache(monkeypatch):
    # The pack's patterns outgrew `re`'s cache of 512: each time Beam loaded the report's combiner,
    # which carries the pack, every pattern was compiled again (+1 s a run). A rule loaded in a
    # process where its patterns were compiled (the pack built there) compiles nothing: it takes the
    # process's compiled objects.
    pack = rule_pack_module.load_rule_pack()
    shipped = pickle.dumps(pack)
    compiled = []
    real = rule_pack_module.re._compile  # what re.compile and a pickled pattern's loading both call
    monkeypatch.setattr(rule_pack_module.re, "_compile", lambda *a, **k: compiled.append(a) or real(*a, **k))
    loaded = pickle.loads(shipped)
    assert compiled == []
    cached = rule_pack_module._COMPILED
    for built, back in zip(pack.rules, loaded.rules):
        assert back == built
        for pattern in (*back.patterns, back.combined, back.anchored, back.floating):
            assert pattern is None or pattern is cached[(pattern.pattern, pattern.flags)]
    # in a fresh process (the cache empty) a loaded rule compiles its patterns once, and matches as built
    monkeypatch.setattr(rule_pack_module, "_COMPILED", {})
    again = pickle.loads(shipped)
    assert compiled and all(b.pattern == a.pattern and b is not a for a, b in zip(pack.rules[0].patterns, again.rules[0].patterns))
    line = "Share your thoughts in the comments below!"
    assert [r.code for r in again.rules if r.matches(line)] == [r.code for r in pack.rules if r.matches(line)] == ["comment_prompt"]


def test_the_verdicts_a_pack_remembers_are_its_rules_answers_and_do_not_travel():
    # A site's menus and buttons come back on every page: the pack remembers its verdict on a
    # short line (RulePack.line_rule, .verdict). The answer remembered is the one worked out,
    # a long line is not remembered, and a pickled pack starts with nothing remembered.
    parsed = parse_rule_pack(StripCruft(CleanConfig()).files.rule_pack, ())  # shared in this process
    parsed.line_rule("Advertisement")
    pack = pickle.loads(pickle.dumps(parsed))
    assert parsed._remembered is not None and pack._remembered is None
    lines = ["Leave a Comment", "Share this:", "Home » world » Europe", "The council met on Tuesday.",
             "Read more: Bus fares to rise in April", "Advertisement", "x" * 250, "By Marcus Bell, Staff Writer"]
    for _ in range(2):  # the second time from memory
        for line in lines:
            rule = rule_pack_module.matching_line_rule(line, pack)
            assert pack.line_rule(line) is rule
            assert pack.verdict(line) == rule_pack_module.apply_rules(line, pack)
    line_memo, verdict_memo = pack._remembered
    assert line_memo.cache_info().currsize == verdict_memo.cache_info().currsize == len(lines) - 1  # not the long one
    assert line_memo.cache_info().hits >= len(lines) - 1
    assert pack.line_rule("Leave a Comment") is not None and pack.verdict("The council met on Tuesday.") == ("The council met on Tuesday.", [])
