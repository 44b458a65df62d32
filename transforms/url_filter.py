"""URL and domain filters: user-given block and allow lists, matched by domain and subdomain.

Three list files, each optional, one entry a line (`#` starts a comment, blank lines are skipped):
- `block_domains`: a document whose host is an entry or a subdomain of one is rejected
  (`example.com` blocks `example.com`, `www.example.com` and `news.example.com`, not `myexample.com`);
- `allow_domains`: when given, only hosts that are an entry or a subdomain of one are kept;
- `block_url_prefixes`: `example.com/sponsored/` blocks every URL under that path, on that host
  and its subdomains (scheme, `www.`, query and fragment ignored; matched at path-segment bounds).

Matching looks up each dot-suffix of the host (and each `/`-prefix of the path) in a set, so the cost
per document is a few dictionary lookups whatever the size of the lists: 10^6 domains load once per
worker process (Beam's `Shared`) and match in constant time. The files are read through Beam's
filesystems, so `gs://` and `s3://` lists work on every worker; the pipeline reads them once when it
is built, so a missing or unreadable list is a one-line error before anything runs (`check_lists`).

A blocked document is rejected as `url_blocked`, its `detail` naming the list and the matching
entry (`block_domains:example.com`). Documents without a URL pass the block lists and fail an allow
list (`allow_domains:no url`; `allow_domains:no host in url` for a relative link). A URL without its
scheme is read by its host as an address bar reads it (`example.com/x`: `stream_safe.split_url`). The filter runs right after reading, before extraction, so a blocked
page costs nothing more.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import re
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import unquote

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.utils import shared

from transforms.library_args import require_str
from transforms.records import Document, Reason, Rejection
from transforms.routing import DecideFn, StageOutputs, apply_decisions
from transforms.side_files import read_bytes_at_most, special_file_kind
from transforms.stream_safe import nfkc, split_url

STAGE = "url_filter"


@dataclass(frozen=True)
class UrlFilterConfig:
    block_domains: str = ""  # path or URI of a list of domains to reject (with their subdomains)
    allow_domains: str = ""  # path or URI of the only domains to keep (with their subdomains); "" keeps all
    block_url_prefixes: str = ""  # path or URI of URL prefixes to reject ("example.com/sponsored/")

    @property
    def active(self) -> bool:
        return bool(self.block_domains or self.allow_domains or self.block_url_prefixes)

    def paths(self) -> dict[str, str]:
        return {k: v for k, v in (("block_domains", self.block_domains), ("allow_domains", self.allow_domains),
                                  ("block_url_prefixes", self.block_url_prefixes)) if v}  # fmt: skip


def normalize_host(host: str) -> str:
    """Lower case, no trailing dot, no leading `www.` nor `*.`, international names in their ASCII
    (punycode) form, as URLs carry them either way: the form entries and hosts are compared in.

    Every spelling of one host comes out the same (hostile round 10): percent-escapes are decoded
    (`ev%69l.com`, as browsers read a host), full-width letters and ideographic dots folded (NFKC),
    and each label encoded on its own as IDNA 2008 and browsers do, so `straße.de` is
    `xn--strae-oqa.de` whichever way it is written (Python's `idna` codec, IDNA 2003, made it
    `strasse.de`, another domain, and a list entry in one form missed URLs in the other)."""
    if "%" in host:
        host = unquote(host)
    if not host.isascii():
        # characters IDNA maps to nothing (UTS 46 "ignored": a soft hyphen, a zero-width space),
        # as browsers drop them: `ex\u00adample.com` is example.com (hostile round 31)
        host = nfkc(_IGNORED_IN_HOSTS.sub("", host)).replace("\u3002", ".")
    host = host.strip().lower().rstrip(".")
    if (address := ip_literal(host)) is not None:
        return address
    for prefix in ("*.", "."):
        host = host.removeprefix(prefix)
    if not host.isascii() or "xn--" in host:
        host = ".".join(map(_ascii_label, host.split(".")))
    return host.removeprefix("www.")


_IGNORED_IN_HOSTS = re.compile("[\u00ad\u034f\u180b-\u180f\u200b\u2060\u2064\ufe00-\ufe0f\ufeff\U0001bca0-\U0001bca3\U000e0100-\U000e01ef]")


# A DNS label is at most 63 octets (RFC 1035, 2.3.4), and a label's punycode form is no shorter
# than the label: a longer one names no host. Python's punycode encoder takes the square of a
# label's length: a URL whose host was one label of 20,000 CJK characters held the URL filter for
# 50 s, one of 100 KB for about 20 minutes (hostile round 14).
MAX_LABEL_CHARS = 63


def _ascii_label(label: str) -> str:
    """One host label in its punycode form; a punycode label decoded and encoded again, so that
    one written in capitals or not normalised compares equal. A label that is not valid punycode,
    or longer than a DNS label can be, is compared as written."""
    if len(label) > MAX_LABEL_CHARS:
        return label
    if label.startswith("xn--"):
        try:
            decoded = label[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError):
            return label
        label = nfkc(decoded).lower()
    return label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")


def path_segments(path: str) -> list[str]:
    """A URL path's segments as a server reads them: percent-escapes decoded (`%73ponsored`,
    `%2F`), `.` and `..` resolved (`/x/../sponsored`, `/%2e%2e/`), empty segments (`//`) dropped.
    Entries and URLs are compared in this form, so a block-list prefix matches every spelling of
    the path (hostile round 10). Linear in the path's length."""
    if "%" in path:
        path = unquote(path)
    out: list[str] = []
    for seg in path.split("/"):
        if seg == "..":
            if out:
                out.pop()
        elif seg and seg != ".":
            out.append(seg)
    return out


def ip_literal(host: str) -> str | None:
    """An IP address as hosts and entries are compared (IPv6 compressed, without its brackets:
    `[2001:DB8:0::1]` and urlsplit's `2001:db8::1` alike; IPv4 in dotted decimal whichever way a
    browser reads it, `whatwg_ipv4`), else None for a name."""
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if ":" not in bare:
        return whatwg_ipv4(bare)
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        return None


_IPV4_PART = re.compile(r"0[xX][0-9a-fA-F]*|[0-9]+")


def whatwg_ipv4(host: str) -> str | None:
    """`host` as the IPv4 address a browser reads it as (WHATWG URL, "IPv4 parser"), in dotted
    decimal; None for a name. A host whose last label is a number is an address: its one to four
    parts each decimal, octal (a leading 0) or hexadecimal (`0x`), the last filling the bytes the
    others leave (`http://2130706433/`, `http://0x7f.0.0.1/`, `http://0177.0.0.1/` and
    `http://127.1/` are all 127.0.0.1). Read as names, they passed a block list naming 127.0.0.1
    (hostile round 31); a host a browser refuses as an address (a part past its bytes) is left a name."""
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    if not labels or not _IPV4_PART.fullmatch(labels[-1]) or len(labels) > 4:
        return None
    numbers = []
    for label in labels:
        if not _IPV4_PART.fullmatch(label):
            return None
        if label[:2].lower() == "0x":
            numbers.append(int(label[2:] or "0", 16))
        elif label[0] == "0" and len(label) > 1:
            if not label.isdigit() or "8" in label or "9" in label:
                return None  # `08`: neither octal nor a name, a URL a browser refuses
            numbers.append(int(label, 8))
        elif len(label) > 10:  # past 2**32: and a host of 5,000 digits is past what int() reads in decimal
            return None
        else:
            numbers.append(int(label))
    *first, last = numbers
    if any(n > 255 for n in first) or last >= 256 ** (5 - len(numbers)):
        return None
    value = sum(n << 8 * (3 - i) for i, n in enumerate(first)) + last
    return str(ipaddress.IPv4Address(value))


def domain_entry_problem(entry: str) -> str | None:
    """Why a domain-list entry cannot match any host (a URL, a path or a port in it), else None:
    such an entry used to be kept and never matched, so the list blocked less than it said."""
    if "://" in entry or "/" in entry:
        return "a URL or a path, not a domain (URL prefixes go in url_filter.block_url_prefixes)"
    if (problem := _host_problem(entry)) is not None:
        return problem
    host = normalize_host(entry)
    if not host:
        return "no domain (dots alone)"
    return _WILDCARD if "*" in host else None


def _host_problem(host: str) -> str | None:
    """Why the host part of an entry is none a URL's host can be compared equal to, else None. A URL
    is matched by its host alone: without its port and user name, and no host holds a control
    character. An entry of a port, a `user@` or a control character (a NUL, a list joined from
    files of another tool) was kept and never matched (hostile round 27, for URL prefixes: round 8
    refused a port only in a domain list)."""
    if ip_literal(host.strip()) is not None:  # an IPv6 address holds colons, not a port (hostile round 9)
        return None
    if "@" in host:
        return "not a host (a user name and '@' in it: URLs are compared by their host alone)"
    if ":" in host or any(c.isspace() for c in host):
        return "not a domain (a port or a space in it)"
    if any(c < " " or "\x7f" <= c <= "\x9f" for c in host):
        return "not a domain (a control character in it)"
    return None


# Entries are compared as written, not as patterns: a `*` other than a leading `*.` (`*`,
# `news.*.com`, `*example.org`, a path segment `*`) matched nothing, and the list blocked less than
# it said without a word (hostile round 18). No host holds a `*`.
_WILDCARD = ("a pattern: entries are not patterns, and no host holds a '*' (only a leading '*.' is taken, "
             "and an entry already covers the domain's subdomains)")


def prefix_entry_problem(entry: str) -> str | None:
    """Why a URL-prefix entry cannot match any URL, else None: `https://` or `/` names no host, and
    such an entry was kept and never matched (hostile round 8); nor does a `*` read as a pattern."""
    host, _, path = normalize_prefix(entry).partition("/")
    if not host:
        return "no host (a URL prefix starts with one: example.com/sponsored/)"
    if (problem := _host_problem(_without_scheme(entry).partition("/")[0])) is not None:
        return f"{problem}; write the prefix as example.com/sponsored/"
    if "*" in host or "*" in path.split("/"):
        return f"{_WILDCARD}; a prefix already matches every path under it"
    return None


def _without_scheme(entry: str) -> str:
    """A URL prefix entry as written, without its scheme: host, then path."""
    entry = entry.strip()
    return entry.split("://", 1)[1] if "://" in entry else entry


def normalize_prefix(entry: str) -> str:
    """An URL prefix entry as host/path: scheme and `www.` dropped, host lower-cased."""
    host, _, path = _without_scheme(entry).partition("/")
    return normalize_host(host) + "".join("/" + seg for seg in path_segments(path))


def parse_entries(lines: Iterable[str]) -> list[str]:
    out = []
    for line in lines:
        # a byte-order mark inside a line: lists joined with `cat` carry each file's BOM at the start
        # of its first line, which made the entry "\ufeffa.com" (xn--a-6m0i.com), matching nothing
        entry = line.replace("\ufeff", "").split("#", 1)[0].strip()
        if entry:
            out.append(entry)
    return out


def read_list(path: str) -> list[str]:
    """The entries of a list file (any Beam filesystem); a ValueError naming the file if it cannot be read.

    A local path that is not a regular file is refused unopened: every worker reads the list itself
    (`FilterUrlsFn.setup`), after `check_lists` read it in the driver, and a pipe gives its lines once.
    `--set url_filter.block_domains=<(...)` passed the check, then the workers read an empty list and
    blocked nothing, without a word; a named pipe without a writer held the run at its start for
    good (hostile round 32)."""
    if FileSystems.get_scheme(path) is None and (kind := special_file_kind(path)) is not None:
        raise ValueError(f"url_filter: {path} is {kind}, not a file: each worker reads the list itself, so it must "
                         "be a file that can be read more than once; save the list to a file and name that")
    try:
        with FileSystems.open(path) as f:
            raw = read_bytes_at_most(f)
    except Exception as exc:  # noqa: BLE001 - any filesystem error is the same mistake to the user
        raise ValueError(f"url_filter: cannot read {path}: {type(exc).__name__}: {str(exc)[:200]}") from exc
    try:
        # "utf-8-sig": a byte-order mark (Notepad's "UTF-8 with BOM") is not part of the first line.
        # Kept, it made the entry "\ufeff" of a list opening with a comment (hostile round 27): an
        # allow list of comments passed the check for an empty one and rejected every document
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"url_filter: {path} is not UTF-8 text (byte {exc.start})") from exc
    return parse_entries(text.splitlines())


def host_suffixes(host: str, longest: int | None = None) -> list[str]:
    """`a.b.example.com` -> [`a.b.example.com`, `b.example.com`, `example.com`, `com`]; an IP
    address is itself alone (the entry `3.4` must not block 1.2.3.4). With `longest`, only the
    suffixes of at most that many characters (the longest entry of a list: no longer one can equal
    an entry). Cut from the right, so a host of 10,000 labels costs its few short suffixes, not the
    10,000 joins of ever longer strings the split-and-join did (quadratic: hostile round 9)."""
    if ip_literal(host) is not None:
        return [host]
    out = []
    dot = len(host)
    while True:
        dot = host.rfind(".", 0, dot)
        suffix = host[dot + 1 :]
        if longest is not None and len(suffix) > longest:
            break
        out.append(suffix)
        if dot < 0:
            break
    return out[::-1]


@dataclass(frozen=True)
class UrlLists:
    block_domains: frozenset[str] = frozenset()
    allow_domains: frozenset[str] = frozenset()
    block_url_prefixes: frozenset[str] = frozenset()

    @classmethod
    def build(cls, block_domains: Iterable[str] = (), allow_domains: Iterable[str] = (), block_url_prefixes: Iterable[str] = ()) -> UrlLists:
        return cls(
            frozenset(normalize_host(d) for d in block_domains),
            frozenset(normalize_host(d) for d in allow_domains),
            frozenset(map(normalize_prefix, block_url_prefixes)),
        )

    @functools.cached_property
    def longest_domain(self) -> int:
        """The longest domain entry's length: a longer host suffix can match none."""
        return max(map(len, self.block_domains | self.allow_domains), default=0)

    @functools.cached_property
    def longest_prefix(self) -> int:
        return max(map(len, self.block_url_prefixes), default=0)

    @classmethod
    def load(cls, cfg: UrlFilterConfig) -> UrlLists:
        return cls.build(*(read_list(p) if p else [] for p in (cfg.block_domains, cfg.allow_domains, cfg.block_url_prefixes)))


def check_lists(cfg: UrlFilterConfig) -> dict[str, str]:
    """Read every configured list once, when the pipeline is built: a missing or unreadable file is a
    ValueError before any work starts. Returns each list's SHA-256, for the run's metadata."""
    digests = {}
    for key, path in cfg.paths().items():
        entries = read_list(path)
        if key == "allow_domains" and not entries:
            # an allow list with no entry kept every domain, the opposite of what it was given for
            # (a generated list that came out empty, a file of comments)
            raise ValueError(f"url_filter: allow_domains {path} lists no domain (only blank lines or comments): an allow "
                             "list keeps only the domains it names; set url_filter.allow_domains to \"\" to keep every domain")
        for entry in entries:
            problem = prefix_entry_problem(entry) if key == "block_url_prefixes" else domain_entry_problem(entry)
            if problem:
                raise ValueError(f"url_filter: {key} {path}: entry {entry!r} is {problem}")
        digests[key] = hashlib.sha256("\n".join(entries).encode()).hexdigest()[:16]
    return digests


def url_verdict(url: str, lists: UrlLists) -> str | None:
    """None when the URL may stay, else `list:entry` naming what blocked it."""
    require_str("url_verdict", "url", url)
    if "\\" in url:  # a browser reads "\\" as "/" in http(s) URLs: example.com\\sponsored/ is example.com/sponsored/
        url = url.replace("\\", "/")
    try:
        parts = split_url(url.strip()) if url else None
        host = normalize_host(parts.hostname or "") if parts else ""
    except ValueError:
        host, parts = "", None
    if not host:
        # a URL that names no host (a relative link: `/x`, `page/2`, `index.html`) is told apart from none
        return ("allow_domains:no host in url" if url.strip() else "allow_domains:no url") if lists.allow_domains else None
    suffixes = host_suffixes(host, lists.longest_domain)
    for suffix in suffixes:
        if suffix in lists.block_domains:
            return f"block_domains:{suffix}"
    if lists.allow_domains and not any(s in lists.allow_domains for s in suffixes):
        return f"allow_domains:{host} not listed"
    if lists.block_url_prefixes and parts is not None:
        # prefixes no longer than the longest entry: a URL of 10,000 segments on a host of 10,000
        # labels made every (suffix, segment) string, ever longer (cubic: hostile round 9)
        longest = lists.longest_prefix
        segments = path_segments(parts.path)[:longest]
        for suffix in host_suffixes(host, longest):
            prefix = suffix
            if prefix in lists.block_url_prefixes:
                return f"block_url_prefixes:{prefix}"
            for seg in segments:
                prefix = f"{prefix}/{seg}"
                if len(prefix) > longest:
                    break
                if prefix in lists.block_url_prefixes:
                    return f"block_url_prefixes:{prefix}"
    return None


def filter_document(doc: Document, lists: UrlLists) -> Document | Rejection:
    verdict = url_verdict(doc.url, lists)
    if verdict is None:
        return doc
    return Rejection.of(doc, Reason.URL_BLOCKED, verdict, STAGE)


class FilterUrlsFn(DecideFn):
    stage = STAGE

    def __init__(self, cfg: UrlFilterConfig):
        self.cfg = cfg
        self._shared = shared.Shared()
        self.lists: UrlLists | None = None

    def setup(self) -> None:
        # one copy of a large list per worker process, whatever the number of threads
        self.lists = self._shared.acquire(lambda: _Held(UrlLists.load(self.cfg)), tag=repr(self.cfg)).lists

    def decide(self, doc: Document) -> Document | Rejection:
        assert self.lists is not None
        return filter_document(doc, self.lists)


class _Held:
    """Beam's Shared holds objects that accept weak references; a frozen dataclass of frozensets does not."""

    def __init__(self, lists: UrlLists):
        self.lists = lists


class FilterUrls(beam.PTransform):
    """Document -> kept: Document, rejected: Rejection (url_blocked), failed: Failure.
    With no list configured, every document passes untouched."""

    def __init__(self, cfg: UrlFilterConfig):
        super().__init__()
        self.cfg = cfg

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        return apply_decisions(docs, "FilterUrls", FilterUrlsFn(self.cfg))
