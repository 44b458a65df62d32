"""The files a config names beside the data are read up to a cap (transforms/side_files.py): the
config, a rule pack, the two models' weights and URL lists. Hostile round 16: each was read whole,
and `/dev/zero` named as any of them read until memory ran out. The caps are lowered here, so a
file a little past one stands for a device that never ends."""

from __future__ import annotations

import os

import pytest

from pipeline.config import ConfigError, load_config
from transforms import side_files
from transforms.clean import CleanConfig
from transforms.clean.rule_pack import RulePackError, read_clean_files
from transforms.furniture_lines import FurnitureModel
from transforms.url_filter import UrlFilterConfig, check_lists, read_list

LIMIT = 1_000


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(side_files, "MAX_FILE_CHARS", LIMIT)
    monkeypatch.setattr(side_files, "MAX_LIST_BYTES", LIMIT)


def padded(text: str, size: int) -> str:
    """`text` and spaces after it (whitespace to JSON and YAML) up to `size` characters."""
    assert len(text) <= size
    return text + " " * (size - len(text))


MODEL = FurnitureModel({"tap": 2.0}, -1.0, 15).to_json()


@pytest.mark.parametrize(
    "cfg_of, text, where",
    [
        (lambda path: CleanConfig(furniture_weights=path), MODEL, "furniture-lines model"),
        (lambda path: CleanConfig(rule_pack=path), "rules: []\n", "rule pack"),
        (lambda path: CleanConfig(classifier=True, classifier_weights=path), "{}", "classifier weights"),
    ],
)
def test_a_clean_file_past_the_cap_is_one_line_and_one_at_the_cap_is_read(tmp_path, small_caps, cfg_of, text, where):
    path = tmp_path / "f"
    path.write_text(padded(text, LIMIT + 1), encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        read_clean_files(cfg_of(str(path)))
    assert str(info.value).startswith(f"{where} {path}: cannot be read: larger than 1,000 characters")
    if where == "furniture-lines model":
        path.write_text(padded(text, LIMIT), encoding="utf-8")
        assert read_clean_files(cfg_of(str(path))).furniture_weights == padded(text, LIMIT)


def test_a_config_past_the_cap_is_one_error(tmp_path, small_caps):
    path = tmp_path / "big.yaml"
    path.write_text(padded("read: {}\n", LIMIT + 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="larger than 1,000 characters"):
        load_config(path)
    path.write_text(padded("read: {}\n", LIMIT), encoding="utf-8")
    assert load_config(path) is not None


def test_a_url_list_past_the_cap_is_one_error(tmp_path, small_caps):
    path = tmp_path / "blocked.txt"
    path.write_bytes(b"example.com\n" * (LIMIT // 12 + 1))
    with pytest.raises(ValueError, match="FileTooLarge: larger than 1,000 bytes"):
        read_list(str(path))
    path.write_bytes(b"example.com\n" * (LIMIT // 12))
    assert set(read_list(str(path))) == {"example.com"}


def test_the_readers_read_one_character_past_the_cap_and_no_more(tmp_path):
    path = tmp_path / "f"
    path.write_text("x" * 50, encoding="utf-8")
    with pytest.raises(side_files.FileTooLarge):
        side_files.read_text_at_most(path, 10)
    assert side_files.read_text_at_most(path, 50) == "x" * 50

    class Counting:
        def __init__(self) -> None:
            self.asked: list[int] = []

        def read(self, n: int) -> bytes:
            self.asked.append(n)
            return b"\0" * n  # /dev/zero

    source = Counting()
    with pytest.raises(side_files.FileTooLarge):
        side_files.read_bytes_at_most(source, 100)  # type: ignore[arg-type]
    assert source.asked == [101]


def pipe_holding(data: bytes) -> str:
    """A path to the reading end of a pipe that holds `data` and whose writer has closed, as
    `<(printf ...)` passes one: the first open reads `data`, a later one nothing."""
    read_end, write_end = os.pipe()
    os.write(write_end, data)
    os.close(write_end)
    return f"/dev/fd/{read_end}"


def test_a_config_in_a_pipe_is_read(tmp_path):
    # hostile round 32: `--config <(...)` and `--config /dev/stdin` exist, but are no regular file:
    # "config file not found: /dev/fd/63"
    path = pipe_holding(b"write:\n  num_shards: 3\n")
    try:
        assert load_config(path).write.num_shards == 3
    finally:
        os.close(int(path.rsplit("/", 1)[1]))


def test_a_url_list_that_is_a_pipe_or_a_device_is_refused_unopened(tmp_path):
    # hostile round 32: the driver's check read `--set url_filter.block_domains=<(echo example.com)`,
    # then each worker read the list again, found the pipe empty and blocked nothing, without a word;
    # a named pipe without a writer held the run at its start for good
    path = pipe_holding(b"example.com\n")
    try:
        with pytest.raises(ValueError, match=r"^url_filter: /dev/fd/\d+ is a pipe, not a file: each worker reads the list"):
            check_lists(UrlFilterConfig(block_domains=path))
    finally:
        os.close(int(path.rsplit("/", 1)[1]))
    fifo = tmp_path / "blocked.txt"
    os.mkfifo(fifo)  # no writer: opening it would wait for good
    with pytest.raises(ValueError, match="blocked.txt is a pipe, not a file"):
        read_list(str(fifo))
    with pytest.raises(ValueError, match="/dev/null is a character device, not a file"):
        read_list("/dev/null")
    (tmp_path / "list.txt").write_text("example.com\n", encoding="utf-8")
    assert read_list(str(tmp_path / "list.txt")) == ["example.com"]
    assert side_files.special_file_kind(tmp_path) is None and side_files.special_file_kind(tmp_path / "none") is None
