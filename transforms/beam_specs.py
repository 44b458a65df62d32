"""Beam asks each DoFn for its state and timer specs once per question, and the answer never changes.

`apache_beam.transforms.userstate.get_dofn_specs` walks `dir(dofn)` and takes `inspect.signature`
of every method, and Beam calls it about ten times per ParDo: when the ParDo is built, when the
graph is translated, in each runner's checks and in each bundle processor. Our job has 223 ParDos:
2,074 calls and 64,000 signatures, a fifth of a small run's CPU (docs/runners.md). The specs come
from the methods' default arguments, fixed when the DoFn is built, so `install()` makes the lookup
remember its answer per DoFn object (weakly: a DoFn is not kept alive by it) and hands out copies.
A DoFn that cannot be weakly referenced or hashed is asked every time, as before.

That memo cannot serve the bundle processors: each one unpickles its own copy of every DoFn, and
a run builds about 380 of them, each asked afresh (0.8 ms: `inspect.signature` of its 29
methods). The methods are the same functions in every copy, so `install()` also makes
`core.get_function_args_defaults` remember its answer per function object (weakly; a bound
method is read through its function, less `self`), read again when the function's defaults,
`__signature__` or `__wrapped__` have been replaced. Partials and other callables are read every time.

`PipelineOptions.view_as(cls)` is the other repeated question: Beam asks it twice for every
transform it applies (460 in our job), and each call builds an argparse parser of every option
`cls` knows and parses the flags again, half of the job graph's construction time. The parse
depends only on `cls` and the flags, so `install()` keeps each parse (per class and flags) and
hands every view a deep copy of it: views of different options objects never share a value.

At the end of a run with worker processes (`--direct_running_mode=multi_processing`), Beam's
runner closes its workers one after the other, and each close waits for that process to exit
(its interpreter's shutdown, 0.16-0.19 s): `install()` makes it close them all at once, each in a
thread, and wait for all of them, so the run ends one exit later instead of one per worker.
"""

from __future__ import annotations

import copy
import logging
import threading
import types
import weakref

_ORIGINAL = "_newsclean_original"


def install() -> None:
    """Memoise `userstate.get_dofn_specs` and the flag parsing of `PipelineOptions.view_as` in
    this process, and close a local runner's workers together (idempotent)."""
    _remember_option_views()
    _close_workers_together()
    _remember_signatures()
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


def _remember_option_views() -> None:
    from apache_beam.options.pipeline_options import PipelineOptions

    current = PipelineOptions.view_as
    if getattr(current, _ORIGINAL, None) is not None:
        return
    parsed: dict[tuple, object] = {}

    def view_as(self, cls):
        flags = self._flags
        try:
            key = (cls, tuple(flags))
        except TypeError:  # None (sys.argv) or not iterable: parse as Beam does
            return current(self, cls)
        seen = parsed.get(key)
        if seen is None:
            view = cls(flags)
            parsed[key] = copy.deepcopy(view._visible_options)
        else:
            view = cls.__new__(cls)
            view._flags = flags
            view._visible_options = copy.deepcopy(seen)  # list values (experiments) stay per object
        # the rest as Beam's own view_as: values first seen here join the shared store
        for name in view._visible_option_list():
            if name not in self._all_options:
                self._all_options[name] = getattr(view._visible_options, name)
        view._all_options = self._all_options
        return view

    setattr(view_as, _ORIGINAL, current)
    view_as.__doc__ = current.__doc__
    PipelineOptions.view_as = view_as


def _remember_signatures() -> None:
    from apache_beam.transforms import core

    current = core.get_function_args_defaults
    if getattr(current, _ORIGINAL, None) is not None:
        return
    # function -> {bound?: (what the answer depends on besides the code, args, defaults)}
    remembered: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get_function_args_defaults(f):
        if type(f) is types.MethodType and type(f.__func__) is types.FunctionType:
            fn, bound = f.__func__, True  # a bound method's signature is its function's, less `self`
        elif type(f) is types.FunctionType:
            fn, bound = f, False
        else:  # a partial, a callable object, a builtin: asked every time
            return current(f)
        # a function's defaults, signature and wrapped function can be replaced after its creation
        depends = (fn.__defaults__, fn.__kwdefaults__, getattr(fn, "__signature__", None), getattr(fn, "__wrapped__", None))
        answers = remembered.get(fn)
        if answers is None:
            answers = remembered[fn] = {}
        known = answers.get(bound)
        if known is None or any(a is not b for a, b in zip(known[0], depends)):
            known = answers[bound] = (depends, *current(f))
        return list(known[1]), list(known[2])  # callers get their own lists, as from the original

    setattr(get_function_args_defaults, _ORIGINAL, current)
    get_function_args_defaults.__doc__ = current.__doc__
    core.get_function_args_defaults = get_function_args_defaults


def _close_workers_together() -> None:
    from apache_beam.runners.portability.fn_api_runner import worker_handlers

    manager = worker_handlers.WorkerHandlerManager
    current = manager.close_all
    if getattr(current, _ORIGINAL, None) is not None:
        return

    def close_all(self):
        handlers = {h for listed in self._cached_handlers.values() for h in listed}
        if len(handlers) > 1:
            threads = [threading.Thread(target=_close, args=(h,), name="close-worker") for h in handlers]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self._cached_handlers.clear()  # closed: Beam's own close_all then shuts its servers only
        current(self)

    setattr(close_all, _ORIGINAL, current)
    close_all.__doc__ = current.__doc__
    manager.close_all = close_all


def _close(handler) -> None:
    try:
        handler.close()
    except Exception:  # as Beam's close_all: logged, and the other workers are still closed
        logging.getLogger(__name__).exception("Error closing worker_handler %s", handler)
