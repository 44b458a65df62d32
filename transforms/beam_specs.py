"""Beam asks each DoFn for its state and timer specs once per question, and the answer never changes.

`apache_beam.transforms.userstate.get_dofn_specs` walks `dir(dofn)` and takes `inspect.signature`
of every method, and Beam calls it about ten times per ParDo: when the ParDo is built, when the
graph is translated, in each runner's checks and in each bundle processor. Our job has 223 ParDos:
2,074 calls and 64,000 signatures, a fifth of a small run's CPU (docs/runners.md). The specs come
from the methods' default arguments, fixed when the DoFn is built, so `install()` makes the lookup
remember its answer per DoFn object (weakly: a DoFn is not kept alive by it) and hands out copies.
A DoFn that cannot be weakly referenced or hashed is asked every time, as before.
"""

from __future__ import annotations

import weakref

_ORIGINAL = "_newsclean_original"


def install() -> None:
    """Memoise `userstate.get_dofn_specs` in this process (idempotent)."""
    from apache_beam.transforms import userstate

    current = userstate.get_dofn_specs
    if getattr(current, _ORIGINAL, None) is not None:
        return
    remembered: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get_dofn_specs(dofn):
        try:
            specs = remembered.get(dofn)
        except TypeError:  # unhashable or not weakly referenceable
            return current(dofn)
        if specs is None:
            specs = current(dofn)
            remembered[dofn] = specs
        state, timers = specs
        return set(state), set(timers)  # callers get their own sets, as from the original

    setattr(get_dofn_specs, _ORIGINAL, current)
    get_dofn_specs.__doc__ = current.__doc__
    userstate.get_dofn_specs = get_dofn_specs
