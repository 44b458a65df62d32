"""Language identification with langdetect, deterministic and built once per worker.

langdetect is random (it samples n-grams); its module-level `DetectorFactory.seed` is global state
that a seed set in the launching process never reaches on a multi-process worker. We give each
DoFn its own `DetectorFactory`, seeded on the instance, so no global is read or written.
Detection runs langdetect's own algorithm and profiles through `FastDetector`
(transforms/fast_langdetect.py): the same probabilities, about twice as fast. Before it, the
script fallback (transforms/language_scripts.py) answers for text mostly in a script langdetect
has no profile for, and full-width Latin letters are folded to ASCII (`script_fallback`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.utils import shared

from transforms.fast_langdetect import FastDetector, Profiles
from transforms.language_scripts import fold_fullwidth, predominant_script, script_language
from transforms.library_args import require_str
from transforms.records import Document, Reason, Rejection
from transforms.routing import DecideFn, StageOutputs, apply_decisions

STAGE = "language"
UNDETERMINED = "und"

@dataclass(frozen=True)
class LanguageConfig:
    allowed: tuple[str, ...] = ()  # empty: keep every language
    min_score: float = 0.0  # below it the language is `und`; rejected only if `reject_uncertain`
    reject_uncertain: bool = False
    seed: int = 0
    # Characters examined: the first 1,000 of the cleaned text. langdetect's own default is 10,000,
    # but its cost grows with the text while its answer does not: on the 532 benchmark articles
    # 1,000 agree with the whole text on every one, about 4x faster (benchmarks/language_speed.py).
    max_chars: int = 1000
    # Text mostly in a script langdetect has no profile for is labelled by the script's language
    # (Georgian ka, Armenian hy, Tibetan bo, Khmer km, Burmese my, Sinhala si, Lao lo, Odia or,
    # Dhivehi dv; `und` for scripts several languages share), and full-width Latin letters are
    # read as Latin (transforms/language_scripts.py). False: langdetect's answers alone, as before.
    script_fallback: bool = True


class LanguageDetector:
    """A seeded langdetect factory with the script fallback; `detect()` returns (code,
    probability) or ('und', 0.0)."""

    def __init__(self, seed: int = LanguageConfig.seed, max_chars: int = LanguageConfig.max_chars,
                 script_fallback: bool = LanguageConfig.script_fallback):
        self._profiles = Profiles.load()  # languages in sorted order: the same on every machine
        self._seed = seed
        self._max_chars = max_chars
        self._script_fallback = script_fallback

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """[(code, probability)] best first, or [] when no language is found. From the script
        when one langdetect cannot read is predominant in the first `max_chars` characters (the
        score is its share of their letters), else langdetect's."""
        from langdetect.lang_detect_exception import LangDetectException

        # langdetect runs its URL/e-mail regexes over all it is given before its own cap; a bounded
        # slice keeps a 10 MB document as cheap as a 10 KB one (twice the cap leaves room for URLs).
        head = text[: 2 * self._max_chars]
        if self._script_fallback:
            found = script_language(head[: self._max_chars])
            if found is not None:
                language, share = found
                return [(language, share)] if language else []
            head = fold_fullwidth(head)
        detector = FastDetector(self._profiles, self._seed)  # langdetect's answers, faster
        detector.set_max_text_length(self._max_chars)
        detector.append(head)
        try:
            return [(p.lang, float(p.prob)) for p in detector.get_probabilities()]
        except LangDetectException:  # no letters to judge by
            return []

    def detect(self, text: str) -> tuple[str, float]:
        probs = self.probabilities(text)
        return probs[0] if probs else (UNDETERMINED, 0.0)


def decide_language(doc: Document, probs: list[tuple[str, float]], cfg: LanguageConfig) -> Document | Rejection:
    lang, score = probs[0] if probs else (UNDETERMINED, 0.0)
    if score < cfg.min_score:
        lang = UNDETERMINED
    annotated = doc.with_(language=lang, language_score=round(score, 4))
    if lang == UNDETERMINED and cfg.reject_uncertain:
        detail = f"best={probs[0][0]}:{score:.2f}" if probs else _no_answer(doc.text, cfg)
        return Rejection.of(annotated, Reason.LANGUAGE_UNCERTAIN, detail, STAGE)
    if cfg.allowed and lang not in cfg.allowed:
        return Rejection.of(annotated, Reason.LANGUAGE_NOT_ALLOWED, lang, STAGE)
    return annotated


def _no_answer(text: str, cfg: LanguageConfig) -> str:
    """Why no language was found: a script the fallback names no language for (Ethiopic: Amharic
    and Tigrinya), or no letters langdetect can read. Worked out only for a rejection's detail."""
    found = predominant_script(text[: cfg.max_chars]) if cfg.script_fallback else None
    if found is not None:
        script, share, _ = found
        return f"script={script.name}:{share:.2f} (no one language)"
    return "no letters"


_default_detector: LanguageDetector | None = None
_default_lock = threading.Lock()


def detect_language(text: str) -> tuple[str, float]:
    """Library API: (ISO 639-1 code, probability) of `text`, or ('und', 0.0); same answer every call."""
    require_str("detect_language", "text", text)
    # A process-wide detector for callers without Beam; the pipeline builds its own in setup().
    global _default_detector
    with _default_lock:
        if _default_detector is None:
            _default_detector = LanguageDetector()
    return _default_detector.detect(text)


class DetectLanguageFn(DecideFn):
    stage = STAGE

    def __init__(self, cfg: LanguageConfig):
        self.cfg = cfg
        self.detector: LanguageDetector | None = None
        # One detector per worker process, however many instances of this DoFn the runner makes
        # (one per stage copy and bundle processor): loading the profiles costs about a second.
        # The detector is read-only and seeded per call, so sharing it changes no answer.
        self._shared = shared.Shared()

    def setup(self) -> None:
        cfg = self.cfg
        key = (cfg.seed, cfg.max_chars, cfg.script_fallback)
        self.detector = self._shared.acquire(lambda: LanguageDetector(*key), tag=key)

    def decide(self, doc: Document) -> Document | Rejection:
        assert self.detector is not None
        return decide_language(doc, self.detector.probabilities(doc.text), self.cfg)


class DetectLanguage(beam.PTransform):
    """Document -> kept: Document (language, language_score), rejected: Rejection, failed: Failure."""

    def __init__(self, cfg: LanguageConfig):
        super().__init__()
        self.cfg = cfg

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        return apply_decisions(docs, "DetectLanguage", DetectLanguageFn(self.cfg))
