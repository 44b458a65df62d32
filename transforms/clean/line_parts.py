"""A short line's parts: the furniture a rule names, found under its decoration and its stamps.

Furniture often comes dressed: an emoji or an arrow in front ("➡️ Read more: ...", "💬 47
comments", "↑ Back to top"), dashes around an ad label ("— ADVERTISEMENT —"), a date or an address
after a byline ("By Ana Ruiz | Reporter | Updated 3:45 p.m."), or several buttons on one bar
("Condividi: Facebook | X | WhatsApp"). The pack's patterns name the furniture itself; they cannot
each allow every dressing. So a line the pack does not remove is split here into its parts, and
it goes when the parts left once its decoration and its stamps are set aside are furniture: that
head as a whole, or every part of a bar one by one.

Nothing here makes a line cruft by itself: a stamp or an arrow is only ever set aside, never the
evidence. A headline with a date ("Rail strike ends | 5 May 2026") stays because its head is no
rule's; only a line whose remaining words a rule of the pack removes goes, under that rule's code.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

# Longer lines are prose, never a dressed button (the pack's line rules allow at most 250 characters)
MAX_CHARS = 300
# the longest part of a bar of buttons ("Spotted a mistake? Report an error", "Share on Facebook (1.2k)")
PART_MAX_CHARS = 80

# Symbols, dashes and bullets that dress a line's ends: emoji, arrows, stars, middle dots, and an
# emoji's variation selectors and keycap. Not quotes, brackets or letters (a quote opens speech, a
# bracket a count), not the signs a name carries ("Charlton Home®"), not a form's required-field
# star ("PIN *").
_DECORATION_CATEGORIES = frozenset(("So", "Sm", "Sk", "Pd", "Cf", "Zs"))
_DECORATION_MARKS = frozenset("•·‣⁃◦▪▫\ufe0e\ufe0f\u20e3")
_NOT_DECORATION = frozenset("®™©℠*")
_DASHES = frozenset("-‐‑‒–—―")
# Marks that open a teaser's link ("» Leggi anche: ...") but close a French quotation: decoration
# only at a line's start, before a space
_OPENING_MARKS = frozenset("»›")


@functools.lru_cache(maxsize=4096)  # asked of the two ends of every short line
def _is_decoration(ch: str) -> bool:
    if ch in _NOT_DECORATION:
        return False
    return ch in _DECORATION_MARKS or ch.isspace() or unicodedata.category(ch) in _DECORATION_CATEGORIES


def undecorated(line: str) -> str:
    """The line without the symbols, dashes and bullets at its ends ('' when nothing else). A
    dash opening a line is decoration only when a dash also closes it ("— ADVERTISEMENT —"):
    alone it opens a quote's attribution ("—Jessica Fleming, Senior Editor") or a list item."""
    start, end = 0, len(line)
    while end > start and _is_decoration(line[end - 1]):
        end -= 1
    framed = not _DASHES.isdisjoint(line[end:])
    while start < end:
        ch = line[start]
        if _is_decoration(ch) and (framed or ch not in _DASHES):
            start += 1
        elif ch in _OPENING_MARKS and line[start + 1 : start + 2].isspace():
            start += 1
        else:
            break
    return line[start:end]


# The bars a line's parts are set apart by: a pipe, a middle dot or a bullet, an arrow; a dash or
# an emoji with a space on either side (a hyphen inside a word or a date is no bar); a gap of three
# spaces or more (buttons laid out as columns)
_ARROWS = "\u2190-\u21ff\u27a1\u2b05-\u2b07➜➔►▶◀◄"
_BAR = re.compile(
    rf"\s*[|·•{_ARROWS}]\ufe0f?\s*|\s+[-–—]\s+|\s+[\U0001F300-\U0001FAFF\u2600-\u27bf]\ufe0f?\s+|\s{{3,}}"
)
# What every bar holds, as one character class where it can: a line without any has no bar. A
# superset of _BAR (an emoji without the spaces) searched without _BAR's leading \s*, which tries
# every position of a line.
_BAR_HINT = re.compile(rf"[|·•{_ARROWS}\U0001F300-\U0001FAFF\u2600-\u27bf]|\s[-–—]\s|\s{{3}}")
# A counter after a label or a button: "Share on Facebook (1.2k)", "Comments [15]"
_COUNTER = re.compile(r"\s*[(\[]\d[\d.,]{0,8}[kKmM]?[)\]]$")

# A stamp: a date, a time, how long ago or how long to read, an e-mail address or a handle,
# after an optional label ("Updated", "Aktualisiert am", "Mis à jour le", "Atualizado há").
_LABEL = (
    r"(?:(?:last )?(?:updated|published|posted|modified|edited)(?: on| at)?|"
    r"aktualisiert(?: am| um)?|veröffentlicht(?: am)?|stand|zuletzt aktualisiert(?: am)?|"
    r"mis à jour(?: le)?|publié(?: le)?|modifié(?: le)?|actualizado(?: el| a las)?|publicado(?: el| em| a las)?|"
    r"aggiornato(?: il| alle)?|pubblicato(?: il)?|modificato(?: il)?|atualizado(?: em| às)?|bijgewerkt(?: op)?|gepubliceerd(?: op)?|"
    r"aktualizacja|aktualizowano|opublikowano|data publikacji)"
)
# a month's name or its abbreviation in the languages of the pack, by the letters it starts with
_MONTH_WORD = (
    r"(?:jan|jän|feb|fév|fev|mar|mär|mrt|maa|apr|avr|abr|may|mai|mag|mei|maj|jun|juin|giu|jul|juil|lug|aug|ago|"
    r"août|sep|set|oct|okt|ott|out|nov|dec|dez|déc|dic|ene|gen|sty|lut|kwi|cze|lip|sie|wrz|paź|paz|lis|gru)"
    r"[^\W\d_]{0,8}\.?"
)
_DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    rf"\d{{1,2}}\.? (?:de )?{_MONTH_WORD}(?: de)?,? \d{{4}}|{_MONTH_WORD} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|"
    rf"\d{{1,2}}\.? {_MONTH_WORD}|{_MONTH_WORD} \d{{1,2}}(?:st|nd|rd|th)?)"
)
_TIME = (
    r"(?:\d{1,2}[:.h]\d{2}(?: ?(?:[ap]\.?m\.?|uhr|h|hs))?(?: (?:e[sd]t|c[sd]t|p[sd]t|[cp]?et|pt|gmt|utc|bst|cest|cet|mesz|mez))?"
    r"|\d{1,2} ?[ap]\.?m\.?)"
)
_AT = r"(?:,? (?:at|um|à|a las|às|alle|ore|om|o godz\.)|,| -)"
_AGO_UNIT = (
    r"(?:sec|secs|seconds?|min|mins|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?|"
    r"sekunden?|minuten?|stunden?|tagen?|wochen?|monaten?|jahren?|secondes?|heures?|jours?|semaines?|mois|ans?|"
    r"segundos?|minutos?|horas?|días?|dias?|semanas?|meses|mês|años?|anos?|minuti|minuto|ore|ora|giorni|giorno|"
    r"settimane?|mesi|mese|anni|anno|minuut|uur|dagen|dag|weken|week|maanden|maand|jaar|"
    r"minut[ay]?|godzin[ay]?|godzinę|dni|dzień|tygodni[ae]?|miesiąc[ey]?|miesięcy|lat[a]?|rok)"
)
_COUNT = r"(?:\d{1,3}|an?|one|un|una|uma|um|une|einer|einem|een)"
_AGO = (
    rf"(?:{_COUNT} {_AGO_UNIT} (?:ago|fa|geleden|temu)|(?:vor|il y a|hace|há) {_COUNT} {_AGO_UNIT}|"
    rf"\d{{1,3}} ?(?:-| )?(?:min|mins|minute|minutes|minuten|minutos|minuti|minut)\.?(?: (?:read|lesezeit|de lecture|de lectura|di lettura|de leitura|leestijd|czytania))?)"
)
# one stamp: the label, then a date (a weekday before it, a time after it), a time or an age
_ONE_STAMP = (
    rf"(?:{_LABEL}:? ?)?(?:(?:[^\W\d_]{{2,12}}\.?,? )?{_DATE}(?:{_AT}? {_TIME})?|{_TIME}|{_AGO})"
    rf"|{_LABEL}{_AT} {_TIME}"
)
# a gallery's counter, with its word when a bar follows it: "1/12", "3 of 12", "Bild 3 von 15 · Foto: dpa"
# ("Foto 3 von 12" alone is a rule's: a stamp is only set aside beside another part)
_OF = (
    r"(?:(?:image|photo|slide|picture|bild|foto|afbeelding|zdjęcie|immagine|imagen|imagem|diapositiva|diapositive) )?"
    r"\d{1,3} ?(?:/|of|von|de|di|van|z|sur|av) ?\d{1,3}"
)
_STAMP = re.compile(
    rf"(?:{_ONE_STAMP})(?:,? (?:and |et |y |e |und |en )?(?:{_ONE_STAMP}))?\.?|{_OF}"
    r"|[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}|@\w{2,30}"
    r"|(?:e-?mail|mail|contact|twitter|x|instagram)(?: me| us)?:? (?:[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}|@\w{2,30})",
    re.IGNORECASE,
)


def is_stamp(part: str) -> bool:
    """Whether a part of a line is only a date, a time, an age, a reading time or an address."""
    return _STAMP.fullmatch(part) is not None


# A stamp in brackets at the line's end: "di Marco Ferrari — 23 aprile 2024 (modificato il 24 aprile 2024 | 08:45)"
_BRACKET_TAIL = re.compile(r"\(([^()]{1,120})\)$")


# A bracket at the end with a digit in it: every stamp of a bracket has one (a date, a time, an age
# in figures); brackets of words ("(Reuters)", "(video)") end many lines and are no stamp
_STAMP_BRACKET_HINT = re.compile(r"\d[^()]{0,40}\)$").search


def without_bracketed_stamps(line: str) -> str:
    """The line without a bracket at its end that holds only stamps (its parts, bars and all)."""
    m = _BRACKET_TAIL.search(line)
    if m is None or m.start() == 0:
        return line
    inner = m.group(1)
    if all(is_stamp(undecorated(inner[a:b])) for a, b in parts(inner)):
        return line[: m.start()].rstrip()
    return line


def parts(line: str) -> list[tuple[int, int]]:
    """The spans of the line's parts between its bars (the whole line when it has none)."""
    spans, start = [], 0
    for m in _BAR.finditer(line):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(line):
        spans.append((start, len(line)))
    return spans


def dressed(line: str) -> bool:
    """Whether the line may hide furniture under decoration, stamps or bars (a cheap first test:
    a list item's opening dash alone is no dressing, and most lines have neither)."""
    if not 0 < len(line) <= MAX_CHARS:
        return False
    return _BAR_HINT.search(line) is not None or _STAMP_BRACKET_HINT(line) is not None or undecorated(line) != line


def furniture_head(line: str, removes: Callable[[str], str | None]) -> str | None:
    """The code under which a dressed line goes, or None. `removes(text)` is the pack's verdict on
    a text as a whole line (a code when a rule removes it all); it is asked only of texts shorter
    than the line, so a caller may pass a function that comes back here."""
    if len(line) > MAX_CHARS:
        return None
    core = undecorated(line)
    code = _judged(core, len(line), removes)
    # then without a bracket of stamps at its end: a video's "(2:14)" is a rule's evidence, an edit's
    # "(modificato il 24 aprile 2024 | 08:45)" is not
    if code is None and (bare := undecorated(without_bracketed_stamps(core))) != core:
        code = _judged(bare, len(line), removes)
    return code


def _judged(core: str, length: int, removes: Callable[[str], str | None]) -> str | None:
    spans = parts(core)
    while len(spans) > 1 and is_stamp(undecorated(core[slice(*spans[-1])])):
        spans.pop()
    while len(spans) > 1 and is_stamp(undecorated(core[slice(*spans[0])])):
        spans.pop(0)
    if not spans:
        return None
    head = _bare(core[spans[0][0] : spans[-1][1]])
    if head and len(head) < length and (code := removes(head)) is not None:
        return code
    # a bar of buttons: every part but its stamps and neutral parts is furniture by itself ("Report an
    # error | Editorial standards"), and short (a sentence with a dash in it is no bar, and is not
    # asked about each of its parts)
    if len(spans) < 2 or any(b - a > PART_MAX_CHARS for a, b in spans):
        return None
    first = None
    for span in spans:
        part = _bare(core[slice(*span)])
        if is_stamp(part) or _is_neutral(part):
            continue
        code = removes(part)
        if code is None:
            return None
        first = first or code
    return first


# A bar's parts that are no evidence either way, set aside like a stamp (the bar still needs a part a
# rule removes): an icon's letter or two ("f", "in", "𝕏" beside "1.2K shares"; a part that was only
# decoration is empty), and a dialog's answers and its closing buttons ("Was this article helpful?
# 👍 Yes 👎 No", "Attiva le notifiche 🔔 Consenti · Non ora", "Up next in 5 · Cancel"). Never the
# evidence: alone, "No." answers an interview's question and "F" a quiz's.
_NEUTRAL = frozenset((
    "yes", "no", "ok", "okay", "ja", "nein", "oui", "non", "sí", "si", "não", "sim", "nee", "tak", "nie", "later",
    "später", "allow", "block", "accept", "decline", "enable", "attiva", "consenti", "blocca", "zulassen",
    "blockieren", "aktivieren", "autoriser", "bloquer", "activer", "permitir", "bloquear", "activar", "ativar",
    "toestaan", "blokkeren", "inschakelen", "zezwól", "zablokuj", "włącz", "cancel", "close", "dismiss",
    "abbrechen", "schließen", "annuler", "fermer", "cancelar", "cerrar", "annulla", "chiudi", "fechar",
    "annuleren", "sluiten", "anuluj", "zamknij",
    "not now", "maybe later", "jetzt nicht", "pas maintenant", "plus tard", "ahora no", "más tarde", "non ora",
    "più tardi", "agora não", "mais tarde", "niet nu", "nie teraz", "no thanks", "nein danke", "non merci",
    "no gracias", "no grazie", "não obrigado", "nee bedankt", "nie dziękuję",
    # (since the eighteenth batch) a live page's label: alone it stays (26 WCXB truths keep "Live"),
    # beside furniture it goes with it ("🔴 AO VIVO · Acompanhe minuto a minuto")
    "live", "ao vivo", "en vivo", "en directo", "en direct", "in diretta", "na żywo", "liveticker", "live-ticker",
))


def _is_neutral(part: str) -> bool:
    """Whether a bar's part (bare: no decoration, no counter) is one of those above."""
    if len(part) <= 2:
        return True
    low = part.lower().replace(",", "").strip(".!")
    return low in _NEUTRAL


_STAMP_TAIL_CHARS = 90  # the longest stamp looked for after a comma


def _bare(text: str) -> str:
    """A part or a head without its decoration, its counter and the stamps after its last commas
    ("ANSA, Roma, 14 novembre 2026 ore 11:04"; a stamp may hold a comma itself: "5 december
    2026, 14:12", so the text after the last two commas is tried)."""
    text = undecorated(_COUNTER.sub("", undecorated(text)))
    while True:
        last = text.rfind(",")
        before = text.rfind(",", 0, last) if last > 0 else -1
        cut = next((at for at in (last, before) if 0 < at and len(text) - at <= _STAMP_TAIL_CHARS
                    and is_stamp(text[at + 1 :].strip())), None)
        if cut is None:
            return text
        text = text[:cut].rstrip()
