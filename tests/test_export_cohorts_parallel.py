"""rolecourse.export.cohorts with worker processes (``jobs`` > 1): the same files, errors and order as one process.

The golden roster (``tests/fixtures/cohort``: 256 diverse rows, 10 of them bad) is planned
with two workers and batches of a few rows, so every batch boundary, bad row and repeated
name falls somewhere in the middle of the hand-out; every byte must match the golden manifest
that one process wrote.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rolecourse.cli import main
from rolecourse.errors import RolecourseError, UsageError
from rolecourse.export import cohorts as cohorts_mod
from rolecourse.export.cohorts import cohort, default_jobs
from rolecourse.export.plans import FORMATS

from test_export_cohorts_golden import FIXED_LESSONS, GOLDEN, ROLES, ROSTER, START, manifest

pytestmark = pytest.mark.skipif(not cohorts_mod._can_fork(), reason="worker processes are forked; this system cannot fork")


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Batches of 7 rows (the roster's 256 rows make 37 batches), workers replaced every 3 batches (10 rows a worker,
    2 workers: 21 rows), and the golden tests' fixed lesson links."""
    monkeypatch.setattr(cohorts_mod, "BATCH_ROWS", 7)
    monkeypatch.setattr(cohorts_mod, "WORKER_ROWS", 10)
    monkeypatch.setattr("rolecourse.export.plans.lesson_links", lambda: FIXED_LESSONS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_workers_write_the_golden_bytes(tmp_path, fmt):
    """Every learner's file and both summaries equal what one process wrote, in every format."""
    out = tmp_path / "out"
    seen: list[tuple[int, int]] = []
    result = cohort(ROSTER, out, fmt=fmt, curriculum=str(ROLES), start=START, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert len(result.learners) == 246 and [e.line for e in result.errors] == sorted(e.line for e in result.errors)
    assert len(result.errors) == 10
    assert manifest(out) == (GOLDEN / f"{fmt}.sha256").read_text(encoding="utf-8")
    assert seen == [(n, 256) for n in range(1, 257)]  # once per row, in roster order
    assert [p.line for p in result.learners] == sorted(p.line for p in result.learners)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_workers_are_replaced_every_so_many_rows_and_write_the_same_bytes(tmp_path, monkeypatch):
    """Each set of workers plans about WORKER_ROWS rows apiece, then fresh ones take over; the files stay the golden ones."""
    pools: list[int] = []
    real_pool = cohorts_mod._pool

    def counted(jobs):
        pools.append(jobs)
        return real_pool(jobs)

    monkeypatch.setattr(cohorts_mod, "_pool", counted)
    result = cohort(ROSTER, tmp_path / "out", fmt="md", curriculum=str(ROLES), start=START, jobs=2)
    assert pools == [2] * 12  # 36 full batches of 7 rows, 3 (21 rows, at least 2 * 10) to a set of workers; the last 4 rows join the last set
    assert len(result.learners) == 246
    assert manifest(tmp_path / "out") == (GOLDEN / "md.sha256").read_text(encoding="utf-8")


def test_workers_are_not_replaced_within_their_rows(tmp_path, monkeypatch):
    """With WORKER_ROWS above a worker's share of the roster, one set of workers plans it all."""
    monkeypatch.setattr(cohorts_mod, "WORKER_ROWS", 128)
    pools: list[int] = []
    real_pool = cohorts_mod._pool
    monkeypatch.setattr(cohorts_mod, "_pool", lambda jobs: pools.append(jobs) or real_pool(jobs))
    cohort(ROSTER, tmp_path / "out", fmt="json", curriculum=str(ROLES), start=START, jobs=2)
    assert pools == [2]
    assert manifest(tmp_path / "out") == (GOLDEN / "json.sha256").read_text(encoding="utf-8")


def test_class_calendar_is_the_same_with_workers(tmp_path):
    """summary.ics (each learner's events, made in the workers) is byte-identical to one process's."""
    one, two = tmp_path / "one", tmp_path / "two"
    cohort(ROSTER, one, fmt="json", curriculum=str(ROLES), start=START, calendar=True, jobs=1)
    cohort(ROSTER, two, fmt="json", curriculum=str(ROLES), start=START, calendar=True, jobs=2)
    assert (one / "summary.ics").read_bytes() == (two / "summary.ics").read_bytes()
    assert manifest(one) == manifest(two)


def test_cli_jobs_reports_bad_rows_as_one_process_does(tmp_path, capsys):
    """`cohort --jobs 2` prints the same lines, in roster order, as the golden one-process run; exit 1."""
    rc = main(["cohort", str(ROSTER), "-o", str(tmp_path / "out"), "--format", "json", "--start", START, "--roles", str(ROLES), "--jobs", "2"])
    err = capsys.readouterr().err.replace(str(ROSTER), "ROSTER")
    assert rc == 1
    assert err == (GOLDEN / "cli-stderr.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", ["-1", "x", "65", "1.5"])
def test_cli_jobs_must_be_a_small_whole_number(tmp_path, capsys, bad):
    """A --jobs that is not 0..64 is a usage error (exit 2) naming what was found; nothing is written."""
    with pytest.raises(SystemExit) as exc:
        main(["cohort", str(ROSTER), "-o", str(tmp_path / "out"), "--jobs", bad])
    assert exc.value.code == 2
    assert "expected a number of worker processes from 0 (automatic) to 64" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_write_that_fails_in_a_worker_stops_the_run_with_its_one_line(tmp_path):
    """A folder in the way of a learner's file stops the run as in one process: the same UsageError, no temporary file left."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "ada-lovelace.json").mkdir()  # a learner of the roster is called Ada Lovelace
    with pytest.raises(RolecourseError) as one:
        cohort(ROSTER, out, fmt="json", curriculum=str(ROLES), start=START, jobs=1)
    with pytest.raises(RolecourseError) as two:
        cohort(ROSTER, out, fmt="json", curriculum=str(ROLES), start=START, jobs=2)
    assert str(two.value) == str(one.value) and "ada-lovelace.json" in str(two.value)
    assert type(two.value) is type(one.value)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def _die(batch):
    """A worker's batch that kills its process (as the out-of-memory killer would)."""
    os._exit(9)


def test_a_worker_that_dies_is_reported_not_waited_for(tmp_path, monkeypatch):
    """A worker killed mid-run (here it exits at once) gives one RolecourseError that says to run with --jobs 1."""
    monkeypatch.setattr(cohorts_mod, "_work", _die)
    with pytest.raises(RolecourseError, match="worker process stopped unexpectedly.*--jobs 1"):
        cohort(ROSTER, tmp_path / "out", fmt="md", curriculum=str(ROLES), start=START, jobs=2)


def test_default_jobs_is_one_for_a_short_roster_and_the_cpus_for_a_long_one():
    """Short rosters stay in one process; long ones get the CPUs this process may use, at most 4."""
    assert default_jobs(10) == 1
    assert default_jobs(cohorts_mod.PARALLEL_FROM_ROWS - 1) == 1
    cpus = len(os.sched_getaffinity(0))
    assert default_jobs(cohorts_mod.PARALLEL_FROM_ROWS) == max(1, min(cpus, 4))


def test_negative_jobs_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="worker processes"):
        cohort(ROSTER, tmp_path / "out", curriculum=str(ROLES), start=START, jobs=-1)


class _Stop(Exception):
    pass


def test_the_parent_stopping_mid_run_stops_the_workers_and_leaves_whole_files(tmp_path):
    """An error in the parent after 40 rows (as Ctrl-C would be) ends the run at once: workers gone, every file whole, none temporary."""

    def stop(done, total):
        if done == 40:
            raise _Stop()

    out = tmp_path / "out"
    with pytest.raises(_Stop):
        cohort(ROSTER, out, fmt="json", curriculum=str(ROLES), start=START, jobs=2, progress=stop)
    assert cohorts_mod._worker is None
    written = list(out.iterdir())
    assert 30 <= len(written) < 246 and not [p for p in written if p.name.startswith(".")]
    for p in written:
        json.loads(p.read_text(encoding="utf-8"))  # each file written whole
