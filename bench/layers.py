"""Each in-process caching layer's worth: `make bench-layers` (python -m bench.layers).

Runs the benchmark (bench/run.py, without the 1,000-comparison site) once with
every layer on, then once per layer with that layer switched off (MEMO_OFF,
explainer/memo.py), on each database named. A layer is needed when switching it
off misses a ratio target that the run with every layer on meets; the table
says which. docs/decisions.md ("Caching layers") keeps one line per layer with
the figure that decides it. Results: bench/results/layers.json.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from bench.run import RATIO_TARGETS, RESULTS

ROOT = Path(__file__).resolve().parent.parent
# The in-process layers, by the name their Memo has. (Markdown's own lru_cache was measured and
# removed: switching it off kept every target; docs/decisions.md, "Caching layers".)
LAYERS = ["page-content", "quiz-content", "answer-form", "fragments"]


def measure(db, off, duration):
    """The bench's ratios to the bare view for `db` with the layers `off` switched off; None if the harness failed."""
    env = dict(os.environ, MEMO_OFF=off)
    args = [sys.executable, "-m", "bench.run", "--db", db, "--comparisons", "0", "--duration", str(duration)]
    done = subprocess.run([*args, "--wait-quiet", "0"], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
        return None
    results = json.loads((RESULTS / f"latest-{db}.json").read_text())
    return {key: results["endpoints"][key]["x_bare"] for key, _label, _target in RATIO_TARGETS}


def verdicts(all_on, without):
    """The targets met with every layer on but missed without the layer: what the layer is needed for."""
    return [
        key
        for key, _label, target in RATIO_TARGETS
        if all_on[key] >= target and without is not None and without[key] < target
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "5")))
    args = parser.parse_args(argv)
    table = {}
    for db in args.db:
        rows = table[db] = {"all layers on": measure(db, "", args.duration)}
        for layer in LAYERS:
            rows[f"without {layer}"] = measure(db, layer, args.duration)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "layers.json").write_text(json.dumps(table, indent=2) + "\n")
    keys = [key for key, _label, _target in RATIO_TARGETS]
    print("x bare view req/s; targets: " + ", ".join(f"{key} >= {target}" for key, _label, target in RATIO_TARGETS))
    for db, rows in table.items():
        print(f"\n{db}")
        print(f"{'':28}" + "".join(f"{key:>18}" for key in keys) + "  needed for")
        for name, ratios in rows.items():
            if ratios is None:
                print(f"{name:28}  harness failed")
                continue
            needed = verdicts(rows["all layers on"], ratios) if name != "all layers on" else []
            print(f"{name:28}" + "".join(f"{ratios[key]:>18.2f}" for key in keys) + "  " + (", ".join(needed) or "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
