"""How long a fresh process takes to import rolecourse and load + validate the shipped curriculum,
against the floor: a process that only parses the same roles.yaml with PyYAML's C loader.

Prints both medians and their ratio (target: at most 2.0). Run: `.venv/bin/python benchmarks/bench_load.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from rolecourse.content.curriculum import shipped_path

RUNS = 15
ROLES = str(shipped_path())
FLOOR = f"import yaml\nwith open({ROLES!r}, 'rb') as f: yaml.load(f, Loader=yaml.CSafeLoader)"
OURS = "import rolecourse\nrolecourse.load_curriculum()"


def median_seconds(code: str) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    median_seconds(OURS)  # warm the file cache and bytecode
    floor = median_seconds(FLOOR)
    ours = median_seconds(OURS)
    print(f"floor  (python + yaml.CSafeLoader on roles.yaml): {floor * 1000:7.1f} ms (median of {RUNS})")
    print(f"ours   (import rolecourse + load_curriculum):     {ours * 1000:7.1f} ms (median of {RUNS})")
    print(f"ratio: {ours / floor:.2f} (target <= 2.00)")


if __name__ == "__main__":
    main()
