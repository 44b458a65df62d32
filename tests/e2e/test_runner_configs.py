"""configs/dataflow.yaml and configs/flink.yaml: their Beam flags parse through our CLI, Dataflow's own
option checks pass, and the whole job graph builds for DataflowRunner, all without submitting.

Without `apache-beam[gcp]` Beam has no gs:// filesystem, so the graph is built on local paths; the
Dataflow runner object is still created from the options, and `to_runner_api()` pickles every DoFn
and encodes every coder, as submission would. Nothing here touches the network.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import (
    FlinkRunnerOptions,
    GoogleCloudOptions,
    PortableOptions,
    SetupOptions,
    StandardOptions,
    TypeOptions,
    WorkerOptions,
)
from apache_beam.options.pipeline_options_validator import PipelineOptionsValidator
from apache_beam.transforms.environments import DockerEnvironment

from pipeline.build import build
from pipeline.config import ConfigError, RunnerConfig, load_config
from pipeline.progress import TallyProgress
from pipeline.run import beam_options
from tests.conftest import REPO
from tests.e2e.conftest import run_cli

USER_FLAGS = ["--project=my-project-123", "--temp_location=gs://my-bucket/tmp"]


def _config_options(config: str, *user_flags: str):
    cfg = load_config(REPO / config)
    return beam_options(list(cfg.runner.beam_args) + list(user_flags))


def test_dataflow_config_gives_valid_dataflow_options() -> None:
    options = _config_options("configs/dataflow.yaml", *USER_FLAGS, "--region=europe-west1")
    assert options.view_as(StandardOptions).runner == "DataflowRunner"
    gcp = options.view_as(GoogleCloudOptions)
    # the command line's --region wins over the config's us-central1
    assert (gcp.project, gcp.region, gcp.temp_location) == ("my-project-123", "europe-west1", "gs://my-bucket/tmp")
    assert options.view_as(SetupOptions).setup_file == "./setup.py"
    assert (options.view_as(WorkerOptions).machine_type, options.view_as(WorkerOptions).max_num_workers) == ("n2-standard-4", 20)
    # Our local defaults (direct runner, worker count) are not mixed into another runner's options.
    assert "direct_num_workers" not in options.get_all_options(drop_default=True)
    # The checks DataflowRunner runs before submitting: project id, gs:// temp location, job name.
    from apache_beam.runners.dataflow.dataflow_runner import DataflowRunner

    assert PipelineOptionsValidator(options, DataflowRunner()).validate() == []


def test_dataflow_validator_names_a_local_temp_location() -> None:
    from apache_beam.runners.dataflow.dataflow_runner import DataflowRunner

    options = _config_options("configs/dataflow.yaml", "--project=my-project-123", "--temp_location=/tmp/x")
    errors = PipelineOptionsValidator(options, DataflowRunner()).validate()
    assert errors == ["Invalid GCS path (/tmp/x), given for the option: temp_location.",
                      "Missing GCS path option: staging_location."]


def test_flink_config_gives_portable_flink_options() -> None:
    options = _config_options("configs/flink.yaml", "--flink_master=flink-jobmanager:8081")
    assert options.view_as(StandardOptions).runner == "FlinkRunner"
    flink = options.view_as(FlinkRunnerOptions)
    assert (flink.flink_master, flink.flink_version, flink.flink_submit_uber_jar, flink.parallelism) == (
        "flink-jobmanager:8081", "1.20", True, 8)
    portable = options.view_as(PortableOptions)
    assert (portable.environment_type, portable.environment_config) == ("DOCKER", None)
    # no image named: Beam's own, of the installed Python and Beam, which the workers must match
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    image = DockerEnvironment(container_image=portable.environment_config).container_image
    assert image == f"apache/beam_python{python}_sdk:{beam.version.__version__}"
    assert options.view_as(SetupOptions).setup_file == "./setup.py"


def test_job_graph_builds_for_dataflow_without_submitting(tmp_path: Path, unrun_pipeline) -> None:
    p = unrun_pipeline(options=_config_options("configs/dataflow.yaml", *USER_FLAGS))
    assert type(p.runner).__name__ == "DataflowRunner"
    build(p, load_config(REPO / "configs/dataflow.yaml"), [str(tmp_path / "in" / "*.jsonl")], str(tmp_path / "out"), {"config_hash": "test"})

    proto = p.to_runner_api()

    labels = {t.unique_name.split("/")[0] for t in proto.components.transforms.values()}
    assert {"Read", "FilterUrlsAndExtract", "StripCruft", "RedactDetectAndFilter", "RemoveExactDuplicates", "WriteClean", "WriteRejected", "WriteFailed", "CountOutcomes"} <= labels
    # Reading is not fused with the stages after it: files, then documents (once extracted), spread over workers.
    names = {t.unique_name for t in proto.components.transforms.values()}
    assert {"Read/SpreadFiles", "SpreadDocuments"} <= names
    assert not list(tmp_path.rglob("*"))  # building wrote nothing


@pytest.mark.parametrize(
    "overrides",
    [
        ["sample.fraction=0.5"],
        ["boilerplate.enabled=false", "exact_dedup.enabled=false", "near_dedup.enabled=false"],
    ],
)
def test_steps_built_only_by_some_settings_pass_the_type_check(tmp_path: Path, overrides: list[str], unrun_pipeline) -> None:
    # Flink and Dataflow keep Beam's type check on, and these steps are not in the graph above (with
    # Beam 2.78 typing Read's documents, --sample's kept ones were inferred a Union with
    # TaggedOutput, which the next step refused).
    options = _config_options("configs/flink.yaml")
    assert options.view_as(TypeOptions).pipeline_type_check
    p = unrun_pipeline(runner="DirectRunner", options=options)
    build(p, load_config(REPO / "configs/flink.yaml", overrides), [str(tmp_path / "in" / "*.jsonl")], str(tmp_path / "out"),
          {"config_hash": "test"}, TallyProgress(None))


@pytest.mark.parametrize("config", ["configs/dataflow.yaml", "configs/flink.yaml"])
def test_runner_section_is_left_out_of_the_config_hash(config: str) -> None:
    # The runner section says where the job runs, not what it outputs.
    cfg = load_config(REPO / config)
    assert cfg.runner.beam_args
    assert cfg.digest() == dataclasses.replace(cfg, runner=RunnerConfig()).digest()
    assert cfg.digest() != dataclasses.replace(cfg, write=dataclasses.replace(cfg.write, num_shards=7)).digest()


@pytest.mark.parametrize(
    "override,message",
    [
        ("runner.beam_args=[runner=FlinkRunner]", "runner.beam_args must be --flag or --flag=value items, not 'runner=FlinkRunner'"),
        ("runner.beam_args=--runner=FlinkRunner", "runner.beam_args: expected a list"),
    ],
)
def test_bad_runner_args_are_config_errors(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(None, [override])


def test_config_beam_args_reach_beam_before_the_command_line(tmp_path: Path) -> None:
    # A flag from the config is checked like one typed on the command line (no pipeline runs).
    proc = run_cli("--output", str(tmp_path / "o"), "--set", "runner.beam_args=[--runnr=DirectRunner]")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == "error: unrecognised argument '--runnr=DirectRunner'; did you mean --runner?"


@pytest.mark.parametrize(
    "flags,input_bytes,cores,expected",
    [
        ([], 0, 8, ("in_memory", 1)),  # small input: one in-process worker
        ([], 8 << 20, 8, ("multi_processing", 8)),  # big input: a worker process per core
        ([], 8 << 20, 1, ("in_memory", 1)),  # one core: nothing to gain from processes
        (["--direct_running_mode=in_memory", "--direct_num_workers=1"], 1 << 30, 8, ("in_memory", 1)),  # the user's flags win
        (["--direct_num_workers=3"], 1 << 30, 8, ("multi_processing", 3)),
    ],
)
def test_local_runner_sized_to_the_input(monkeypatch, flags, input_bytes, cores, expected) -> None:
    import pipeline.run

    monkeypatch.setattr(pipeline.run, "usable_cores", lambda: cores)
    options = beam_options(flags, input_bytes).get_all_options()
    assert options["runner"] == "DirectRunner"
    assert (options["direct_running_mode"], options["direct_num_workers"]) == expected


@pytest.mark.parametrize(
    "flags,input_bytes,expected",
    [
        ([], 0, False),  # local runs skip the graph's type check (the test suite keeps it on)
        ([], 8 << 20, False),
        (["--runner=DataflowRunner", "--project=p", "--region=r", "--temp_location=gs://b/t"], 0, True),  # another runner: Beam's default
    ],
)
def test_local_runs_skip_the_type_check(monkeypatch, flags, input_bytes, expected) -> None:
    import pipeline.run

    monkeypatch.setattr(pipeline.run, "usable_cores", lambda: 2)
    assert beam_options(flags, input_bytes).get_all_options()["pipeline_type_check"] is expected
