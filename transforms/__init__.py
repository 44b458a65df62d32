"""Cleaning stages for web and news text. Each module holds a concern's config, its pure
functions and one PTransform; the pure functions need no Beam:

    from transforms import clean_text, detect_language
"""

from transforms.clean import clean_text
from transforms.language import detect_language

__all__ = ["clean_text", "detect_language"]
