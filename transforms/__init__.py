"""Cleaning stages for web and news text. Each module holds a concern's config, its pure
functions and one PTransform; the pure functions need no Beam:

    from transforms import clean_text, detect_language, minhash_signature
"""

from transforms.beam_import import import_beam

import_beam()  # first: every module below imports Beam, which logs a GCP notice on import

from transforms.beam_specs import install as _remember_dofn_specs  # noqa: E402

_remember_dofn_specs()  # Beam recomputes each DoFn's state specs ~10 times (transforms/beam_specs.py)

from transforms.clean import clean_text  # noqa: E402
from transforms.language import detect_language  # noqa: E402
from transforms.minhash import minhash_signature  # noqa: E402

__all__ = ["clean_text", "detect_language", "minhash_signature"]
