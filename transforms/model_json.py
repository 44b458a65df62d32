"""Reading the shipped models' JSON files (the line classifier's, the furniture-lines model's)
so that any file a user names gives a ValueError, never another exception.

A hand-edited or hostile file reached the run as a traceback (hostile round 16): a weight
written as a 400-digit integer made `math.isfinite` raise OverflowError, a file of `[[[[...`
made `json.loads` raise RecursionError. And finite weights as large as 1e308 passed the checks,
then two of them in one line's sum overflowed: every document of the run failed.
"""

from __future__ import annotations

import json
import sys
from typing import Any

# The largest weight, bias or leaf value a model may hold. A logistic or boosted score saturates
# past a margin of 40 (sigmoid(40) is 1.0 in float64), so no trained model comes near (the shipped
# ones stay under 10); bounded so, no sum over the keys of a line (fewer than 1e300 of them) can
# overflow a float.
MAX_WEIGHT = 1e6


def load_model_json(text: str) -> Any:
    """`json.loads(text)`, with nesting too deep for the parser a ValueError like any other
    malformed file."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("not valid JSON: nested too deeply (a model file is a few levels of objects and lists)") from None


def is_finite_number(value: object) -> bool:
    """An int or float (not a bool) that a float holds finitely. Compared, not converted: an
    integer of hundreds of digits is False here where `math.isfinite` raises OverflowError."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and -sys.float_info.max <= value <= sys.float_info.max


def is_weight(value: object) -> bool:
    """A finite number of magnitude at most MAX_WEIGHT."""
    return is_finite_number(value) and -MAX_WEIGHT <= value <= MAX_WEIGHT  # type: ignore[operator]
