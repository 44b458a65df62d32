"""A record's mapped fields found by name (`read.*_field`): a dotted name reaches into nested
objects, and the names set away from their defaults are tallied, so a run can say when one found
nothing at all."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping
from typing import Any

from pipeline.formats import BadRecord, ReadConfig

# The mapping's settings, in the order their warnings are given.
FIELD_KEYS = ("id_field", "url_field", "title_field", "text_field", "published_field", "html_field")
# What a record lacks where a name finds nothing: a key there with the value null is found.
ABSENT = object()


def field_value(record: Mapping[str, Any], name: str) -> Any:
    """The value `name` finds in `record` (`field_path`), else ABSENT."""
    value = record.get(name, ABSENT)
    if value is not ABSENT or "." not in name:  # the common case, without making the path
        return value
    steps = field_path(record, name)
    return steps[-1][0][steps[-1][1]] if steps else ABSENT


def field_path(record: Mapping[str, Any], name: str, _above: str = "") -> list[tuple[Mapping[str, Any], str]]:
    """The (object, key) steps `name` takes through `record`, the last one's key holding the
    value; [] where it finds nothing.

    A dotted name reaches into nested objects (JSON objects, Parquet structs): `metadata.url` is
    the `url` of the record's `metadata`, as datatrove and dolma nest a page's URL and date. A key
    that is the whole name, dot and all, wins: it is what the name meant before dots reached
    inside, and a CSV header or a flat export's column (`meta.title`) can only be found so. Else the
    longest leading part that is a key is followed (`a.b.c` in `{"a.b": {"c": 1}}`), and only it:
    no second path is tried, so which value a name finds never hangs on another branch's content.
    A part that is a string or a number finds nothing. A part that is a list (a JSON array, a
    Parquet list, or a Parquet map, which reads as a list of pairs) raises BadRecord: which of its
    elements the name meant cannot be told, and finding nothing there left the field empty without
    a word in each record so shaped (hostile round 24)."""
    if name in record:
        return [(record, name)]
    for head, rest in leading_parts(name):
        if head in record:
            inner = record[head]
            if isinstance(inner, (list, tuple)):
                raise BadRecord(_not_an_object(_above + name, _above + head, inner))
            steps = field_path(inner, rest, f"{_above}{head}.") if isinstance(inner, Mapping) else []
            return [(record, head), *steps] if steps else []
    return []


def _not_an_object(name: str, part: str, value: list | tuple) -> str:
    # a Parquet map reads as a list of (key, value) tuples; a JSON array never holds a tuple
    if value and isinstance(value[0], tuple):
        return f"field {name!r}: {part!r} is a Parquet map, and a dotted name reaches into objects (JSON objects, Parquet structs) only"
    return (f"field {name!r}: {part!r} is a list, and a dotted name reaches into objects (JSON objects, Parquet structs) "
            "only: which of its elements is meant cannot be told")


@functools.lru_cache(maxsize=256)
def leading_parts(name: str) -> tuple[tuple[str, str], ...]:
    """(leading part, the rest) at each dot of `name`, the longest leading part first: made once
    per name, not per record (a name of many dots would cost its length squared a record)."""
    parts = name.split(".")
    return tuple((".".join(parts[:cut]), ".".join(parts[cut:])) for cut in range(len(parts) - 1, 0, -1))


@functools.lru_cache(maxsize=256)
def quoted_starts(name: str) -> tuple[str, ...]:
    """What a JSON line must hold twice for `name` to be given twice along its path: the name
    quoted whole when it has no dot; else each dotted part after an opening quote (`"metadata`,
    `"url`), since every key the path can take starts with one of them. Counting these stays
    linear in the name's parts; a line they match more than once is only parsed again. A name
    beyond ASCII is looked for as written and as `\\u` escapes, as JSON may hold it either way."""
    dotted = "." in name
    parts = dict.fromkeys(name.split(".")) if dotted else (name,)
    forms = (json.dumps(part, ensure_ascii=ascii) for part in parts for ascii in (False, True))
    return tuple(dict.fromkeys(form[:-1] if dotted else form for form in forms))  # a part: its opening quote only


def mapped_values(record: Mapping[str, Any], cfg: ReadConfig) -> dict[str, Any]:
    """Each `read.*_field` setting's value in `record`: None where the name is empty, ABSENT where
    it finds nothing."""
    names = (cfg.id_field, cfg.url_field, cfg.title_field, cfg.text_field, cfg.published_field, cfg.html_field)  # FIELD_KEYS' order
    return {key: field_value(record, name) if name else None for key, name in zip(FIELD_KEYS, names)}


def watched_fields(cfg: ReadConfig) -> tuple[str, ...]:
    """The settings given a name other than their default: a name a user chose, whose finding
    nothing is most likely a mistake. A default name found nowhere is only a layout without that
    field (most JSONL has no `published`), and saying so on every run would teach users to skip
    the warnings."""
    defaults = ReadConfig()
    return tuple(key for key in FIELD_KEYS if getattr(cfg, key) and getattr(cfg, key) != getattr(defaults, key))


@dataclasses.dataclass
class FieldsFound:
    """How many records a read task mapped, and in how many each watched setting found something:
    one small dict a task, summed for the run's report (`absent_field_warnings`).

    A task that reads a whole file and finds nothing for a setting counts that file in
    `files_without`; a task of part of a file (a byte range, a run of row groups) gives its counts
    under the file's name in `parts`, summed with the file's other parts, whose verdict is the
    file's. So the dicts stay small: a name per split file, not per file."""

    watched: tuple[str, ...]
    file: str = ""  # the file the task reads, as records name it
    whole: bool = True  # the task reads the whole file
    records: int = 0
    found: dict[str, int] = dataclasses.field(default_factory=dict)

    def add(self, values: Mapping[str, Any]) -> None:
        self.records += 1
        for key in self.watched:
            if values[key] is not ABSENT:
                self.found[key] = self.found.get(key, 0) + 1

    def stats(self) -> dict[str, Any]:
        """The counts as the report's stats merge them (numbers summed key by key)."""
        found = {key: self.found.get(key, 0) for key in self.watched}
        out: dict[str, Any] = {"records": self.records, "found": found}
        if not self.whole:
            out["parts"] = {self.file: {"records": self.records, "found": dict(found)}}
        elif without := {key: 1 for key, n in found.items() if not n}:
            out["files_without"] = without
        return {"read_fields": out}


def files_without(read_fields: Mapping[str, Any]) -> dict[str, int]:
    """For each watched setting found in some record of the run, the files read by field name in
    none of whose records it found anything (whole files, and split files by their parts summed)."""
    found = read_fields.get("found", {})
    counts = dict(read_fields.get("files_without", {}))
    for part in read_fields.get("parts", {}).values():
        for key, n in part.get("found", {}).items():
            if part.get("records") and not n:
                counts[key] = counts.get(key, 0) + 1
    return {key: counts[key] for key in FIELD_KEYS if counts.get(key) and found.get(key)}


def read_fields_report(read_fields: Mapping[str, Any]) -> dict[str, Any]:
    """`read_fields` as report.json gives it: records and found, and `files_without` where a setting
    found something in some files and nothing in others (the parts of split files left out)."""
    out = {key: read_fields[key] for key in ("records", "found") if key in read_fields}
    if without := files_without(read_fields):
        out["files_without"] = without
    return out


def absent_field_warnings(read_fields: Mapping[str, Any], read_cfg: Mapping[str, Any]) -> list[str]:
    """A line for each watched setting that found nothing in any record of the run, and one for
    each that found nothing in some files while it found something in others.

    Judged over the run first: one mapping serves every file, so a name found in none of them is
    the mistake (a typo, a nested field named without its object). A name found in some files only
    is a mix of layouts (last month's dump nesting `metadata.url`, this month's flat `url`): those
    files' field was left empty without a word (hostile round 23), so it is a line too, with the
    count of files."""
    records = int(read_fields.get("records", 0))
    found = read_fields.get("found", {})
    lines = [f"read.{key} {read_cfg.get(key)!r} was found in none of the {records} records read by field name "
             f"(JSON, CSV, Parquet): {_left_empty(key)}; check the name (a dotted name reaches into nested objects: "
             "metadata.url)"
             for key in FIELD_KEYS if key in found and records and not found[key]]
    lines += [f"read.{key} {read_cfg.get(key)!r} was found in {found[key]} of the {records} records read by field name, "
              f"and in no record of {n} file(s): {_left_empty(key, 'in those files')}; do they name it otherwise (two "
              "layouts in one run)?"
              for key, n in files_without(read_fields).items()]
    return lines


def _left_empty(key: str, where: str = "") -> str:
    where = f" {where}" if where else ""
    if key == "text_field":
        return f"every record{where} failed"
    if key == "html_field":
        return f"no record{where} was read as a page"
    if key == "id_field":
        return f"ids{where} were made from the file name and place"
    return f"no record's {key.removesuffix('_field')}{where} was read"
