"""Console lines (pipeline/usage.py `say`): a stream that cannot be written never decides how a run ends."""

from __future__ import annotations

import os
import sys

from pipeline.usage import one_line, say, usage_error


def test_a_stream_whose_reader_is_gone_is_let_go_and_later_lines_and_the_exit_flush_do_not_fail(monkeypatch):
    # hostile round 25: `newsclean ... | head -1` (the reader gone) was a BrokenPipeError traceback,
    # exit 1, over a finished run; and the interpreter's flush at exit fails again (exit code 120)
    # unless the descriptor is pointed elsewhere
    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = os.fdopen(write_end, "w")
    try:
        say("Done in 1.0s", stream)  # EPIPE: let go, not raised
        say("and more", stream)
        stream.flush()
        assert os.path.samestat(os.fstat(stream.fileno()), os.stat(os.devnull))
        monkeypatch.setattr(sys, "stderr", stream)
        assert usage_error(ValueError("a mistake")) == 2
    finally:
        stream.close()


def test_say_writes_a_line_and_flushes(tmp_path):
    with open(tmp_path / "log", "w", encoding="utf-8") as stream:
        say("progress 2s: 1 in", stream)
        assert (tmp_path / "log").read_text(encoding="utf-8") == "progress 2s: 1 in\n"


def test_a_line_the_streams_encoding_cannot_hold_is_written_with_escapes(tmp_path):
    # stdout in ASCII (PYTHONIOENCODING=ascii) and an output path with "é": written as stderr
    # writes it, not dropped with the stream
    with open(tmp_path / "log", "w", encoding="ascii") as stream:
        say("  clean:    /data/café/clean/", stream)
        say("Done", stream)
    assert (tmp_path / "log").read_text(encoding="ascii") == "  clean:    /data/caf\\xe9/clean/\nDone\n"


def test_a_long_error_line_keeps_what_is_wrong_and_what_to_do():
    # a message naming two paths of a deep folder was cut at 400 characters, and the advice at its
    # end went (--dedup-against's "... changed while this run read it ...: then run again")
    deep = "/data/" + "/".join(["crawl-archive-2026"] * 40)
    message = f"--dedup-against {deep} changed while this run read it ({deep}/index/part-0.parquet was replaced)\n: wait, then run again"
    line = one_line(message)
    assert "\n" not in line and len(line) < 1000
    assert line.startswith(f"--dedup-against {deep[:300]}")
    assert line.endswith(": wait, then run again")
    assert f"({len(' '.join(message.split())) - 900:,} characters)" in line
    assert one_line("short\n  one") == "short one"
