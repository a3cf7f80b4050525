"""Cohort throughput and memory, as whole ``rolecourse cohort`` processes on a realistic, diverse class.

The rosters come from ``benchmarks/rosters.py`` (seed 19): every learner knows their own 0-4
skills at random levels, studies 4-20 h a week, starts on their own day over three months and
has a name of their own, so at 10,000 learners about 98% of rows are distinct (role, known,
pace, start) combinations and no cache hides the cost of a real class.

Each measurement is a fresh process, ``python -c "rolecourse.cli.main(...)" cohort ROSTER -o DIR
--format FMT --start 2026-01-12`` (the same as the console script), timed from outside
(interpreter start, imports and the curriculum included), with the worker processes the
command chooses for the roster (``--jobs`` here overrides). Its peak resident memory is the
sum of the proportional set sizes of the command and its workers, sampled every 200 ms (PSS
counts a page that n processes share as 1/n in each: what the run takes from the machine);
beside it, an upper bound: the process's own ``ru_maxrss`` plus, per worker, the largest
worker's (pages shared with the forked workers counted once per process). The "floor" is a plain Python process that writes files of the
same sizes into a fresh folder in the same place (``open``/``write``, no rename): what
writing the bytes alone costs here. Each size runs ``--runs`` times (default 3; once at
100,000) and the median is reported with every run; each run and each floor starts after ``sync``
(no earlier run's writes left to flush), and runs and floors alternate (a run, then the floor for its files).
Nothing is deleted until the end: every run and every floor writes into a folder of its own, and the
benchmark's folder is marked as the top of a tree (``chattr +T``, where the file system has it), so ext4 puts
each of those folders in a block group of its own. On a file system without a journal (this machine's ext4),
creating a file skips every inode of its group freed in the last minutes, reading each one's table block to see
when (``recently_deleted`` in the kernel's inode allocator): in a group where 10,000 files had just been
deleted (by an earlier run, a test, anything under ``/tmp``), creating the next 10,000 took 4-5 s of kernel
time instead of 0.4-0.8 s, for the command and the floor alike (``perf`` showed ``recently_deleted`` and the
block reads under it as the top of the profile), so a figure measured the disk's history more than the work. The machine's load average is printed before and after, since
other work on a shared 2-core machine slows everything down. The folders take room: about 10 GB with every
format at 10,000 (runs and floors), 9 GB more at 100,000.

Targets (issue 19): JSON for 10,000 learners in at most 2 s, or at most 1 s above the floor
when the floor alone exceeds 1 s; md, html, csv and ics within 2x of JSON; peak memory at most
200 MiB at 10,000 and within 20% from 10,000 to 100,000; time linear in the class (microseconds
per learner within 20% from 10,000 to 100,000). Each is printed as met or missed.

Files go under $ROLECOURSE_BENCH_DIR or --dir, else the system temp folder (100,000 JSON plans
are about 4 GB), in a temporary folder deleted afterwards. Then a synthetic 5,000-skill /
200-role curriculum is loaded and validated (target under 1 s), unless --no-load.

Run: `.venv/bin/python benchmarks/bench_plans.py [--quick] [--runs N] [--formats json,md,...] [--dir DIR] [--no-load]`
(`--quick`: 10,000 learners only).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rosters import write_diverse_roster  # noqa: E402

from rolecourse.content.curriculum import load_curriculum  # noqa: E402
from rolecourse.export.cohorts import default_jobs  # noqa: E402

FORMATS = ("json", "md", "html", "csv", "ics")
START = "2026-01-12"

RUN_CLI = (
    "import resource, sys\n"
    "from rolecourse.cli import main\n"
    "rc = main(sys.argv[1:])\n"
    "me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime\n"
    "sys.stderr.write(f'\\nBENCH-PEAK-KB {me.ru_maxrss} {kids.ru_maxrss} {cpu}\\n')\n"
    "sys.exit(rc)\n"
)
"""The command, run in a fresh interpreter, reporting its own peak resident memory and its largest worker's (KiB on Linux)."""

WRITE_FLOOR = (
    "import os, sys\n"
    "sizes = [int(x) for x in open(sys.argv[1]).read().split()]\n"
    "view = memoryview(b'x' * max(sizes, default=0))\n"
    "for i, n in enumerate(sizes):\n"
    "    with open(os.path.join(sys.argv[2], f'f{i}.out'), 'wb') as f:\n"
    "        f.write(view[:n])\n"
)
"""A plain Python process writing files of the given sizes: the writing floor."""


CPU: list[float] = []
"""CPU seconds (user and system, the command and its workers) of each run, in order: less disturbed by other work than the wall time."""

JOBS = [1]
"""Worker processes of the command being measured (what ``cohort`` chooses for the roster; ``--jobs`` overrides)."""


PSS: list[int] = []
"""Peak proportional set size (bytes) of each run, the command and its workers together, sampled every 200 ms."""


def tree_pss(pid: int) -> int:
    """The proportional set size of ``pid`` and its descendants, in bytes (0 where /proc cannot say).

    PSS counts a page shared by n processes as 1/n in each: what the run takes from the machine,
    the pages forked workers share with the command counted once.
    """
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:")) * 1024
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_cli(roster: Path, out: Path, fmt: str) -> tuple[float, int]:
    """One whole ``rolecourse cohort`` process: (wall seconds, peak RSS in bytes).

    With worker processes the peak is the command's own peak plus, for each worker, the
    largest worker's peak: an upper bound (pages the workers share with the command, as forked
    processes do, are counted once per process). The peak PSS of the whole run, sampled, goes
    to :data:`PSS`.
    """
    os.sync()  # every run starts with no earlier run's writes still to flush
    with tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", RUN_CLI, "cohort", str(roster), "-o", str(out), "--format", fmt, "--start", START, "--jobs", str(JOBS[0])], stdout=subprocess.DEVNULL, stderr=err)
        # The memory is sampled by a thread; this one waits for the process, so the wall time ends when it does (a
        # loop that polled between samples would round every run up to the next 200 ms).
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_pss(proc.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait()
        wall = time.perf_counter() - began
        done.set()
        sampler.join()
        pss = peak[0]
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.exit(f"rolecourse cohort failed ({proc.returncode}):\n{stderr[-2000:]}")
    own, worker, cpu = stderr.rsplit("BENCH-PEAK-KB ", 1)[1].split()[:3]
    unit = 1 if sys.platform == "darwin" else 1024
    CPU.append(float(cpu))
    PSS.append(pss)
    return wall, (int(own) + JOBS[0] * int(worker)) * unit


def run_floor(sizes_file: Path, folder: Path) -> float:
    """A plain Python process writing the same sizes into a new ``folder``: wall seconds."""
    folder.mkdir()
    os.sync()
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", WRITE_FLOOR, str(sizes_file), str(folder)], check=True)
    return time.perf_counter() - began


def top_of_tree(folder: Path) -> str:
    """Mark ``folder`` as the top of a directory tree (``chattr +T``): ext4 then spreads its subfolders over block groups. Says what it did."""
    try:
        done = subprocess.run(["chattr", "+T", str(folder)], capture_output=True, text=True)
    except OSError as exc:
        return f"folders not spread over block groups (chattr: {exc.strerror}); earlier deletions nearby may slow file creation"
    if done.returncode != 0:
        return f"folders not spread over block groups ({done.stderr.strip() or 'chattr failed'}); earlier deletions nearby may slow file creation"
    return "each run's folder in a block group of its own (chattr +T on the benchmark's folder)"


def distinct_combinations(roster: Path) -> int:
    """Distinct (role, known, pace, start) rows of a roster."""
    import csv

    with roster.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        return len({tuple(r[1:]) for r in rows})


def bench(tmp: Path, roster: Path, n: int, fmt: str, runs: int) -> dict[str, float]:
    """Median wall, peak, floor and bytes of ``runs`` runs of one format and size; prints one row."""
    walls, peaks, floors = [], [], []
    del CPU[:], PSS[:]
    sizes_file = tmp / f"sizes-{fmt}-{n}.txt"
    for i in range(runs):  # a run, then the floor for its files, each in a new folder (nothing deleted: see the module's text)
        out = tmp / f"out-{fmt}-{n}-{i}"
        wall, peak = run_cli(roster, out, fmt)
        walls.append(wall)
        peaks.append(peak)
        sizes = [entry.stat().st_size for entry in os.scandir(out)]
        sizes_file.write_text(" ".join(map(str, sizes)))
        floors.append(run_floor(sizes_file, tmp / f"floor-{fmt}-{n}-{i}"))
    row = {"n": n, "wall": statistics.median(walls), "cpu": statistics.median(CPU), "peak": max(peaks), "pss": max(PSS), "floor": statistics.median(floors), "bytes": sum(sizes)}
    print(
        f"{fmt:>5} {n:>9,} {row['wall']:8.2f} s {row['cpu']:7.2f} s {row['wall'] / n * 1e6:8.0f} {row['pss'] / 2**20:8.1f} MiB {row['peak'] / 2**20:8.1f} MiB {row['floor']:7.2f} s"
        f" {row['wall'] - row['floor']:+8.2f} s {row['bytes'] / 2**20:9.0f} MiB  {'/'.join(f'{w:.2f}' for w in walls)}",
        flush=True,
    )
    return row


def synthetic_curriculum(path: Path, n_skills: int = 5000, n_roles: int = 200, seed: int = 11) -> None:
    """``n_skills`` skills (two modules each, up to two earlier skills as prerequisites) and ``n_roles`` roles."""
    rng = random.Random(seed)
    levels = ("foundation", "intermediate")
    skills = []
    for i in range(n_skills):
        sid = f"skill-{i:05d}"
        pre = sorted({f"skill-{j:05d}" for j in rng.sample(range(i), k=min(i, rng.randint(0, 2)))})
        skill = {
            "id": sid,
            "name": f"Skill {i:05d}",
            "category": "programming",
            "description": f"Synthetic skill number {i}.",
            "modules": [
                {
                    "id": f"{sid}-{lv}",
                    "title": f"Skill {i} {lv}",
                    "level": lv,
                    "hours": rng.choice((2, 4, 6, 8)),
                    "objectives": [f"Use skill {i} at {lv} level"],
                    "resources": [{"title": "Docs", "url": f"https://example.org/{sid}", "kind": "official-docs"}],
                }
                for lv in levels
            ],
        }
        if pre:
            skill["prerequisites"] = pre
        skills.append(skill)
    roles = []
    for r in range(n_roles):
        picks = rng.sample(range(n_skills), 25)
        roles.append(
            {
                "id": f"role-{r:03d}",
                "name": f"Role {r:03d}",
                "summary": f"Synthetic role {r}.",
                "responsibilities": [{"title": "Work", "description": f"Does the work of role {r}."}],
                "skill_groups": [{"name": "Technical", "text": "Synthetic skills.", "items": [{"skill": f"skill-{j:05d}"} for j in picks]}],
            }
        )
    doc = {"schema_version": 1, "title": "Synthetic curriculum", "skills": skills, "roles": roles}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with path.open("w", encoding="utf-8") as f:
        yaml.dump(doc, f, Dumper=dumper, sort_keys=False, width=200)


def _best(fn, runs: int = 3) -> float:
    """Best wall time of ``runs`` calls (the least disturbed by other work on the machine)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bench_load(tmp: Path) -> None:
    """Time loading and validating the synthetic 5,000-skill curriculum, beside two PyYAML floors."""
    big = tmp / "synthetic.yaml"
    synthetic_curriculum(big)
    size = big.stat().st_size / 2**20
    text = big.read_bytes()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    events = _best(lambda: sum(1 for _ in yaml.parse(text, Loader=loader)))
    safe = _best(lambda: yaml.load(text, Loader=loader), runs=1)
    took = _best(lambda: load_curriculum(big))
    cur = load_curriculum(big)
    print(f"synthetic curriculum: {len(cur.skills):,} skills, {len(cur.roles)} roles, {size:.1f} MiB")
    print(f"  PyYAML events only ({loader.__name__}):     {events:.2f} s  (the parser's floor)")
    print(f"  yaml.load with {loader.__name__}:           {safe:.2f} s  (plain safe_load, no positions, no checks)")
    print(f"  rolecourse load + validate (best of 3): {took:.2f} s  (target < 1 s)")


def load() -> str:
    """The system load average, for the record."""
    return "load average %.2f %.2f %.2f" % os.getloadavg() if hasattr(os, "getloadavg") else "load average unknown"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 learners only")
    parser.add_argument("--runs", type=int, default=3, help="runs per size up to 10,000 (median reported; default 3)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="formats at 10,000 learners (JSON is always run)")
    parser.add_argument("--dir", default=os.environ.get("ROLECOURSE_BENCH_DIR") or tempfile.gettempdir(), help="where to write")
    parser.add_argument("--no-load", action="store_true", help="skip the synthetic curriculum")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default 0: what the command chooses for 10,000 rows)")
    args = parser.parse_args()
    JOBS[0] = args.jobs or default_jobs(10_000)
    formats = ["json"] + [f for f in args.formats.split(",") if f and f != "json"]
    began = time.perf_counter()
    print(f"writing under {args.dir}; {load()}, {os.cpu_count()} CPUs; cohort --jobs {JOBS[0]}")
    cur = load_curriculum()
    results: dict[tuple[str, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="rolecourse-bench-", dir=args.dir) as name:
        tmp = Path(name)
        print(top_of_tree(tmp))
        sizes = (10_000,) if args.quick else (1_000, 10_000, 100_000)
        rosters = {}
        for n in sizes:
            rosters[n] = tmp / f"roster-{n}.csv"
            write_diverse_roster(rosters[n], n, cur)
            print(f"roster of {n:,}: {distinct_combinations(rosters[n]):,} distinct (role, known, pace, start) rows")
        print(f"{'fmt':>5} {'learners':>9} {'median':>10} {'CPU':>9} {'us/lrnr':>8} {'peak PSS':>12} {'RSS bound':>12} {'floor':>9} {'- floor':>10} {'written':>13}  runs (s)")
        for n in sizes:
            for fmt in formats if n == 10_000 else ["json"]:
                results[fmt, n] = bench(tmp, rosters[n], n, fmt, args.runs if n <= 10_000 else 1)
        json10 = results["json", 10_000]
        limit = 2.0 if json10["floor"] <= 1.0 else json10["floor"] + 1.0
        print(f"\nJSON, 10,000 learners: {json10['wall']:.2f} s against {limit:.2f} s: {verdict(json10['wall'] <= limit)}")
        for fmt in formats[1:]:
            ratio = results[fmt, 10_000]["wall"] / json10["wall"]
            print(f"{fmt}, 10,000 learners: {ratio:.1f}x JSON (target 2x): {verdict(ratio <= 2)}")
        print(f"peak memory (PSS, the command and its workers), 10,000 learners: {json10['pss'] / 2**20:.0f} MiB (target 200 MiB): {verdict(json10['pss'] <= 200 * 2**20)}"
              f"; RSS upper bound {json10['peak'] / 2**20:.0f} MiB")
        if ("json", 100_000) in results:
            big = results["json", 100_000]
            growth = big["pss"] / json10["pss"] - 1
            per = (big["wall"] / 100_000) / (json10["wall"] / 10_000) - 1
            print(f"peak memory (PSS), 10,000 -> 100,000: {growth:+.0%} (target within 20%): {verdict(abs(growth) <= 0.2)}")
            print(f"time per learner, 10,000 -> 100,000: {per:+.0%} (linear: within 20%): {verdict(abs(per) <= 0.2)}")
        print(json.dumps({f"{fmt}-{n}": {k: round(v, 3) for k, v in row.items()} for (fmt, n), row in results.items()}))
        if not args.no_load:
            bench_load(tmp)
    print(f"done in {time.perf_counter() - began:.1f} s; {load()}")


if __name__ == "__main__":
    main()
