"""Reading a CSV or TSV file of records (a header row, then one record a row) as it streams.

News datasets are often shipped as CSV (Kaggle's "All the News", exports from spreadsheets and
databases), with article text in quoted fields that span lines; datatrove reads CSV too. Each row
becomes a record keyed by the header's names and is mapped as a JSON record is (`read.*_field`).

The bytes (UTF-16/32 with a BOM already handed out as UTF-8 by `Utf8Read`) are decoded as the
whole file is: UTF-8 (a BOM dropped), or, when the first megabyte is not UTF-8 (Excel's "CSV" is
the Windows code page), what `fallback` picks there (the reader's charset detection), named in
each record's flags. A row longer than the read limit (`read.max_document_bytes`, in characters:
a 20 MB article in one quoted field) is handed out as an `OversizedRow` (rejected
`document_too_large`, as a JSONL line over the limit is) and the file reads on past it: the rest
of the row is scanned for its end (`scan_quotes`: a quoted field ends at a quote not followed by
another) a piece of a line at a time, never held. A quote left open to the end of the file, or a
row running past `read.max_record_bytes` (`RecordTooLarge`), stops the file there (the rest is
one failed record). A quote left open that a later row closes makes one row of many: that row fails
(`MalformedRow`) and the file reads on (`stray_quote`).
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from typing import Callable, Collection, Iterator, NoReturn

from pipeline.splits import RecordTooLarge

_HEAD = 1 << 20  # bytes the encoding is judged on
# A line ends at "\r\n", "\n" or a lone "\r" (Excel for Mac's "CSV (Macintosh)"): the csv module
# reads each as a row's end, but a "\r" inside a line it is handed outside quotes is an error
# ("new-line character seen in unquoted field"), which failed every row of such a file as one.
_LINE_END = re.compile(r"\r\n|\r|\n")
_CHUNK = 1 << 20


class MalformedRow(csv.Error):
    """A row quoted as no CSV writer quotes: handed out in its record's place, so that record
    fails with it and the rows after it are still read."""


@dataclass(frozen=True)
class OversizedRow:
    """A row longer than the read limit, handed out in its record's place (the caller rejects it as
    `document_too_large`): its first characters and where it stood."""

    preview: str
    detail: str


class _RowTooLarge(csv.Error):
    """Raised by the line source, through the csv module, when the row being read runs past the
    limit; the source has already read past the row's end (`end`: "row", or "file" when the file
    ends inside its quote, or "record_limit" when the row ran past read.max_record_bytes)."""

    def __init__(self, first_line: int, last_line: int, end: str, preview: str):
        super().__init__(f"the row from line {first_line} of the file runs past read.max_document_bytes characters")
        self.first_line, self.last_line, self.end, self.preview = first_line, last_line, end, preview


def iter_csv_records(
    read: Callable[[int], bytes], delimiter: str, limit: int, fallback: Callable[[bytes], tuple[str, str]],
    unique: Collection[str] = (), record_limit: int = 0,
) -> tuple[tuple[str, ...], Iterator[tuple[int, dict]]]:
    """(flags for every record, (position, row as a dict, or a MalformedRow or OversizedRow for
    that record)) of the file read through `read`; rows that are blank are not records. A row of
    more than `limit` characters is an OversizedRow, skipped to its end without being held; one
    running past `record_limit` characters (0: no cap) stops the file. `fallback(head)` gives the (codec, flag) for bytes that are not
    UTF-8 (pipeline.charsets.fallback_codec). A header that names one of `unique` (the mapped fields)
    twice raises RepeatedColumn: a row as a dict keeps the last, and the article was replaced by
    the other column's value without a word."""
    head, broke = b"", None
    try:
        while len(head) < _HEAD and (chunk := read(_HEAD - len(head))):
            head += chunk
    except Exception as exc:  # noqa: BLE001 - raised again where the rows reach the break
        # a .csv.gz cut short (or past the inflation cap) within its first megabyte: its rows
        # before the break are read, as a JSONL file's are; the whole file used to be one failure
        broke = exc
    codec, flags = "utf-8", ()
    if head.startswith(codecs.BOM_UTF8):
        head, flags = head[3:], ("bom_removed",)
    try:
        head[: len(head) - 3].decode("utf-8")  # a character cut at the end of the head is no error
    except UnicodeDecodeError:
        codec, flag = fallback(head)
        flags = (*flags, flag)
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    delimiter = file_delimiter(head[:_HEADER_PEEK].decode(codec, errors="replace"), delimiter)

    def lines() -> Iterator[tuple[str, bool]]:
        """(text, whether it ends a line): each line, and a line longer than `limit` characters
        in pieces of at least that (the last one ending the line), so that no line is held whole."""
        pending, chunk = "", head
        while True:
            text = pending + decoder.decode(chunk, final=not chunk)
            # a "\r" at the end may be the first half of a "\r\n": it waits for the next chunk;
            # the rest of what was pending holds no line end and is not scanned again (a long line)
            end = len(text) - 1 if chunk and text.endswith("\r") else len(text)
            start = 0
            for line_end in _LINE_END.finditer(text, max(len(pending) - 1, 0), end):
                yield text[start : line_end.end()], True
                start = line_end.end()
            pending = text[start:]
            if not chunk:
                if pending:
                    yield pending, True
                return
            if end - start > limit:  # a piece of a long line; a "\r" held back stays held
                yield text[start:end], False
                pending = text[end:]
            if broke is not None:
                raise broke
            chunk = read(_CHUNK)

    source = _LineSource(lines(), limit, record_limit, delimiter)
    consumed = source.consumed  # the lines of the row being read

    def rows() -> Iterator[tuple[int, dict]]:
        csv.field_size_limit(max(limit + 1, 131072))  # per process, the same value on every call
        reader = csv.reader(source, delimiter=delimiter)
        header = next(reader, None)
        while header is not None and (not any(v.strip() for v in header) or _SEP_LINE.fullmatch(consumed[-1].strip())):
            # blank lines and Excel's `sep=;` line before the header: every row used to fail
            # against a header of no names (or of `sep=`); the delimiter was judged on the header
            source.row_read()
            header = next(reader, None)
        if header is None:
            return
        source.row_read()  # the header's lines are no row's: the first row was judged and numbered with them
        names = [name.strip() for name in header]
        if twice := sorted({name for name in names if name in unique and names.count(name) > 1}):
            raise RepeatedColumn(f"column {twice[0]!r} appears {names.count(twice[0])} times in the header: which one holds "
                                 "the record cannot be told; rename the others")
        position = 0
        held, held_lines = None, []  # each row waits for the next: the last one is checked at the end
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except _RowTooLarge as big:  # the source read past the row's end: the file reads on
                if held is not None:
                    yield held
                    held = None
                lines_of = f"line {big.first_line}" if big.first_line == big.last_line else f"lines {big.first_line}-{big.last_line}"
                if big.end == "file":
                    raise csv.Error(f"a quote opened in row {position} (line {big.first_line} of the file) is never closed: "
                                    f"the rest of the file (to line {big.last_line}) would be its text, past "
                                    f"read.max_document_bytes={limit} characters") from None
                if big.end == "record_limit":
                    raise RecordTooLarge(f"row {position} (from line {big.first_line} of the file) runs past "
                                    f"read.max_record_bytes={record_limit}; the rest of the file is not read") from None
                yield position, OversizedRow(big.preview, f"row over read.max_document_bytes={limit} ({lines_of} of the file)")
                position += 1
                continue
            except Exception:  # the file stops here (a csv error, or the read: a gzip bomb or cut): the row before it is read
                if held is not None:  # (only a csv error let it out: a .csv.gz cut or past the inflation cap lost it)
                    yield held
                raise
            row_lines = consumed[:]
            source.row_read()
            lines_read = source.lines_read
            if not any(v.strip() for v in values):
                continue
            if held is not None:
                yield held
            row: dict | MalformedRow = dict(zip(names, values))
            if len(row_lines) > 1 and (why := stray_quote(row_lines, delimiter)):
                first = lines_read - len(row_lines) + 1
                row = MalformedRow(
                    f"row {position} (lines {first}-{lines_read} of the file) is quoted as no CSV writer quotes ({why}): "
                    f"a quote opened in it and left open took in the {len(row_lines) - 1} lines after its first, "
                    "which may be rows of their own")
            elif len(row_lines) == 1 and '"' in row_lines[0] and (why := stray_quote(row_lines, delimiter)):
                # a quote no writer wrote, in a row of one line: its text lost its quotes without a word
                if delimiter == "\t" and (literal := tsv_row(row_lines[0], names)):
                    row = literal
                elif '\\"' in row_lines[0]:
                    row = MalformedRow(
                        f"row {position} (line {lines_read} of the file) is quoted as no CSV writer quotes ({why}): its "
                        'quotes are escaped with a backslash (\\"), and read as CSV its text would lose them and keep the '
                        "backslashes")
            elif len(values) > len(names) and any(v.strip() for v in values[len(names) :]):
                row = MalformedRow(
                    f"row {position} has {len(values)} fields and the header {len(names)}: a field holding the delimiter "
                    f"{delimiter!r} is not quoted, and the text past it would be cut off")
            held, held_lines = (position, row), row_lines
            position += 1
        if held is not None:
            if isinstance(held[1], dict) and quote_left_open(held_lines, delimiter):
                raise csv.Error(f"a quote opened in row {held[0]} is never closed: the rows after it were read as its text")
            yield held

    return flags, rows()


_PREVIEW = 1000  # characters of an oversized row kept for its rejection, as JSONL keeps of a long line


class _LineSource:
    """The lines handed to the csv module, one row's at a time in `consumed`. When the row being
    read would run past `limit` characters, it reads on to the row's end itself (`scan_quotes`),
    holding one piece of a line at a time, and raises _RowTooLarge through the csv module, which
    starts afresh on the next line: the rows after it are read. (The csv module would hold the
    field up to its field limit and then stop the file.)"""

    def __init__(self, pieces: Iterator[tuple[str, bool]], limit: int, record_limit: int, delimiter: str):
        self.pieces, self.limit, self.record_limit, self.delimiter = pieces, limit, record_limit, delimiter
        self.consumed: list[str] = []
        self.row_chars = 0
        self.lines_read = 0  # lines of the file read so far, the header's and a skipped row's included

    def __iter__(self) -> _LineSource:
        return self

    def row_read(self) -> None:
        """The csv module made a row of the lines consumed: the next line starts a row."""
        self.consumed.clear()
        self.row_chars = 0

    def __next__(self) -> str:  # a row past the limit: _skip_row raises
        text, whole = next(self.pieces)
        if whole and self.row_chars + len(text) <= self.limit:
            self.consumed.append(text)
            self.row_chars += len(text)
            self.lines_read += 1
            return text
        self._skip_row(text, whole)

    def _skip_row(self, text: str, whole: bool) -> NoReturn:
        first_line = self.lines_read - len(self.consumed) + 1
        preview = ""
        for line in (*self.consumed, text):  # the row's first characters, not a copy of all it holds
            preview += line[: _PREVIEW - len(preview)]
        state, seen, end = START, self.row_chars, "file"
        for line in self.consumed:
            state = scan_quotes(line, state, self.delimiter)
        self.row_read()
        while True:
            seen += len(text)
            if self.record_limit and seen > self.record_limit:  # as a JSONL line past it, read whole or not
                end = "record_limit"
                break
            state = scan_quotes(text, state, self.delimiter)
            if whole:
                self.lines_read += 1
                if state != QUOTED:
                    end = "row"
                    break
            try:
                text, whole = next(self.pieces)
            except StopIteration:  # the file ended inside a quoted field (`whole` is True at the file's end)
                break
        raise _RowTooLarge(first_line, self.lines_read, end, preview[:_PREVIEW])


# Where a CSV row's parse stands between two pieces of its text, as the csv module (not strict,
# doubled quotes) reads: at a field's start, inside an unquoted field, inside quotes, or just past
# a quote inside quotes (a second quote makes it a quote of the text).
START, UNQUOTED, QUOTED, PAST_QUOTE = range(4)


def scan_quotes(text: str, state: int, delimiter: str) -> int:
    """The parse state after `text` (a line with its end, or a piece of one) read from `state`.
    A line end outside quotes ends the row; inside quotes it is the field's. Jumps from quote to
    quote and delimiter to delimiter in C: linear, whatever the text holds."""
    i, n = 0, len(text)
    while i < n:
        if state == QUOTED:
            i = text.find('"', i)
            if i < 0:
                return QUOTED
            state, i = PAST_QUOTE, i + 1
        elif state == PAST_QUOTE:
            c = text[i]
            state = QUOTED if c == '"' else START if c == delimiter else UNQUOTED
            i += 1
        elif state == START and text[i] == '"':
            state, i = QUOTED, i + 1
        else:  # an unquoted field runs to the next delimiter: a quote inside it is text
            i = text.find(delimiter, i)
            if i < 0:
                return UNQUOTED
            state, i = START, i + 1
    return state


class RepeatedColumn(ValueError):
    """A header that names a mapped field twice: the file is one failure."""


# Excel's first line naming the delimiter ("sep=;"), which it writes for and reads from files
# meant for another locale.
_SEP_LINE = re.compile(r'"?sep=(.)"?')


def file_delimiter(head: str, delimiter: str) -> str:
    """The delimiter of a file whose first characters are `head`: the one an Excel `sep=` line
    names, else the header line's (`header_delimiter`: the first line that is not blank)."""
    for line in _LINE_END.split(head):
        if sep := _SEP_LINE.fullmatch(line.strip()):
            return sep.group(1)
        if line.strip():
            return header_delimiter(line, delimiter)
    return delimiter


_SENTINEL = "\x00end of file\x00"
_HEADER_PEEK = 1 << 16  # bytes of the head the header line is looked for in
_OTHER_DELIMITERS = (";", "\t", "|")


def header_delimiter(header: str, delimiter: str) -> str:
    """The delimiter a `.csv` file's header line uses: `delimiter` (a comma) when the line holds
    one, else the one of `;`, tab and `|` it holds most of (spreadsheets in locales whose decimal
    mark is a comma export CSV with semicolons: read with commas, each such row was one field, and
    every record failed for a missing text field). A header without any keeps `delimiter`: a file
    of one column."""
    if delimiter != "," or "," in header:
        return delimiter
    count, best = max((header.count(d), d) for d in _OTHER_DELIMITERS)
    return best if count else delimiter


def tsv_row(line: str, names: list[str]) -> dict | None:
    """A TSV row of one line read as IANA's text/tab-separated-values defines it (no quoting: a
    tab is never inside a field), when it has the header's fields. Read as CSV, a text starting
    `"Quoted" he said` came out as `Quoted he said`. (A CSV row whose quotes are escaped with a
    backslash, MySQL's INTO OUTFILE or `to_csv(escapechar="\\", doublequote=False)`, came out as
    'He said \\hello\\" and left."': it fails instead.)"""
    fields = line.rstrip("\r\n").split("\t")
    return dict(zip(names, fields)) if len(fields) == len(names) else None


def quote_left_open(row_lines: list[str], delimiter: str) -> bool:
    """The row (its lines as read) ends inside a quoted field. The csv module (not strict) then
    takes the rest of the file as that field without a word: a TSV row starting `"Truncated quote`
    swallowed every row after it, and the file read as fewer records than it holds. Read again
    with a line after it, such a row takes that line in too."""
    return list(csv.reader([*row_lines, _SENTINEL], delimiter=delimiter))[-1] != [_SENTINEL]


def stray_quote(row_lines: list[str], delimiter: str) -> str:
    """Why a row read over several lines is not one row as CSV writers write them (Python's csv,
    pandas, Excel, Spark with its default quote escaping), or '' when it is. A writer quotes a
    field holding a line end and doubles each quote inside it, so a quote that closes such a
    field is followed by the delimiter or the line end. The csv module (not strict) reads any
    other quote on: a field whose quote was left open ran on through the rows after it to the
    first quote of a later row (`u3,"Closed"`), and those rows were read, without a word, as
    its text. Strict reading finds that quote. A row that ends inside its quote (the file's last,
    which `quote_left_open` judges) is not judged here."""
    if quote_left_open(row_lines, delimiter):
        return ""
    try:
        list(csv.reader(row_lines, delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return str(exc)
    return ""
