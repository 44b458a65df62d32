"""Config loading: defaults, YAML, overrides, and errors that name the key."""

from __future__ import annotations

import re

import pytest

from pipeline.config import Config, ConfigError, load_config
from pipeline.run import parse_args, resolve_config


def test_default_yaml_lists_every_key_with_its_default(repo):
    # configs/default.yaml documents every key: loading it must give exactly the built-in defaults.
    import yaml

    data = yaml.safe_load((repo / "configs" / "default.yaml").read_text())
    assert load_config(repo / "configs" / "default.yaml") == Config()
    for section, values in Config().to_dict().items():
        assert set(data[section]) == set(values), section


def test_overrides_are_typed_yaml_values(tmp_path):
    cfg = load_config(None, ["language.allowed=[en, de]", "language.min_score=0.5", "clean.max_examples=7"])
    assert cfg.language.allowed == ("en", "de")
    assert cfg.language.min_score == 0.5
    assert cfg.clean.max_examples == 7


def test_numbers_written_with_an_exponent_are_numbers(tmp_path):
    # hostile round 8: YAML 1.1 reads 1e-5 as a string, so `--sample 0.00001` (which Python writes
    # 1e-05) and `threshold: 8e-1` were "expected a number"
    path = tmp_path / "c.yaml"
    path.write_text("near_dedup:\n  threshold: 8e-1\n", encoding="utf-8")
    cfg = load_config(str(path), ["sample.fraction=1e-5", "quality.gopher_max_hash_word_ratio=1.5E-1"])
    assert (cfg.near_dedup.threshold, cfg.sample.fraction, cfg.quality.gopher_max_hash_word_ratio) == (0.8, 1e-5, 0.15)
    args, _ = parse_args(["--sample", "0.00001"])
    assert resolve_config(args).sample.fraction == 1e-5
    with pytest.raises(ConfigError, match="read.text_field: expected a string, got 100000.0"):
        load_config(None, ["read.text_field=1e5"])  # a name that reads as a number needs quotes, as 5 does


@pytest.mark.parametrize(
    "yaml_text,overrides,message",
    [
        ("language:\n  min_scor: 0.5\n", [], "unknown config key 'language.min_scor'"),
        ("langauge: {}\n", [], "unknown config key 'langauge'"),
        ("", ["clean.max_examples=many"], "clean.max_examples: expected an integer"),
        ("", ["language.allowed=en"], "language.allowed: expected a list"),
        ("", ["read.format=xml"], "read.format must be auto or one of"),
        ("", ["exact_dedup.enabled=1"], "exact_dedup.enabled: expected true or false"),
        ("", ["nokey"], "expected dotted.key=value"),
        ("- a\n- b\n", [], "top level must be a mapping"),
        ("read: [1, 2]\n", [], "read: expected a mapping"),
    ],
)
def test_config_errors_name_the_key(tmp_path, yaml_text, overrides, message):
    path = tmp_path / "c.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("'", "'")):
        load_config(path, overrides)


@pytest.mark.parametrize("yaml_text, message", [
    ("quality:\n  gopher_min_words: 10\nquality:\n  annotate_only: true\n", "'quality' is given twice in one mapping (line 3, column 1)"),
    ("quality:\n  gopher_min_words: 10\n  gopher_min_words: 20\n", "'gopher_min_words' is given twice in one mapping (line 3, column 3)"),
])
def test_a_key_given_twice_is_an_error_not_the_last_one_silently(tmp_path, yaml_text, message):
    # PyYAML keeps the last of two equal keys: the first `quality:` section was dropped without a word
    path = tmp_path / "c.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == f"{path}: not valid YAML: {message}"
    path.write_text("quality: {gopher_min_words: 10, <<: {annotate_only: true}}\n")  # a merge key is no repeat
    assert load_config(path).quality.annotate_only is True


def test_yaml_is_data_never_code(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("clean:\n  rule_pack: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(path)


def test_digest_changes_with_config():
    assert Config().digest() == Config().digest()
    assert load_config(None, ["language.seed=1"]).digest() != Config().digest()


def test_the_default_file_and_the_code_defaults_have_one_hash(repo):
    # configs/default.yaml writes `50` where a float field's code default is 50: same config
    assert load_config(str(repo / "configs" / "default.yaml")).digest() == Config().digest()
    assert load_config(None, ["quality.gopher_min_words=50.0"]).digest() == Config().digest()


# --- ranges (issue 16.3) -------------------------------------------------------------------------


def _numeric_fields():
    import dataclasses
    import typing

    from pipeline.config import is_numeric

    for section in dataclasses.fields(Config):
        cls = typing.get_type_hints(Config)[section.name]
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            if is_numeric(hints[f.name]):
                yield section.name, f


def test_every_numeric_key_has_a_range_that_holds_its_default():
    from pipeline.config import field_range

    fields = list(_numeric_fields())
    assert len(fields) >= 90  # the walk finds the numeric keys (93 when this test was written)
    missing = [f"{s}.{f.name}" for s, f in fields if field_range(s, f) is None]
    assert missing == []  # a new numeric key needs a range: RANGES in pipeline/config.py or field metadata
    defaults = Config()
    for section, f in fields:
        lo, hi = field_range(section, f)
        value = getattr(getattr(defaults, section), f.name)
        for v in value if isinstance(value, tuple) else (value,):
            assert v is None or lo <= v <= hi, (section, f.name, v)


def test_every_range_names_a_real_key():
    from pipeline.config import RANGES

    keys = {f"{s}.{f.name}" for s, f in _numeric_fields()}
    assert sorted(set(RANGES) - keys) == []


@pytest.mark.parametrize(
    "override,message",
    [
        # each of these ran and lost or rejected every record before (issue 16.3)
        ("read.max_document_bytes=-1", "read.max_document_bytes: -1 is out of range (1 .. 2,147,483,648)"),
        ("read.max_document_bytes=100000000000000000000", "read.max_document_bytes: 100000000000000000000 is out of range"),
        ("quality.gopher_max_words=-1", "quality.gopher_max_words: -1 is out of range (1 .. 1,000,000,000)"),
        ("clean.max_line_chars=-1", "clean.max_line_chars: -1 is out of range (1 .. 2,147,483,648)"),
        ("quality.gopher_max_top_ngram_char_frac=[0.2, 1.5]", "quality.gopher_max_top_ngram_char_frac[1]: 1.5 is out of range (0 .. 1)"),
        ("language.min_score=.nan", "language.min_score: nan is out of range (0 .. 1)"),
        ("boilerplate.min_docs=1", "boilerplate.min_docs: 1 is out of range (2 .. 1,099,511,627,776)"),
        # a file per shard and output, empty ones too: a one-document run writing 4 million files (hostile round 18)
        ("write.num_shards=1048576", "write.num_shards: 1,048,576 is out of range (0 .. 10,000)"),
    ],
)
def test_numbers_out_of_range_are_errors_naming_the_key_and_the_range(override, message):
    with pytest.raises(ConfigError) as err:
        load_config(None, [override])
    assert str(err.value).startswith(message)


def test_null_switches_a_threshold_off_and_bounds_are_inclusive():
    cfg = load_config(None, ["quality.gopher_max_words=null", "language.min_score=1", "read.max_document_bytes=1"])
    assert (cfg.quality.gopher_max_words, cfg.language.min_score, cfg.read.max_document_bytes) == (None, 1.0, 1)


def test_language_codes_are_langdetect_codes_script_codes_or_und():
    assert load_config(None, ["language.allowed=[en, zh-cn, und]"]).language.allowed == ("en", "zh-cn", "und")
    # the script fallback's codes (transforms/language_scripts.py), which langdetect has no profile for
    assert load_config(None, ["language.allowed=[ka, hy, dv]"]).language.allowed == ("ka", "hy", "dv")
    assert load_config(None, ["language.script_fallback=false"]).language.script_fallback is False
    with pytest.raises(ConfigError, match=r"^language\.allowed: unknown language code 'english'; the language stage knows af, ar, "):
        load_config(None, ["language.allowed=[en, english]"])


@pytest.mark.parametrize("key", ["stop_words_languages", "no_space_languages", "syllabic_languages", "no_terminal_punct_languages"])
def test_the_quality_stages_language_lists_take_only_codes_the_language_stage_answers(key):
    # hostile round 19: any code was taken; a typo (zh_cn, or zh for zh-cn) applied to no document
    for typo in ("zh_cn", "zh", "EN", "english"):
        with pytest.raises(ConfigError, match=rf"^quality\.{key}: unknown language code '{typo}'; the language stage knows af, "):
            load_config(None, [f"quality.{key}=[th, {typo}]"])
    assert getattr(load_config(None, [f"quality.{key}=[zh-cn, ka, und]"]).quality, key) == ("zh-cn", "ka", "und")
    assert getattr(load_config(None, [f"quality.{key}=[]"]).quality, key) == ()


def test_the_default_language_lists_are_codes_the_language_stage_answers():
    # the default no_space_languages held zh, which the stage never answers (Chinese is zh-cn or zh-tw)
    from pipeline.config import known_languages

    quality = load_config(None, []).quality
    for key in ("stop_words_languages", "no_space_languages", "syllabic_languages", "no_terminal_punct_languages"):
        assert set(getattr(quality, key)) <= known_languages(), key
    assert {"zh-cn", "zh-tw"} <= set(quality.no_space_languages)


# --- YAML that expands, and values echoed in errors (issue 16.7) --------------------------------

BOMB = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
) + "\n"


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 450  # 9**9 = 387 million strings once expanded
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == f"{path}: not valid YAML: anchors and aliases (&name, *name) are not allowed in a config (line 1, column 4)"


@pytest.mark.parametrize("value", ["&x [1, 2]", "[*x]", "{a: &x 1, b: *x}"])
def test_overrides_refuse_anchors_and_aliases(value):
    with pytest.raises(ConfigError, match=r"^--set 'language.allowed': not valid YAML: anchors and aliases"):
        load_config(None, [f"language.allowed={value}"])


@pytest.mark.parametrize(
    "override,start",
    [
        ("clean.max_examples=" + "9" * 5000 + "x", "clean.max_examples: expected an integer, got '9999"),
        ("language.allowed=" + "x" * 5000, "language.allowed: expected a list, got 'xxx"),
        ("language.seed=[" + "1, " * 5000 + "1]", "language.seed: expected an integer, got [1, 1"),
        ("nosuchsection" + "y" * 5000 + ".key=1", "unknown config key 'nosuchsection"),
    ],
)
def test_errors_quote_at_most_about_80_characters_of_a_value(override, start):
    with pytest.raises(ConfigError) as err:
        load_config(None, [override])
    message = str(err.value)
    assert message.startswith(start)
    assert len(message) < 300 and "characters)" in message


def test_a_config_that_is_not_utf8_is_one_error(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("language:\n  allowed: [fr]  # français\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"latin1\.yaml: not UTF-8 text \(byte 33: invalid continuation byte\); save the config as UTF-8$"):
        load_config(path)


# --- shipped configs by name (issue 16.14) ------------------------------------------------------


def test_shipped_configs_are_found_by_name_from_any_folder(tmp_path, monkeypatch, repo):
    from pipeline.config import packaged_configs

    monkeypatch.chdir(tmp_path)  # no configs/ here
    assert packaged_configs() == ["dataflow", "default", "flink"]
    flink = load_config(str(repo / "configs" / "flink.yaml"))
    assert load_config("flink") == load_config("flink.yaml") == load_config("configs/flink.yaml") == flink
    assert flink.runner.beam_args[0] == "--runner=FlinkRunner"
    assert load_config("default") == Config()
    with pytest.raises(ConfigError, match=r"^config file not found: flnk \(shipped configs: dataflow, default, flink\)$"):
        load_config("flnk")
    with pytest.raises(ConfigError, match=r"^config file not found: elsewhere/flink.yaml"):
        load_config("elsewhere/flink.yaml")  # a path that is not there is not a shipped name


def test_a_file_in_the_working_folder_wins_over_a_shipped_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "flink.yaml").write_text("language:\n  seed: 7\n", encoding="utf-8")
    assert load_config("flink.yaml").language.seed == 7


@pytest.mark.parametrize("deep", ["[" * 5000 + "]" * 5000, "{a: " * 3000 + "1" + "}" * 3000])
def test_yaml_nested_past_the_recursion_limit_is_one_error(tmp_path, deep):
    # hostile round 9: PyYAML composes nodes recursively, and this was a RecursionError traceback
    path = tmp_path / "deep.yaml"
    path.write_text(f"clean: {deep}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"deep.yaml: not valid YAML: nested too deeply"):
        load_config(path)
    with pytest.raises(ConfigError, match=r"^--set 'clean.disabled_rules': not valid YAML: nested too deeply"):
        load_config(None, [f"clean.disabled_rules={deep}"])


def test_a_folder_given_as_config_says_so(tmp_path):
    with pytest.raises(ConfigError, match=r"^--config .* is a folder: name a YAML file"):
        load_config(tmp_path)


def test_a_rule_pack_nested_past_the_recursion_limit_is_one_error():
    from transforms.clean import RulePackError, parse_rule_pack

    with pytest.raises(RulePackError, match=r"^rule pack: not valid YAML: nested too deeply$"):
        parse_rule_pack("version: x\nrules: " + "[" * 5000 + "]" * 5000)


@pytest.mark.parametrize("flag", ["--output", "--input", "--dedup-against", "--config"])
@pytest.mark.parametrize("value", ["", " ", "\t"])
def test_an_empty_path_flag_is_a_usage_error(flag, value):
    # hostile round 9: `--output "$OUT"` with OUT unset wrote the run into the current folder among
    # its files, `--dedup-against ""` deduplicated against that, `--config ""` ran the default config
    from pipeline.run import UsageError

    with pytest.raises(UsageError, match=rf"^argument {flag}: invalid path \(empty: an unset shell variable\?\) value: "):
        parse_args([flag, value])
    assert parse_args([flag, "x"])[0] is not None  # a name is taken as it is


@pytest.mark.parametrize("flag", ["--output", "--input", "--dedup-against", "--config"])
def test_a_path_flag_starting_with_a_tilde_is_in_the_home_folder(flag, monkeypatch, tmp_path):
    # hostile round 19: the shell expands only a word's first ~, so `--output=~/runs/day1` (or a
    # quoted '~/runs') reached us as written and the run went to ./~/runs/day1, shown as ~/runs/day1
    from pipeline.run import parse_args

    monkeypatch.setenv("HOME", str(tmp_path))
    args = vars(parse_args([f"{flag}=~/runs/day1"])[0])
    value = args[flag.lstrip("-").replace("-", "_")]
    assert value in (f"{tmp_path}/runs/day1", [f"{tmp_path}/runs/day1"])
    args = vars(parse_args([flag, "./~/runs"])[0])  # a folder named ~: as written
    assert args[flag.lstrip("-").replace("-", "_")] in ("./~/runs", ["./~/runs"])


@pytest.mark.parametrize("first, second, shown", [
    (["--output", "a"], ["--output=b"], "('a', then 'b')"),
    (["--config", "default"], ["--config", "flink"], "('default', then 'flink')"),
    (["--format", "text"], ["--format", "jsonl"], "('text', then 'jsonl')"),
    (["--sample", "0.5"], ["--sample", "1"], "(0.5, then 1.0)"),
    (["--progress", "0"], ["--progress", "5"], "(0.0, then 5.0)"),
])
def test_a_flag_of_one_value_given_twice_with_two_is_a_usage_error(first, second, shown):
    # hostile round 28: argparse kept the last value without a word (`--output a --output b` wrote
    # the run to b; `--format text --format jsonl` read text files as JSON lines)
    from pipeline.run import UsageError

    flag = first[0]
    with pytest.raises(UsageError, match=rf"^{flag} given twice {re.escape(shown)}: it takes one value; give it once$"):
        parse_args([*first, "--input", "x", *second])
    assert parse_args([*first, *first])[0] is not None  # the same value twice is that value


def test_repeatable_flags_still_repeat_and_beams_single_flags_are_given_once():
    from pipeline.run import UsageError, beam_flags_given_once

    args, extra = parse_args(["--input", "a", "--input", "b", "--set", "x.y=1", "--set", "x.y=2", "--dedup-against", "r1",
                              "--dedup-against", "r2", "--overwrite", "--overwrite", "--experiments", "e1", "--experiments", "e2"])
    assert (args.input, args.overrides, args.dedup_against, args.overwrite) == (["a", "b"], ["x.y=1", "x.y=2"], ["r1", "r2"], True)
    beam_flags_given_once(extra)  # --experiments appends
    beam_flags_given_once(["--direct_num_workers", "2", "--direct_num_workers=2"])
    with pytest.raises(UsageError, match=r"^--direct_num_workers given twice \(1, then 4\): it takes one value; give it once$"):
        beam_flags_given_once(["--direct_num_workers", "1", "--direct_num_workers=4"])
    with pytest.raises(UsageError, match=r"^--runner given twice \('DirectRunner', then 'FlinkRunner'\)"):
        beam_flags_given_once(["--runner", "DirectRunner", "--runner=FlinkRunner"])


def test_numbers_with_leading_zeros_are_decimal_and_base_60_is_text(tmp_path):
    # hostile round 30: PyYAML reads YAML 1.1, where `010` is octal: `--set write.num_shards=010`
    # wrote 8 shards and `near_dedup.seed: 012345` seeded 5349 without a word, while `08` was
    # "expected an integer, got '08'"; `1:30` was base 60, 90
    cfg = load_config(None, ["write.num_shards=010", "near_dedup.seed=012345", "clean.max_lines=08", "extract.timeout_s=020.5"])
    assert (cfg.write.num_shards, cfg.near_dedup.seed, cfg.clean.max_lines, cfg.extract.timeout_s) == (10, 12345, 8, 20.5)
    path = tmp_path / "c.yaml"
    path.write_text("write:\n  num_shards: 0_10\nnear_dedup:\n  seed: -0\n", encoding="utf-8")
    assert (load_config(path).write.num_shards, load_config(path).near_dedup.seed) == (10, 0)
    for written, kind in (("write.num_shards=1:30", "an integer"), ("extract.timeout_s=1:30", "a number"),
                          ("extract.timeout_s=1:30.5", "a number")):
        with pytest.raises(ConfigError, match=rf"^{written.split('=')[0]}: expected {kind}, got '{written.split('=')[1]}'$"):
            load_config(None, [written])
    assert load_config(None, ["read.text_field=1:30"]).read.text_field == "1:30"
    # the other forms as before
    assert [load_config(None, [f"write.num_shards={v}"]).write.num_shards for v in ("0x10", "0b11", "1_0", "0", "+7")] == [16, 3, 10, 0, 7]


def test_yaml_words_for_booleans_are_words_where_text_is_expected(tmp_path):
    # hostile round 28: PyYAML reads YAML 1.1, where yes/no/on/off are booleans: Norwegian's code
    # `no` in a language list was refused as "expected a string, got False", a field named `on` as
    # True, and a section `on:` was "unknown config key True"
    cfg = load_config(None, ["language.allowed=[en, no]", "read.text_field=on", "pii.enabled=off", "quality.annotate_only=Yes"])
    assert (cfg.language.allowed, cfg.read.text_field, cfg.pii.enabled, cfg.quality.annotate_only) == (("en", "no"), "on", False, True)
    assert [type(v) for v in (cfg.language.allowed[1], cfg.read.text_field, cfg.pii.enabled)] == [str, str, bool]
    assert cfg.digest() == load_config(None, ["language.allowed=['en', 'no']", "read.text_field='on'", "pii.enabled=false",
                                              "quality.annotate_only=true"]).digest()
    path = tmp_path / "c.yaml"
    path.write_text("pii:\n  enabled: no\nlanguage:\n  allowed: [en, no]\n", encoding="utf-8")
    cfg = load_config(path)
    assert (cfg.pii.enabled, cfg.language.allowed) == (False, ("en", "no"))
    path.write_text("on: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^unknown config key 'on' \(known: "):
        load_config(path)
    with pytest.raises(ConfigError, match=r"^write.num_shards: expected an integer, got 'yes'$"):
        load_config(None, ["write.num_shards=yes"])
