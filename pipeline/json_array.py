"""Reading a JSON file of records (a `.json` file) one record at a time.

Scrapy's `-o items.json` feed, `pandas.DataFrame.to_json(orient="records")` and many scrapers and
APIs write one JSON array of objects, often pretty-printed over many lines, not JSON lines. Read
as JSON lines it is a failed record per line; loaded whole, a file of a few GB would sit in memory.
`iter_json_records` scans the array and hands out each element's bytes, holding at most
`limit` + 1 bytes of one element (the rest of a longer one is scanned, not kept), as
`splits.iter_lines` does for a JSON line. A file holding one object is one record, and one of
objects one after another (JSON lines named `.json`) a record per object.

The scan is a small state machine over the bytes (inside a string or not, escaped or not, depth):
a regex jumps to the next byte that can change it, so the text inside strings is skipped in C.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from pipeline.splits import RecordTooLarge

_CHUNK = 1 << 20
_WHITESPACE = b" \t\r\n"
_IN_STRING = re.compile(rb'["\\]')  # what ends a string, or escapes the next byte
_OUTSIDE = re.compile(rb'["\[\]{},]')  # what opens a string, nests, or ends an element
_NOT_WHITESPACE = re.compile(rb"[^ \t\r\n]")
_LEADING = re.compile(rb"(?:[ \t\r\n]|\xef\xbb\xbf)*")  # white space and BOMs before the first record


class NotJsonRecords(ValueError):
    """The file is not a JSON array of records, or one object (or it breaks part-way)."""


def iter_json_records(read: Callable[[int], bytes], limit: int, record_limit: int = 0) -> Iterator[tuple[int, bytes]]:
    """(position, element bytes) for every element of the file's top-level array, or (0, the
    object) for a file holding one object. An element longer than `limit` is handed out as its
    first `limit` + 1 bytes (the caller rejects it as too large); one longer than `record_limit`
    (0: no cap) raises RecordTooLarge. Anything else than an array or an object, or a file that
    ends inside the array, raises NotJsonRecords after the elements before it."""
    reader = _Buffer(read)
    first = reader.first_byte()
    if first is None:
        return
    if first == b"{":  # one object, or objects one after another (JSON lines named .json)
        yield from _objects(reader, limit, record_limit)
        return
    if first != b"[":
        raise NotJsonRecords(f"not a JSON array of records: the file starts with {reader.buf[:20]!r}")
    reader.buf = reader.buf[1:]
    position, depth, in_string = 0, 1, False
    start = pos = 0  # the current element starts at reader.buf[start]; the scan is at reader.buf[pos]
    kept, dropped = b"", 0  # the head of an overlong element, and its bytes no longer in the buffer
    while True:
        buf = reader.buf
        found = (_IN_STRING if in_string else _OUTSIDE).search(buf, pos)
        if found is None or (in_string and buf[found.start()] == 0x5C and found.start() + 1 == len(buf)):
            # the element goes on past what was read (or a backslash is the last byte read)
            end = found.start() if found is not None else len(buf)
            start, pos, kept, dropped = _read_on(
                reader, start, end, kept, dropped, limit, record_limit,
                f"JSON element {position}", f"the JSON array ends inside element {position}: the file is truncated",
            )  # fmt: skip
            continue
        at = found.start()
        pos, in_string, depth, judged_here = _step(buf, at, in_string, depth)
        if not judged_here:
            continue
        byte = buf[at]
        if depth > 1:
            depth -= byte in b"]}"  # a comma inside an element separates nothing here
        elif byte == 0x7D:  # "}" closing nothing open
            raise NotJsonRecords(f"unbalanced '}}' in element {position}")
        else:  # "," or "]" at the array's own level: the element ends here
            element = kept or buf[start:at].strip(_WHITESPACE)[: limit + 1]
            if element or byte == 0x2C:  # "[]" and a trailing comma hold no element; "[,]" an empty one
                yield position, element
                position += 1
            kept, dropped = b"", 0
            start = pos
            if byte == 0x5D:  # ]: the array is done; only white space may follow
                reader.buf = buf[pos:]
                rest = reader.rest()
                if rest:
                    raise NotJsonRecords(f"data after the JSON array: {rest[:20]!r}")
                return


def _objects(reader: _Buffer, limit: int, record_limit: int) -> Iterator[tuple[int, bytes]]:
    """(position, object bytes) for each top-level object of a file that starts with one.

    Hugging Face `datasets`' `to_json` and pandas' `to_json(lines=True)` write JSON lines, and
    such files are often named `.json`. The whole file used to be taken as one object: a few
    records were one failed record ("Extra data"), a big file one rejected record (its first
    `limit` bytes) and the rest of it unread. Objects may follow each other after white space;
    anything else after an object ends the file there (the rest one failure). As for an array,
    the buffer is cut once per chunk read, not once per object.
    """
    position, depth, in_string = 0, 0, False
    start = pos = 0  # the current object starts at reader.buf[start]; the scan is at reader.buf[pos]
    kept, dropped = b"", 0  # the head of an overlong object, and its bytes no longer in the buffer
    while True:
        buf = reader.buf
        if depth == 0:  # between objects: white space, then "{" or the end of the file
            found = _NOT_WHITESPACE.search(buf, pos)
            if found is None:
                reader.buf, start, pos = b"", 0, 0
                if not reader.more():
                    return
                continue
            if buf[found.start()] != 0x7B:
                raise NotJsonRecords(f"data after JSON object {position - 1}: {buf[found.start() : found.start() + 20]!r}")
            start, pos, depth = found.start(), found.start() + 1, 1
            continue
        found = (_IN_STRING if in_string else _OUTSIDE).search(buf, pos)
        if found is None or (in_string and buf[found.start()] == 0x5C and found.start() + 1 == len(buf)):
            end = found.start() if found is not None else len(buf)
            start, pos, kept, dropped = _read_on(
                reader, start, end, kept, dropped, limit, record_limit,
                f"JSON object {position}", f"the file ends inside JSON object {position}: it is truncated",
            )  # fmt: skip
            continue
        at = found.start()
        pos, in_string, depth, judged_here = _step(buf, at, in_string, depth)
        if judged_here and buf[at] in b"]}":  # a comma between an object's members separates nothing here
            depth -= 1
            if depth == 0:  # the object is done
                yield position, kept or buf[start:pos][: limit + 1]
                position += 1
                kept, dropped = b"", 0


def _step(buf: bytes, at: int, in_string: bool, depth: int) -> tuple[int, bool, int, bool]:
    """The scan stopped at byte `at`: (where it goes on, inside a string or not, depth, whether the
    byte is a comma or a closing bracket outside a string, which the array and object scans judge
    each in their own way). Escapes, quotes and opening brackets mean the same to both."""
    byte = buf[at]
    if in_string:
        if byte == 0x5C:  # a backslash: the next byte is escaped, whatever it is
            return at + 2, True, depth, False
        return at + 1, False, depth, False
    if byte == 0x22:  # "
        return at + 1, True, depth, False
    if byte in b"[{":
        return at + 1, False, depth + 1, False
    return at + 1, False, depth, True


def _read_on(
    reader: _Buffer, start: int, end: int, kept: bytes, dropped: int, limit: int, record_limit: int, name: str, truncated: str
) -> tuple[int, int, bytes, int]:
    """The element at reader.buf[start:] goes on past what was read (scanned up to `end`): read on.
    An overlong one keeps its head (`kept`) and counts the bytes it drops (`dropped`); what came
    before the element is dropped only now, one copy per chunk. Returns (start, pos, kept, dropped)
    in the new buffer."""
    buf = reader.buf
    if not kept:  # white space before the element is none of it: counted as its bytes, past `limit`
        # of it the element was handed out as white space (rejected as too large, its id unread)
        lead = _NOT_WHITESPACE.search(buf, start, end)
        start = lead.start() if lead else end
    if dropped + len(buf) - start > limit:  # overlong: keep its head, scan the rest
        kept = kept or buf[start : start + limit + 1]
        dropped += end - start
        if record_limit and dropped > record_limit:
            raise RecordTooLarge(f"{name} is longer than read.max_record_bytes={record_limit}")
        reader.buf, start, pos = buf[end:], 0, 0
    else:
        reader.buf, start, pos = buf[start:], 0, end - start
    if not reader.more():
        raise NotJsonRecords(truncated)
    return start, pos, kept, dropped


class _Buffer:
    """What has been read of the file and not yet handed out."""

    def __init__(self, read: Callable[[int], bytes]):
        self._read = read
        self.buf = b""
        self._eof = False

    def more(self) -> bool:
        """Append the next chunk to `buf`; False at the end of the file."""
        if self._eof:
            return False
        chunk = self._read(_CHUNK)
        self._eof = not chunk
        self.buf += chunk
        return bool(chunk)

    def first_byte(self) -> bytes | None:
        """The first byte that is not white space (UTF-8 BOMs skipped), now at buf[0]; None for
        a file of white space. The run before it is cut off in one slice a chunk: cut off a BOM
        at a time, each copying the rest of the chunk, a file of a million BOMs (3 MB) took 15 s
        before its array was read (hostile round 25)."""
        while True:
            self.buf = self.buf[_LEADING.match(self.buf).end() :]
            if len(self.buf) >= 3 or not self.more():
                return self.buf[:1] or None

    def rest(self) -> bytes:
        """The first bytes after `buf` that are not white space (b"" at the end of the file)."""
        while not self.buf.strip(_WHITESPACE) and self.more():
            self.buf = self.buf.strip(_WHITESPACE)
        return self.buf.strip(_WHITESPACE)
