"""rolecourse._gc: automatic collection paused around big acyclic work, young collections on a schedule, and no reference cycles left by planning a class."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from rolecourse import _gc
from rolecourse.content.curriculum import load_curriculum
from rolecourse.export.cohorts import cohort

FIX = Path(__file__).parent / "fixtures" / "cohort"


@pytest.fixture
def collector_on():
    """Automatic collection on for the test, whatever the session had, and as it was after."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_gc_turns_collection_off_and_back_on(collector_on):
    with _gc.paused_gc():
        assert not gc.isenabled()
        with _gc.paused_gc():  # nested: the inner block leaves it off
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_gc_restores_collection_after_an_error(collector_on):
    with pytest.raises(ZeroDivisionError):
        with _gc.paused_gc():
            1 / 0
    assert gc.isenabled()


def test_paused_gc_leaves_a_disabled_collector_disabled(collector_on):
    gc.disable()
    with _gc.paused_gc():
        pass
    assert not gc.isenabled()


def test_young_collector_collects_every_n_ticks(monkeypatch):
    calls = []
    monkeypatch.setattr(_gc.gc, "collect", lambda generation=2: calls.append(generation) or 0)
    young = _gc.YoungCollector(every=3)
    for _ in range(7):
        young.tick()
    assert calls == [0, 0]
    young.tick(5)  # a batch of rows counts as many ticks
    assert calls == [0, 0, 0]
    assert young.left == 3


def test_young_collector_frees_cycles_made_while_paused(collector_on):
    class Node:
        pass

    gc.collect()
    with _gc.paused_gc():
        young = _gc.YoungCollector(every=10)
        for _ in range(10):
            a, b = Node(), Node()
            a.other, b.other = b, a  # a cycle that reference counting cannot free
            del a, b
            young.tick()
        assert gc.collect() == 0  # the tenth tick collected them


def test_planning_a_class_makes_no_reference_cycles(tmp_path, collector_on):
    """Every plan, path and schedule is freed by reference counting: a cohort run with collection paused leaves no garbage for it.

    The course's curriculum, whose modules build on others' (paths then take a second pass).
    """
    cur = load_curriculum()
    gc.collect()
    with _gc.paused_gc():
        result = cohort(FIX / "roster.csv", tmp_path / "out", fmt="json", curriculum=cur, start="2026-01-12", keep_learners=False)
        del result
        found = gc.collect()
    assert found == 0
