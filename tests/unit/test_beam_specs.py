"""The memoised `userstate.get_dofn_specs` and `PipelineOptions.view_as` (transforms/beam_specs.py)
answer as Beam's own do."""

from __future__ import annotations

import functools
import gc
import types
import weakref
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.coders import VarIntCoder
from apache_beam.options.pipeline_options import (
    DebugOptions,
    DirectOptions,
    PipelineOptions,
    SetupOptions,
    StandardOptions,
    TypeOptions,
)
from apache_beam.pipeline import PipelineVisitor
from apache_beam.transforms import core, userstate
from apache_beam.transforms.timeutil import TimeDomain

import pipeline  # noqa: F401 - installs the memo
from pipeline.build import build
from pipeline.config import load_config
from transforms.beam_specs import _ORIGINAL, install

ORIGINAL = getattr(userstate.get_dofn_specs, _ORIGINAL)


class _Counting(beam.DoFn):
    COUNT = userstate.ReadModifyWriteStateSpec("count", VarIntCoder())

    def process(self, element, count=beam.DoFn.StateParam(COUNT)):
        yield element


class _Timed(beam.DoFn):
    TIMER = userstate.TimerSpec("flush", TimeDomain.WATERMARK)

    def process(self, element, timer=beam.DoFn.TimerParam(TIMER)):
        yield element

    @userstate.on_timer(TIMER)
    def flush(self):
        yield 0


class _Plain(beam.DoFn):
    def process(self, element):
        yield element


def test_installed_once_in_every_process_that_imports_pipeline():
    memo = userstate.get_dofn_specs
    assert getattr(memo, _ORIGINAL) is ORIGINAL
    install()
    assert userstate.get_dofn_specs is memo


def test_stateful_timer_and_plain_dofns_get_beams_answers_every_time():
    for dofn, stateful in ((_Counting(), True), (_Timed(), True), (_Plain(), False)):
        for _ in range(3):
            assert userstate.get_dofn_specs(dofn) == ORIGINAL(dofn)
            assert userstate.is_stateful_dofn(dofn) is stateful
    counting = _Counting()
    first = userstate.get_dofn_specs(counting)
    first[0].clear()  # a caller changing its sets changes nobody else's
    assert userstate.get_dofn_specs(counting) == ORIGINAL(counting)
    assert len(userstate.get_dofn_specs(counting)[0]) == 1


def test_a_dofn_is_not_kept_alive_by_the_memo():
    dofn = _Counting()
    userstate.get_dofn_specs(dofn)
    ref = weakref.ref(dofn)
    del dofn
    gc.collect()
    assert ref() is None


def test_an_unhashable_dofn_is_asked_every_time():
    class Unhashable(_Counting):
        __hash__ = None  # type: ignore[assignment]

    dofn = Unhashable()
    assert userstate.get_dofn_specs(dofn) == ORIGINAL(dofn)
    assert userstate.is_stateful_dofn(dofn)


def _job_dofns(tmp_path: Path, make_pipeline) -> list[beam.DoFn]:
    p = make_pipeline(options=beam.options.pipeline_options.PipelineOptions(["--runner=DirectRunner"]))
    build(p, load_config(None), [str(tmp_path / "in" / "*.jsonl")], str(tmp_path / "out"), {"config_hash": "test"})
    dofns = []

    class Visit(PipelineVisitor):
        def visit_transform(self, node):
            if isinstance(node.transform, beam.ParDo):
                dofns.append(node.transform.fn)

    p.visit(Visit())
    return dofns


def test_every_dofn_of_the_job_graph_gets_beams_answer(tmp_path: Path, unrun_pipeline):
    dofns = _job_dofns(tmp_path, unrun_pipeline)
    assert len(dofns) > 100  # the whole job, not a stub
    for dofn in dofns:
        assert userstate.get_dofn_specs(dofn) == ORIGINAL(dofn)
        assert userstate.get_dofn_specs(dofn) == ORIGINAL(dofn)  # the remembered answer too


# --- core.get_function_args_defaults: each function's signature read once -------------------------

ORIGINAL_ARGS = getattr(core.get_function_args_defaults, _ORIGINAL)


def test_every_method_of_every_dofn_of_the_job_graph_gets_beams_arguments(tmp_path: Path, unrun_pipeline):
    asked = 0
    for dofn in _job_dofns(tmp_path, unrun_pipeline):
        methods = [getattr(dofn, name) for name in dir(dofn) if isinstance(getattr(dofn, name, None), types.MethodType)]
        if isinstance(dofn, core.CallableWrapperDoFn):
            methods.append(dofn._process_argspec_fn())  # what Beam inspects for a Map's process
        for method in methods:
            for _ in range(2):  # read, then remembered
                assert core.get_function_args_defaults(method) == ORIGINAL_ARGS(method), (dofn, method)
                asked += 1
    assert asked > 2000


def test_a_function_given_new_defaults_is_read_again():
    def fn(element, flag=1):
        return element

    assert core.get_function_args_defaults(fn) == (["element", "flag"], [1])
    fn.__defaults__ = (2,)
    assert core.get_function_args_defaults(fn) == (["element", "flag"], [2])
    args, defaults = core.get_function_args_defaults(fn)
    args.append("x")  # a caller changing its lists changes nobody else's
    defaults.clear()
    assert core.get_function_args_defaults(fn) == (["element", "flag"], [2])


def test_bound_methods_partials_and_callables_get_beams_arguments():
    def fn(self, element, extra=beam.DoFn.SideInputParam):
        return element

    class Callable:
        def __call__(self, element, n=3):
            return element

    bound = types.MethodType(fn, object())
    for f in (fn, bound, functools.partial(fn, None), Callable(), len):
        try:
            expected = ORIGINAL_ARGS(f)
        except ValueError:  # a builtin without a signature: the same error
            with pytest.raises(ValueError):
                core.get_function_args_defaults(f)
            continue
        assert core.get_function_args_defaults(f) == expected
        assert core.get_function_args_defaults(f) == expected
    assert core.get_function_args_defaults(bound)[0] == ["element", "extra"]
    assert core.get_function_args_defaults(fn)[0] == ["self", "element", "extra"]


def test_importing_the_cleaning_functions_leaves_beam_as_it_is():
    import subprocess
    import sys

    code = ("import transforms; from transforms import clean_text; from apache_beam.transforms import userstate;"
            f" print(hasattr(userstate.get_dofn_specs, {_ORIGINAL!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"


# --- PipelineOptions.view_as: each class's parse of the flags remembered -------------------------

VIEWS = (StandardOptions, DirectOptions, DebugOptions, SetupOptions, TypeOptions)


def _original_view(options: PipelineOptions, cls: type) -> PipelineOptions:
    return getattr(PipelineOptions.view_as, _ORIGINAL)(options, cls)


def test_views_hold_beams_values_for_every_options_class():
    flags = ["--runner=DirectRunner", "--direct_num_workers=2", "--experiments=a", "--no_pipeline_type_check", "--unknown=1"]
    for cls in VIEWS:
        for _ in range(2):  # parsed, then remembered
            ours, beams = PipelineOptions(flags).view_as(cls), _original_view(PipelineOptions(flags), cls)
            assert type(ours) is cls
            assert {k: getattr(ours, k) for k in ours._visible_option_list()} == {
                k: getattr(beams, k) for k in beams._visible_option_list()}
    assert PipelineOptions(flags).get_all_options() == PipelineOptions(flags).get_all_options()


def test_views_share_their_options_values_and_no_other_objects():
    flags = ["--experiments=a"]
    first, second = PipelineOptions(flags), PipelineOptions(flags)
    first.view_as(DebugOptions).add_experiment("b")
    assert first.view_as(DebugOptions).experiments == ["a", "b"]  # a view writes through to its options
    assert second.view_as(DebugOptions).experiments == ["a"]  # not to another options object's
    first.view_as(StandardOptions).runner = "FnApiRunner"
    assert first.view_as(StandardOptions).runner == "FnApiRunner"
    assert second.view_as(StandardOptions).runner is None


def test_options_made_from_sys_argv_are_parsed_as_beam_does():
    options = PipelineOptions(None)
    assert options.view_as(StandardOptions).runner == _original_view(PipelineOptions(None), StandardOptions).runner


class _SlowHandler:
    """A worker handler whose close() takes a while (a worker process exiting), or raises."""

    def __init__(self, events: list, fail: bool = False):
        self.events, self.fail = events, fail

    def close(self) -> None:
        import time

        self.events.append(("start", id(self)))
        time.sleep(0.3)
        self.events.append(("end", id(self)))
        if self.fail:
            raise RuntimeError("worker gone")


def test_local_runner_closes_its_workers_together_and_every_one_of_them() -> None:
    import collections

    from apache_beam.runners.portability.fn_api_runner.worker_handlers import (
        WorkerHandlerManager,
    )

    install()
    events: list = []
    handlers = [_SlowHandler(events, fail=True), _SlowHandler(events), _SlowHandler(events)]
    manager = object.__new__(WorkerHandlerManager)
    manager._cached_handlers = collections.defaultdict(list, {"env": handlers})
    manager._workers_by_id = {}
    manager._grpc_server = None
    manager.close_all()
    # every close started before any ended (one exit's wait, not three), one raising included
    assert [kind for kind, _ in events] == ["start"] * 3 + ["end"] * 3
    assert {who for _, who in events} == {id(h) for h in handlers}
    assert not manager._cached_handlers
