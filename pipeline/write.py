"""Writing the outputs as Parquet (`WriteParquet`): the pyarrow schemas of clean, rejected and
failed rows, and each record as its row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import apache_beam as beam
import pyarrow as pa

from pipeline.charsets import SURROGATE
from pipeline.sized_parquet import SizedWriteToParquet
from transforms.quality import SIGNALS
from transforms.records import (
    Document,
    Failure,
    Rejection,
)

SCHEMA_VERSION = "8"  # 2: q_<signal> quality columns; 3: removed_examples (a few removed lines per rule, for the report); 4: q_lower_sentence_start_frac; 5: q_prose_line_count, q_prose_char_frac; 6: pii_counts; 7: q_lede_line_count, q_lede_sentence_count, q_code_line_count, q_top_5gram_unit_frac; 8: q_list_topic_frac
CODECS = ("zstd", "snappy", "gzip", "brotli", "lz4", "none")



@dataclass(frozen=True)
class WriteConfig:
    codec: str = "zstd"
    num_shards: int = 0  # 0: the runner chooses, sized to the data
    record_batch_size: int = 1000
    # Each writer starts a new file once it has written this many bytes (checked after each row
    # group), so a big run gives many files of a size readers and uploads handle well.
    max_file_bytes: int = 256 << 20
    row_group_bytes: int = 64 << 20  # Arrow bytes buffered into one row group (Beam's default)

    def __post_init__(self) -> None:
        # checked here so a typo is a config error before the run, not a crash in the sink
        if self.codec not in CODECS:
            raise ValueError(f"write.codec must be one of {', '.join(CODECS)}, not {self.codec!r}")



_RULE_COUNTS = pa.list_(pa.struct([("rule", pa.string()), ("count", pa.int32())]))

# A few removed lines per rule and document (clean.max_examples), so the report can show real examples.
_REMOVED_EXAMPLES = pa.list_(pa.struct([("rule", pa.string()), ("line", pa.string())]))

# Personal data replaced in the text, per kind (transforms/pii.py)
_PII_COUNTS = pa.list_(pa.struct([("kind", pa.string()), ("count", pa.int32())]))
_DOC_FIELDS = [
    pa.field("id", pa.string(), nullable=False),
    pa.field("url", pa.string()),
    pa.field("domain", pa.string()),
    pa.field("title", pa.string()),
    pa.field("text", pa.string()),
    pa.field("source", pa.string()),
    pa.field("source_format", pa.string()),
    pa.field("position", pa.int64()),
    pa.field("published", pa.string()),
    pa.field("author", pa.string()),
    pa.field("sitename", pa.string()),
    pa.field("flags", pa.list_(pa.string())),
    pa.field("chars_in", pa.int64()),
    pa.field("lines_removed", pa.int32()),
    pa.field("chars_removed", pa.int64()),
    pa.field("rule_counts", _RULE_COUNTS),
    pa.field("language", pa.string()),
    pa.field("language_score", pa.float32()),
    pa.field("text_hash", pa.string()),
    pa.field("dup_cluster", pa.string()),
    pa.field("dup_cluster_size", pa.int32()),
    pa.field("removed_examples", _REMOVED_EXAMPLES),
    pa.field("pii_counts", _PII_COUNTS),
]

# One float64 column per quality signal, q_<signal>; null where the signal does not apply.
_DOC_FIELDS += [pa.field(f"q_{name}", pa.float64()) for name in SIGNALS]
CLEAN_SCHEMA = pa.schema(_DOC_FIELDS)
REJECTED_SCHEMA = pa.schema(
    _DOC_FIELDS
    + [
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("stage", pa.string()),
        pa.field("duplicate_of", pa.string()),
    ]
)
FAILED_SCHEMA = pa.schema(
    [
        pa.field("stage", pa.string(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("position", pa.int64()),
        pa.field("id", pa.string()),
        pa.field("error_type", pa.string()),
        pa.field("message", pa.string()),
        pa.field("traceback", pa.string()),
    ]
)



def doc_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "url": doc.url,
        "domain": doc.domain,
        "title": doc.title,
        "text": doc.text,
        "source": doc.source,
        "source_format": doc.source_format,
        "position": doc.position,
        "published": doc.published,
        "author": doc.author,
        "sitename": doc.sitename,
        "flags": list(doc.flags),
        "chars_in": doc.chars_in,
        "lines_removed": doc.lines_removed,
        "chars_removed": doc.chars_removed,
        "rule_counts": [{"rule": r, "count": n} for r, n in doc.rule_counts],
        "language": doc.language,
        "language_score": doc.language_score,
        "text_hash": doc.text_hash,
        "dup_cluster": doc.dup_cluster,
        "dup_cluster_size": doc.dup_cluster_size,
        "removed_examples": [{"rule": r, "line": line} for r, line in doc.removed_examples],
        "pii_counts": [{"kind": k, "count": n} for k, n in doc.pii_counts],
        **{f"q_{name}": doc.signals.get(name) for name in SIGNALS},
    }



def rejected_row(rej: Rejection) -> dict[str, Any]:
    row = doc_row(rej.doc)
    row.update(reason=str(rej.reason), detail=rej.detail, stage=rej.stage, duplicate_of=rej.duplicate_of)
    return row



def failed_row(f: Failure) -> dict[str, Any]:
    return {
        "stage": f.stage,
        "source": f.source,
        "position": f.position,
        "id": f.id,
        "error_type": f.error_type,
        "message": f.message,
        "traceback": f.traceback,
    }



def _safe_text(row: dict[str, Any]) -> dict[str, Any]:
    # Lone surrogates (from JSON "\ud800") cannot be encoded as UTF-8 by Arrow: replace them.
    for key, value in row.items():
        if isinstance(value, str):
            row[key] = value.encode("utf-8", "replace").decode("utf-8") if SURROGATE.search(value) else value
        elif key == "removed_examples":  # removed lines are cut from the same text: same treatment
            row[key] = [_safe_text(dict(item)) for item in value]
    return row



def identity_row(row: dict[str, Any]) -> dict[str, Any]:
    return row



def with_run_metadata(schema: pa.Schema, metadata: Mapping[str, str]) -> pa.Schema:
    return schema.with_metadata({"schema_version": SCHEMA_VERSION, **metadata})



class WriteParquet(beam.PTransform):
    """Rows (dicts fitting `schema`) -> Parquet files under `prefix` (zstd, sharded by the runner)."""

    def __init__(self, prefix: str, schema: pa.Schema, cfg: WriteConfig, to_row):
        super().__init__()
        self.prefix = prefix
        self.schema = schema
        self.cfg = cfg
        self.to_row = to_row

    def expand(self, pcoll: beam.PCollection) -> beam.pvalue.PDone:
        return (
            pcoll
            | "ToRow" >> beam.Map(lambda x, f=self.to_row: _safe_text(f(x)))
            | "Write"
            >> SizedWriteToParquet(
                self.prefix,
                self.schema,
                max_file_bytes=self.cfg.max_file_bytes,
                codec=self.cfg.codec,
                record_batch_size=self.cfg.record_batch_size,
                row_group_buffer_size=self.cfg.row_group_bytes,
                file_name_suffix=".parquet",
                num_shards=self.cfg.num_shards,
            )
        )
