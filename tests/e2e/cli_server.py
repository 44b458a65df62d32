"""A process that runs the CLI as `python -m pipeline.run` would, one forked child per run.

Started once by each test process (tests/e2e/conftest.py's `run_cli`). Before any run it imports
the pipeline and parses the bundled rule pack and models, which a fresh CLI process spends about
3 of its 7-8 seconds on (Beam's import, the pack's backtracking check); each run is then a child
forked from it: its own process, process group, folder, stdout and stderr files and exit code,
as a subprocess's. What a fresh interpreter prints before `main()` (an import's notice) is not
seen here: tests that check it run the real command (`run_cli(..., fresh=True)`).

Protocol, one JSON line each way on stdin/stdout: {"args", "cwd", "stdout", "stderr"} in; the
child's {"pid"} out at once, then its {"status"} (as subprocess's returncode: -N for signal N).
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import traceback


def _child(request: dict) -> int:
    os.setsid()  # the caller kills the group on a timeout: the run and the workers it started
    os.chdir(request["cwd"])
    fds = [os.open(os.devnull, os.O_RDONLY)]
    fds += [os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644) for name in ("stdout", "stderr")]
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    sys.argv = [os.path.join(request["cwd"], "pipeline", "run.py"), *request["args"]]  # as `-m` sets it
    try:
        from pipeline.run import main

        code = main(request["args"])
    except SystemExit as exc:  # as the interpreter ends on one: None is 0, a message is printed and 1
        code = 0 if exc.code is None else exc.code
        if not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
    except BaseException:  # noqa: BLE001 - what the interpreter does with an uncaught exception
        traceback.print_exc()
        code = 1
    try:
        atexit._run_exitfuncs()  # what an interpreter's exit runs: multiprocessing's clean-up among them
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
    return code


def serve() -> None:
    # what every run would do first, done once: the imports and the bundled files' parse (cached
    # per process by their text, so a forked child finds them)
    from pipeline.config import load_config
    from pipeline.run import DEFAULT_CONFIG, main  # noqa: F401
    from transforms.clean.rule_pack import read_clean_files
    from transforms.clean.stage import StripCruftFn

    cfg = load_config(DEFAULT_CONFIG).clean
    StripCruftFn(cfg, read_clean_files(cfg)).setup()
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _child(request)
            finally:
                os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    serve()
