"""Parquet input read row group by row group within the read caps: each group judged by its
pages' headers before it is inflated, read in batches of about 64 MB, its rows handed out one
at a time."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.documents import mapped_fields
from pipeline.field_paths import leading_parts
from pipeline.formats import BadRecord, ReadConfig
from pipeline.inflate import (
    RATIO_FLOOR,
    InflatedTooLarge,
)
from pipeline.parquet_pages import BadPageHeader, ChunkPages, chunk_pages


class UnreadableRowGroup(ValueError):
    """A Parquet row group that cannot be read (a damaged page, a page header that is not one):
    the rows of it not yet read are this one failure; the file's other row groups are read."""



def parquet_rows(source: Any, cfg: ReadConfig, groups: range | None = None) -> Iterator[tuple[int, Callable[[], dict[str, Any]]]]:
    """The rows of the Parquet file `source` (of `groups`, else all), each as (its offset from the
    first row of `groups`, a call that returns it as a dict of the columns the record mapping
    reads); a value Python cannot hold raises for its row alone.

    Only the mapped columns are read: a crawl export's other columns (a nanosecond `fetch_time`, a
    struct of headers) are no input of ours, and a value in one of them that Python cannot hold
    used to fail a whole batch of 1,024 rows in `to_pylist`, and with it the rest of the file
    (3,000 records read as one failure). Nanosecond times (pandas, Spark's INT96) are read at
    microseconds, which `datetime` holds; without pandas, pyarrow refuses any with nanoseconds.

    Row groups are read one by one: each has its own pages, found through the footer, so one that
    cannot be read gives, after the rows read from it, one call raising UnreadableRowGroup, and the
    next is read from its first row. Read as one stream, a damaged group failed the rest of the
    file and the good rows before it in the same batch, while the same file read in runs of row
    groups (read.split_bytes) kept every other group: the outcome hung on the split size.

    A group that inflates past the read caps is one InflatedTooLarge failure for its rows, or for
    its rows not yet read (`group_inflation`, `_DenseBytes`), and the next group is read.
    """
    pf = pq.ParquetFile(source)
    columns = mapped_columns(pf, mapped_fields(cfg))
    if cfg.text_field not in columns:  # a column so named in another case ("Text"): read for the failure's hint
        columns += [name for name in pf.schema_arrow.names if name.lower() == cfg.text_field.lower()][:1]
    top = pf.schema_arrow.names
    # a dotted name's struct counts as read: two `metadata` structs gave the URL of the last
    roots = [root for name in columns if name not in top for root in set(top) if name.startswith(root + ".")]
    if twice := sorted({name for name in columns + roots if top.count(name) > 1}):
        # a row as a dict keeps the last of them: the article was replaced without a word by the
        # other column's value (a one-word `text` rejected as too short, or reaching clean)
        raise BadRecord(f"column {twice[0]!r} appears {top.count(twice[0])} times in the file: which one holds the "
                        "record cannot be told; rename the others")
    # the file read with its mapped columns of strings or bytes as dictionaries (pyarrow reads only
    # such columns so, by name or, inside a struct or list, by leaf path): made for the first group
    # where one of them has a dictionary page
    strings = [name for name in columns if name in top and _values_of(pf.schema_arrow.field(name).type) in _VARIABLE_WIDTH]
    strings += nested_string_leaves(pf, columns)
    as_dictionaries = None
    offset = 0  # of the group's first row
    for group in groups if groups is not None else range(pf.metadata.num_row_groups):
        meta = pf.metadata.row_group(group)
        size, read = meta.num_rows, 0
        try:
            bomb = group_inflation(meta, columns, cfg)
            pages = None if bomb else group_pages(source, meta, columns)
            bomb = bomb or pages_inflation(pages, cfg)
        except BadPageHeader as exc:  # pyarrow would stop at it too: the group's failure, the next group read
            error = UnreadableRowGroup(f"row group {group} cannot be read ({size} rows, this failure): {exc}")
            yield offset, lambda error=error: _raise(error)
            offset += size
            continue
        if bomb:
            error = InflatedTooLarge(f"row group {group} ({size} rows) {bomb}; the next row group is read")
            yield offset, lambda error=error: _raise(error)
            offset += size
            continue
        reader, dense, batch_size = pf, None, rows_per_batch(pages, size)
        try:
            if any(chunk.has_dictionary_page for chunk in _mapped_chunks(meta, strings)):
                if as_dictionaries is None:
                    as_dictionaries = pq.ParquetFile(source, metadata=pf.metadata, read_dictionary=strings)
                reader, dense = as_dictionaries, _DenseBytes(meta, columns, cfg)
            for batch in reader.iter_batches(batch_size=batch_size, row_groups=[group], columns=columns):
                for row in _batch_rows(batch if dense is None else dense.decoded(batch)):
                    yield offset + read, row
                    read += 1
        except InflatedTooLarge as exc:
            error = InflatedTooLarge(f"row group {group}, after {read} of its {size} rows (the rest are this failure), {exc}; "
                                     "the next row group is read")
            yield offset + read, lambda error=error: _raise(error)
        except Exception as exc:  # noqa: BLE001 - the group's failure; the next group is read
            error = UnreadableRowGroup(f"row group {group} cannot be read after {read} of its {size} rows "
                                       f"(the rest are this failure): {type(exc).__name__}: {exc}")
            yield offset + read, lambda error=error: _raise(error)
        offset += size



def mapped_columns(pf: pq.ParquetFile, wanted: frozenset[str]) -> list[str]:
    """The columns to read for the mapped names `wanted`: the top-level columns so named (each as
    often as the file has it), then the dotted names that reach into a struct (`metadata.url`),
    each read as the path to its leaves. Only that leaf is read, not its struct's other fields (a
    raw page beside the URL), and the read caps count it as they count a column (`_mapped_chunks`);
    a top-level column named with the dot is read too, and found first (`field_paths`)."""
    top = pf.schema_arrow.names
    columns = [name for name in top if name in wanted]
    leaves = [pf.schema.column(i).path for i in range(len(pf.schema))]
    columns += sorted(name for name in wanted if name not in top and "." in name and any(_under(path, name) for path in leaves))
    # a dotted name that runs into a list or a map (`metadata.url`, metadata a list of structs)
    # reaches no leaf: its list is read, so that each row fails saying so (`field_paths`), where the
    # name found nothing and the field was left empty without a word (hostile round 24)
    lists = (_list_on_path(pf.schema_arrow, name) for name in wanted if name not in columns and name not in top and "." in name)
    columns += sorted({found for found in lists if found and found not in columns})
    return columns


def _list_on_path(fields: pa.Schema | pa.DataType, name: str, above: str = "") -> str:
    """The part of the dotted `name` that is a list or a map column or struct field on its way
    (`metadata` of `metadata.url`), "" if none: the schema walked as `field_paths.field_path` walks
    a record (the whole name first, then its longest leading part that is a field, and only it)."""
    if fields.get_field_index(name) >= 0:
        return ""
    for head, rest in leading_parts(name):
        if (i := fields.get_field_index(head)) >= 0:
            kind = fields.field(i).type
            if (pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_map(kind) or pa.types.is_fixed_size_list(kind)
                    or pa.types.is_list_view(kind) or pa.types.is_large_list_view(kind)):
                return above + head
            return _list_on_path(kind, rest, f"{above}{head}.") if pa.types.is_struct(kind) else ""
    return ""



def _mapped_chunks(group: Any, columns: list[str]) -> list[Any]:
    """The column chunks of a row group that hold the mapped columns (and their nested leaves), or
    the leaves named by their paths."""
    return [group.column(i) for i in range(group.num_columns) if any(_under(group.column(i).path_in_schema, c) for c in columns)]


def _under(path: str, name: str) -> bool:
    """Whether a leaf's `path` is the column or struct field `name` or lies inside it."""
    return path == name or path.startswith(name + ".")



def nested_string_leaves(pf: pq.ParquetFile, columns: list[str]) -> list[str]:
    """The paths of the string or bytes leaves inside the mapped columns that are structs, lists or
    maps (`title.en`, `title.list.element`), and of those a dotted name reads (`metadata.url`). A
    title written as a struct whose leaf is a dictionary shared by 200 rows of 5 MB (a 1.7 KB file)
    was read as 1 GB, 1.7 GB of memory, before its group was refused (hostile round 21): only
    top-level columns were read as dictionaries and counted."""
    top = set(pf.schema_arrow.names)
    nested = {name for name in columns if name in top and pa.types.is_nested(pf.schema_arrow.field(name).type)}
    inside = tuple(name + "." for name in columns if name not in top)
    return [leaf.path for leaf in (pf.schema.column(i) for i in range(len(pf.schema)))
            if (leaf.path.split(".")[0] in nested or (leaf.path + ".").startswith(inside))
            and leaf.physical_type == "BYTE_ARRAY" and leaf.logical_type.type in ("STRING", "NONE")]



def past_read_caps(inflated: int, compressed: int, cfg: ReadConfig) -> str:
    """Why `inflated` bytes from `compressed` pass the read caps, as a gzip file's are judged; "" if not."""
    compressed = max(1, compressed)
    if inflated > cfg.max_inflated_bytes:
        return f"inflates to {inflated} bytes, past read.max_inflated_bytes={cfg.max_inflated_bytes}: a compression bomb, or a file to split"
    if inflated > RATIO_FLOOR and inflated > cfg.max_inflation_ratio * compressed:
        return (f"inflates {inflated // compressed}-fold ({compressed} bytes to {inflated}), past read.max_inflation_ratio="
                f"{cfg.max_inflation_ratio:g}: a compression bomb")
    return ""



def group_inflation(group: Any, columns: list[str], cfg: ReadConfig) -> str:
    """Why a Parquet row group's mapped columns inflate past the read caps (read.max_inflated_bytes,
    read.max_inflation_ratio past 64 MiB, as for a gzip file), from the sizes its footer gives; ""
    when they do not.

    A Parquet writer compresses pages, and a page is inflated whole: a 97 KB file of 200 rows of
    5 MB of repeated text (one 1 GB zstd page) took 3.1 GB of a worker's memory, and twice the rows
    would have exhausted it. Such a group is one failure for its rows; the file's other groups are
    read (so the outcome does not hang on how the file is split into runs of groups). A footer that
    understates the sizes is not caught here: `group_pages` reads the sizes the pages state."""
    chunks = _mapped_chunks(group, columns)
    return past_read_caps(sum(c.total_uncompressed_size for c in chunks), sum(c.total_compressed_size for c in chunks), cfg)



def group_pages(source: Any, group: Any, columns: list[str]) -> ChunkPages:
    """The pages of a row group's mapped columns, by their own headers (`parquet_pages`): what
    pyarrow will inflate, whatever the footer says. `source` is the open file."""
    def read_at(offset: int, n: int) -> bytes:
        source.seek(offset)
        return source.read(n)

    found = []
    for chunk in _mapped_chunks(group, columns):
        # a dictionary page comes first; some writers store offset 0 for "none" (Arrow reads so too)
        start = chunk.dictionary_page_offset if chunk.has_dictionary_page and chunk.dictionary_page_offset else chunk.data_page_offset
        found.append(chunk_pages(read_at, start, chunk.total_compressed_size, chunk.num_values))
    return ChunkPages(sum(p.inflated for p in found), sum(p.compressed for p in found), max((p.largest for p in found), default=0),
                      sum(p.pages for p in found))



def pages_inflation(pages: ChunkPages | None, cfg: ReadConfig) -> str:
    """Why a row group's pages, by their headers, pass the read caps; "" when they do not.

    The whole group is judged as `group_inflation` judges the footer's sums (a footer that
    understated them passed: a 24 KB file whose footer said 30 KB inflated 200 MB, read whole). And
    pyarrow inflates a page whole, however few rows a batch takes from it: a page past
    read.max_record_bytes is refused, as a record past it in a stream is."""
    if pages is None:
        return ""
    if why := past_read_caps(pages.inflated, pages.compressed, cfg):
        return f"{why} (by its pages' headers)"
    if pages.largest > cfg.max_record_bytes:
        return (f"holds a page that inflates to {pages.largest} bytes, past read.max_record_bytes={cfg.max_record_bytes}: "
                "a page is inflated whole")
    return ""



_BATCH_BYTES = 64 << 20  # what a batch of rows inflates to, on average over its group



def rows_per_batch(pages: ChunkPages | None, rows: int) -> int:
    """How many rows of a group to take a batch, so a batch holds about _BATCH_BYTES (at most 1,024
    rows, at least one). A batch of 1,024 rows of 5 MB was 5 GB as Arrow arrays and as many again as
    Python strings, under every cap; now memory is about one page (at most read.max_record_bytes)
    and one batch, whatever the group's size."""
    if pages is None or rows <= 0:
        return 1024
    return max(1, min(1024, _BATCH_BYTES * rows // max(1, pages.inflated)))



# Arrow's view types too (polars' strings, `pa.string_view()`): a column stored so was not read as
# dictionaries, and 20 rows sharing one 5 MB dictionary value read as 100 MB past a 50 MB cap, as a
# string column did before hostile round 11 (hostile round 21). Read as dictionaries, its values are
# plain strings or bytes.
_VARIABLE_WIDTH = (pa.string(), pa.binary(), pa.large_string(), pa.large_binary(), pa.string_view(), pa.binary_view())



def _values_of(kind: pa.DataType) -> pa.DataType:
    """A column's value type: a column stored with Arrow's dictionary type (a pandas categorical, a
    DictionaryArray written as is) holds strings too, and was read decoded past the caps (200 rows
    sharing one 5 MB value: 1.2 GB through the CLI) because its type is no string type."""
    return kind.value_type if pa.types.is_dictionary(kind) else kind



class _DenseBytes:
    """The bytes a row group's dictionary-encoded columns take once each row holds its value, counted
    batch by batch before a batch is decoded, against the read caps.

    The footer gives a dictionary column's encoded size: each distinct value once, and an index a
    row. A 1.5 KB file of 200 rows that all point at one 5 MB value read as 1 GB (3.4 GB of memory
    through the CLI), and a batch of 1,024 such rows would have been 5 GB. Read as dictionaries, a
    batch's decoded size is the sum of its rows' value lengths, known without decoding it."""

    def __init__(self, group: Any, columns: list[str], cfg: ReadConfig):
        self.compressed = sum(c.total_compressed_size for c in _mapped_chunks(group, columns))
        self.cfg = cfg
        self.inflated = 0

    def decoded(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """`batch` with its dictionary columns decoded; InflatedTooLarge if the group so far passes a cap.
        A dictionary inside a struct or list is left as it is: its rows read as their values."""
        self.inflated += sum(dense_bytes(column) for column in batch.columns)
        if why := past_read_caps(self.inflated, self.compressed, self.cfg):
            raise InflatedTooLarge(why)
        return pa.RecordBatch.from_arrays([c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in batch.columns],
                                          names=batch.schema.names)



def dense_bytes(column: pa.Array) -> int:
    """The bytes `column` takes once each row holds its values: a dictionary's value counted once a
    row that points at it, inside structs, lists and maps too (a struct's children and a list's
    values as the column's rows hold them, its slice and nulls taken into account)."""
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        if kind.value_type in _VARIABLE_WIDTH:
            return pc.sum(pc.take(pc.binary_length(column.dictionary), column.indices)).as_py() or 0
        return column.dictionary.nbytes + column.indices.nbytes  # fixed-width values: no bomb
    if pa.types.is_struct(kind):
        return sum(dense_bytes(child) for child in column.flatten())
    if pa.types.is_fixed_size_list(kind):
        return dense_bytes(column.flatten())
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_map(kind):
        # the values the rows' offsets span (pyarrow has no flatten for a map of dictionaries)
        start, end = column.offsets[0].as_py(), column.offsets[-1].as_py()
        return dense_bytes(column.values.slice(start, end - start))
    return column.nbytes



def _batch_rows(batch: pa.RecordBatch) -> Iterator[Callable[[], dict[str, Any]]]:
    """A batch's rows as calls; a value Python cannot hold raises for its row alone."""
    batch = _at_microseconds(batch)
    try:
        rows = batch.to_pylist()
    except (ValueError, OverflowError):  # a date past year 9999, say: found and failed row by row
        return (lambda i=i: _row_of(batch, i) for i in range(batch.num_rows))
    return (lambda row=row: row for row in rows)



def _raise(error: Exception) -> Any:
    raise error



def _at_microseconds(batch: pa.RecordBatch) -> pa.RecordBatch:
    columns = []
    for column in batch.columns:
        if (kind := _in_microseconds(column.type)) != column.type:
            column = column.cast(kind, safe=False)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)



def _in_microseconds(kind: pa.DataType) -> pa.DataType:
    """`kind` with its nanosecond times at microseconds, inside structs too: a dotted name reads a
    struct's leaf (`metadata.date`, a pandas timestamp), and it failed each row as a value Python
    cannot read."""
    if pa.types.is_timestamp(kind) and kind.unit == "ns":
        return pa.timestamp("us", kind.tz)
    if pa.types.is_time64(kind) and kind.unit == "ns":
        return pa.time64("us")
    if pa.types.is_struct(kind):
        return _fields_as(kind, _in_microseconds)
    return kind



def _row_of(batch: pa.RecordBatch, i: int) -> dict[str, Any]:
    row = {}
    for name, column in zip(batch.schema.names, batch.columns):
        try:
            row[name] = column[i].as_py()
        except UnicodeDecodeError:
            # a string column whose writer did not check its bytes (Spark, Hive and C++ writers
            # accept any): handed on as bytes, which the mapping decodes as it decodes a file
            if (binary := _as_binary(column.type)) == column.type:
                raise BadRecord(f"field {name!r} holds text that is not UTF-8") from None
            row[name] = column.slice(i, 1).cast(binary)[0].as_py()
        except (ValueError, OverflowError) as exc:
            raise BadRecord(f"field {name!r} holds a value Python cannot read: {exc}") from exc
    return row



_BINARY_OF = {pa.string(): pa.binary(), pa.large_string(): pa.large_binary(), pa.string_view(): pa.binary_view()}



def _as_binary(kind: pa.DataType) -> pa.DataType:
    """`kind` with its strings as bytes, inside structs too (a dotted name's leaf, `metadata.id`,
    read as a dictionary when its pages hold one: decoded to its bytes)."""
    if pa.types.is_struct(kind):
        return _fields_as(kind, _as_binary)
    if pa.types.is_dictionary(kind) and kind.value_type in _BINARY_OF:
        return _BINARY_OF[kind.value_type]
    return _BINARY_OF.get(kind, kind)



def _fields_as(kind: pa.DataType, change: Callable[[pa.DataType], pa.DataType]) -> pa.DataType:
    """The struct type `kind` with `change` applied to each field's type (names and nullability kept)."""
    return pa.struct([kind.field(i).with_type(change(kind.field(i).type)) for i in range(kind.num_fields)])
