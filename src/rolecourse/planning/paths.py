"""Learning paths: which modules to study, in which order, to reach one or more roles.

Pure: takes a :class:`~rolecourse.content.model.Curriculum` and returns frozen data; reads no file.

Rules
-----
* The targets' key skills are studied, plus every prerequisite skill they need, pulled from
  anywhere in the curriculum (statistics needs probability even when no target role names
  probability).
* Every prerequisite comes before the skills that need it (a topological order). Ties are
  broken deterministically: by the position of the first target skill that needs the skill
  (targets in the order given, each role's skills in the source's order), then by skill id.
  Within a skill, modules keep the curriculum's order.
* ``known`` maps skill ids (or names) to a mastery level 0..3. A skill known at level ``L``
  skips its modules whose :attr:`Level.rank <rolecourse.content.model.Level.rank>` is ``<= L``
  (foundation 1, intermediate 2, advanced 3). A skill with nothing left to study pulls in no
  prerequisites.
* ``from_role`` (a move from a current role to a target) counts every key skill of the
  current role as known at level 2 (:data:`FROM_ROLE_LEVEL`, intermediate): foundation and
  intermediate modules are skipped, advanced ones remain. An explicit ``known`` entry wins
  over ``from_role`` for that skill (``known={"sql": 0}`` studies SQL from scratch).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from ..errors import ContentError, Problem, UsageError
from ..content.model import LEVEL_NAMES, MAX_LEVEL, Curriculum, Module, Role, Skill, SkillLevel

FROM_ROLE_LEVEL = 2
"""The level at which the current role's skills count as known in a move (``--from``)."""



@dataclass(frozen=True, slots=True)
class PathStep:
    """One module of a path, with why it is there."""

    module: Module
    """The module to study."""
    skill: Skill
    """The skill the module teaches."""
    reason: str
    """Why the skill is on the path (``key skill of Data Scientist`` or ``prerequisite of Statistics``)."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A module left out of a path, and why."""

    module: Module
    """The module not studied."""
    reason: str
    """Why it was skipped (``SQL known at level 2 (intermediate), from Data Analyst``)."""


@dataclass(frozen=True, slots=True)
class LearningPath:
    """The ordered modules that lead to the target roles."""

    targets: tuple[str, ...]
    """Ids of the target roles, in the order asked."""
    from_role: str | None
    """Id of the current role of a move, or ``None``."""
    known: tuple[tuple[str, int], ...]
    """The effective known skills as ``(skill id, level)`` pairs, sorted by skill id."""
    steps: tuple[PathStep, ...]
    """The modules to study, every prerequisite first."""
    skipped: tuple[Skipped, ...]
    """Modules of needed skills that are not studied, in curriculum order."""

    @property
    def modules(self) -> tuple[Module, ...]:
        """The modules to study, in order."""
        return tuple(s.module for s in self.steps)

    @property
    def total_hours(self) -> float:
        """Estimated hours of every module on the path."""
        return sum(s.module.hours for s in self.steps)

    @property
    def skipped_hours(self) -> float:
        """Estimated hours saved by skipping what is already known."""
        return sum(s.module.hours for s in self.skipped)

    @property
    def skill_ids(self) -> tuple[str, ...]:
        """The skills studied, each once, in path order."""
        return tuple(dict.fromkeys(s.skill.id for s in self.steps))


def normalize_known(curriculum: Curriculum, known: Mapping[str, int] | Iterable[tuple[str, int]] | None) -> dict[str, int]:
    """Check ``known`` and return it keyed by skill id.

    Keys may be skill ids or display names; levels must be integers 0..3. Raises
    :class:`~rolecourse.errors.UnknownNameError` (with close matches) for an unknown skill
    and :class:`~rolecourse.errors.UsageError` for a bad level or a skill given twice with
    different levels (``sql:2,SQL:1``).
    """
    if known is None:
        return {}
    items = known.items() if isinstance(known, Mapping) else known
    result: dict[str, int] = {}
    for key, level in items:
        skill = curriculum.skill(str(key))
        if not SkillLevel.accepts(level):
            raise UsageError(f"level of skill {skill.id!r} must be an integer from 0 to {MAX_LEVEL}, found {level!r}")
        if result.get(skill.id, level) != level:
            raise UsageError(f"skill {skill.id!r} is given twice, with levels {result[skill.id]} and {level}; give it once")
        result[skill.id] = level
    return result


def parse_known(text: str, curriculum: Curriculum, *, separator: str = ",") -> dict[str, int]:
    """Parse ``"sql:2,python"`` into ``{"sql": 2, "python": 3}``.

    A skill given without a level counts as mastered (level 3, advanced). Levels must be
    whole numbers 0..3; unknown skills raise :class:`~rolecourse.errors.UnknownNameError`.
    """
    pairs: list[tuple[str, int]] = []
    for raw in text.split(separator):
        item = raw.strip()
        if not item:
            continue
        name, sep, level_text = item.rpartition(":")
        if not sep:
            name, level = item, MAX_LEVEL
        else:
            level_text = level_text.strip()
            if not level_text.isdigit() or not SkillLevel.accepts(int(level_text)):
                raise UsageError(f"level of skill {name.strip()!r} must be a whole number from 0 to {MAX_LEVEL}, found {level_text!r}")
            level = int(level_text)
        pairs.append((name.strip(), level))
    return normalize_known(curriculum, pairs)


def _targets(curriculum: Curriculum, targets: str | Role | Sequence[str | Role]) -> tuple[Role, ...]:
    if isinstance(targets, (str, Role)):
        targets = [targets]
    roles = tuple(dict.fromkeys(curriculum.role(t) for t in targets))
    if not roles:
        raise UsageError("name at least one target role")
    return roles


def _content_problem(curriculum: Curriculum, path: str, message: str) -> ContentError:
    source = curriculum.sources[0] if curriculum.sources else "<curriculum>"
    return ContentError([Problem(source, 1, 1, path, message)])


def learning_path(
    curriculum: Curriculum,
    targets: str | Role | Sequence[str | Role],
    *,
    from_role: str | Role | None = None,
    known: Mapping[str, int] | Iterable[tuple[str, int]] | None = None,
) -> LearningPath:
    """The ordered modules to study to reach ``targets`` (a role, or several).

    ``from_role`` is the learner's current role (its key skills count as known at
    :data:`FROM_ROLE_LEVEL`); ``known`` maps skill ids or names to levels 0..3 and wins
    over ``from_role``. See the module documentation for the ordering and skipping rules.
    """
    roles = _targets(curriculum, targets)
    current = curriculum.role(from_role) if from_role is not None else None
    roles = tuple(r for r in roles if r is not current) or roles

    levels: dict[str, int] = {}
    origin: dict[str, str] = {}
    if current is not None:
        for sid in current.skill_ids:
            levels[sid] = FROM_ROLE_LEVEL
            origin[sid] = f", from {current.name}"
    for sid, level in normalize_known(curriculum, known).items():
        levels[sid] = level
        origin[sid] = ""

    skills = curriculum.skills

    def get(sid: str, needed_by: str) -> Skill:
        skill = skills.get(sid)
        if skill is None:
            raise _content_problem(curriculum, needed_by, f"expected a known skill id, found {sid!r}")
        return skill

    def remaining(skill: Skill) -> bool:
        level = levels.get(skill.id, 0)
        return any(m.level.rank > level for m in skill.modules)

    # Which skills are needed, with a priority and a reason each.
    priority: dict[str, tuple[int, str]] = {}
    reason: dict[str, str] = {}
    order = 0
    for role in roles:
        for sid in role.skill_ids:
            get(sid, f"roles.{role.id}.skill_groups")
            if sid not in priority:
                priority[sid] = (order, sid)
                reason[sid] = f"key skill of {role.name}"
                order += 1
    stack = list(reversed(priority))
    while stack:
        sid = stack.pop()
        skill = skills[sid]
        if not remaining(skill):
            continue
        for pid in skill.prerequisites:
            get(pid, f"skills.{sid}.prerequisites")
            if pid not in priority or priority[sid] < priority[pid]:
                # a prerequisite is studied as early as the earliest skill that needs it
                reason.setdefault(pid, f"prerequisite of {skill.name}")
                priority[pid] = priority[sid]
                stack.append(pid)

    # Kahn's algorithm on the needed skills; edges only from skills that are studied.
    needs: dict[str, list[str]] = {sid: [] for sid in priority}
    indegree = dict.fromkeys(priority, 0)
    for sid in priority:
        if remaining(skills[sid]):
            for pid in dict.fromkeys(skills[sid].prerequisites):
                needs[pid].append(sid)
                indegree[sid] += 1
    heap = [(priority[sid], sid) for sid, d in indegree.items() if d == 0]
    heapq.heapify(heap)
    ordered: list[str] = []
    while heap:
        _, sid = heapq.heappop(heap)
        ordered.append(sid)
        for dependant in needs[sid]:
            indegree[dependant] -= 1
            if indegree[dependant] == 0:
                heapq.heappush(heap, (priority[dependant], dependant))
    if len(ordered) != len(priority):
        cycle = sorted(sid for sid, d in indegree.items() if d > 0)
        raise _content_problem(curriculum, "skills", f"expected prerequisites without a cycle, found a cycle among {', '.join(cycle)}")

    steps: list[PathStep] = []
    skipped: list[Skipped] = []
    for sid in ordered:
        skill = skills[sid]
        level = levels.get(sid, 0)
        for module in skill.modules:
            if module.level.rank <= level:
                why = f"{skill.name} known at level {level} ({LEVEL_NAMES[level]}){origin[sid]}; this module is {module.level.value}"
                skipped.append(Skipped(module, why))
            else:
                steps.append(PathStep(module, skill, reason[sid]))
    return LearningPath(
        targets=tuple(r.id for r in roles),
        from_role=current.id if current is not None else None,
        known=tuple(sorted(levels.items())),
        steps=tuple(steps),
        skipped=tuple(skipped),
    )
