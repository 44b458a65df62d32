"""Bytes to text at read time: UTF-8 first, then the charset a page or its HTTP header declares,
then detection; the repairs themselves (UTF-16 without a mark, controls) are in pipeline/decoding.py."""

from __future__ import annotations

import codecs
import re

from pipeline.decoding import (
    strip_control_references,
    strip_controls,
    undo_double_encoding,
    utf16_encoding,
)
from pipeline.formats import UTF8_BOM


def decode_bytes(data: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8 (a BOM dropped), UTF-16/32 (by BOM or NUL pattern), else the detected charset, else
    UTF-8 with replacement; flags say which."""
    flags: tuple[str, ...] = ()
    if data.startswith(UTF8_BOM):
        data, flags = data[len(UTF8_BOM) :], ("bom_removed",)
    elif utf16 := _decode_utf16(data):
        return utf16
    try:
        return data.decode("utf-8"), flags
    except UnicodeDecodeError:
        pass
    if (text := decode_cesu8(data)) is not None:
        return text, (*flags, "decoded_as_cesu_8")
    return decode_detected(data, flags)



def decode_cesu8(data: bytes) -> str | None:
    """Bytes that are UTF-8 but for characters past U+FFFF written as two encoded surrogate
    halves (CESU-8: Oracle's `UTF8` character set, Java's modified UTF-8), read with each pair
    joined into its character; None for any other bytes. They used to go to charset detection: a
    trophy emoji came out in clean as "н\xa0јнї†", flagged only `decoded_as_cp1251`."""
    if b"\xed" not in data:
        return None
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
    if not SURROGATE.search(text):
        return None
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")  # a half without its pair raises
    except UnicodeDecodeError:
        return None



def _decode_utf16(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    codec, bom = utf16_encoding(data)
    if not codec:
        return None
    flags = ("bom_removed",) * bool(bom) + (f"decoded_as_{codec}",)
    try:
        return data[bom:].decode(codec), flags
    except UnicodeDecodeError:  # cut mid-character, or half a surrogate pair: replaced, and said so as for UTF-8
        return data[bom:].decode(codec, errors="replace"), (*flags, "decoded_with_replacement")



def fallback_codec(data: bytes) -> tuple[str, str]:
    """(codec, flag) for bytes that are not UTF-8: UTF-8 with replacement when they mostly are,
    else the detected charset, else UTF-8 with replacement."""
    if mostly_utf8(data):
        return "utf-8", "decoded_with_replacement"
    encoding = detect_charset(data)
    return (encoding, f"decoded_as_{encoding}") if encoding else ("utf-8", "decoded_with_replacement")



def decode_detected(data: bytes, flags: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """The last resort of every decoder: the detected charset, else UTF-8 with replacement."""
    codec, flag = fallback_codec(data)
    if codec != "utf-8":
        try:
            return data.decode(codec), flags + (flag,)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("utf-8", errors="replace"), flags + ("decoded_with_replacement",)



_DETECT_BYTES = 200_000  # what detection looks at: a page's worth
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")  # a character that decoded from a multi-byte UTF-8 sequence



def mostly_utf8(data: bytes) -> bool:
    """More characters decode as valid multi-byte UTF-8 than invalid bytes fail to: UTF-8 with a
    flaw (a file or field cut mid-character, a stray byte), not a legacy code page, whose letters
    above 0x7F almost never form a valid UTF-8 sequence. Such text used to go to detection, which
    read it in a code page: one cut character at the end of a German text, and every umlaut came
    out as mojibake ("verÃ¶ffentlicht") in clean, flagged only `decoded_as_iso8859_14`."""
    text = data[:_DETECT_BYTES].decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data[:_DETECT_BYTES].count("\ufffd".encode())
    return len(_NON_ASCII.findall(text)) > bad



def detect_charset(data: bytes) -> str:
    """The likeliest legacy charset of bytes that are not UTF-8 (as Python names it, read as browsers
    read it), or '' if Python has no codec for it.

    Firefox's detector (chardetng: byte-pair scores per legacy web encoding, trained on Wikipedia
    in each language's code pages) picks what a browser shows for an unlabelled page.
    charset_normalizer, used before, ranks by a "chaos" score that cannot tell look-alike code
    pages apart: on news texts in their own Windows code page it read French as cp1257 ("aprčs"),
    Hebrew as cp1251 (Cyrillic letters), Hungarian, Latvian, Estonian, Croatian, Romanian and
    Turkish wrongly, 9 of 27 languages, each into clean with only a `decoded_as_` flag; chardetng
    reads all 27 right (tests/legacy_texts.py).
    """
    from chardetng_py import detect

    return _codec(detect(data[:_DETECT_BYTES]))



def without_controls(text: str, flags: tuple[str, ...], references: bool = False) -> tuple[str, tuple[str, ...]]:
    """`text` with a double encoding undone and its controls removed (with `references`, a page's
    references to controls too: pipeline/decoding.py), and the flags saying which happened."""
    text, undone = undo_double_encoding(text)  # first: the Latin-1 form holds C1 characters that are bytes of the text
    text, changed = strip_controls(text)
    if references:
        text, referenced = strip_control_references(text)
        changed = changed or referenced
    return text, flags + ("double_encoding_undone",) * undone + ("control_chars_removed",) * changed



def page_without_controls(html: str, flags: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """`without_controls` for a page: the references to controls go too."""
    return without_controls(html, flags, references=True)



def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first 8 KB: no text encoding we accept produces them."""
    head = data[:8192]
    return head.count(0) > max(1, len(head) // 1000)



_META_CHARSET = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.\-]{1,40})""", re.I)

# 7-bit stateful encodings, whose bytes are also valid UTF-8: trust the declaration before UTF-8.
_NOT_UTF8_SAFE = ("iso2022_jp", "iso2022_kr", "hz")

# A declared UTF-16/32 on bytes that are not (checked first, by BOM and NULs) is read as UTF-8, as
# browsers do for <meta> (WHATWG: a page whose <meta> could be read is not UTF-16).
_WIDE = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be")



def charset_of(content_type: str) -> str:
    """The charset parameter of a Content-Type header value, or ''."""
    m = _HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else ""



# Charsets that browsers read as a wider encoding than their name (WHATWG Encoding Standard), as
# Python names them. Read narrowly, the bytes the wider one adds became C1 controls, which are then
# removed: a page declaring tis-620 or iso-8859-9 lost its “quotes”, dashes and € without a word; or
# they fail, and the page went to detection (Shift_JIS pages use NEC's ① and ㈱, EUC-KR pages UHC's
# syllables, GB2312 pages GBK's characters).
_AS_BROWSERS_READ = {
    "latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252", "iso8859_9": "cp1254", "tis_620": "cp874",
    "iso8859_11": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "euc_kr": "cp949",
    "big5": "big5hkscs",
}

# WHATWG labels Python does not know
_LABELS = {"windows-874": "cp874", "x-gbk": "gb18030", "windows-31j": "cp932", "x-sjis": "cp932",
           "iso-8859-8-i": "iso8859_8", "x-mac-cyrillic": "mac_cyrillic", "x-mac-roman": "mac_roman"}

# Python codecs that are no web encoding: browsers do not know their labels (the WHATWG Encoding
# Standard has no UTF-7) and read such a page as if nothing were declared. Decoded as declared, a
# page's "Google+Facebook deal" became "GoogleᖧṮ訤 deal" in clean, and "+ADw-script+AD4-" became
# "<script>" (the old UTF-7 cross-site trick).
_NO_WEB_ENCODING = frozenset({"utf_7"})



def _codec(name: str) -> str:
    """Python's codec for a declared (or detected) charset as browsers read it, '' if unknown."""
    name = name.strip().lower()
    try:
        codec = _LABELS.get(name) or (codecs.lookup(name).name.replace("-", "_") if name else "")
    except LookupError:
        return ""
    return "" if codec in _NO_WEB_ENCODING else _AS_BROWSERS_READ.get(codec, codec)



def decode_html(data: bytes, declared: str = "") -> tuple[str, tuple[str, ...]]:
    """Decode a page: BOM, then valid UTF-8, then the HTTP (`declared`) and <meta> charsets, then
    detection (chardetng, Firefox's detector), then UTF-8 with replacement. Never raises on a bad byte.

    Valid UTF-8 wins over a declared single-byte charset: text with multi-byte sequences that
    decodes as UTF-8 is almost never anything else, while servers often declare ISO-8859-1 for
    pages that are UTF-8. A declaration that does not fit the bytes is flagged and skipped.
    """
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :].decode("utf-8", errors="replace"), ("bom_removed",)
    if utf16 := _decode_utf16(data):
        return utf16
    if (text := decode_cesu8(data)) is not None:  # before the declarations: a single-byte charset reads anything
        return text, ("decoded_as_cesu_8",)
    meta = _META_CHARSET.search(data[:4096])
    declarations = [("http", _codec(declared)), ("meta", _codec(meta.group(1).decode("ascii")) if meta else "")]
    flags: tuple[str, ...] = tuple(f"{where}_charset_wrong" for where, c in declarations if c in _WIDE)
    declarations = [(where, "" if c in _WIDE else c) for where, c in declarations]
    if _header_loses(data, *(c for _, c in declarations)):
        declarations, flags = declarations[::-1], flags + ("http_charset_wrong",)
    first = [(where, c) for where, c in declarations if c in _NOT_UTF8_SAFE]
    for where, codec in first + [("utf8", "utf_8")] + [d for d in declarations if d not in first]:
        if not codec:
            continue
        try:
            return data.decode(codec), flags + ((f"decoded_as_{codec}",) if codec not in ("utf_8", "cp1252") else ())
        except (UnicodeDecodeError, LookupError):
            if where != "utf8":
                flags += (f"{where}_charset_wrong",)
    return decode_detected(data, flags)



def _header_loses(data: bytes, http: str, meta: str) -> bool:
    """Whether the page's <meta> charset, not the HTTP header's, is the one its bytes are in, when
    the two disagree: the one the detector (chardetng) names. Browsers take the header's, which is
    often the server's default (ISO-8859-1) rather than the page's: a Cyrillic page declared
    windows-1251 in its <meta> reached clean as Latin mojibake ("ñëå äîëãèõ"), unflagged. Where
    the detector names neither, the header stays first, as browsers have it."""
    if not http or not meta or http == meta or data.isascii():
        return False
    return detect_charset(data) == meta



SURROGATE = re.compile("[\ud800-\udfff]")
