"""Cleaning stages for web and news text. Each module holds a concern's config, its pure
functions and one PTransform; the pure functions need no Beam:

    from transforms import clean_text, detect_language, minhash_signature
"""

from transforms.clean import clean_text
from transforms.language import detect_language
from transforms.minhash import minhash_signature

__all__ = ["clean_text", "detect_language", "minhash_signature"]
