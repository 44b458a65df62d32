"""Typed configuration: frozen dataclasses per stage, loaded from YAML, with `--set` overrides.

YAML sections are named after the stages. Every field has a default; an unknown key or a value of
the wrong type is a `ConfigError` naming the dotted key. YAML is read with `safe_load` and values
are data only: nothing in a config is ever imported or evaluated.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.io import ReadConfig, WriteConfig
from transforms.boilerplate import BoilerplateConfig
from transforms.clean import CleanConfig
from transforms.exact_dedup import ExactDedupConfig
from transforms.extract import ExtractConfig
from transforms.language import LanguageConfig
from transforms.near_dedup import NearDedupConfig
from transforms.pii import PiiConfig
from transforms.prior_dedup import PriorDedupConfig
from transforms.quality import QualityConfig
from transforms.sample import SampleConfig
from transforms.url_filter import UrlFilterConfig


class ConfigError(ValueError):
    """A config file or override that cannot be used; the message names the key."""


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

    def digest(self) -> str:
        """A short hash of the effective config, recorded in the outputs."""
        # Not the runner: every runner gives the same records, so the same hash.
        # Numbers as floats: `50` in a YAML file and `50` as a code default of a float field read
        # back as 50.0 and 50, and must not give two hashes for one config.
        data = _floats({k: v for k, v in self.to_dict().items() if k != "runner"})
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
            raise ConfigError(f"{key}: expected a list, got {value!r}")
        (item_hint, *_) = typing.get_args(hint) or (str,)
        return tuple(_coerce(v, item_hint, f"{key}[{i}]") for i, v in enumerate(value))
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            try:
                return _coerce(value, option, key)
            except ConfigError:
                continue
        raise ConfigError(f"{key}: {value!r} does not fit {hint}")
    if hint is type(None):
        if value is not None:
            raise ConfigError(f"{key}: expected null, got {value!r}")
        return None
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key}: expected an integer, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{key}: expected a number, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{key}: expected a string, got {value!r}")
        return value
    return value


def from_dict(cls: type, data: Any, prefix: str = "") -> Any:
    """Build dataclass `cls` from a mapping, checking every key and type."""
    where = prefix or "config"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        key = f"{prefix}.{unknown[0]}" if prefix else unknown[0]
        raise ConfigError(f"unknown config key '{key}' (known: {', '.join(sorted(names))})")
    kwargs = {name: _coerce(value, hints[name], f"{prefix}.{name}" if prefix else name) for name, value in data.items()}
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def parse_override(item: str) -> tuple[list[str], Any]:
    """`dedup.threshold=0.85` -> (['dedup', 'threshold'], 0.85); the value is read as YAML data."""
    if "=" not in item:
        raise ConfigError(f"--set {item!r}: expected dotted.key=value")
    key, raw = item.split("=", 1)
    parts = key.strip().split(".")
    if not all(parts):
        raise ConfigError(f"--set {item!r}: bad key")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ConfigError(f"--set {item!r}: {exc}") from exc
    return parts, value


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    merged = copy.deepcopy(data)
    for item in overrides:
        parts, value = parse_override(item)
        node = merged
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ConfigError(f"--set {item!r}: '{part}' is not a section")
            node = child
        node[parts[-1]] = value
    return merged


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> Config:
    data: Any = {}
    if path:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"config file not found: {p}")
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{p}: not valid YAML: {exc}".splitlines()[0]) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections")
    return from_dict(Config, apply_overrides(data, overrides or []))
