"""What the bundled rule pack costs a process: CPU seconds, each step in a fresh process.

`python -m benchmarks.rule_pack_cost [--tree base=/tmp/base] [--tree new=.] [--repeats 5]`

Driver: `read_clean_files(CleanConfig())` (the pack parsed and every pattern checked for
backtracking, the classifier weights read), in a fresh process after the imports. Worker: in
another fresh process, `pickle.loads` of the parsed pack (its patterns compile again) and the
first and second `strip_cruft` of a sample (the first builds the start-class indexes). CPU is
`time.process_time()` of the step alone; each repeat runs every checkout in turn (interleaved, so
a burst of load on a shared machine hits each alike) and the medians are printed at the end. A
checkout of a commit is made with `git archive <commit> | tar -x -C /tmp/base`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

DRIVER = """
import json, pickle, sys, time
from transforms.clean import CleanConfig
from transforms.clean.rule_pack import parse_rule_pack, read_clean_files
started = time.process_time()
files = read_clean_files(CleanConfig())
spent = time.process_time() - started
with open(sys.argv[1], "wb") as f:
    f.write(pickle.dumps(parse_rule_pack(files.rule_pack)))
print(json.dumps({"read_clean_files": spent}))
"""

WORKER = """
import glob, json, pickle, sys, time
from transforms.clean import CleanConfig
from transforms.clean.strip import strip_cruft
with open(sys.argv[1], "rb") as f:
    blob = f.read()
with open(sorted(glob.glob("samples/*.txt"))[0], encoding="utf-8") as f:
    text = f.read()
cfg = CleanConfig()
times = [time.process_time()]
pack = pickle.loads(blob)
times.append(time.process_time())
for _ in range(2):
    strip_cruft(text, pack, cfg)
    times.append(time.process_time())
print(json.dumps(dict(zip(("pickle_loads", "first_strip_cruft", "second_strip_cruft"), (b - a for a, b in zip(times, times[1:]))))))
"""

STEPS = ("read_clean_files", "pickle_loads", "first_strip_cruft", "second_strip_cruft")


def measure(tree: str, blob: str) -> dict[str, float]:
    """One driver and one worker process from checkout `tree`: CPU seconds per step."""
    out: dict[str, float] = {}
    for code in (DRIVER, WORKER):
        done = subprocess.run([sys.executable, "-c", code, blob], cwd=tree, env=dict(os.environ, PYTHONPATH=tree),
                              check=True, capture_output=True, text=True)
        out.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", action="append", default=[], help="NAME=PATH of a checkout (default: this one)")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    trees = dict(t.split("=", 1) for t in args.tree) or {"here": "."}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as work:
        for _ in range(args.repeats):
            for name, tree in trees.items():
                runs[name].append(measure(os.path.abspath(tree), os.path.join(work, f"{name}.pickle")))
    for name, rs in runs.items():
        print(f"{name}:")
        for step in STEPS:
            values = [r[step] for r in rs]
            print(f"  {step:<20} median {statistics.median(values):.3f} CPU s  ({' '.join(f'{v:.3f}' for v in values)})")


if __name__ == "__main__":
    main()
