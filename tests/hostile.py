"""A crawl's worst files, written into a folder, with the outcome each must have.

Shared by the end-to-end accounting and determinism tests. Every good document is a distinct,
realistic news text long enough to pass the quality filters, so only the hostile property decides
where it lands.
"""

from __future__ import annotations

import bz2
import gzip
import io
import itertools
import json
import lzma
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ARTICLES = {
    "harbour": (
        "The city council voted on Tuesday to rebuild the old harbour wall, which has been closed to the "
        "public since the storms of last winter damaged its northern end. Engineers told the meeting that "
        "the repairs would take about eighteen months and that the fishing fleet would be moved to a "
        "temporary mooring during the work. Several members asked why the estimate had risen by a third "
        "since the spring, and the finance officer said the price of stone and steel had gone up sharply. "
        "Residents who live near the harbour said they welcomed the decision but worried about lorries "
        "using the narrow streets of the old town every day. "
    "The council will publish the full plans next month."
    ),
    "library": (
        "A small library in the hills reopened this weekend after volunteers spent two years restoring the "
        "building, a former school that had stood empty for most of the last decade. The collection now "
        "holds more than twelve thousand books, most of them donated by families from the surrounding "
        "villages, and a reading room on the first floor looks out over the valley. The organisers said "
        "children from three schools had already signed up for weekly visits, and that a local bus company "
        "had agreed to add a stop outside the door. Opening hours will be extended in the summer. "
    "A cafe run by volunteers will open in the old staff room."
    ),
    "orchard": (
        "Apple growers in the region expect a smaller harvest this year after a late frost in April killed "
        "many of the blossoms on trees at higher altitudes. The growers' association said early estimates "
        "pointed to a fall of about a quarter compared with last season, although orchards in the lower "
        "valleys escaped the worst of the cold. Prices at the wholesale market have already begun to rise, "
        "and several cider makers said they would buy fruit from neighbouring countries to keep their "
        "presses running. Farmers are asking the government for help with the cost of frost protection. "
    "A decision is expected before the end of the month."
    ),
    "bridge": (
        "Traffic on the river bridge will be limited to one lane in each direction from next Monday while "
        "inspectors examine cracks found in two of its supporting piers during a routine survey. The "
        "transport department said the bridge remained safe but that heavy goods vehicles would be sent "
        "along the ring road until the checks were complete, which could take several weeks. Commuters "
        "were advised to allow extra time for their journeys or to use the train, and the rail operator "
        "said it would add carriages to morning services. Shop owners near the bridge fear a loss of trade. "
    "The council has promised to review parking rules nearby."
    ),
    "choir": (
        "The youth choir from the northern district won first prize at the national competition on Sunday, "
        "beating twenty other groups with a programme of folk songs arranged by their own conductor. The "
        "forty singers, aged between eleven and seventeen, had rehearsed three evenings a week since "
        "January and raised the money for their travel by singing at weddings and markets. Judges praised "
        "the clarity of their voices and the courage of the arrangements. The choir has been invited to "
        "perform at the opening of the new concert hall in the capital next autumn, its first time abroad. "
    "Tickets for the concert will go on sale in the spring."
    ),
    "museum": (
        "Visitors to the maritime museum can now see the restored hull of a merchant ship that sank off the "
        "coast more than three hundred years ago and was raised from the seabed in pieces. Conservators "
        "spent almost a decade drying the timbers slowly so that they would not crack, and the ship now "
        "stands in a glass hall built around it. Among the objects found on board were coins, pottery, a "
        "set of navigation instruments and the shoes of a sailor. The museum expects the exhibition to "
        "double its number of visitors this year and has extended its opening hours at weekends. "
    "Entry remains free for children under twelve."
    ),
}

# German text in a legacy code page: decoded by detection and marked.
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Hafenmauer wieder aufzubauen, die seit den Stürmen "
    "des letzten Winters für die Öffentlichkeit gesperrt ist. Die Ingenieure erklärten, die Arbeiten würden "
    "etwa achtzehn Monate dauern, und die Fischereiflotte werde während der Bauzeit an einen vorläufigen "
    "Liegeplatz verlegt. Mehrere Mitglieder fragten, warum die Schätzung seit dem Frühjahr um ein Drittel "
    "gestiegen sei, und der Kämmerer sagte, die Preise für Stein und Stahl seien stark gestiegen. Anwohner "
    "begrüßten die Entscheidung, sorgen sich aber über Lastwagen in den engen Straßen der Altstadt. "
    "Die Pläne sollen im nächsten Monat veröffentlicht werden."
)

GERMAN_LIBRARY = (
    "Eine kleine Bibliothek in den Hügeln hat am Wochenende wieder geöffnet, nachdem Freiwillige zwei Jahre "
    "lang das Gebäude renoviert hatten, eine ehemalige Schule, die fast zehn Jahre leer stand. Die Sammlung "
    "umfasst inzwischen mehr als zwölftausend Bücher, die meisten von Familien aus den umliegenden Dörfern "
    "gespendet, und ein Lesesaal im ersten Stock blickt über das Tal. Die Organisatoren sagten, Kinder aus "
    "drei Schulen hätten sich bereits für wöchentliche Besuche angemeldet. Im Sommer werden die Öffnungszeiten "
    "verlängert, und ein von Freiwilligen geführtes Café soll im früheren Lehrerzimmer eröffnen."
)

FRENCH = (
    "L'été dernier, le café « Chez Hélène » a fermé après quarante ans, au grand regret des habitués du "
    "quartier. Le conseil municipal a voté mardi la reconstruction du vieux mur du port, fermé au public "
    "depuis les tempêtes de l'hiver dernier. Les ingénieurs ont précisé que les travaux dureraient environ "
    "dix-huit mois et que la flotte de pêche serait déplacée vers un mouillage provisoire. Plusieurs élus "
    "ont demandé pourquoi le devis avait augmenté d'un tiers depuis le printemps. Les riverains se sont "
    "félicités de la décision, mais s'inquiètent du passage des camions dans les rues étroites de la vieille ville."
)

HEBREW = (
    "מועצת העיר החליטה ביום שלישי לשקם את חומת הנמל הישנה, שנסגרה לציבור מאז הסערות של החורף שעבר. "
    "המהנדסים אמרו בישיבה כי העבודות יימשכו כשנה וחצי וכי צי הדייגים יועבר למעגן זמני במהלך העבודות. "
    "כמה מחברי המועצה שאלו מדוע ההערכה עלתה בשליש מאז האביב, וגזבר העירייה השיב כי מחירי האבן והפלדה "
    "עלו בחדות. תושבים הגרים ליד הנמל אמרו כי הם מברכים על ההחלטה אך חוששים ממשאיות ברחובות הצרים של "
    "העיר העתיקה בכל יום, ומבקשים שהעבודות ייעשו רק בשעות היום ולא בלילה או בסופי שבוע. "
    "התוכניות המלאות יפורסמו בחודש הבא."
)



def _codes(length: int, alphabet: int, min_distance: int) -> list[tuple[int, ...]]:
    """Greedy code: index vectors that differ in at least `min_distance` places pairwise."""
    chosen: list[tuple[int, ...]] = []
    for vector in itertools.product(range(alphabet), repeat=length):
        if all(sum(x != y for x, y in zip(vector, c)) >= min_distance for c in chosen):
            chosen.append(vector)
    return chosen


_SENTENCES = [[s if s.endswith(".") else s + "." for s in text.split(". ")] for text in ARTICLES.values()]
_MIXES = _codes(len(_SENTENCES), min(map(len, _SENTENCES)), min_distance=4)


def mixed(k: int) -> str:
    """A distinct English text: one sentence from each article; two mixes share at most two sentences,
    so none is a near-duplicate of another or of an article."""
    return " ".join(sentences[i] for sentences, i in zip(_SENTENCES, _MIXES[k]))


def _disjoint_pairs() -> list[tuple[int, int]]:
    """Pairs of mixes that share no sentence, from the last mix down, each mix in one pair at most."""
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for a in range(len(_MIXES) - 1, -1, -1):
        b = next((b for b in range(a) if b not in used and all(x != y for x, y in zip(_MIXES[a], _MIXES[b]))), None)
        if a not in used and b is not None:
            pairs.append((a, b))
            used.update((a, b))
    return pairs


_FRESH = _disjoint_pairs()


def fresh(k: int) -> str:
    """A distinct English text past the mixes the corpus uses one by one: two mixes that share no
    sentence, end to end, so it is no near-duplicate of either (half its shingles) nor of another."""
    a, b = _FRESH[k]
    return mixed(a) + " " + mixed(b)


ALL_CRUFT = "Leave a Comment\nShare your thoughts in the comments below!\nHome » world » politics\nAdblock Detected\n"


@dataclass(frozen=True)
class Expected:
    outcome: str  # clean | rejected | failed
    reason: str = ""  # rejection reason, or the error type of a failure
    flag: str = ""  # the start of a flag the clean/rejected record must carry
    contains: str = ""  # a phrase the clean text must contain


def write_hostile_corpus(folder: Path, large_bytes: int = 20_000_000) -> dict[str, Expected]:
    """Write the files; return the expected outcome keyed by record id."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expected] = {}

    def text_file(name: str, data: bytes, exp: Expected) -> None:
        (folder / name).write_bytes(data)
        expected[name] = exp

    a = ARTICLES
    text_file("legacy_cp1252.txt", GERMAN.encode("cp1252"), Expected("clean", flag="decoded_as_cp125", contains="Öffentlichkeit"))
    # UTF-8 cut mid-character: read as UTF-8 with one replacement, not in a code page (every umlaut mojibake)
    text_file("cut_utf8.txt", GERMAN_LIBRARY.encode() + "ü".encode()[:1], Expected("clean", flag="decoded_with_replacement", contains="Bücher"))
    # A legacy code page without a declaration: read as a browser would (French came out as cp1257, "aprčs")
    text_file("french_cp1252.html", article_page("Le café ferme", FRENCH, "").encode("cp1252"),
              Expected("clean", flag="decoded_as_cp1252", contains="après quarante ans"))
    text_file("invalid_utf8.txt", a["harbour"].encode() + b"\n\xff\xfe\xfa broken tail \xc3(\n",
              Expected("clean", contains="harbour wall"))
    text_file("bom.txt", b"\xef\xbb\xbf" + a["library"].encode(), Expected("clean", flag="bom_removed", contains="library"))
    text_file("crlf.txt", a["orchard"].replace(". ", ".\r\n").encode(), Expected("clean", contains="Apple growers"))
    text_file("controls.txt", ("\x07\x1b[0m" + a["bridge"] + "\x0b\x0c").encode(),
              Expected("clean", flag="control_chars_removed", contains="river bridge"))
    ansi = mixed(13).replace(". ", ".\x1b[0m \x1b]0;title\x07", 1).replace(" ", "\x00 ", 1)  # one NUL: more is binary
    text_file("ansi_nul.txt", ("\x1b[1;31m" + ansi).encode(), Expected("clean", flag="control_chars_removed", contains=mixed(13)[:60]))
    text_file("utf16_bom.txt", mixed(14).encode("utf-16"), Expected("clean", flag="decoded_as_utf_16", contains=mixed(14)[:60]))
    text_file("utf16_nobom.txt", mixed(15).encode("utf-16-be"), Expected("clean", flag="decoded_as_utf_16_be", contains=mixed(15)[:60]))
    text_file("declares_utf16.html", article_page("Bridge inspected", mixed(16), '<meta charset="utf-16">').encode(),
              Expected("clean", flag="meta_charset_wrong", contains=mixed(16).split(". ")[1]))
    text_file("rtl.txt", HEBREW.encode(), Expected("clean", contains="הנמל"))
    text_file("emoji.txt", a["choir"].replace("first prize", "first prize 🏆👏").replace("songs", "songs 🎶").encode(),
              Expected("clean", contains="prize 🏆👏"))
    page = ("<!DOCTYPE html><html><head><title>Ship raised</title></head><body><nav><a href='/'>Home</a> "
            "<a href='/news'>News</a></nav><article><h1>Ship raised</h1>"
            + "".join(f"<p>{sentence}.</p>" for sentence in a["museum"].rstrip(".").split(". "))
            + "</article><footer>Copyright 2026 Museum News</footer></body></html>")
    text_file("html_as.txt", page.encode(), Expected("clean", flag="html_in_text_file", contains="merchant ship"))
    text_file("binary.txt", bytes(range(256)) * 64, Expected("failed", "BadRecord"))
    text_file("nul_heavy.txt", b"text\x00\x00\x00\x00" * 2000, Expected("failed", "BadRecord"))
    text_file("empty.txt", b"", Expected("rejected", "empty_input"))
    text_file("whitespace.txt", b" \n\t\r\n  \n", Expected("rejected", "empty_input"))
    text_file("all_cruft.txt", ALL_CRUFT.encode(), Expected("rejected", "empty_after_cleaning"))
    text_file("huge_document.txt", (a["harbour"] + "\n").encode() * (large_bytes // len(a["harbour"]) + 1),
              Expected("rejected", "document_too_large"))
    text_file("long_line.txt", b"lorem " * 350_000, Expected("rejected", "empty_after_cleaning"))

    # JSONL: one record per non-blank line, whatever the line holds.
    lines = [
        json.dumps({"id": "j-ok", "url": "https://news.example/a", "title": "Choir", "text": "The junior choir sang. " + mixed(0)}),
        '{"id": "j-broken", "text": "unterminated',
        json.dumps([1, 2, 3]),
        json.dumps({"id": "j-null", "text": None}),
        json.dumps({"id": "j-number", "text": 42}),
        json.dumps({"id": "j-object", "text": {"body": "x"}}),
        json.dumps({"id": "j-missing", "body": "no text field"}),
        "",
        json.dumps({"id": "j-surrogate", "text": "A hull \ud800 was found. " + mixed(1)}),
        json.dumps({"id": "dup-id", "text": mixed(2)}),
        json.dumps({"id": "dup-id", "text": mixed(3)}),
        json.dumps({"id": "j-title-list", "title": ["a", "list"], "text": mixed(17)}),
        json.dumps({"id": 4711, "title": 2026, "text": mixed(18)}),
        "[" * 100_000 + "]" * 100_000,  # nested past the decoder's recursion limit: this record fails, not the file
        json.dumps({"id": "j-bad-url", "url": "http://[::1/harbour-wall-report", "text": mixed(19)}),
        json.dumps({"id": "j-title-surrogate", "title": "Half \udc00 a pair", "text": fresh(6)}),  # once replaced unflagged
    ]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected.update({
        "j-ok": Expected("clean", contains="junior choir"),
        "records.jsonl:1": Expected("failed", "BadRecord"),
        "records.jsonl:2": Expected("failed", "BadRecord"),
        "records.jsonl:3": Expected("failed", "BadRecord"),
        "records.jsonl:4": Expected("failed", "BadRecord"),
        "records.jsonl:5": Expected("failed", "BadRecord"),
        "records.jsonl:6": Expected("failed", "BadRecord"),
        "j-surrogate": Expected("clean", flag="lone_surrogates_replaced", contains="hull \ufffd was"),
        "dup-id": Expected("clean", flag="duplicate_id"),
        "records.jsonl:10": Expected("failed", "BadRecord"),
        "4711": Expected("clean", contains=mixed(18)[:60]),
        "records.jsonl:12": Expected("failed", "BadRecord"),
        "j-bad-url": Expected("clean", contains=mixed(19)[:60]),
        "j-title-surrogate": Expected("clean", flag="lone_surrogates_replaced", contains=fresh(6)[:60]),  # a URL urlsplit refuses once failed cleaning
    })

    # A gzip file cut off part-way: the records before the break are kept, the break is one failure.
    good = "\n".join(json.dumps({"id": f"gz-{i}", "text": mixed(4 + i)})
                     for i in range(3))
    blob = gzip.compress((good + "\n" + "\n".join(json.dumps({"id": f"gz-late-{i}", "text": mixed(7 + i)}) for i in range(3))).encode())
    (folder / "truncated.jsonl.gz").write_bytes(blob[: len(blob) * 2 // 3])

    # A gzip member whose CRC does not match: its records are read, then the damage is one failure
    # (zlib's error once took the records of the call that found it along: here, all of them).
    blob = bytearray(gzip.compress("".join(json.dumps({"id": f"fl-{i}", "text": fresh(2 + i)}) + "\n" for i in range(2)).encode()))
    blob[-8] ^= 0x01
    (folder / "flipped.jsonl.gz").write_bytes(bytes(blob))
    expected.update({f"fl-{i}": Expected("clean", contains=fresh(2 + i)[:60]) for i in range(2)})
    expected["flipped.jsonl.gz:2"] = Expected("failed", "DamagedInput")

    # Parquet rows go through the same mapping as JSONL.
    table = pa.table({"id": ["p-ok", "p-empty"], "text": ["A galleon was raised. " + mixed(10), "   "]})
    pq.write_table(table, folder / "rows.parquet")
    expected.update({"p-ok": Expected("clean", contains="galleon"), "p-empty": Expected("rejected", "empty_input")})
    # A BINARY text column without the UTF8 annotation (Spark, Hive) is decoded as a text file is.
    pq.write_table(pa.table({"id": ["p-bytes"], "text": pa.array([("A bell tower – restored. " + mixed(44)).encode()], pa.binary())}),
                   folder / "binary_text.parquet")
    expected["p-bytes"] = Expected("clean", contains="bell tower – restored")
    # A crawl export with a nanosecond fetch time the mapping does not read, and a date past year
    # 9999 in one row: each row is read on its own (a whole batch once failed as one record).
    pq.write_table(pa.table({"id": ["p-ns-0", "p-ns-1", "p-ns-2"], "text": [mixed(58), mixed(59), mixed(60)],
                             "fetched": pa.array([1_700_000_000_000_000_001] * 3, pa.timestamp("ns")),
                             "published": pa.array([19724, 2**31 - 1, 19724], pa.date32())}),
                   folder / "nanoseconds.parquet")
    # A string column with one cell in cp1252 (Spark and C++ writers do not check): decoded as
    # bytes are, where it once failed the whole file.
    cells = pa.array([mixed(61).encode(), ("Caf\u00e9 cr\u00e8me. " + mixed(62)).encode("cp1252")], pa.binary())
    pq.write_table(pa.table({"id": ["p-u8-0", "p-u8-1"], "text": pa.Array.from_buffers(pa.string(), 2, cells.buffers())}),
                   folder / "unchecked_utf8.parquet")
    expected.update({"p-u8-0": Expected("clean", contains=mixed(61)[:60]),
                     "p-u8-1": Expected("clean", flag="decoded_as_", contains="Caf\u00e9 cr\u00e8me")})
    expected.update({"p-ns-0": Expected("clean", contains=mixed(58)[:60]), "nanoseconds.parquet:1": Expected("failed", "BadRecord"),
                     "p-ns-2": Expected("clean", contains=mixed(60)[:60])})
    # A row group whose page header is garbage: it fails alone, the groups after it are read (the
    # file's rows were one failure).
    path = folder / "damaged_group.parquet"
    pq.write_table(pa.table({"id": [f"p-dmg-{i}" for i in range(3)], "text": [fresh(14), "x", fresh(15)]}), path,
                   row_group_size=1, use_dictionary=False)
    page = pq.ParquetFile(path).metadata.row_group(1).column(1).data_page_offset
    path.write_bytes(path.read_bytes()[:page] + b"\xff" * 8 + path.read_bytes()[page + 8:])
    expected.update({"p-dmg-0": Expected("clean", contains=fresh(14)[:60]), "damaged_group.parquet:1": Expected("failed", "UnreadableRowGroup"),
                     "p-dmg-2": Expected("clean", contains=fresh(15)[:60])})

    # A record carrying its page, with half a surrogate pair escaped in it: lxml stopped parsing
    # there, and the rest of the article was lost without a word.
    first, rest = mixed(63).split(". ", 1)
    page = article_page("Half a pair", first + " \ud800. " + rest)
    (folder / "pages.jsonl").write_text(json.dumps({"id": "j-page-surrogate", "url": "https://pair.example/story", "html": page}) + "\n",
                                        encoding="utf-8")
    expected["j-page-surrogate"] = Expected("clean", flag="lone_surrogates_replaced", contains=rest.split(". ")[-1][:50])

    # Compressed as corpora are shipped, the suffix in any case: read as the plain file would be.
    packers = {"upper.JSONL.GZ": gzip.compress, "records.jsonl.bz2": bz2.compress, "records.jsonl.xz": lzma.compress,
               "records.jsonl.zst": zstd_compress}
    for k, (name, pack) in enumerate(packers.items(), start=40):
        (folder / name).write_bytes(pack((json.dumps({"id": f"c-{name}", "text": mixed(k)}) + "\n").encode()))
        expected[f"c-{name}"] = Expected("clean", contains=mixed(k)[:60])
    # cut short: the rest of the file from the last record inflated whole is one failure (here the
    # first: xz hands out nothing of a stream this small before its end)
    blob = lzma.compress("\n".join(json.dumps({"id": f"xz-{i}", "text": mixed(46 + i)}) for i in range(2)).encode())
    (folder / "truncated.jsonl.xz").write_bytes(blob[: len(blob) - 40])
    expected["truncated.jsonl.xz:0"] = Expected("failed", "TruncatedInput")

    # JSONL saved by PowerShell 5 (UTF-16 with a BOM, CRLF): each record read once, as itself.
    (folder / "powershell.jsonl").write_bytes("".join(json.dumps({"id": f"ps-{i}", "text": mixed(48 + i)}) + "\r\n"
                                                      for i in range(2)).encode("utf-16"))
    expected.update({f"ps-{i}": Expected("clean", contains=mixed(48 + i)[:60]) for i in range(2)})
    # JSONL with classic Mac OS line ends (a lone CR): a record a line (the file was one failed record).
    (folder / "mac.jsonl").write_bytes("".join(json.dumps({"id": f"crl-{i}", "text": fresh(4 + i)}) + "\r" for i in range(2)).encode())
    expected.update({f"crl-{i}": Expected("clean", contains=fresh(4 + i)[:60]) for i in range(2)})
    # JSONL whose writer stopped (preallocated space, a crash): zeros glued before a record (it failed
    # as malformed JSON), and zeros alone at the end (no record: one failure that says so).
    (folder / "padded.jsonl").write_bytes(json.dumps({"id": "pad-0", "text": fresh(16)}).encode() + b"\n" + b"\x00" * 4096
                                          + json.dumps({"id": "pad-1", "text": fresh(17)}).encode() + b"\n" + b"\x00" * 512)
    expected.update({"pad-0": Expected("clean", contains=fresh(16)[:60]),
                     "pad-1": Expected("clean", flag="nul_padding_removed", contains=fresh(17)[:60]),
                     "padded.jsonl:2": Expected("failed", "BadRecord")})
    # A page stored as a WARC resource record (warcit, Webrecorder): no HTTP part.
    body = article_page("Resource", mixed(50)).encode()
    head = (b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000050>\r\n"
            b"WARC-Target-URI: https://resource.example/page\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body))
    (folder / "resource.warc").write_bytes(head + body + b"\r\n\r\n")
    expected["urn:uuid:00000000-0000-4000-8000-000000000050"] = Expected("clean", flag="extracted", contains=mixed(50).split(". ")[1])

    # A response whose stored HTTP head lacks the blank line before the body: the page was read
    # as headers and rejected as an empty page; plain text there cannot be told from the head.
    for k, (name, body) in enumerate((("unended_head", article_page("Unended", fresh(13)).encode()),
                                      ("unended_text", b"The council met on Monday.\r\n")), start=51):
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + body
        head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-0000000000%d>\r\n"
                b"WARC-Target-URI: https://%s.example/page\r\nContent-Length: %d\r\n\r\n" % (k, name.encode(), len(http)))
        (folder / f"{name}.warc").write_bytes(head + http + b"\r\n\r\n")
    expected["urn:uuid:00000000-0000-4000-8000-000000000051"] = Expected("clean", flag="http_head_unended",
                                                                          contains=fresh(13).split(". ")[1])
    expected["urn:uuid:00000000-0000-4000-8000-000000000052"] = Expected("rejected", "not_html")

    # Responses as servers send them: chunks and content codings warcio leaves undone or undoes
    # quietly wrong (chunk sizes mid-word in clean; compressed bytes read as the page), a coding
    # nobody can undo (its own failure), and a response without a WARC-Target-URI, which failed
    # the rest of its file with AttributeError.
    def chunks(data: bytes) -> bytes:
        return b"".join(b"%x\r\n" % len(data[i : i + 300]) + data[i : i + 300] + b"\r\n" for i in range(0, len(data), 300)) + b"0\r\n\r\n"

    served = [
        (18, b"Transfer-Encoding: Chunked\r\n", chunks, "clean", ""),
        (19, b"Content-Encoding: x-gzip\r\n", gzip.compress, "clean", ""),
        (20, b"Content-Encoding: gzip\r\n", lambda b: gzip.compress(gzip.compress(b)), "clean", "content_encoding_undeclared"),
        (21, b"Content-Encoding: compress\r\n", lambda b: b"\x1f\x9d\x90" + b[:100], "failed", ""),
        (22, b"", lambda b: b, "clean", ""),  # no WARC-Target-URI
        (23, b"Content-Encoding: deflate\r\n", zlib.compress, "clean", ""),
    ]
    records = []
    for k, coding, encode, outcome, flag in served:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + coding + b"\r\n" + encode(
            article_page(f"Served {k}", fresh(k)).encode())
        uri = b"WARC-Target-URI: https://served%d.example/story\r\n" % k if k != 22 else b""
        records.append(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-0000000006%02d>\r\n"
                       b"%sContent-Length: %d\r\n\r\n" % (k, uri, len(http)) + http + b"\r\n\r\n")
        record_id = "urn:uuid:00000000-0000-4000-8000-0000000006%02d" % k
        expected[record_id] = (Expected("failed", "UndecodableBody") if outcome == "failed"
                               else Expected("clean", flag=flag, contains=fresh(k).split(". ")[1]))
    (folder / "served.warc").write_bytes(b"".join(records))

    # A .jsonl that is really gzip (saved without its .gz): its compressed "lines" were 14 failures
    # saying "malformed JSON"; a Parquet file named .jsonl was as many; a Parquet file with its
    # text column twice had the article replaced by the other column without a word.
    (folder / "gzipped_unnamed.jsonl").write_bytes(gzip.compress("".join(
        json.dumps({"id": f"gzu-{i}", "text": fresh(24 + i)}) + "\n" for i in range(2)).encode()))
    expected.update({f"gzu-{i}": Expected("clean", contains=fresh(24 + i)[:60]) for i in range(2)})
    pq.write_table(pa.table({"id": ["pq-as-jsonl"], "text": [fresh(26)]}), folder / "parquet_named.jsonl")
    expected["parquet_named.jsonl:0"] = Expected("failed", "BadRecord")
    pq.write_table(pa.Table.from_arrays([pa.array(["dupcol"]), pa.array([fresh(27)]), pa.array(["other"])], names=["id", "text", "text"]),
                   folder / "text_twice.parquet")
    expected["text_twice.parquet:0"] = Expected("failed", "BadRecord")

    # A character reference to a control character (`&#8;` pasted from a word processor): lxml made
    # it the character, and trafilatura dropped the whole page (extraction_empty).
    text_file("control_reference.html", article_page("Pasted", fresh(28)).replace("</h1>", "</h1><p>Pasted &#8; here &#xFFFF;.</p>", 1).encode(),
              Expected("clean", flag="control_chars_removed", contains=fresh(28).split(". ")[1]))

    # 400 unclosed <font> tags before the article: libxml2 stopped the tree at depth 256 (extraction_empty)
    text_file("unclosed_fonts.html", article_page("Fonts", fresh(29)).replace("<body>", "<body>" + "<font face='Arial'>" * 400, 1).encode(),
              Expected("clean", flag="extracted", contains=fresh(29).split(". ")[1]))

    # Scrapy's `-o items.json` (one pretty-printed array) and `-o items.jl` (JSON lines); an array
    # cut short keeps its first record and fails the rest as one record.
    feed = [{"id": f"scrapy-{i}", "url": f"https://feed{i}.example/a", "title": f"Item {i}", "text": mixed(51 + i)} for i in range(2)]
    (folder / "items.json").write_text(json.dumps(feed, indent=4), encoding="utf-8")
    (folder / "items.jl").write_text(json.dumps({"id": "scrapy-jl", "text": mixed(53)}) + "\n", encoding="utf-8")
    (folder / "cut.json").write_text(json.dumps([{"id": "cut-0", "text": mixed(54)}, {"id": "cut-1", "text": mixed(55)}])[:-60],
                                     encoding="utf-8")
    expected.update({"scrapy-0": Expected("clean", contains=mixed(51)[:60]), "scrapy-1": Expected("clean", contains=mixed(52)[:60]),
                     "scrapy-jl": Expected("clean"), "cut-0": Expected("clean"), "cut.json:1": Expected("failed", "NotJsonRecords")})

    # JSON lines named .json (Hugging Face datasets' to_json, pandas' lines=True): a record per
    # object, where the whole file was once one failed record ("Extra data").
    (folder / "hf_export.json").write_text("".join(json.dumps({"id": f"hf-{i}", "text": mixed(32 + i)}) + "\n" for i in range(2)),
                                           encoding="utf-8")
    expected.update({f"hf-{i}": Expected("clean", contains=mixed(32 + i)[:60]) for i in range(2)})

    # `jq '.[]' feed.json > feed.jsonl`: objects pretty-printed over lines (jq's default) in a .jsonl
    # file, a record each (each line once failed on its own, and no record was read).
    (folder / "jq.jsonl").write_text("".join(json.dumps({"id": f"jq-{i}", "text": mixed(34 + i)}, indent=2) + "\n" for i in range(2)),
                                     encoding="utf-8")
    expected.update({f"jq-{i}": Expected("clean", contains=mixed(34 + i)[:60]) for i in range(2)})

    # A CSV export: a header row, the article text quoted over several lines, CRLF.
    paragraphs = [mixed(56 + i).replace(". ", ".\n", 2) for i in range(2)]
    (folder / "articles.csv").write_bytes(("id,title,text\r\n" + "".join(
        f'csv-{i},Story {i},"{text}"\r\n' for i, text in enumerate(paragraphs))).encode("utf-8"))
    expected.update({f"csv-{i}": Expected("clean", contains=mixed(56 + i).split(". ")[2][:60]) for i in range(2)})

    # Excel for Mac's "CSV (Macintosh)": rows end with a lone CR (every row once failed as one record).
    (folder / "mac.csv").write_bytes(("id,text\r" + "".join(f'mac-{i},"{mixed(64 + i)}"\r' for i in range(2))).encode("utf-8"))
    expected.update({f"mac-{i}": Expected("clean", contains=mixed(64 + i)[:60]) for i in range(2)})

    # A quote left open that a later row closes: rows 2 and 3 were read, without a word, as row
    # 1's text; that row now fails, and the row after it is read.
    (folder / "open_quote.csv").write_bytes((f'id,text\noq-0,"{fresh(0)}"\noq-1,"Opened quote. {mixed(1)}\noq-2,"{mixed(2)}"\n'
                                             f'oq-3,"Closed here" at last. {mixed(3)}\noq-4,"{fresh(1)}"\n').encode())
    expected.update({"oq-0": Expected("clean", contains=fresh(0)[:60]), "open_quote.csv:1": Expected("failed", "MalformedRow"),
                     "oq-4": Expected("clean", contains=fresh(1)[:60])})

    # An HTML fragment (a CMS export's body) is read as the page it stands for.
    (folder / "fragment.html").write_text("<p>" + mixed(45) + "</p>", encoding="utf-8")
    expected["fragment.html"] = Expected("clean", flag="extracted", contains=mixed(45)[:60])

    # WARC records whose Content-Length is too large (it would swallow the next record) or too
    # small (it would cut the record), in the middle and at the end of a file, plain and gzipped.
    for name, gzipped, k in (("lengths.warc", False, 20), ("lengths.warc.gz", True, 24)):
        # a site per page: texts made of shared sentences would be corpus boilerplate within one site
        pages = [(f"https://site{k + i}.example/story", article_page(f"Story {k + i}", mixed(k + i))) for i in range(4)]
        data, ids = warc_with_lengths(pages, {1: 500, 3: -40} if gzipped else {1: -40, 3: 300}, gzipped)
        (folder / name).write_bytes(data)
        for i, record_id in enumerate(ids):
            expected[record_id] = Expected("clean", flag="warc_length_mismatch" if i in (1, 3) else "",
                                           contains=mixed(k + i).split(". ")[1])

    # Plain records and gzip members in one file, either way round: each record read (the file
    # failed from the record before the switch on).
    for name, first_gzip, k in (("switch.warc", False, 7), ("switch.warc.gz", True, 10)):
        parts = [warc_with_lengths([(f"https://switch{k + i}.example/story", article_page(f"Switch {k + i}", fresh(k + i)))], {},
                                   first_gzip if i % 2 == 0 else not first_gzip) for i in range(3)]
        (folder / name).write_bytes(b"".join(data for data, _ in parts))
        expected.update({ids[0]: Expected("clean", flag="extracted", contains=fresh(k + i).split(". ")[1])
                         for i, (_, ids) in enumerate(parts)})

    # Hostile round 7. A WARC record cut short (here only its blank line) and followed by more
    # records swallowed the next one, whose id vanished; text before the first record failed the
    # whole file.
    def response(k: int, text: str, end: bytes = b"\r\n\r\n") -> bytes:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + article_page(f"Round7 {k}", text).encode()
        return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-0000000007%02d>\r\n"
                b"WARC-Target-URI: https://round7-%d.example/story\r\nContent-Length: %d\r\n\r\n" % (k, k, len(http)) + http + end)

    (folder / "cut_blank.warc").write_bytes(response(0, mixed(28), end=b"") + response(1, mixed(29)) + response(2, mixed(37)))
    (folder / "junk_first.warc").write_bytes(b"Saved by a proxy on 2026-12-06\r\n\r\n" + response(3, mixed(38)))
    expected.update({f"urn:uuid:00000000-0000-4000-8000-0000000007{k:02d}": Expected("clean", contains=text.split(". ")[1])
                     for k, text in ((0, mixed(28)), (1, mixed(29)), (2, mixed(37)), (3, mixed(38)))})
    expected["junk_first.warc:0"] = Expected("failed", "BadRecord")
    # JSONL in UTF-16 without a byte-order mark (each record failed as malformed JSON); a record giving
    # its text twice (the last one won without a word); a zip named .jsonl (a failure per newline in
    # its bytes); a CSV header naming `text` twice
    (folder / "utf16_nobom.jsonl").write_bytes("".join(json.dumps({"id": f"u16-{i}", "text": t}) + "\n"
                                                       for i, t in enumerate((mixed(39), fresh(30)))).encode("utf-16-le"))
    expected.update({"u16-0": Expected("clean", contains=mixed(39)[:60]), "u16-1": Expected("clean", contains=fresh(30)[:60])})
    (folder / "twice.jsonl").write_text('{"id": "tw-0", "text": "The long article.", "text": "short"}\n', encoding="utf-8")
    expected["twice.jsonl:0"] = Expected("failed", "BadRecord")
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("crawl.jsonl", json.dumps({"id": "zipped", "text": "x"}) + "\n")
    (folder / "zipped.jsonl").write_bytes(packed.getvalue())
    expected["zipped.jsonl:0"] = Expected("failed", "BadRecord")
    (folder / "twice.csv").write_text('id,text,text\ntc-0,"The long article.",short\n', encoding="utf-8")
    expected["twice.csv:0"] = Expected("failed", "RepeatedColumn")
    # a second byte-order mark (a file saved twice with one) reached clean as U+FEFF; a page declaring
    # UTF-7, which no browser reads, came out as "GoogleᖧṮ訤 deal"
    text_file("double_bom.txt", b"\xef\xbb\xbf\xef\xbb\xbf" + fresh(31).encode(), Expected("clean", flag="control_chars_removed", contains=fresh(31)[:60]))
    text_file("utf7.html", article_page("UTF-7", "The Google+Facebook deal was signed. " + fresh(32), '<meta charset="utf-7">').encode(),
              Expected("clean", contains="The Google+Facebook deal was signed."))

    # Hostile round 9: a text of lone-CR lines past clean.max_lines (the cap counted only "\n"),
    # an IP in full-width digits (the personal-data stage raised: the document failed), and a URL
    # carrying its credentials (kept verbatim in the url column).
    theatre = ("The old theatre on the market square will reopen in the autumn after a fund raised by local families paid "
               "for a new roof and seats. The trust that runs it said the first season would open with a play written by a "
               "teacher from the town, and that tickets for pupils would cost one pound. Builders found painted scenery from "
               "the nineteen twenties behind a wall, and the panels will be shown in the foyer once they have been cleaned. "
               "Volunteers are still needed to run the bar and the box office on weekday evenings.")
    round9 = [{"id": "r9-cr-lines", "text": "line\r" * 100_001},
              {"id": "r9-full-width-ip", "text": mixed(66) + " The server at ８.８.８.８ answered."},
              {"id": "r9-credentials", "url": "https://user:secret@cred.example/story", "text": theatre}]
    (folder / "round9.jsonl").write_text("".join(json.dumps(r) + "\n" for r in round9), encoding="utf-8")
    expected.update({"r9-cr-lines": Expected("rejected", "document_too_large"),
                     "r9-full-width-ip": Expected("clean", contains="The server at 192.0.2.0 answered."),
                     "r9-credentials": Expected("clean", flag="url_userinfo_removed", contains=theatre[:60])})

    # Gzip bombs (run with HOSTILE_SETTINGS): what comes before the bomb is kept, the rest of the
    # file is one failure at the bomb's position.
    (folder / "bomb.jsonl.gz").write_bytes(gzip.compress(json.dumps({"id": "before-bomb", "text": mixed(30)}).encode() + b"\n")
                                           + newline_bomb(BOMB_BYTES))
    expected.update({"before-bomb": Expected("clean"), "bomb.jsonl.gz:1": Expected("failed", "InflatedTooLarge")})
    page = article_page("Before the bomb", mixed(31))
    good, (good_id,) = warc_with_lengths([("https://before-bomb.example/story", page)], {}, True)
    head = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\nContent-Length: 99999999999\r\n\r\n"
    (folder / "bomb.warc.gz").write_bytes(good + newline_bomb(BOMB_BYTES, head, b" "))
    expected.update({good_id: Expected("clean"), "bomb.warc.gz:1": Expected("failed", "InflatedTooLarge")})
    return expected


# A bomb inflates to BOMB_BYTES; the hostile runs cap a file's inflated bytes below that.
BOMB_BYTES = 48 << 20
HOSTILE_SETTINGS = ("--set", f"read.max_inflated_bytes={16 << 20}")


def zstd_compress(data: bytes) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.CompressedOutputStream(sink, "zstd") as out:
        out.write(data)
    return sink.getvalue().to_pybytes()


def newline_bomb(size: int, head: bytes = b"", unit: bytes = b"\n") -> bytes:
    """One gzip member: `head`, then `size` bytes of `unit` (about 1,000-fold compression).

    Built in a second for 2 GiB: each MiB of `unit` is deflated once, after a full flush, so its
    compressed form is the same every time and is repeated; the CRC is computed over the real bytes.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = unit * ((1 << 20) // len(unit))
    head_part = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block_part = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    count = size // len(block)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    total = len(head) + count * len(block)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + head_part + block_part * count + c.flush()
            + struct.pack("<II", crc, total & 0xFFFFFFFF))


def article_page(title: str, text: str, meta: str = '<meta charset="utf-8">') -> str:
    return (f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body><nav><a href='/'>Home</a> "
            f"<a href='/news'>News</a></nav><article><h1>{title}</h1>"
            + "".join(f"<p>{sentence}.</p>" for sentence in text.rstrip(".").split(". "))
            + "</article><footer>Copyright 2026 News</footer></body></html>")


def warc_with_lengths(pages: list[tuple[str, str]], off_by: dict[int, int], gzipped: bool) -> tuple[bytes, list[str]]:
    """A WARC of one response per (url, page), response i declaring off_by[i] bytes more than it
    holds; and the responses' record ids."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    members, ids = [], []
    for i, (url, page) in enumerate(pages):
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=False)
        body = page.encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                                   protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
        writer.write_record(record)
        ids.append(record.rec_headers.get_header("WARC-Record-ID").strip("<>"))
        data = out.getvalue()
        if i in off_by:
            declared = int(re.search(rb"Content-Length: (\d+)\r\n", data).group(1))
            data = data.replace(b"Content-Length: %d\r\n" % declared, b"Content-Length: %d\r\n" % (declared + off_by[i]), 1)
        members.append(gzip.compress(data) if gzipped else data)
    return b"".join(members), ids
