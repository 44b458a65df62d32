"""Typed configuration: frozen dataclasses per stage, loaded from YAML, with `--set` overrides.

YAML sections are named after the stages. Every field has a default; an unknown key, a value of
the wrong type or a number outside its stated range (`RANGES`, or a field's `metadata["range"]`)
is a `ConfigError` naming the dotted key. YAML is read with a safe loader that also refuses
anchors and aliases (a few hundred bytes of nested aliases expand to gigabytes), and values are
data only: nothing in a config is ever imported or evaluated. Errors quote at most ~80 characters
of a value.

`--config` takes a path or the name of a config shipped in the `configs` package (`flink`,
`configs/flink.yaml`), so the installed `newsclean` command finds them from any folder.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import math
import re
import types
import typing
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import yaml

from pipeline.formats import ReadConfig
from pipeline.write import WriteConfig
from transforms.boilerplate import BoilerplateConfig
from transforms.clean import CleanConfig, CleanFiles, read_clean_files
from transforms.exact_dedup import ExactDedupConfig
from transforms.extract import ExtractConfig
from transforms.language import LanguageConfig
from transforms.near_dedup import NearDedupConfig
from transforms.pii import PiiConfig
from transforms.prior_dedup import PriorDedupConfig
from transforms.quality import QualityConfig
from transforms.sample import SampleConfig
from transforms.side_files import FileTooLarge, read_text_at_most
from transforms.url_filter import UrlFilterConfig


class ConfigError(ValueError):
    """A config file or override that cannot be used; the message names the key."""


def short(value: Any, limit: int = 80) -> str:
    """`repr(value)` cut to about `limit` characters: an error line never echoes a whole value."""
    return cut(repr(value), limit)


def cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


# --- value ranges --------------------------------------------------------------------------------
# Every numeric key of every section has an inclusive range, checked when the config is loaded
# (tests/unit/test_config.py fails for a numeric field without one). A field may carry its own as
# `field(..., metadata={"range": (lo, hi)})`; the table below holds the ranges of the fields that
# do not. An item of a list (`gopher_max_top_ngram_char_frac`) is checked against the field's range;
# null (a switched-off threshold) is always allowed where the type allows it.

BYTES_2G = 1 << 31  # one document, line or page: Parquet strings and Python reads are bounded near here
MANY = 1_000_000  # counts of lines, words, sentences, items: far above any real page
FRACTION = (0.0, 1.0)

RANGES: dict[str, tuple[float, float]] = {
    "read.max_document_bytes": (1, BYTES_2G),
    "read.split_bytes": (0, 1 << 40),  # 0: files read whole
    "sample.fraction": (1e-12, 1.0),  # SampleConfig also refuses 0: a sample of nothing
    "sample.seed": (0, 1 << 62),
    "prior_dedup.max_candidates": (1, 1_000_000),
    # gzip caps (pipeline/inflate.py); ReadConfig also checks max_record_bytes >= max_document_bytes
    "read.max_inflated_bytes": (1 << 20, 1 << 50),
    "read.max_inflation_ratio": (10.0, 1_000_000.0),
    "read.max_record_bytes": (1, 1 << 50),
    "extract.max_html_chars": (1, BYTES_2G),
    "extract.max_html_tags": (1, BYTES_2G),
    "extract.timeout_s": (0.001, 86_400.0),
    "extract.recall_fallback": (0.0, 1000.0),  # ExtractConfig also refuses (0, 1)
    "extract.thread_max_chars": (0, BYTES_2G),
    "clean.title_lookahead": (0, MANY),
    "clean.repeated_line_min_chars": (0, MANY),
    "clean.max_examples": (0, 1000),
    "clean.prose_min_words": (1, MANY),
    "clean.prose_long_words": (1, MANY),
    "clean.nav_line_cost": (0.0, 1e6),
    "clean.nav_max_words": (0, MANY),
    "clean.nav_min_run": (1, MANY),
    "clean.guard_max_prose_share": (0.0, 1.0),  # 1.0 switches the removal guard off
    "clean.body_extend_gap": (0, MANY),  # 0: the body span does not grow over sections
    "clean.chrome_min_lines": (0, MANY),  # 0: the chrome gate is off (place and repeats always count)
    "clean.chrome_head_menu": (1, MANY),
    "clean.chrome_menu_max_words": (1, MANY),
    "clean.guard_listing_words": (0, MANY),  # 0: a listing's items are not held back
    "clean.guard_listing_min_items": (1, MANY),
    "clean.guard_listing_max_run": (0, MANY),  # 0: only a page without paragraph runs is a listing
    "clean.table_min_rows": (0, MANY),  # 0: table rows are judged like any line
    "clean.table_max_cols": (0, MANY),  # below 2: no table one cell a line
    "clean.head_keep_lines": (0, MANY),
    "clean.link_line_ratio": FRACTION,
    "clean.symbol_line_ratio": FRACTION,
    "clean.max_line_chars": (1, BYTES_2G),
    "clean.max_lines": (1, BYTES_2G),
    "clean.classifier_threshold": FRACTION,
    "clean.classifier_restore_threshold": FRACTION,
    "clean.classifier_restore_relative": FRACTION,
    "clean.classifier_restore_full_share": FRACTION,
    "clean.classifier_remove_relative": FRACTION,
    "clean.classifier_restore_min_words": (0, MANY),
    "clean.furniture_threshold": (0.5, 1.0),  # below 0.5 a line more likely content than not would go
    "clean.furniture_max_share": FRACTION,
    "clean.tail_thread_min_lines": (0, MANY),
    "clean.tail_min_share": FRACTION,
    "clean.tail_min_words": (0, MANY),
    "clean.tail_related_max_share": FRACTION,
    "clean.list_min_items": (0, MANY),
    "clean.list_max_gap": (0, MANY),
    "clean.teaser_min_units": (0, MANY),
    "clean.teaser_head_min_words": (0, MANY),
    "clean.teaser_max_words": (0, MANY),
    "clean.blurb_min_units": (0, MANY),
    "clean.blurb_max_words": (0, MANY),
    "clean.glued_teaser_min_units": (0, MANY),
    "clean.anchor_window": (0, MANY),
    "clean.anchor_min_match": FRACTION,
    "clean.anchor_min_share": FRACTION,
    "clean.merged_copy_min_sentences": (0, MANY),
    "clean.merged_copy_share": FRACTION,
    "boilerplate.min_docs": (2, 1 << 40),  # 1 would make every line boilerplate (each is in >= 1 document)
    "boilerplate.max_line_chars": (1, MANY),
    "boilerplate.corpus_min_docs": (2, 1 << 40),
    "boilerplate.max_examples": (0, 1000),
    "boilerplate.domain_shards": (1, 1 << 20),
    "boilerplate.count_shards": (1, 1 << 20),
    "language.min_score": FRACTION,
    "language.seed": (0, (1 << 32) - 1),
    "language.max_chars": (1, BYTES_2G),
    "quality.gopher_min_words": (0, 1e9),
    "quality.gopher_max_words": (1, 1e9),
    "quality.gopher_min_unspaced_chars": (0, 1e9),
    "quality.gopher_min_mean_word_length": (0, 1000),
    "quality.gopher_max_mean_word_length": (1, 1000),
    "quality.gopher_max_hash_word_ratio": (0, 1000),  # per word: may exceed 1
    "quality.gopher_max_ellipsis_word_ratio": (0, 1000),
    "quality.gopher_max_bullet_line_frac": FRACTION,
    "quality.gopher_max_ellipsis_line_frac": FRACTION,
    "quality.gopher_min_alpha_word_frac": FRACTION,
    "quality.gopher_min_stop_words": (0, 1e9),
    "quality.gopher_max_dup_line_frac": FRACTION,
    "quality.gopher_max_dup_para_frac": FRACTION,
    "quality.gopher_max_dup_line_char_frac": FRACTION,
    "quality.gopher_max_dup_para_char_frac": FRACTION,
    "quality.dup_min_chars": (0, MANY),
    "quality.gopher_max_top_ngram_char_frac": FRACTION,
    "quality.gopher_max_dup_ngram_char_frac": FRACTION,
    "quality.c4_min_sentences": (0, 1e9),
    "quality.c4_long_sentence_words": (1, MANY),
    "quality.c4_max_curly_brace_lines": (0, 1e9),
    "quality.c4_max_lorem_ipsum_lines": (0, 1e9),
    "quality.c4_min_terminal_punct_line_frac": FRACTION,
    "quality.c4_max_javascript_line_frac": FRACTION,
    "quality.fineweb_min_line_punct_ratio": FRACTION,
    "quality.fineweb_max_short_line_ratio": FRACTION,
    "quality.fineweb_short_line_chars": (0, MANY),
    "quality.fineweb_short_line_chars_no_space": (0, MANY),
    "quality.fineweb_max_dup_line_char_frac": FRACTION,
    "quality.fineweb_max_list_ratio": (0, 1000),  # line breaks per word
    "quality.prose_max_lower_sentence_start_frac": FRACTION,
    "quality.prose_min_sentence_starts": (0, MANY),
    "quality.prose_page_min_char_frac": FRACTION,
    "quality.prose_page_min_lines": (0, 1e9),
    "quality.prose_page_min_sentences": (0, 1e9),
    "quality.prose_page_min_topic_frac": FRACTION,
    "quality.list_page_min_lede_lines": (0, 1e9),
    "quality.list_page_min_lede_sentences": (0, 1e9),
    "quality.prose_page_max_dup_ngram_char_frac": FRACTION,
    "quality.prose_page_max_top_5gram_unit_frac": (0, 1e9),
    "near_dedup.threshold": (0.01, 1.0),
    "near_dedup.num_perm": (1, 8192),
    "near_dedup.ngram": (1, 100),
    "near_dedup.seed": (0, (1 << 32) - 1),  # numpy's RandomState takes 32-bit seeds
    "near_dedup.bands": (0, 8192),  # 0: derived
    "near_dedup.rows": (0, 8192),
    "near_dedup.min_band_recall": (0.5, 0.999999),
    "near_dedup.max_bucket": (2, 1 << 40),
    "near_dedup.max_rounds": (1, 100),
    "near_dedup.band_shards": (1, 1 << 20),
    # 0: the runner chooses. A fixed count is files per output (clean, rejected, failed, index),
    # empty ones too: 1,048,576 made a one-document run write 4 million Parquet files and still
    # be at it after five minutes (hostile round 18); 1,000 cost 5 s
    "write.num_shards": (0, 10_000),
    "write.record_batch_size": (1, 10_000_000),
    "write.max_file_bytes": (1, 1 << 40),  # tiny values make a file per row group (tests do)
    "write.row_group_bytes": (1, 1 << 34),
}


def known_languages() -> frozenset[str]:
    """The codes the language stage can answer: langdetect's (its profile files), the script
    fallback's, and `und` for no confident answer."""
    from transforms.fast_langdetect import profile_names
    from transforms.language_scripts import LANGUAGES

    return frozenset(profile_names()) | frozenset(LANGUAGES) | {"und"}


def _check_languages(key: str, codes: Any) -> None:
    known = known_languages()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ConfigError(f"{key}: unknown language code {short(unknown[0])}; the language stage knows "
                          f"{', '.join(sorted(known))}")


# Checks of a value beyond its type and range, by dotted key. The quality stage's language lists
# name codes the language stage answers: a typo (`zh_cn`, `zh` for `zh-cn`) applied to no document
# without a word (hostile round 19).
CHECKS: dict[str, Callable[[str, Any], None]] = {
    "language.allowed": _check_languages,
    "quality.stop_words_languages": _check_languages,
    "quality.no_space_languages": _check_languages,
    "quality.syllabic_languages": _check_languages,
    "quality.no_terminal_punct_languages": _check_languages,
}


def field_range(section: str, f: dataclasses.Field) -> tuple[float, float] | None:
    return f.metadata.get("range") or RANGES.get(f"{section}.{f.name}")


def is_numeric(hint: Any) -> bool:
    """int, float, an optional one, or a tuple of them."""
    if hint in (int, float):
        return True
    if typing.get_origin(hint) in (tuple, typing.Union, types.UnionType):
        return any(is_numeric(a) for a in typing.get_args(hint) if a is not Ellipsis)
    return False


def _check_range(key: str, value: Any, bounds: tuple[float, float]) -> None:
    if isinstance(value, tuple):
        for i, v in enumerate(value):
            _check_range(f"{key}[{i}]", v, bounds)
        return
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    lo, hi = bounds
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ConfigError(f"{key}: {_number(value)} is out of range ({_number(lo)} .. {_number(hi)})")


def _number(x: float) -> str:
    if not math.isfinite(x) or abs(x) >= 1e18:
        return cut(repr(x), 40)
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


@dataclass(frozen=True)
class RunnerConfig:
    # Beam pipeline flags (`--runner=FlinkRunner`, `--region=...`) put before the command line's own
    # Beam flags, which win; lets configs/flink.yaml and configs/dataflow.yaml carry a whole run.
    beam_args: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        bad = [a for a in self.beam_args if not a.startswith("--")]
        if bad:
            raise ValueError(f"runner.beam_args must be --flag or --flag=value items, not {bad[0]!r}")


@dataclass(frozen=True)
class Config:
    read: ReadConfig = field(default_factory=ReadConfig)
    sample: SampleConfig = field(default_factory=SampleConfig)
    url_filter: UrlFilterConfig = field(default_factory=UrlFilterConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    pii: PiiConfig = field(default_factory=PiiConfig)
    language: LanguageConfig = field(default_factory=LanguageConfig)
    quality: QualityConfig = field(default_factory=QualityConfig)
    exact_dedup: ExactDedupConfig = field(default_factory=ExactDedupConfig)
    prior_dedup: PriorDedupConfig = field(default_factory=PriorDedupConfig)
    near_dedup: NearDedupConfig = field(default_factory=NearDedupConfig)
    write: WriteConfig = field(default_factory=WriteConfig)
    runner: RunnerConfig = field(default_factory=RunnerConfig)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def digest(self, clean_files: CleanFiles | None = None) -> str:
        """A short hash of the effective config, recorded in the outputs. `clean_files`: the rule
        pack's and weights' texts as the run read them (`read_clean_files`), else read here."""
        # Not the runner: every runner gives the same records, so the same hash.
        # Numbers as floats: `50` in a YAML file and `50` as a code default of a float field read
        # back as 50.0 and 50, and must not give two hashes for one config.
        data = _floats({k: v for k, v in self.to_dict().items() if k != "runner"})
        # what the rule pack and weights files hold, not only their paths: an edited pack is a new config
        data["clean_files"] = (clean_files or read_clean_files(self.clean)).digest()
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _floats(o: Any) -> Any:
    if isinstance(o, dict):
        return {k: _floats(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_floats(v) for v in o]
    return float(o) if isinstance(o, int) and not isinstance(o, bool) else o


def _coerce(value: Any, hint: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value, key)
    if origin is tuple:
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ConfigError(f"{key}: expected a list, got {short(value)}")
        (item_hint, *_) = typing.get_args(hint) or (str,)
        return tuple(_coerce(v, item_hint, f"{key}[{i}]") for i, v in enumerate(value))
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            try:
                return _coerce(value, option, key)
            except ConfigError:
                continue
        raise ConfigError(f"{key}: {short(value)} does not fit {hint}")
    if hint is type(None):
        if value is not None:
            raise ConfigError(f"{key}: expected null, got {short(value)}")
        return None
    if hint is bool:
        if isinstance(value, BoolWord):
            return value.truth
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {short(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key}: expected an integer, got {short(value)}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{key}: expected a number, got {short(value)}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{key}: expected a string, got {short(value)}")
        return str(value)  # a BoolWord as the plain word
    return value


def from_dict(cls: type, data: Any, prefix: str = "") -> Any:
    """Build dataclass `cls` from a mapping, checking every key and type."""
    where = prefix or "config"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {short(data)}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        key = f"{prefix}.{unknown[0]}" if prefix else unknown[0]
        raise ConfigError(f"unknown config key {short(key)} (known: {', '.join(sorted(names))})")
    kwargs = {name: _coerce(value, hints[name], f"{prefix}.{name}" if prefix else name) for name, value in data.items()}
    if prefix:  # a section: its numbers in range, its special keys checked
        for f in dataclasses.fields(cls):
            key = f"{prefix}.{f.name}"
            if f.name in kwargs and (bounds := field_range(prefix, f)) is not None:
                _check_range(key, kwargs[f.name], bounds)
            if f.name in kwargs and key in CHECKS:
                CHECKS[key](key, kwargs[f.name])
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc


class _DataLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors and aliases: a config never needs them, and nested
    aliases (the "billion laughs") expand a few hundred bytes into gigabytes."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, "anchors and aliases (&name, *name) are not allowed in a config",
                                              event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        # PyYAML keeps the last of two equal keys: `quality:` written twice dropped the first
        # section's settings without a word, as an unknown key would have been, had it not been an error
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<:` merges a mapping in; its keys may be overridden
                continue
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"{key!r} is given twice in one mapping", key_node.start_mark)
            seen.add(key if isinstance(key, (str, int, float, bool)) else id(key_node))
        return super().construct_mapping(node, deep)


class BoolWord(str):
    """A YAML 1.1 boolean written as a word (`yes`, `no`, `on`, `off`, any case): true or false
    where a setting is one (`pii.enabled: yes`), the word as written where text is expected. PyYAML
    read them all as booleans: `--set language.allowed='[en, no]'` (Norwegian's code) was refused as
    "expected a string, got False", a field named `on` likewise, and a section `on:` was "unknown
    config key True" (hostile round 28)."""

    truth: bool

    def __new__(cls, word: str, truth: bool) -> BoolWord:
        made = super().__new__(cls, word)
        made.truth = truth
        return made

    def __getnewargs__(self) -> tuple[str, bool]:  # copied (the overrides are deep-copied) and pickled whole
        return str(self), self.truth


def _construct_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool | BoolWord:
    truth = loader.construct_yaml_bool(node)
    return truth if node.value.lower() in ("true", "false") else BoolWord(node.value, truth)


_DataLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)

# PyYAML reads YAML 1.1, whose floats need a dot: `1e-5` was the string '1e-5', and so `--sample
# 0.00001` (Python writes it 1e-05) or `threshold: 8e-1` was "expected a number" (hostile round 8).
# YAML 1.2's float forms are read as floats; the 1.1 forms (a dot, `.inf`, `.nan`) as before.
_DataLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


# YAML 1.1's other number forms that 1.2 dropped: `010` was octal (8; `--set write.num_shards=010`
# wrote 8 shards, `near_dedup.seed: 012345` seeded 5349) while `08` was the text '08' ("expected an
# integer"), and `1:30` was base 60 (90). A number written with leading zeros is decimal, as YAML 1.2
# and every person reads it; base-60 is text, so where a number belongs it is the usual one-line
# error (hostile round 30). `0x10`, `0b10` and `1_000` are read as before.
_LEADING_ZEROS = re.compile(r"[-+]?0[0-9_]+$")  # PyYAML's resolvers `match`: anchored at the start
_DataLoader.add_implicit_resolver("tag:yaml.org,2002:int", _LEADING_ZEROS, list("-+0"))


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    if ":" in node.value:
        return loader.construct_scalar(node)
    if _LEADING_ZEROS.match(node.value):
        return int(node.value.replace("_", ""), 10)
    return loader.construct_yaml_int(node)


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float | str:
    return loader.construct_scalar(node) if ":" in node.value else loader.construct_yaml_float(node)


_DataLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_DataLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def load_yaml(text: str) -> Any:
    """YAML data, safely: no tags that build objects, no anchors or aliases, no nesting that
    PyYAML's recursive composer cannot hold (`[[[[...` a few thousand deep was a RecursionError
    traceback, in a config file and in a --set value: hostile round 9)."""
    try:
        return yaml.load(text, Loader=_DataLoader)  # a SafeLoader subclass: data only
    except RecursionError:
        raise yaml.YAMLError("nested too deeply (a config is a few levels of sections and lists)") from None


def _yaml_error(exc: yaml.YAMLError) -> str:
    """PyYAML's problem and where, on one line, without the source it quotes."""
    problem, mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    if problem and mark is not None:
        return cut(f"{problem} (line {mark.line + 1}, column {mark.column + 1})", 200)
    return cut(" ".join(str(exc).split()), 200)


def parse_override(item: str) -> tuple[list[str], Any]:
    """`dedup.threshold=0.85` -> (['dedup', 'threshold'], 0.85); the value is read as YAML data."""
    if "=" not in item:
        raise ConfigError(f"--set {short(item)}: expected dotted.key=value")
    key, raw = item.split("=", 1)
    parts = key.strip().split(".")
    if not all(parts):
        raise ConfigError(f"--set {short(item)}: bad key")
    try:
        value = load_yaml(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ConfigError(f"--set {short(key)}: not valid YAML: {_yaml_error(exc)}") from exc
    return parts, value


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    merged = copy.deepcopy(data)
    for item in overrides:
        parts, value = parse_override(item)
        node = merged
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ConfigError(f"--set {short(key_of(item))}: {short(part)} is not a section, it holds {short(child)}")
            node = child
        node[parts[-1]] = value
    return merged


def key_of(item: str) -> str:
    return item.split("=", 1)[0]


def packaged_configs() -> list[str]:
    """Names of the configs shipped in the `configs` package (`default`, `flink`, ...)."""
    return sorted(p.name[:-5] for p in resources.files("configs").iterdir() if p.name.endswith(".yaml"))


def shipped_config(name: str) -> Path:
    """The path of a config shipped in the `configs` package, by name (`default`, `flink`, ...)."""
    return Path(str(resources.files("configs").joinpath(f"{name}.yaml")))


def config_path(given: str | Path) -> Path:
    """A config file from `--config`: an existing path, else a shipped config named `flink`,
    `flink.yaml` or `configs/flink.yaml` (what the README writes), found from any folder. An
    existing path that is not a regular file is read as one too, once and under the size cap: a
    pipe (`--config <(...)`, `--config /dev/stdin`) was "config file not found" (hostile round 32)."""
    p = Path(given)
    if p.is_file():
        return p
    if p.is_dir():
        raise ConfigError(f"--config {cut(str(given))} is a folder: name a YAML file (shipped configs: {', '.join(packaged_configs())})")
    if p.exists():
        return p
    name = p.name.removesuffix(".yaml")
    if p.parent in (Path("."), Path("configs")) and name in packaged_configs():
        return shipped_config(name)
    raise ConfigError(f"config file not found: {cut(str(given))} (shipped configs: {', '.join(packaged_configs())})")


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> Config:
    data: Any = {}
    if path:
        p = config_path(path)
        try:
            data = load_yaml(read_text_at_most(p)) or {}
        except FileTooLarge as exc:
            raise ConfigError(f"{p}: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{p}: not UTF-8 text (byte {exc.start}: {exc.reason}); save the config as UTF-8") from exc
        except yaml.YAMLError as exc:
            raise ConfigError(f"{p}: not valid YAML: {_yaml_error(exc)}") from exc
        except OSError as exc:
            raise ConfigError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections")
    return from_dict(Config, apply_overrides(data, overrides or []))
