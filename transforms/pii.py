"""Personal data: e-mail addresses, public IP addresses and phone numbers in the kept text are
replaced by a fixed placeholder per kind, and counted.

The way FineWeb anonymises its text (datatrove's `PIIFormatter`): e-mail addresses and public IP
addresses become placeholders that read like ordinary text, so a model trained on the output
learns the shape of an address without learning anyone's. We add phone numbers, which FineWeb
leaves, in the formats that cannot be mistaken for a date, a price, a score, a version or an ISBN:
an international number (`+` and 8-15 digits), a North American number (`(202) 555-0143`,
`202-555-0143`, the separators alike), a French one (`01 23 45 67 89`) and any digit run of 7-15
digits right after a label (`Tel.:`, `phone`, `Fax`, `Telefon`, `téléphone`).

The placeholders are chosen so that redacting twice changes nothing: the e-mail placeholder is
skipped when found again, the IP placeholder is in a documentation range (RFC 5737, not public),
and the phone placeholder has too few digits to be a phone number.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Callable

import apache_beam as beam

from transforms.library_args import require_str
from transforms.records import Document, Rejection
from transforms.routing import DecideFn, StageOutputs, apply_decisions

STAGE = "pii"
EMAIL, IP, PHONE = "email", "ip", "phone"
KINDS = (EMAIL, IP, PHONE)


@dataclass(frozen=True)
class PiiConfig:
    enabled: bool = True  # false: text passes unchanged and nothing is counted
    kinds: tuple[str, ...] = KINDS  # which kinds to redact: email, ip, phone
    email_placeholder: str = "email@example.com"
    ip_placeholder: str = "192.0.2.0"  # TEST-NET-1 (RFC 5737): never a real host
    phone_placeholder: str = "555-0100"  # the fictional 555-01xx range, too short to match again

    def __post_init__(self) -> None:
        if isinstance(self.kinds, str):  # PiiConfig(kinds="email") named the kinds 'e', 'm', ...
            raise TypeError(f"pii.kinds must be a list of kinds, not the string {self.kinds!r} (kinds=({self.kinds!r},))")
        unknown = sorted(set(self.kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"pii.kinds: unknown kind {unknown[0]!r} (known: {', '.join(KINDS)})")
        for kind in KINDS:
            check_placeholder(f"pii.{kind}_placeholder", getattr(self, f"{kind}_placeholder"))


# A placeholder replaces each piece of personal data, which can be as short as "a@b.co": a long
# one multiplied a page's size (4,000 addresses in a 1.7 MB page and a 20,000-character
# placeholder: an 80 MB text and 1.5 GB of memory; hostile round 17). Datatrove's and ours are
# under 20 characters; at most 32, a page of nothing but addresses grows at most about fivefold.
MAX_PLACEHOLDER_CHARS = 32
# a line end would cut the line it stands in two: a page's lines are what cleaning judged
_PLACEHOLDER_LINE_END = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def check_placeholder(key: str, value: str) -> None:
    """Raise ValueError, naming `key`, for a placeholder that is not a short piece of one line."""
    if not isinstance(value, str):
        raise TypeError(f"{key} must be a string, not {type(value).__name__}")
    if len(value) > MAX_PLACEHOLDER_CHARS:
        raise ValueError(f"{key}: {len(value):,} characters, more than {MAX_PLACEHOLDER_CHARS}: each piece of personal "
                         "data is replaced by it, and a long one multiplies a page's size")
    if _PLACEHOLDER_LINE_END.search(value):
        raise ValueError(f"{key}: holds a line end, which would cut the line it replaces data in")


# An address is at most 254 characters (RFC 5321). The address ends where the domain's characters
# end, not at a word boundary: text in Chinese or Japanese runs on after it without a space
# ("info@example.co.jpまで"), and `\b` there cut the match back to "info@example.co", leaving ".jp"
# (hostile round 9). Letters and digits of every script count ([^\W_]): internationalised
# addresses (RFC 6531) and domain names are written in Unicode ("josé@bücher.de", "用户@例子.中国"),
# and the ASCII-only pattern kept them, or took "josé.garcía@empresa.es" from its last "a" on,
# leaving "josé.garcí" and the placeholder glued to it (hostile round 10). A punycode top-level
# domain ("xn--p1ai", Russia's) is one label: "xn" alone left "--p1ai" after the placeholder.
def _combining_marks() -> str:
    """A regex class body of the combining marks of the Basic Multilingual Plane (`\\w` has none:
    "jose\u0301" as macOS writes "josé", the vowel signs of Devanagari), as ranges."""
    marks = [c for c in range(0x10000) if unicodedata.category(chr(c)) in ("Mn", "Mc")]
    runs = [[marks[0], marks[0]]]
    for c in marks[1:]:
        if c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in runs)


_MARK = _combining_marks()
_EMAIL_DOMAIN = re.compile(
    rf"@(?:[^\W_](?:(?:[^\W_]|[{_MARK}-]){{0,61}}(?:[^\W_]|[{_MARK}]))?\.){{1,8}}"
    rf"(?:[Xx][Nn]--[A-Za-z0-9-]{{0,58}}[A-Za-z0-9](?![\w-])|(?:[A-Za-z]{{2,24}}|[^\W\d_](?:[^\W\d_]|[{_MARK}]){{1,23}})(?![A-Za-z0-9]))"
)
_LOCAL_CHAR = re.compile(rf"[\w.%+{_MARK}-]")
_LOCAL_MAX = 64
# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar): the text
# before an address runs into its local part ("連絡はinfo@..."), so a local part is taken in them
# only when no other character is next to the "@"; a top-level domain in them ends where its
# script does ("例子.中国まで").
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3040-\u31ff\u3400-\u4dbf"
                       "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff]")

# Every IPv4 address and phone number holds a run of 7+ digits, spaces and separators ("8.8.8.8",
# "555-0143"); four documents in five have none, and one scan for it spares them the other patterns.
_DIGIT_SPAN = re.compile(r"\d[\d .()/-]{5,}\d")
# A digit first lets the regex engine skip to the digits; octets and boundaries are checked after.
_IPV4 = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
# Not inside a longer dotted number (1.2.3.4.5, a section number) nor right after a letter (v1.2.3.4)
_IP_BEFORE = re.compile(r"[\w./-]")
_IP_AFTER = re.compile(r"\.?\d|\w|/\d")
# "version 2.0.1.5", "build 10.0.19041.1", "Section 7.8.2.1": dotted version and section numbers
_VERSION_BEFORE = re.compile(r"\b(?:version|ver\.?|release|build|firmware|v|versión|section|sec\.|chapter|figure|fig\.|table|step|rfc|§)\s*$", re.IGNORECASE)

_PHONE_LABEL = r"(?:tel(?:ephone|efon|éphone)?|phone|fax|mobile|mobil|cell|call(?: us)?(?: at| on)?|ph|tél|handy|whatsapp)"
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    # international: + country code, then groups; 8-15 digits checked below. A group's digits are
    # possessive (`\d{1,5}+`): with the separator optional, a run of 40 digits after a "+" could be
    # cut into groups in thousands of ways, each tried before the match failed (70 µs a character
    # on "+111...1 " repeated: a 1 MB text took 70 s; hostile round 9). Cut at most 5 digits at a
    # time, a run is grouped one way; a match that must end inside a run never passed the check
    # after it (`(?!\w)`). Two groups were asked for, which a run of 2-5 digits passed by being
    # cut in two: so one group of 2-5 digits is enough now, or one digit and more groups.
    r"\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{2,5}+(?:[ .-]?\d{1,5}+){0,5}|[ .-]?\d(?:[ .-]?\d{1,5}+){1,5})"
    # North American: (202) 555-0143, 202-555-0143, 202.555.0143, 1-800-555-0199
    r"|(?:1[ .-])?\(\d{3}\) ?\d{3}[ .-]\d{4}"
    r"|(?:1([.-]))?\d{3}([.-])\d{3}\2\d{4}"
    # French: 01 23 45 67 89 / 01.23.45.67.89
    r"|0[1-9](?:([ .])\d{2})(?:\3\d{2}){3}"
    r")(?![\w]|[.-]\d)"
)
_LABELLED_PHONE = re.compile(rf"\b{_PHONE_LABEL}\.?\s?(?:[:.]|no\.?|number|nr\.?)?\s?(\+?\(?\d[\d ./()-]{{5,22}}\d)(?![\w]|[.-]\d)", re.IGNORECASE)
_ISBN_BEFORE = re.compile(r"isbn(?:-1[03])?:?\s*$", re.IGNORECASE)


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def _local_part_start(text: str, at: int, floor: int) -> int:
    """Where the local part of an address whose "@" is at `at` starts (at most _LOCAL_MAX
    characters back, not before `floor`); `at` when there is none."""
    floor = max(floor, at - _LOCAL_MAX)
    start = at
    while start > floor and _LOCAL_CHAR.match(text, start - 1) and not _UNSPACED.match(text, start - 1):
        start -= 1
    if start == at:  # "用户@例子.中国": nothing but an unspaced script next to the "@"
        while start > floor and _LOCAL_CHAR.match(text, start - 1):
            start -= 1
    return start


def _script(c: str) -> str:
    """The script a letter belongs to, as the first word of its Unicode name ("CJK", "HIRAGANA")."""
    return unicodedata.name(c, "").partition(" ")[0]


def find_emails(text: str) -> list[tuple[int, int]]:
    """The spans of e-mail addresses, found around each "@": a local part cannot hold one, so each
    is searched between the "@"s on either side. The text was cut into 254-character tokens
    before, and an address across a cut (in a long tracking URL, "...&email=a@b.com") was kept
    (hostile round 10); now every character is read at most twice, whatever the text."""
    out: list[tuple[int, int]] = []
    at = text.find("@")
    floor = 0  # just after the previous "@", or the previous address
    while at >= 0:
        after = text.find("@", at + 1)
        start = _local_part_start(text, at, floor)
        m = _EMAIL_DOMAIN.match(text, at, after if after >= 0 else len(text)) if start < at else None
        if m:
            end = m.end()
            tld = text.rfind(".", at, end) + 1
            if not text[tld].isascii():  # "例子.中国まで": the domain ends with the script of its top-level domain
                script = _script(text[tld])
                end = next((i for i in range(tld + 1, end) if _script(text[i]) != script), end)
            out.append((start, end))
            floor = end
        else:
            floor = at + 1
        at = after
    return out


def find_ips(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _IPV4.finditer(text):
        s, e = m.span()
        if (s and _IP_BEFORE.match(text, s - 1)) or _IP_AFTER.match(text, e) or any(len(o) > 1 and o[0] == "0" or int(o) > 255 for o in m.group(0).split(".")):
            continue
        if _VERSION_BEFORE.search(text, max(0, s - 12), s):
            continue
        # a private, loopback or documentation address identifies nobody (FineWeb redacts only public ones)
        address = ipaddress.ip_address(m.group(0))
        if address.is_global and not address.is_multicast:
            out.append((m.start(), m.end()))
    return out


def find_phones(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _PHONE.finditer(text):
        s = m.group(0)
        if s.startswith("+") and not 8 <= _digits(s) <= 15:
            continue
        if _ISBN_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        out.append((m.start(), m.end()))
    for m in _LABELLED_PHONE.finditer(text):
        if 7 <= _digits(m.group(1)) <= 15:
            out.append((m.start(1), m.end(1)))
    return out


_FINDERS = {EMAIL: find_emails, IP: find_ips, PHONE: find_phones}

# The full-width forms of ASCII (U+FF01-U+FF5E: "john＠example．com", as Japanese and Chinese pages
# write an address) and the small commercial at.
_FULL_WIDTH_OFFSET = 0xFF01 - 0x21
_ASCII_BYTES = bytes(range(128))
_AT_FORMS = {"\ufe6b": "@"}
# Hyphens and dashes that part a number's groups ("202–555–0143", U+2011 where an editor kept the
# number on one line), read as "-"; every space of the text (the no-break spaces French writes
# between a number's pairs, "01 23 45 67 89" as a CMS stores it) is read as " " (hostile round 10).
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2212\ufe63")
# Characters that show nothing, inside an address or a number (a hyphenation plugin's soft hyphens,
# a zero-width space against harvesters): read as absent, so "jo\u00adhn@example.com" is one
# address (its "jo" was kept before the placeholder) and "8\u200b.8.8.8" one IP.
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]+")


def ascii_view(text: str) -> str:
    """`text` with digits of every script as ASCII digits and full-width ASCII as ASCII, one
    character for one, so a span found in it is the same span of `text`. The patterns are ASCII
    (and `ipaddress` takes ASCII digits only): "８.８.８.８" made `ip_address` raise, and the whole
    document failed at this stage (hostile round 9); "john＠example．com" was kept as written."""
    if text.isascii():
        return text
    table: dict[int, str] = {}
    # the distinct non-ASCII characters, found on the UTF-8 bytes (one C pass each way): news
    # text is ASCII but for a few quotes and dashes, and set(text) cost a fifth of the stage
    others = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    for c in set(others):
        if 0xFF01 <= ord(c) <= 0xFF5E:
            table[ord(c)] = chr(ord(c) - _FULL_WIDTH_OFFSET)
        elif c in _AT_FORMS:
            table[ord(c)] = _AT_FORMS[c]
        elif c in _DASHES:
            table[ord(c)] = "-"
        elif unicodedata.category(c) == "Zs":
            table[ord(c)] = " "
        elif (digit := unicodedata.decimal(c, None)) is not None:
            table[ord(c)] = str(digit)
    if len(table) > 8:
        return text.translate(table)
    # a few characters (a no-break space, an en dash: most non-ASCII text has one or two of
    # them) are replaced one at a time: str.replace runs at memory speed, str.translate looks up
    # every character of the text (15 ns each: 7 times the rest of this function)
    for code, ascii in table.items():
        text = text.replace(chr(code), ascii)
    return text


def find_personal_data(text: str, kinds: tuple[str, ...] = KINDS) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each piece of personal data, in text order, never overlapping (where
    two overlap, the one that starts first wins, then the longer). Found in `ascii_view(text)`."""
    require_str("find_personal_data", "text", text)
    text = ascii_view(text)
    text, at = _visible(text)
    if not _DIGIT_SPAN.search(text):
        kinds = tuple(k for k in kinds if k == EMAIL)
    found = sorted((s, -e, kind) for kind in kinds for s, e in _FINDERS[kind](text))
    out: list[tuple[int, int, str]] = []
    for s, neg_e, kind in found:
        if out and s < out[-1][1]:
            continue
        out.append((s, -neg_e, kind))
    return out if at is None else [(at(s), at(e - 1) + 1, kind) for s, e, kind in out]


def _visible(text: str) -> tuple[str, Callable[[int], int] | None]:
    """`text` without its invisible characters (`_INVISIBLE`), and the function that maps a
    position in it back to `text` (None when there were none)."""
    if text.isascii() or not any(map(text.__contains__, _INVISIBLE_CHARS)):  # a search each, at memory speed
        return text, None
    starts: list[int] = [0]  # where, in the visible text, each run of characters that follows a removal starts
    shifts: list[int] = [0]  # how many characters were removed before it
    parts: list[str] = []
    last = 0
    for m in _INVISIBLE.finditer(text):
        parts.append(text[last : m.start()])
        last = m.end()
        shifts.append(shifts[-1] + m.end() - m.start())
        starts.append(last - shifts[-1])
    parts.append(text[last:])
    return "".join(parts), lambda i: i + shifts[bisect.bisect_right(starts, i) - 1]


def redact(text: str, cfg: PiiConfig = PiiConfig()) -> tuple[str, tuple[tuple[str, int], ...]]:
    """`text` with each piece of personal data replaced by its kind's placeholder, and the count per
    kind (sorted by kind; kinds with none left out)."""
    require_str("redact", "text", text)
    if not cfg.enabled or not cfg.kinds:
        return text, ()
    placeholder = {EMAIL: cfg.email_placeholder, IP: cfg.ip_placeholder, PHONE: cfg.phone_placeholder}
    parts: list[str] = []
    counts: Counter[str] = Counter()
    last = 0
    for start, end, kind in find_personal_data(text, cfg.kinds):
        if text[start:end] == placeholder[kind]:
            continue  # already redacted: redacting twice changes nothing
        parts.append(text[last:start])
        parts.append(placeholder[kind])
        counts[kind] += 1
        last = end
    if not counts:
        return text, ()
    parts.append(text[last:])
    return "".join(parts), tuple(sorted(counts.items()))


def redact_document(doc: Document, cfg: PiiConfig) -> Document | Rejection:
    text, counts = redact(doc.text, cfg)
    return doc.with_(text=text, pii_counts=counts) if counts else doc


class RedactFn(DecideFn):
    stage = STAGE

    def __init__(self, cfg: PiiConfig):
        self.cfg = cfg

    def decide(self, doc: Document) -> Document | Rejection:
        return redact_document(doc, self.cfg)


class RedactPersonalData(beam.PTransform):
    """Document -> kept: Document (personal data replaced, `pii_counts` set), rejected: none,
    failed: Failure."""

    def __init__(self, cfg: PiiConfig):
        super().__init__()
        self.cfg = cfg

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        return apply_decisions(docs, "Redact", RedactFn(self.cfg))
