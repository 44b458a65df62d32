"""pipeline/csv_rows.py: CSV and TSV files as records, streamed."""

from __future__ import annotations

import csv
import io
import random

import pytest

import pipeline.csv_rows as csv_rows
from pipeline.csv_rows import iter_csv_records
from pipeline.decoding import Utf8Read
from pipeline.charsets import fallback_codec
from pipeline.documents import csv_document, mapped_document
from pipeline.formats import format_of, ReadConfig
from pipeline.splits import RecordTooLarge

ROWS = [
    {"id": "a1", "title": "Harbour wall", "text": 'The council voted, at last.\nEngineers said "eighteen months".\n\nA second paragraph.'},
    {"id": "a2", "title": "Zürich – Bahnhof", "text": "Die Brücke bleibt gesperrt, sagte die Bürgermeisterin."},
]


def _csv(rows, delimiter=",", lineterminator="\r\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "title", "text"], delimiter=delimiter, lineterminator=lineterminator)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def records(data: bytes, delimiter: str = ",", chunk: int = 1 << 20, limit: int = 10_000_000):
    stream = io.BytesIO(data)
    flags, rows = iter_csv_records(Utf8Read(lambda n: stream.read(min(n, chunk))), delimiter, limit, fallback_codec)
    return flags, list(rows)


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_rows_with_quoted_multiline_text_are_records(chunk, delimiter, monkeypatch):
    monkeypatch.setattr(csv_rows, "_HEAD", 16)  # the encoding judged on a small head, the rest streamed
    flags, got = records(_csv(ROWS, delimiter).encode(), delimiter, chunk)
    assert flags == ()
    assert [(p, r) for p, r in got] == list(enumerate(ROWS))


@pytest.mark.parametrize("encoding, flags", [("utf-8-sig", "bom_removed"), ("utf-16", ""), ("cp1252", "decoded_as_cp125"),
                                             ("utf-16-le", ""), ("utf-16-be", ""), ("utf-32-le", "")])  # no BOM: every row failed
def test_the_file_is_decoded_as_a_whole(encoding, flags):
    # Excel writes "CSV UTF-8" with a BOM, plain "CSV" in the Windows code page (detected: cp1250
    # and cp1252 read these letters alike)
    got_flags, got = records(_csv(ROWS * 40).encode(encoding))
    assert "".join(got_flags).startswith(flags) and len(got_flags) == bool(flags)
    assert got[1][1]["title"] == "Zürich – Bahnhof"


@pytest.mark.parametrize("chunk", [1, 2, 7, 1 << 20])
@pytest.mark.parametrize("lineterminator", ["\r", "\n", "\r\n"])
def test_rows_end_at_any_line_end(chunk, lineterminator, monkeypatch):
    # Excel for Mac's "CSV (Macintosh)" ends rows with a lone "\r": the csv module refused the
    # file's first line ("new-line character seen in unquoted field") and every row failed as one
    monkeypatch.setattr(csv_rows, "_HEAD", 16)
    flags, got = records(_csv(ROWS * 3, lineterminator=lineterminator).encode(), chunk=chunk)
    assert got == list(enumerate(ROWS * 3))


def test_blank_rows_are_not_records_and_short_rows_lack_fields():
    _, got = records(b"id,text\n\n1,first\n , \n2\n")
    assert got == [(0, {"id": "1", "text": "first"}), (1, {"id": "2"})]
    doc = mapped_document("f.csv", 0, got[0][1], "csv", ReadConfig())
    assert (doc.id, doc.text, doc.source_format) == ("1", "first", "csv")


class _Watched(csv_rows._LineSource):
    """The line source, noting the longest piece of text it held and the longest line it handed
    the csv module: what reading a row costs in memory."""

    held = handed = 0

    def __init__(self, pieces, *args):
        def watched():
            for text, whole in pieces:
                _Watched.held = max(_Watched.held, len(text))
                yield text, whole
        super().__init__(watched(), *args)

    def __next__(self):
        line = super().__next__()
        _Watched.handed = max(_Watched.handed, len(line))
        return line


@pytest.fixture
def watched(monkeypatch):
    monkeypatch.setattr(csv_rows, "_LineSource", _Watched)
    monkeypatch.setattr(csv_rows, "_HEAD", 16)
    _Watched.held = _Watched.handed = 0
    return _Watched


def test_a_quote_left_open_to_the_end_of_the_file_fails_it_and_is_never_held(watched):
    data = b'id,text\n1,ok\n2,"never closed' + b" x\n" * 100_000
    _, rows = iter_csv_records(io.BytesIO(data).read, ",", 1000, fallback_codec)
    assert next(rows) == (0, {"id": "1", "text": "ok"})
    with pytest.raises(csv.Error, match=r"^a quote opened in row 1 \(line 3 of the file\) is never closed: the rest of the "
                                        r"file \(to line 100002\) would be its text, past read.max_document_bytes=1000 characters$"):
        next(rows)
    data = b'id,text\n1,ok\n2,"never closed' + b" x" * 100_000  # one line of 200 kB
    _, rows = iter_csv_records(io.BytesIO(data).read, ",", 1000, fallback_codec)
    assert next(rows)[0] == 0
    with pytest.raises(csv.Error, match=r"^a quote opened in row 1 \(line 3 of the file\) is never closed"):
        next(rows)
    assert watched.handed <= 1000 and watched.held <= 1000 + (1 << 20)


LONG = 'He said ""no"", twice.\nA line of the article, quoted over lines, with, commas.\n' * 100  # 7,700 characters, doubled quotes


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
@pytest.mark.parametrize("delimiter", [",", "\t"])
@pytest.mark.parametrize("big", [
    '"{long}"',  # an article in one quoted field over many lines
    '"{one_line}"',  # ... on one line
    '{unquoted}',  # one unquoted field on one line
    'x{d}"{long}"{d}"{long}"',  # two fields each under the limit, the row over it
    '"{long}"and on',  # text after the closing quote (the csv module reads it on into the field)
])
def test_a_row_past_the_limit_is_an_oversized_row_and_the_rows_after_it_are_read(chunk, delimiter, big, watched):
    # A field past the limit stopped the file there: the rows after it were one failure ("field
    # larger than field limit (10000001)"), where JSONL rejects its line and reads on
    d = delimiter
    long = LONG.replace(",", d)
    one_line = long.replace("\n", " ")
    big = big.format(long=long, one_line=one_line, unquoted=one_line.replace('""', "'"), d=d)
    data = (f'id{d}text\nu0{d}First.\nu1{d}{big}\nu2{d}"Second,\nover two lines."\r\nu3{d}Third.').encode()
    _, got = records(data, d, chunk, limit=5000)
    first, last = 3, 3 + big.count("\n")
    lines = f"line {first}" if first == last else f"lines {first}-{last}"
    preview = f"u1{d}{big}\n"[:1000]
    assert got == [(0, {"id": "u0", "text": "First."}),
                   (1, csv_rows.OversizedRow(preview, f"row over read.max_document_bytes=5000 ({lines} of the file)")),
                   (2, {"id": "u2", "text": "Second,\nover two lines."}),
                   (3, {"id": "u3", "text": "Third."})]
    assert watched.handed <= 5000 and watched.held <= 5000 + min(chunk, 1 << 20) * 4
    rejection = csv_document("f.csv", 1, got[1][1], "csv", ReadConfig(max_document_bytes=5000))
    assert (rejection.doc.id, rejection.reason, rejection.detail, rejection.doc.text) == (
        "f.csv:1", "document_too_large", f"row over read.max_document_bytes=5000 ({lines} of the file)", preview)


def test_a_row_past_the_record_limit_stops_the_file_there(watched):
    data = b'id,text\nu0,First.\nu1,"' + b"x" * 3_000_000 + b'"\nu2,Second.\n'
    stream = io.BytesIO(data)
    _, rows = iter_csv_records(stream.read, ",", 1000, fallback_codec, record_limit=20_000)
    assert next(rows) == (0, {"id": "u0", "text": "First."})
    with pytest.raises(RecordTooLarge, match=r"^row 1 \(from line 3 of the file\) runs past read.max_record_bytes=20000; "
                                        "the rest of the file is not read$"):
        next(rows)
    assert stream.tell() < len(data)  # the file is not read to its end


def test_the_quote_scan_ends_rows_where_the_csv_module_does():
    # scan_quotes skips an oversized row in the csv module's place: where it ends the row, the
    # csv module must start the next
    rng = random.Random(17)
    for _ in range(3000):
        d = rng.choice(",\t")
        lines = ["".join(rng.choice(f'ab"{d} ') for _ in range(rng.randrange(8))) + rng.choice(["\n", "\r\n", "\r"])
                 for _ in range(rng.randrange(1, 6))]
        consumed: list[str] = []

        def tracked(lines=lines, consumed=consumed):
            for line in lines:
                consumed.append(line)
                yield line
        for _row in csv.reader(tracked(), delimiter=d):
            state = csv_rows.START
            for i, line in enumerate(consumed):
                cut = rng.randrange(len(line) + 1)  # read in two pieces, as a long line is: the same state
                in_pieces = csv_rows.scan_quotes(line[cut:], csv_rows.scan_quotes(line[:cut], state, d), d)
                state = csv_rows.scan_quotes(line, state, d)
                assert in_pieces == state
                if i < len(consumed) - 1:
                    assert state == csv_rows.QUOTED, (lines, consumed)
            # the row ends outside quotes, or inside them at the file's end (a quote left open)
            assert state != csv_rows.QUOTED or consumed[-1] is lines[-1], (lines, consumed)
            consumed.clear()


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_quote_never_closed_fails_its_row_not_silently_the_rows_after_it(delimiter):
    # A TSV row whose text starts with a quote that is never closed took every row after it as
    # its text, without a word: 4 records read as 2
    d = delimiter
    data = f'id{d}text\nu0{d}First.\nu1{d}"Truncated quote\nu2{d}Second.\nu3{d}Third.\n'.encode()
    _, rows = iter_csv_records(io.BytesIO(data).read, d, 1000, fallback_codec)
    assert next(rows) == (0, {"id": "u0", "text": "First."})
    with pytest.raises(csv.Error, match=r"^a quote opened in row 1 is never closed: the rows after it were read as its text$"):
        next(rows)
    # a quoted last row over several lines is closed, and a field that only starts with a quote is read
    data = _csv(ROWS[::-1], d).encode() + f'a3{d}t{d}"Yes," she said.'.encode()
    assert [r["id"] for _, r in records(data, d)[1]] == ["a2", "a1", "a3"]
    assert records(_csv(ROWS[::-1], d).encode(), d)[1][-1] == (1, ROWS[0])


def test_csv_and_tsv_are_formats():
    assert (format_of("news.csv"), format_of("news.TSV.gz")) == ("csv", "tsv")


@pytest.mark.parametrize("delimiter", [",", "\t"])
@pytest.mark.parametrize("closer", ['"Closed here" at last.', 'x{d}"Closed"', '"Closed{d}"more"'])
def test_a_quote_a_later_row_closes_fails_its_row_and_the_rows_after_are_read(delimiter, closer):
    # A quote left open in row 1 ran on to the first quote of row 3, and rows 2 and 3 were read,
    # without a word, as row 1's text: 5 records read as 3, all of them clean
    d = delimiter
    closer = closer.format(d=d)
    data = f'id{d}text\nu0{d}First.\nu1{d}"Opened quote\nu2{d}Second.\nu3{d}{closer}\nu4{d}Fourth.\n'.encode()
    _, got = records(data, d)
    assert [p for p, _ in got] == [0, 1, 2]
    assert got[0][1] == {"id": "u0", "text": "First."} and got[2][1] == {"id": "u4", "text": "Fourth."}
    assert isinstance(got[1][1], csv_rows.MalformedRow)
    assert str(got[1][1]).startswith(f"""row 1 (lines 3-5 of the file) is quoted as no CSV writer quotes ('{d}' expected after '"'): """
                                     "a quote opened in it and left open took in the 2 lines after its first")
    with pytest.raises(csv_rows.MalformedRow):
        csv_document("f.csv", 1, got[1][1], "csv", ReadConfig())


@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])
@pytest.mark.parametrize("lineterminator", ["\r\n", "\n", "\r"])
def test_fields_over_lines_as_writers_quote_them_are_read(quoting, lineterminator):
    # Python's csv and pandas (QUOTE_MINIMAL), Excel (CRLF, every quote doubled), QUOTE_ALL
    # exports: quotes inside text over lines, next to delimiters and at line ends are no stray quote
    rows = [*ROWS, {"id": "a3", "title": '"Quoted", title', "text": 'Ends with a quote:\n"\n"\n,"\n'},
            {"id": "a4", "title": "", "text": '"\n""'}]
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=["id", "title", "text"], quoting=quoting, lineterminator=lineterminator).writerows(
        [{"id": "id", "title": "title", "text": "text"}, *rows])
    assert records(out.getvalue().encode())[1] == list(enumerate(rows))


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_a_csv_file_whose_header_holds_no_comma_is_read_at_the_delimiter_it_holds(delimiter):
    # A spreadsheet in a locale whose decimal mark is a comma exports "CSV" with semicolons (Excel's
    # BOM too): read at commas each row was one field, and every record failed for a missing text
    rows = [{**r, "text": r["text"].replace("\n", " ") + " 3,5 %"} for r in ROWS]
    flags, got = records(_csv(rows, delimiter).encode("utf-8-sig"))
    assert flags == ("bom_removed",)
    assert got == list(enumerate(rows))


def test_a_header_with_commas_or_without_any_delimiter_keeps_the_comma():
    assert csv_rows.header_delimiter("id,title;x,text", ",") == ","
    assert csv_rows.header_delimiter("text", ",") == ","  # one column: its text may hold semicolons
    assert records(b"text\nOne; two.\n")[1] == [(0, {"text": "One; two."})]
    assert csv_rows.header_delimiter("id;text", "\t") == "\t"  # a .tsv is read at tabs


def test_a_row_with_more_fields_than_the_header_fails_instead_of_losing_its_text():
    # text holding unquoted commas was cut at the first one, and the fields past the header's
    # dropped without a word; empty trailing fields (a delimiter after the last column) are fine
    _, got = records(b"id,text\nu1,First, and more.\nu2,Second.,\nu3,Third.\n")
    assert got[0][0] == 0 and isinstance(got[0][1], csv_rows.MalformedRow)
    assert str(got[0][1]).startswith("row 0 has 3 fields and the header 2: a field holding the delimiter ',' is not quoted")
    assert got[1:] == [(1, {"id": "u2", "text": "Second."}), (2, {"id": "u3", "text": "Third."})]


def _mapped(data: bytes, delimiter: str = ","):
    stream = io.BytesIO(data)
    _, rows = iter_csv_records(Utf8Read(stream.read), delimiter, 10_000_000, fallback_codec, {"id", "title", "text"})
    return list(rows)


def test_a_header_naming_a_mapped_field_twice_fails_the_file():
    # a row as a dict kept the last `text` column: the article was replaced by "short" without a word
    with pytest.raises(csv_rows.RepeatedColumn, match="^column 'text' appears 2 times in the header"):
        _mapped(b'id,text,text\nd0,"The article, at length.",short\n')
    assert _mapped(b'id,text,note,note\nd0,Body.,a,b\n') == [(0, {"id": "d0", "text": "Body.", "note": "b"})]


@pytest.mark.parametrize("preamble", ["\n\n", " \r\n", "sep=;\n", "\ufeffsep=;\r\n"])
def test_blank_lines_and_an_excel_sep_line_before_the_header_are_not_the_header(preamble):
    # every row failed against a header of no names, or of `sep=`
    delimiter = ";" if "sep" in preamble else ","
    data = (preamble + f"id{delimiter}text\nr0{delimiter}First.\nr1{delimiter}Second.\n").encode()
    assert _mapped(data) == [(0, {"id": "r0", "text": "First."}), (1, {"id": "r1", "text": "Second."})]


def test_a_row_with_backslash_escaped_quotes_fails_instead_of_losing_them():
    # read as CSV: 'He said \\hello\\" and left."' in clean
    rows = _mapped(b'id,text\nb0,"First, fine."\nb1,"He said \\"hello\\" and left."\nb2,"Third, ""quoted"" right."\n')
    assert [type(r).__name__ for _, r in rows] == ["dict", "MalformedRow", "dict"]
    assert str(rows[1][1]).startswith("row 1 (line 3 of the file) is quoted as no CSV writer quotes")
    assert rows[2][1]["text"] == 'Third, "quoted" right.'


def test_a_tsv_field_starting_with_a_quote_keeps_its_quotes():
    # TSV has no quoting (IANA text/tab-separated-values): read as CSV, '"Quoted" he said.' lost its quotes
    rows = _mapped(b'id\ttext\nq0\t"Quoted" he said.\nq1\t"Whole" and "parts"\n', "\t")
    assert rows == [(0, {"id": "q0", "text": '"Quoted" he said.'}), (1, {"id": "q1", "text": '"Whole" and "parts"'})]


def test_the_first_row_is_judged_and_numbered_without_the_header():
    # the header's line was counted as the first row's: "lines 1-2" for a row of one line
    rows = _mapped(b'id,text\nm0,"Opened\nm1,Closed" at last.\nm2,Fine.\n')
    assert str(rows[0][1]).startswith("row 0 (lines 2-3 of the file)")


class _Cut(Exception):
    pass


@pytest.mark.parametrize("head", [16, 1 << 20])  # the break after the first megabyte, or within it
def test_a_file_that_breaks_keeps_the_rows_before_the_break(head, monkeypatch):
    # A .csv.gz cut short, or past the inflation cap: the read raises after what it handed out.
    # Its rows before the break were lost without a word (the last one held back for the next,
    # or all of them when the break fell in the first megabyte): one failure for the whole file
    monkeypatch.setattr(csv_rows, "_HEAD", head)
    data = _csv(ROWS).encode() + b'a3,Cut,"The row the break falls in'
    stream = io.BytesIO(data)

    def read(n):
        if chunk := stream.read(min(n, 64)):
            return chunk
        raise _Cut("the file is truncated")

    _, rows = iter_csv_records(read, ",", 1000, fallback_codec)
    assert [next(rows), next(rows)] == list(enumerate(ROWS))
    with pytest.raises(_Cut):
        next(rows)
