"""Cleaning stages for web and news text. Each module holds a concern's config, its pure
functions and one PTransform; the pure functions need no Beam:

    from transforms import clean_text, detect_language, minhash_signature
"""

from transforms.beam_import import import_beam

import_beam()  # first: every module below imports Beam, which logs a GCP notice on import

from transforms.clean import clean_text  # noqa: E402
from transforms.language import detect_language  # noqa: E402
from transforms.minhash import minhash_signature  # noqa: E402

__all__ = ["clean_text", "detect_language", "minhash_signature"]
