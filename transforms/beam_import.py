"""Importing Apache Beam without its notice about Google's optional client libraries.

`import apache_beam` imports its BigQuery client module, which logs "apitools not found, and
bigquery client libraries are not available ..." on the root logger whenever the `gcp` extra is
not installed: on every local run, every `python -m pipeline.report` and every
`from transforms import ...`, although nothing here uses BigQuery. `import_beam()` drops that one
record, from that one module, while Beam is first imported; every other warning still shows.
"""

from __future__ import annotations

import logging
import sys

_NOTICE = "apitools not found"
_SOURCE = "apache_beam/io/gcp/internal/clients/bigquery"


class _ApitoolsNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        source = record.pathname.replace("\\", "/")
        return not (_SOURCE in source and record.getMessage().startswith(_NOTICE))


def import_beam() -> None:
    """Import apache_beam (once per process) with its GCP notice filtered out."""
    if "apache_beam" in sys.modules:
        return
    notice = _ApitoolsNotice()
    root = logging.getLogger()
    root.addFilter(notice)
    try:
        import apache_beam  # noqa: F401
    finally:
        root.removeFilter(notice)
