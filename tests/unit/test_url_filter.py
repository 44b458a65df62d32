"""URL and domain filters: registered domain and subdomains, allow lists, URL prefixes."""

import re

import pytest

from transforms.records import Document, Reason, Rejection
from transforms.url_filter import UrlFilterConfig, UrlLists, check_lists, filter_document, read_list, url_verdict

LISTS = UrlLists.build(
    block_domains=["example.com", "*.ads.net", "WWW.Spam.org."],
    block_url_prefixes=["https://www.news.co.uk/sponsored/", "blog.site.io/promo"],
)


@pytest.mark.parametrize(
    "url, verdict",
    [
        ("https://example.com/a", "block_domains:example.com"),
        ("http://www.example.com/", "block_domains:example.com"),
        ("https://news.example.com/x?y=1", "block_domains:example.com"),
        ("https://a.b.ads.net", "block_domains:ads.net"),
        ("https://spam.org/", "block_domains:spam.org"),
        ("https://EXAMPLE.COM./a", "block_domains:example.com"),
        ("https://myexample.com/a", None),
        ("https://example.com.evil.io/", None),
        ("https://news.co.uk/sponsored/deal-1", "block_url_prefixes:news.co.uk/sponsored"),
        ("https://m.news.co.uk/sponsored/", "block_url_prefixes:news.co.uk/sponsored"),
        ("https://news.co.uk/sponsoredcontent/x", None),
        ("https://news.co.uk/world/sponsored/x", None),
        ("https://blog.site.io/promo/2024/x", "block_url_prefixes:blog.site.io/promo"),
        ("", None),
        ("not a url", None),
        ("http://[::1", None),  # malformed: no host, nothing to match
    ],
)
def test_block_lists(url, verdict):
    assert url_verdict(url, LISTS) == verdict


def test_allow_list_keeps_only_its_domains_and_subdomains():
    lists = UrlLists.build(allow_domains=["bbc.co.uk", "reuters.com"], block_domains=["sport.bbc.co.uk"])
    assert url_verdict("https://www.bbc.co.uk/news/1", lists) is None
    assert url_verdict("https://reuters.com/x", lists) is None
    assert url_verdict("https://sport.bbc.co.uk/x", lists) == "block_domains:sport.bbc.co.uk"  # block wins
    assert url_verdict("https://cnn.com/x", lists) == "allow_domains:cnn.com not listed"
    assert url_verdict("", lists) == "allow_domains:no url"


@pytest.mark.parametrize("url, verdict", [
    ("example.com/path", "block_domains:example.com"),
    ("www.example.com/a", "block_domains:example.com"),
    ("news.example.com", "block_domains:example.com"),
    ("EXAMPLE.com:8080/x?y=1", "block_domains:example.com"),
    (" example.com/a ", "block_domains:example.com"),
    ("www.news.co.uk/sponsored/deal-1", "block_url_prefixes:news.co.uk/sponsored"),
    ("news.co.uk:443/sponsored/", "block_url_prefixes:news.co.uk/sponsored"),
    ("myexample.com/path", None),
    ("example.com.evil.io/x", None),
    ("/example.com/x", None),  # a relative link: no host
    ("index.html", None),
    ("mailto:news@example.com", None),
])
def test_a_url_without_its_scheme_is_matched_by_its_host(url, verdict):
    # hostile round 28: urlsplit gives "example.com/path" no host (and "example.com:8080/x" the host
    # as its scheme): a block list let such URLs through while blocking https://example.com/path,
    # an allow list rejected them "no url", and their domain column was empty
    assert url_verdict(url, LISTS) == verdict


def test_an_allow_list_reads_a_url_without_its_scheme_and_names_a_relative_link():
    lists = UrlLists.build(allow_domains=["example.com"])
    assert url_verdict("example.com/path", lists) is None
    assert url_verdict("www.example.com/a", lists) is None
    assert url_verdict("127.0.0.1/x", lists) == "allow_domains:127.0.0.1 not listed"
    assert url_verdict("/relative/path", lists) == "allow_domains:no host in url"
    assert url_verdict("page/2", lists) == "allow_domains:no host in url"
    assert url_verdict("  ", lists) == "allow_domains:no url"


def test_a_blocked_document_is_rejected_with_the_entry():
    doc = Document(id="d", text="t", source="s", source_format="jsonl", url="https://news.example.com/1")
    out = filter_document(doc, LISTS)
    assert isinstance(out, Rejection)
    assert (out.reason, out.detail, out.stage) == (Reason.URL_BLOCKED, "block_domains:example.com", "url_filter")
    kept = doc.with_(url="https://elsewhere.org/")
    assert filter_document(kept, LISTS) is kept


def test_list_files_with_comments_and_a_missing_file(tmp_path):
    f = tmp_path / "block.txt"
    f.write_text("# spam\nexample.com  # whole domain\n\n  ads.net\n", encoding="utf-8")
    assert read_list(str(f)) == ["example.com", "ads.net"]
    cfg = UrlFilterConfig(block_domains=str(f))
    assert set(check_lists(cfg)) == {"block_domains"}
    assert url_verdict("https://x.ads.net/", UrlLists.load(cfg)) == "block_domains:ads.net"
    with pytest.raises(ValueError, match="url_filter: cannot read .*missing.txt"):
        check_lists(UrlFilterConfig(allow_domains=str(tmp_path / "missing.txt")))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00x")
    with pytest.raises(ValueError, match="not UTF-8"):
        check_lists(UrlFilterConfig(block_domains=str(bad)))


@pytest.mark.parametrize("entry", ["http://EXAMPLE.com:8080/path", "example.com/news", "example.com:443", "example .com", "..", "."])
def test_a_domain_list_entry_that_can_match_no_host_is_refused(tmp_path, entry):
    # kept, such an entry never matched: the list blocked less than it said, and nothing told
    f = tmp_path / "block.txt"
    f.write_text(f"ok.com\n{entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"url_filter: block_domains .*block.txt: entry '{entry}' is "):
        check_lists(UrlFilterConfig(block_domains=str(f)))
    f.write_text("ok.com\n*.wild.com\n.dot.net\n", encoding="utf-8")
    assert set(check_lists(UrlFilterConfig(allow_domains=str(f)))) == {"allow_domains"}
    assert set(check_lists(UrlFilterConfig(block_url_prefixes=str(tmp_path / "block.txt")))) == {"block_url_prefixes"}


@pytest.mark.parametrize("entry", ["https://", "/", "http:///", "https:///news/"])
def test_a_url_prefix_entry_without_a_host_is_refused(tmp_path, entry):
    # hostile round 8: it was kept and never matched, so the list blocked less than it said
    f = tmp_path / "prefixes.txt"
    f.write_text(f"example.com/sponsored/\n{entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"url_filter: block_url_prefixes .*prefixes.txt: entry '{entry}' is no host"):
        check_lists(UrlFilterConfig(block_url_prefixes=str(f)))


@pytest.mark.parametrize("key,entry", [("block_domains", "*"), ("block_domains", "*."), ("allow_domains", "news.*.com"),
                                       ("block_domains", "*example.org"), ("block_url_prefixes", "*/sponsored/"),
                                       ("block_url_prefixes", "example.net/*")])
def test_an_entry_written_as_a_pattern_is_refused(tmp_path, key, entry):
    # hostile round 18: entries are compared as written, so each of these was kept and matched
    # nothing: the list blocked (or allowed) less than it said, without a word
    f = tmp_path / "list.txt"
    f.write_text(f"ok.com\n{entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"url_filter: {key} .*list.txt: entry {re.escape(repr(entry))} is a pattern"):
        check_lists(UrlFilterConfig(**{key: str(f)}))
    f.write_text("ok.com\n*.wild.com\nexample.net/a*b/\n", encoding="utf-8")  # a leading *. is taken; a * inside a segment may be real
    assert set(check_lists(UrlFilterConfig(block_url_prefixes=str(f)))) == {"block_url_prefixes"}
    assert url_verdict("https://x.wild.com/", UrlLists.load(UrlFilterConfig(block_domains=str(tmp_path / "list.txt")))) == "block_domains:wild.com"


def test_an_allow_list_with_no_domain_is_refused(tmp_path):
    # it kept every domain, the opposite of what an allow list is given for; an empty block list blocks nothing, as it says
    f = tmp_path / "allow.txt"
    f.write_text("# generated 2026-12-06\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"url_filter: allow_domains .*allow.txt lists no domain \(only blank lines or comments\)"):
        check_lists(UrlFilterConfig(allow_domains=str(f)))
    assert set(check_lists(UrlFilterConfig(block_domains=str(f), block_url_prefixes=str(f)))) == {"block_domains", "block_url_prefixes"}


@pytest.mark.parametrize("key", ["block_domains", "block_url_prefixes"])
@pytest.mark.parametrize("entry, why", [("news.example:8080/x/", "a port or a space"), ("user@news.example", "a user name and '@'"),
                                        ("https://u:p@news.example/x/", "a user name and '@'"),
                                        ("[2001:db8::1]:80/x/", "a port or a space"), ("a.com\x00b.com", "a control character"),
                                        ("news.example\x1b/x/", "a control character")])
def test_an_entry_whose_host_no_url_host_can_equal_is_refused(tmp_path, key, entry, why):
    # hostile round 27: a URL is matched by its host alone (no port, no user name, no control
    # character): a URL prefix with a port or a user name, or an entry with a NUL, was kept and
    # matched nothing, and the list blocked less than it said (a domain list refused ports only)
    first = "ok.com/x/"
    if key == "block_domains":
        first, entry = "ok.com", entry.split("://")[-1].split("/")[0]
    f = tmp_path / "list.txt"
    f.write_text(f"{first}\n{entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"url_filter: {key} .*list.txt: entry {re.escape(repr(entry))} is not a .*{re.escape(why)}"):
        check_lists(UrlFilterConfig(**{key: str(f)}))
    # a path may hold what a host may not; an IPv6 host is no port
    f.write_text("news.example/a:b/\nnews.example/p@q/\n[2001:db8::1]/x/\nhttps://[2001:db8::1]/y/\n", encoding="utf-8")
    assert set(check_lists(UrlFilterConfig(block_url_prefixes=str(f)))) == {"block_url_prefixes"}
    assert url_verdict("http://[2001:db8::1]/y/z", UrlLists.load(UrlFilterConfig(block_url_prefixes=str(f)))) == "block_url_prefixes:2001:db8::1/y"


def test_a_byte_order_mark_inside_a_list_is_no_part_of_an_entry(tmp_path):
    # hostile round 27: lists joined with `cat` carry each file's BOM at the start of a line: the
    # entry "\ufeffa.com" (read as xn--a-6m0i.com) matched nothing
    f = tmp_path / "joined.txt"
    f.write_bytes("a.com\n".encode("utf-8-sig") + "b.com\n".encode("utf-8-sig") + "\ufeff# c\n".encode())
    assert read_list(str(f)) == ["a.com", "b.com"]
    assert url_verdict("https://b.com/x", UrlLists.load(UrlFilterConfig(block_domains=str(f)))) == "block_domains:b.com"


def test_a_byte_order_mark_before_a_comment_is_no_entry(tmp_path):
    # hostile round 27: a list saved as "UTF-8 with BOM" (Notepad) that opens with a comment held the
    # entry "\ufeff" (read as the host xn--qg7c): an allow list of comments passed the check above
    # and rejected every document, and a block list's digest changed with the editor
    f, plain = tmp_path / "allow.txt", tmp_path / "plain.txt"
    f.write_text("# allowed news sites\nsite1.example.com\n", encoding="utf-8-sig")
    plain.write_text("# allowed news sites\nsite1.example.com\n", encoding="utf-8")
    assert read_list(str(f)) == ["site1.example.com"]
    assert check_lists(UrlFilterConfig(allow_domains=str(f))) == check_lists(UrlFilterConfig(allow_domains=str(plain)))
    f.write_text("# nothing yet\n", encoding="utf-8-sig")
    with pytest.raises(ValueError, match=r"lists no domain \(only blank lines or comments\)"):
        check_lists(UrlFilterConfig(allow_domains=str(f)))


@pytest.mark.parametrize("entry, url", [("bücher.example", "https://xn--bcher-kva.example/a"),
                                        ("xn--bcher-kva.example", "https://www.Bücher.example/a"),
                                        ("münchen.de", "https://news.münchen.de/")])
def test_international_names_match_in_either_form(entry, url):
    assert url_verdict(url, UrlLists.build(block_domains=[entry])) is not None


def test_a_million_domains_match_in_constant_time():
    import time

    lists = UrlLists.build(block_domains=(f"site{i}.com" for i in range(1_000_000)))
    urls = [f"https://a.b.c.host{i}.org/p/q" for i in range(20_000)]
    t0 = time.process_time()
    assert all(url_verdict(u, lists) is None for u in urls)
    per_url = (time.process_time() - t0) / len(urls)
    assert per_url < 50e-6, per_url  # a few set lookups, whatever the list's size
    assert url_verdict("https://news.site999999.com/x", lists) == "block_domains:site999999.com"


@pytest.mark.parametrize(
    "entry, url, verdict",
    [
        # hostile round 9: an IPv6 entry was refused as "a port or a space in it", so no list could name one
        ("[2001:DB8:0::1]", "http://[2001:db8::1]:8080/x", "block_domains:2001:db8::1"),
        ("2001:db8::1", "http://[2001:0db8:0000::1]/", "block_domains:2001:db8::1"),
        ("::1", "http://[::2]/", None),
        # an IP address matches itself only, never as a "subdomain" of its last octets
        ("3.4", "http://1.2.3.4/", None),
        ("192.168.1.1", "http://192.168.1.1/", "block_domains:192.168.1.1"),
    ],
)
def test_ip_addresses_in_a_domain_list(tmp_path, entry, url, verdict):
    listed = tmp_path / "block.txt"
    listed.write_text(entry + "\n", encoding="utf-8")
    check_lists(UrlFilterConfig(block_domains=str(listed)))  # accepted as an entry
    assert url_verdict(url, UrlLists.build([entry])) == verdict


@pytest.mark.parametrize("url", [None, b"https://example.com/", 5])
def test_a_url_that_is_not_str_is_a_type_error_naming_the_argument(url):
    with pytest.raises(TypeError, match="url_verdict: `url` must be str"):
        url_verdict(url, UrlLists.build(["example.com"]))


def test_a_host_of_many_labels_and_a_path_of_many_segments_cost_only_what_an_entry_can_match():
    # hostile round 9: every dot-suffix and every (suffix, path prefix) string was made, ever
    # longer: 1,000 labels and segments took 0.5 s, 10,000 did not end in minutes
    from transforms.url_filter import host_suffixes

    assert host_suffixes("a.b.example.com") == ["a.b.example.com", "b.example.com", "example.com", "com"]
    assert host_suffixes("a.b.example.com", longest=11) == ["example.com", "com"]
    lists = UrlLists.build(["example.org"], [], ["example.net/ads/", "example.net/a/b/c"])
    deep = "a." * 100_000
    assert url_verdict(f"https://{deep}example.org/" + "x/" * 100_000, lists) == "block_domains:example.org"
    assert url_verdict(f"https://{deep}example.net/ads/" + "x/" * 100_000, lists) == "block_url_prefixes:example.net/ads"
    assert url_verdict("https://example.net/a/b/c/" + "x/" * 100_000, lists) == "block_url_prefixes:example.net/a/b/c"
    assert url_verdict(f"https://{deep}example.com/" + "x/" * 100_000, lists) is None


@pytest.mark.parametrize(
    "entry, url",
    [
        # hostile round 10: an entry matched only the spelling it was written in
        ("evil.com", "https://ev%69l.com/a"),  # a host's percent-escapes, as browsers decode them
        ("evil.com", "https://evil%2Ecom/a"),
        ("bücher.de", "https://b%C3%BCcher.de/"),
        ("evil.com", "https://ｅｖｉｌ．com/"),
        ("evil.com", "https://evil.com./"),
        # IDNA 2008, as browsers and crawlers write the name: Python's codec (IDNA 2003) made
        # straße.de strasse.de, and the entry missed the punycode form a WARC holds
        ("straße.de", "https://xn--strae-oqa.de/"),
        ("xn--strae-oqa.de", "https://www.Straße.de/"),
        ("XN--BCHER-KVA.DE", "https://bücher.de/"),
        # a path's percent-escapes, dot segments, doubled slashes and backslashes
        ("example.com/sponsored/", "https://example.com/%73ponsored/x"),
        ("example.com/sponsored/", "https://example.com/x/%2e%2e/sponsored/a"),
        ("example.com/sponsored/", "https://example.com/x/../sponsored/a"),
        ("example.com/sponsored/", "https://example.com/./sponsored/a"),
        ("example.com/sponsored/", "https://example.com//sponsored/a"),
        ("example.com/sponsored/ads", "https://example.com/sponsored%2Fads/a"),
        ("example.com/sponsored/", "https://example.com\\sponsored/a"),
        ("example.com/%73ponsored/", "https://example.com/sponsored/a"),
        ("shop.com/über/", "https://shop.com/%C3%BCber/x"),
        ("news.org/a%20b/", "https://news.org/a b/c"),
        # hostile round 31: hosts a browser reads that urlsplit did not (each passed the list)
        ("example.com", "http:example.com/a"),  # a special scheme's slashes, none or more than two
        ("example.com", "https:/example.com/b"),
        ("example.com", "https:///example.com/c"),
        ("example.com", "HTTP:example.com/d"),
        ("example.com/sponsored/", "https:example.com/sponsored/x"),
        ("127.0.0.1", "http://2130706433/"),  # IPv4 as one number, in hex, octal, or short
        ("127.0.0.1", "http://0x7f.0.0.1/"),
        ("127.0.0.1", "http://0177.0.0.01/"),
        ("127.0.0.1", "http://127.1/"),
        ("0x7f.1", "http://127.0.0.1/"),
        ("example.com", "https://ex\u00adample.com/"),  # characters IDNA maps to nothing
        ("example.com", "https://exa%C2%ADmple.com/"),
        ("example.com", "https://example\u200b.com/"),
    ],
)
def test_an_entry_matches_every_spelling_of_its_host_and_path(entry, url):
    key = "block_url_prefixes" if "/" in entry else "block_domains"
    assert url_verdict(url, UrlLists.build(**{key: [entry]})) is not None


@pytest.mark.parametrize(
    "entry, url",
    [
        ("straße.de", "https://strasse.de/"),  # another domain under IDNA 2008
        ("example.com/sponsored/", "https://example.com/sponsored-content/"),
        ("example.com/sponsored/", "https://example.com/news/sponsored/"),
        ("example.com/sponsored/", "https://example.com/sponsored/../news/a"),
        ("site.com/Ad/", "https://site.com/%41D/"),  # paths keep their case
        ("127.0.0.1", "http://127.0.0.1.5/"),  # five parts: no address (a browser refuses it)
        ("127.0.0.1", "http://08.0.0.1/"),  # 08 is no octal number
        ("10.0.0.1", "http://10.0.0.1.example.com/"),
        ("example.com", "mailto:news@example.com"),
        ("example.com", "javascript:example.com"),
    ],
)
def test_other_hosts_and_paths_are_not_matched(entry, url):
    key = "block_url_prefixes" if "/" in entry else "block_domains"
    assert url_verdict(url, UrlLists.build(**{key: [entry]})) is None


def test_a_label_longer_than_a_dns_label_is_compared_as_written_not_punycode_encoded(monkeypatch):
    # Python's punycode encoder takes the square of a label's length: a host of one 20,000-character
    # CJK label held the filter 50 s (hostile round 14). No host has a label past 63 octets.
    import encodings.punycode

    encoded: list[int] = []
    real = encodings.punycode.punycode_encode

    def counted(text):
        encoded.append(len(text))
        return real(text) if len(text) <= 63 else b"x"

    monkeypatch.setattr(encodings.punycode, "punycode_encode", counted)
    label = "".join(chr(0x4E00 + (i * 7919) % 20_000) for i in range(20_000))
    lists = UrlLists.build(block_domains=["例子.example"])
    assert url_verdict(f"https://{label}.example/a", lists) is None
    assert url_verdict(f"https://xn--{'a' * 40_000}.example/a", lists) is None
    assert url_verdict("https://news.例子.example/a", lists) == "block_domains:xn--fsqu00a.example"
    assert encoded == [2, 2]  # 例子, in the entry and in the last URL
    # an entry with such a label is read as written too, and matches a URL that writes it so
    long_lists = UrlLists.build(block_domains=[f"{label[:64]}.example"])
    assert url_verdict(f"https://www.{label[:64]}.example/", long_lists) == f"block_domains:{label[:64]}.example"
