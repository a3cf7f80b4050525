"""Study-plan throughput: cohort rosters of 1,000 / 10,000 / 100,000 learners planned and written
as JSON, and a synthetic 5,000-skill / 200-role curriculum loaded and validated.

Prints wall time, plans per second and peak traced memory for each roster size, and the
load time of the big curriculum. Targets (2-core machine): 10,000 learners in under 2 s,
cost linear in learners, the 5,000-skill curriculum loaded and validated in under 1 s.

The rosters use the shipped curriculum and vary like a real intake: every role, a dozen
self-assessment profiles, six paces and four start dates, names all different. Identical
(role, known) paths and (path, pace, start) schedules are computed once (see
``rolecourse.cohorts``), but every learner gets their own file. Output goes to a temporary
folder that is deleted afterwards.

Files go under $ROLECOURSE_BENCH_DIR, else /dev/shm, else the system temp folder; a "floor"
line shows how long merely writing the same files takes there, since on a slow disk file
creation alone can exceed the target. The 100,000 roster is planned and rendered in memory
unless `--full` is given.

Run: `.venv/bin/python benchmarks/bench_plans.py [--quick] [--full] [--no-load]`.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

from rolecourse.cohorts import _Planner, cohort, read_roster
from rolecourse.curriculum import load_curriculum

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


def bench_cohort(tmp: Path, n: int, write: bool) -> None:
    """Time ``cohort()`` end to end (``write``) or its planning and rendering in memory."""
    roster = tmp / f"roster-{n}.csv"
    write_roster(roster, n)
    cur = load_curriculum()
    out = tmp / f"out-{n}"
    if not write:
        rows = read_roster(roster)
        start = time.perf_counter()
        planner = _Planner(cur, None)
        size = sum(len(planner.render(planner.plan(row), "json")) for row in rows)
        wall = time.perf_counter() - start
        print(f"plan + render {n:>7,} learners (in memory, no files): {wall:6.2f} s, {n / wall:8,.0f} plans/s, {wall / n * 1e6:6.1f} us/learner, {size / n / 1024:.1f} KiB each")
        return
    # wall time without tracing (tracemalloc slows Python down), then peak memory in a second run
    start = time.perf_counter()
    result = cohort(roster, out, fmt="json", curriculum=cur)
    wall = time.perf_counter() - start
    assert result.ok and len(result.learners) == n
    with roster.open(encoding="utf-8") as f:
        distinct = len({tuple(r[1:]) for r in csv.reader(f)}) - 1
    print(f"roster of {n:,}: {distinct:,} distinct (role, known, pace, start) combinations")
    sizes = [f.stat().st_size for f in result.files]
    shutil.rmtree(out)
    # the floor: writing the same number of files of the same sizes, and nothing else
    floor_dir = tmp / f"floor-{n}"
    floor_dir.mkdir()
    start = time.perf_counter()
    for i, size in enumerate(sizes):
        (floor_dir / f"f{i}.json").write_bytes(b"x" * size)
    floor = time.perf_counter() - start
    shutil.rmtree(floor_dir)
    peak = "not traced"
    if n <= 10_000:
        tracemalloc.start()
        cohort(roster, out, fmt="json", curriculum=cur)
        peak = f"{tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB"
        tracemalloc.stop()
        shutil.rmtree(out)
    print(
        f"cohort {n:>7,} learners -> JSON files: {wall:6.2f} s wall, {n / wall:8,.0f} plans/s, {wall / n * 1e6:6.1f} us/learner; "
        f"floor (just writing {len(sizes):,} files of those sizes): {floor:5.2f} s; peak traced memory {peak}"
    )


def bench_load(tmp: Path) -> None:
    big = tmp / "synthetic.yaml"
    synthetic_curriculum(big)
    size = big.stat().st_size / 2**20
    start = time.perf_counter()
    cur = load_curriculum(big)
    took = time.perf_counter() - start
    print(f"synthetic curriculum: {len(cur.skills):,} skills, {len(cur.roles)} roles, {size:.1f} MiB; load + validate: {took:.2f} s (target < 1 s)")


def bench_dir() -> str:
    """Where to write: $ROLECOURSE_BENCH_DIR, else /dev/shm (RAM) when present, else the system temp folder."""
    chosen = os.environ.get("ROLECOURSE_BENCH_DIR")
    if chosen:
        return chosen
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        return "/dev/shm"
    return tempfile.gettempdir()


def main() -> None:
    args = sys.argv[1:]
    base = bench_dir()
    print(f"writing under {base} (set ROLECOURSE_BENCH_DIR to change)")
    with tempfile.TemporaryDirectory(prefix="rolecourse-bench-", dir=base) as name:
        tmp = Path(name)
        if "--no-load" not in args:
            bench_load(tmp)
        for n in SIZES:
            if n > 10_000 and "--quick" in args:
                continue
            # 100,000 files take minutes on a slow disk: in memory unless --full
            bench_cohort(tmp, n, write=n <= 10_000 or "--full" in args)


if __name__ == "__main__":
    main()
