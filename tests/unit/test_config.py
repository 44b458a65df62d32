"""Config loading: defaults, YAML, overrides, and errors that name the key."""

from __future__ import annotations

import pytest

from pipeline.config import Config, ConfigError, load_config


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
