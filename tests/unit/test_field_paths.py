"""Finding a record's mapped fields by name: dotted names into nested objects, and the run's
warning for a name set away from its default that found nothing."""

from __future__ import annotations

import re

import pytest

from pipeline.field_paths import (
    ABSENT,
    FieldsFound,
    absent_field_warnings,
    field_path,
    field_value,
    mapped_values,
    quoted_starts,
    read_fields_report,
    watched_fields,
)
from pipeline.formats import BadRecord, ReadConfig


@pytest.mark.parametrize("record, name, value", [
    ({"title": "T"}, "title", "T"),
    ({"metadata": {"url": "u"}}, "metadata.url", "u"),  # datatrove's and dolma's layout
    ({"a": {"b": {"c": 1}}}, "a.b.c", 1),
    ({"a": {"b": None}}, "a.b", None),  # there, null: found
    # a key that is the whole name, dot and all, wins over the nested path
    ({"meta.title": "flat", "meta": {"title": "nested"}}, "meta.title", "flat"),
    ({"a": {"b.c": "inner flat", "b": {"c": "deeper"}}}, "a.b.c", "inner flat"),
    # else the longest leading part that is a key, and only it
    ({"a.b": {"c": "long"}, "a": {"b": {"c": "short"}}}, "a.b.c", "long"),
    ({"a.b": {"x": 1}, "a": {"b": {"c": "short"}}}, "a.b.c", ABSENT),
    ({"metadata": "{\"url\": \"u\"}"}, "metadata.url", ABSENT),  # an object stored as a JSON string: no object
    ({"metadata": {}}, "metadata.url", ABSENT),
    ({}, "title", ABSENT),
    ({"title": "T"}, "title.en", ABSENT),
])
def test_a_name_finds_the_whole_key_first_then_the_nested_path(record, name, value):
    assert field_value(record, name) == value  # ABSENT equals only itself


@pytest.mark.parametrize("record, name, message", [
    ({"metadata": [{"url": "u"}]}, "metadata.url", "field 'metadata.url': 'metadata' is a list"),
    ({"a": {"b": []}}, "a.b.c", "field 'a.b.c': 'a.b' is a list"),
    ({"metadata": [("url", "u")]}, "metadata.url", "field 'metadata.url': 'metadata' is a Parquet map"),  # as pyarrow reads a map
])
def test_a_name_that_runs_into_a_list_or_a_map_is_an_error_naming_it(record, name, message):
    # hostile round 24: it found nothing, and the field was left empty without a word in each such record
    with pytest.raises(BadRecord, match=re.escape(message)):
        field_value(record, name)


def test_parquet_lists_and_maps_on_a_dotted_path_fail_each_row_saying_so(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.parquet_rows import mapped_columns

    point = pa.struct([("url", pa.string())])
    table = pa.table({"text": ["a", "b"], "links": pa.array([[{"url": "u"}], []], pa.list_(point)),
                      "meta": pa.array([[("url", "u")], None], pa.map_(pa.string(), pa.string())),
                      "s": pa.array([{"tags": ["x"], "url": "u"}] * 2, pa.struct([("tags", pa.list_(pa.string())), ("url", pa.string())]))})
    pq.write_table(table, tmp_path / "f.parquet")
    pf = pq.ParquetFile(tmp_path / "f.parquet")
    # before: none of these was read (no leaf lies under the name), and each found nothing
    assert mapped_columns(pf, frozenset({"text", "links.url", "meta.url", "s.tags.x", "s.url"})) == ["text", "s.url", "links", "meta", "s.tags"]
    row = pf.read(columns=["text", "links", "meta"]).to_pylist()[0]
    for name, kind in (("links.url", "a list"), ("meta.url", "a Parquet map")):
        with pytest.raises(BadRecord, match=re.escape(f"field {name!r}: {name.split('.')[0]!r} is {kind}")):
            field_value(row, name)


def test_a_path_names_each_object_and_key_it_goes_through():
    record = {"metadata": {"url": "u"}}
    assert field_path(record, "metadata.url") == [(record, "metadata"), (record["metadata"], "url")]
    assert field_path(record, "metadata.date") == []
    # what a line must hold twice for a key on the path to be given twice: every key starts with a part
    assert quoted_starts("text") == ('"text"',)
    assert quoted_starts("metadata.url.url") == ('"metadata', '"url')


def test_only_names_set_away_from_their_defaults_are_watched_and_tallied():
    assert watched_fields(ReadConfig()) == ()
    assert watched_fields(ReadConfig(title_field="title", url_field="")) == ()  # the default, or not read
    cfg = ReadConfig(title_field="metadata.title", text_field="content")
    assert watched_fields(cfg) == ("title_field", "text_field")
    found = FieldsFound(watched_fields(cfg))
    for record in ({"content": "x"}, {"content": "y", "metadata": {"title": None}}, {"metadata": {}}):
        found.add(mapped_values(record, cfg))
    assert found.stats() == {"read_fields": {"records": 3, "found": {"title_field": 1, "text_field": 2}}}


def test_a_watched_name_found_in_no_record_of_the_run_is_one_warning_line():
    read = {"title_field": "meta.title", "id_field": "doc_id", "text_field": "body", "url_field": "url"}
    stats = {"records": 12, "found": {"title_field": 0, "id_field": 0, "text_field": 12}}
    assert absent_field_warnings(stats, read) == [
        ("read.id_field 'doc_id' was found in none of the 12 records read by field name (JSON, CSV, Parquet): ids were made "
         "from the file name and place; check the name (a dotted name reaches into nested objects: metadata.url)"),
        ("read.title_field 'meta.title' was found in none of the 12 records read by field name (JSON, CSV, Parquet): no "
         "record's title was read; check the name (a dotted name reaches into nested objects: metadata.url)"),
    ]
    assert absent_field_warnings({"records": 12, "found": {"title_field": 1}}, read) == []
    assert absent_field_warnings({}, read) == []  # nothing watched, or nothing read by field name


def test_a_watched_name_found_in_some_files_only_is_a_warning_naming_how_many(tmp_path):
    # hostile round 23: `read.url_field=metadata.url` over last month's nested dump and this
    # month's flat one read the flat file's urls as none, without a word: the name was found in
    # the run, so nothing was said. A split file is judged by its parts together
    import json

    from apache_beam import pvalue

    from pipeline.read import FIELDS, ReadFileFn
    from pipeline.report_data import merge_counts
    from pipeline.splits import ReadTask

    cfg = ReadConfig(url_field="metadata.url")
    nested, flat, split = (tmp_path / name for name in ("nested.jsonl", "flat.jsonl", "split.jsonl"))
    nested.write_text("".join(json.dumps({"text": "x", "metadata": {"url": f"https://a.example/{i}"}}) + "\n" for i in range(3)))
    flat.write_text("".join(json.dumps({"text": "x", "url": f"https://b.example/{i}"}) + "\n" for i in range(2)))
    lines = [json.dumps({"text": "x", "metadata": {"url": "https://c.example/"}}) + "\n", json.dumps({"text": "x"}) + "\n"]
    split.write_text("".join(lines))  # its first range finds the url, its second not: the file found it
    tasks = [ReadTask(str(nested)), ReadTask(str(flat)), ReadTask(str(split), 0, len(lines[0])),
             ReadTask(str(split), len(lines[0]), len(lines[0]) + len(lines[1]), 1)]
    stats: dict = {}
    for task in tasks:
        for out in ReadFileFn(cfg).process(task):
            if isinstance(out, pvalue.TaggedOutput) and out.tag == FIELDS:
                merge_counts(stats, out.value)
    read_fields = stats["read_fields"]
    assert read_fields_report(read_fields) == {"records": 7, "found": {"url_field": 4}, "files_without": {"url_field": 1}}
    assert absent_field_warnings(read_fields, {"url_field": "metadata.url"}) == [(
        "read.url_field 'metadata.url' was found in 4 of the 7 records read by field name, and in no record of 1 file(s): no "
        "record's url in those files was read; do they name it otherwise (two layouts in one run)?")]
    # only the split file's parts are kept by name; a name found nowhere is the one line it was
    assert list(read_fields["parts"]) == [str(split)]
    assert read_fields_report({"records": 2, "found": {"url_field": 0}, "files_without": {"url_field": 2}}) == {
        "records": 2, "found": {"url_field": 0}}
