"""Study-plan throughput: cohort rosters of 1,000 / 10,000 / 100,000 learners planned and written
as JSON, and a synthetic 5,000-skill / 200-role curriculum loaded and validated.

Each roster size runs in a fresh process in two modes: "files" is ``cohort()`` end to end
(read the roster, plan, render, write one file per learner and the summary); "memory" plans
and renders every learner through the same code but keeps the bytes (no files). Up to
10,000 learners each is run three times and the best wall time is reported (every run is
listed). One row each: learners, distinct (role, known, pace, start) combinations, wall
time, plans per second, microseconds per learner, peak memory (growth of the process's peak
RSS during the runs) and, for files, the "floor": how long merely writing files of the same
sizes takes in the same folder. Then the cost model fitted to the in-memory rows (time = a x combinations + b x
learners: b is the cost per extra learner; combinations saturate at 2,016 with the shipped
curriculum), what writing the files adds per learner, the load time of the big curriculum,
and the load average before and after (other people's tests on a 2-core machine slow
everything down).
Targets (2-core machine): 10,000 learners in under 2 s, cost linear in learners, the
5,000-skill curriculum loaded and validated in under 1 s.

The rosters use the shipped curriculum and vary like a real intake: every role, a dozen
self-assessment profiles, six paces and four start dates, names all different. Identical
paths, week layouts and schedules are computed once (see ``rolecourse.planning.cohorts``), but every
learner gets a plan and a file of their own.

Files go under $ROLECOURSE_BENCH_DIR, else /dev/shm, else the system temp folder, in a
temporary folder deleted afterwards. The 100,000 roster is planned and rendered through the
same code into memory only, unless `--full` is given. The whole run takes well under a minute.

Run: `.venv/bin/python benchmarks/bench_plans.py [--quick] [--full] [--no-load]`
(`--quick`: skip 100,000).
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from rolecourse.export.cohorts import _learner_files, _render_files, cohort
from rolecourse.planning.cohorts import _Planner, plan_rows, read_roster
from rolecourse.content.curriculum import load_curriculum

SIZES = (1_000, 10_000, 100_000)
PROFILES = (
    "",
    "python:1",
    "python:2;sql:1",
    "sql:2",
    "python;sql:2",
    "statistics:1;probability:1",
    "python:2;statistics:2",
    "linear-algebra:1;calculus:1",
    "python;sql;statistics:1",
    "excel:2",
    "python:3;pytorch:1",
    "communication:2",
)
PACES = ("4", "5", "6", "8", "10", "12")
STARTS = ("2025-09-01", "2025-09-08", "2025-10-06", "2026-01-12")


def write_roster(path: Path, n: int, seed: int = 7) -> None:
    """A roster of ``n`` learners with valid rows (unknown profile skills are dropped first)."""
    cur = load_curriculum()
    rng = random.Random(seed)
    roles = [r.id for r in cur.roles]
    profiles = [";".join(item for item in p.split(";") if item and item.split(":")[0] in cur.skills) for p in PROFILES]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "role", "known", "hours_per_week", "start"])
        for i in range(n):
            w.writerow([f"Learner {i:06d}", rng.choice(roles), rng.choice(profiles), rng.choice(PACES), rng.choice(STARTS)])


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


def distinct_combinations(roster: Path) -> int:
    """Distinct (role, known, pace, start) rows of a roster."""
    with roster.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        return len({tuple(r[1:]) for r in rows})


def run_in_memory(roster: Path, cur) -> int:
    """Plan and render every learner as ``cohort`` does, keeping bytes in memory; returns the bytes rendered."""
    rows = read_roster(roster)
    planned, errors = plan_rows(rows, _Planner(cur, None), lambda: None)
    assert not errors
    learners = _learner_files(planned, Path("."), "json")
    return sum(len(data) for _, data in _render_files([row.plan for row in planned], learners, "json"))


def peak_rss() -> int:
    """The process's peak resident memory so far, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def child(n: int, mode: str, roster: Path, out: Path, repeat: int) -> None:
    """Run one measurement ``repeat`` times in this (fresh) process; print the best wall time and the peak as JSON."""
    cur = load_curriculum()
    before = peak_rss()
    walls, sizes = [], []
    for _ in range(repeat):
        if out.exists():
            shutil.rmtree(out)
        start = time.perf_counter()
        if mode == "files":
            result = cohort(roster, out, fmt="json", curriculum=cur)
            walls.append(time.perf_counter() - start)
            assert result.ok and len(result.learners) == n
            sizes = [f.stat().st_size for f in result.files]
        else:
            run_in_memory(roster, cur)
            walls.append(time.perf_counter() - start)
    print(json.dumps({"wall": min(walls), "walls": walls, "peak": peak_rss() - before, "sizes": sizes}))


def bench_cohort(tmp: Path, n: int, mode: str, combos: int) -> tuple[int, int, float]:
    """Measure one roster size in a fresh process; print one row; return (learners, combinations, wall)."""
    roster = tmp / f"roster-{n}.csv"
    out = tmp / f"out-{n}"
    repeat = 3 if n <= 10_000 else 1  # best of three where it is cheap: the machine is shared
    done = subprocess.run([sys.executable, __file__, "--child", str(n), mode, str(roster), str(out), str(repeat)], check=True, capture_output=True, text=True)
    got = json.loads(done.stdout)
    wall = got["wall"]
    floor = "-"
    if mode == "files":
        shutil.rmtree(out)
        floor_dir = tmp / f"floor-{n}"
        floor_dir.mkdir()
        start = time.perf_counter()
        for i, size in enumerate(got["sizes"]):
            (floor_dir / f"f{i}.json").write_bytes(b"x" * size)
        floor = f"{time.perf_counter() - start:.2f} s"
        shutil.rmtree(floor_dir)
    runs = "/".join(f"{w:.2f}" for w in got["walls"])
    print(f"{n:>9,} {combos:>7,} {mode:>7} {wall:8.2f} s {n / wall:9,.0f} {wall / n * 1e6:9.1f} {got['peak'] / 2**20:8.1f} MiB {floor:>8}  {runs}", flush=True)
    return n, combos, wall


def fit(rows: list[tuple[int, int, float]]) -> tuple[float, float] | None:
    """Least squares for wall = a * combinations + b * learners (seconds each), or None if underdetermined."""
    scc = sum(c * c for _, c, _ in rows)
    snn = sum(n * n for n, _, _ in rows)
    scn = sum(c * n for n, c, _ in rows)
    sct = sum(c * t for _, c, t in rows)
    snt = sum(n * t for n, _, t in rows)
    det = scc * snn - scn * scn
    if len(rows) < 2 or abs(det) < 1e-9 * scc * snn:
        return None
    return (sct * snn - snt * scn) / det, (snt * scc - sct * scn) / det


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


def bench_dir() -> str:
    """Where to write: $ROLECOURSE_BENCH_DIR, else /dev/shm (RAM) when present, else the system temp folder."""
    chosen = os.environ.get("ROLECOURSE_BENCH_DIR")
    if chosen:
        return chosen
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        return "/dev/shm"
    return tempfile.gettempdir()


def load() -> str:
    """The system load average, for the record."""
    return "load average %.2f %.2f %.2f" % os.getloadavg() if hasattr(os, "getloadavg") else "load average unknown"


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--child"]:
        child(int(args[1]), args[2], Path(args[3]), Path(args[4]), int(args[5]))
        return
    unknown = [a for a in args if a not in ("--quick", "--full", "--no-load")]
    if unknown:
        sys.exit(f"unknown option {unknown[0]}; use --quick, --full, --no-load")
    base = bench_dir()
    began = time.perf_counter()
    print(f"writing under {base} (set ROLECOURSE_BENCH_DIR to change); {load()}, {os.cpu_count()} CPUs")
    sizes = [n for n in SIZES if n <= 10_000 or "--quick" not in args]
    with tempfile.TemporaryDirectory(prefix="rolecourse-bench-", dir=base) as name:
        tmp = Path(name)
        combos = {}
        for n in sizes:
            write_roster(tmp / f"roster-{n}.csv", n)
            combos[n] = distinct_combinations(tmp / f"roster-{n}.csv")
        print(f"{'learners':>9} {'combos':>7} {'mode':>7} {'wall':>10} {'plans/s':>9} {'us/learnr':>9} {'peak mem':>12} {'floor':>8}  runs (s)")
        by_mode: dict[str, list[tuple[int, int, float]]] = {"files": [], "memory": []}
        for n in sizes:
            # 100,000 files take minutes on a slow disk: in memory only unless --full
            modes = ("files", "memory") if n <= 10_000 or "--full" in args else ("memory",)
            for mode in modes:
                by_mode[mode].append(bench_cohort(tmp, n, mode, combos[n]))
        for mode, rows in by_mode.items():
            model = fit(rows) if len(rows) > 2 else None  # two sizes fit any two numbers exactly
            if model is not None:
                a, b = model
                print(f"{mode}: time ~ {a * 1e6:.0f} us x combinations + {b * 1e6:.1f} us x learners (least squares over {len(rows)} sizes)")
        memory = {n: wall for n, _, wall in by_mode["memory"]}
        for n, _, wall in by_mode["files"]:
            print(f"{n:,} learners: writing the files adds {(wall - memory[n]) / n * 1e6:.0f} us per learner to planning and rendering")
        if "--no-load" not in args:
            bench_load(tmp)
    print(f"done in {time.perf_counter() - began:.1f} s; {load()}")


if __name__ == "__main__":
    main()
