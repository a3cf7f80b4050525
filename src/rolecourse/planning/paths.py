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
* A role's choice (the source's ``Python/R``) needs one of its skills: the one the learner
  picks (``choices``), else one the role needs anyway, else the one the learner knows best,
  else the first listed (:meth:`~rolecourse.content.model.Role.required_skill_ids`).
* A module that builds on a module of another skill (``builds_on``) comes after it. When
  that module is neither known nor on the path, it is added, with the lower modules of its
  skill and the foundations of that skill's prerequisites (reason: ``… builds on it``).
  Otherwise the order above is kept: each module moves no earlier than it must.
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
    choices: Mapping[str, str] | Iterable[str] | None = None,
) -> LearningPath:
    """The ordered modules to study to reach ``targets`` (a role, or several).

    ``from_role`` is the learner's current role (its key skills count as known at
    :data:`FROM_ROLE_LEVEL`); ``known`` maps skill ids or names to levels 0..3 and wins
    over ``from_role``; ``choices`` picks an option of the roles' choices, as skill ids or
    names (``["r"]``) or as a mapping choice id → skill id. See the module documentation
    for the ordering and skipping rules.
    """
    roles = _targets(curriculum, targets)
    current = curriculum.role(from_role) if from_role is not None else None
    roles = tuple(r for r in roles if r is not current) or roles
    picks = normalize_choices(curriculum, (*roles, *((current,) if current else ())), choices)

    given = normalize_known(curriculum, known)
    levels: dict[str, int] = {}
    origin: dict[str, str] = {}
    if current is not None:
        for sid in current.required_skill_ids(picks, given):
            levels[sid] = FROM_ROLE_LEVEL
            origin[sid] = f", from {current.name}"
    for sid, level in given.items():
        levels[sid] = level
        origin[sid] = ""

    skills = curriculum.skills

    def get(sid: str, needed_by: str) -> Skill:
        skill = skills.get(sid)
        if skill is None:
            raise _content_problem(curriculum, needed_by, f"expected a known skill id, found {sid!r}")
        return skill

    top_rank = _module_facts(curriculum).top_rank

    def remaining(skill: Skill) -> bool:
        return levels.get(skill.id, 0) < top_rank[skill.id]

    # Which skills are needed, with a priority and a reason each.
    priority: dict[str, tuple[int, str]] = {}
    reason: dict[str, str] = {}
    order = 0
    for role in roles:
        options = {sid: tuple(o for o in opts) for _, opts in role.choices for sid in opts}
        for sid in role.required_skill_ids(picks, levels):
            get(sid, f"roles.{role.id}.skill_groups")
            if sid not in priority:
                priority[sid] = (order, sid)
                chosen = options.get(sid, ())
                others = " or ".join(skills[o].name for o in chosen if o != sid and o in skills)
                reason[sid] = f"key skill of {role.name}" + (f" (chosen over {others})" if others else "")
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
    if any(s.module.builds_on for s in steps):
        steps = _honour_builds_on(curriculum, steps, levels)
    return LearningPath(
        targets=tuple(r.id for r in roles),
        from_role=current.id if current is not None else None,
        known=tuple(sorted(levels.items())),
        steps=tuple(steps),
        skipped=tuple(skipped),
    )


def normalize_choices(curriculum: Curriculum, roles: Sequence[Role], choices: Mapping[str, str] | Iterable[str] | None) -> dict[str, str]:
    """``choices`` as choice id → skill id, checked against the choices of ``roles``.

    Skill ids or names pick the option they are of every choice that lists them; a mapping
    names the choice itself. Raises :class:`~rolecourse.errors.UsageError` for a skill that
    is no option of any choice of these roles, or for two picks of one choice.
    """
    if not choices:
        return {}
    offered: dict[str, tuple[str, ...]] = {}
    for role in roles:
        for cid, options in role.choices:
            offered.setdefault(cid, options)
    listing = "; ".join(f"{cid}: {', '.join(opts)}" for cid, opts in offered.items()) or "none"
    picks: dict[str, str] = {}
    pairs = list(choices.items()) if isinstance(choices, Mapping) else [(None, c) for c in choices]
    for cid, name in pairs:
        sid = curriculum.skill(str(name)).id
        targets = [cid] if cid is not None else [c for c, opts in offered.items() if sid in opts]
        if not targets or any(sid not in offered.get(c, ()) for c in targets):
            raise UsageError(f"expected a skill that is an option of a choice of {', '.join(r.name for r in roles)} (choices: {listing}), found {sid!r}")
        for c in targets:
            if picks.get(c, sid) != sid:
                raise UsageError(f"choice {c!r} is picked twice, as {picks[c]!r} and {sid!r}; pick one")
            picks[c] = sid
    return picks


def _honour_builds_on(curriculum: Curriculum, steps: list[PathStep], levels: Mapping[str, int]) -> list[PathStep]:
    """Add what the path's modules build on and is missing, then order every module after what it needs."""
    skills = curriculum.skills
    module_of = _module_facts(curriculum).module_of
    on_path = {s.module.id: s for s in steps}
    rank: dict[str, tuple[float, int]] = {s.module.id: (float(i), 0) for i, s in enumerate(steps)}

    def known(m: Module) -> bool:
        return m.level.rank <= levels.get(m.skill, 0)

    def pull(target: Module, why: str, at: tuple[float, int]) -> None:
        """Add ``target``, the lower modules of its skill and its skill's prerequisites' foundations."""
        skill = skills[target.skill]
        wanted = [m for m in skill.modules if m.level.rank <= target.level.rank and not known(m) and m.id not in on_path]
        if wanted and all(m.id not in on_path for m in skill.modules):
            for pid in skill.prerequisites:
                first = next((m for m in skills[pid].modules if not known(m)), None)
                if first is not None and first.id not in on_path and first.level.rank <= target.level.rank:
                    pull(first, f"prerequisite of {skill.name}, which {why.split(' builds on it')[0]} builds on", at)
        for m in wanted:
            rank[m.id] = (at[0] - 0.5, len(rank))
            on_path[m.id] = PathStep(m, skill, why)
            work.append(on_path[m.id])

    work = list(steps)
    while work:
        step = work.pop(0)
        for alternatives in step.module.builds_on:
            if any(a in on_path or known(module_of[a]) for a in alternatives):
                continue
            studied = {s.skill.id for s in on_path.values()}
            target = next((module_of[a] for a in alternatives if module_of[a].skill in studied), module_of[alternatives[0]])
            pull(target, f"{step.module.title} builds on it", rank[step.module.id])
    del pull  # a recursive inner function is a reference cycle (it holds itself): break it, so a path leaves no garbage for the collector
    graph = _path_graph(curriculum, [s.module for s in on_path.values()])
    after: dict[str, list[str]] = {mid: [] for mid in on_path}
    indegree = dict.fromkeys(on_path, 0)
    for mid, preds in graph.items():
        for p in preds:
            after[p].append(mid)
            indegree[mid] += 1
    heap = [(rank[mid], mid) for mid, d in indegree.items() if d == 0]
    heapq.heapify(heap)
    ordered: list[PathStep] = []
    while heap:
        _, mid = heapq.heappop(heap)
        ordered.append(on_path[mid])
        for nxt in after[mid]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                heapq.heappush(heap, (rank[nxt], nxt))
    if len(ordered) != len(on_path):  # the loader refuses such a curriculum; an overlay built in code may not be checked
        stuck = sorted(mid for mid, d in indegree.items() if d > 0)
        raise _content_problem(curriculum, "skills", f"expected modules that can be studied in some order, found a cycle among {', '.join(stuck)}")
    return ordered


@dataclass(frozen=True, slots=True)
class _ModuleFacts:
    """What path-finding asks of a curriculum's modules again and again, worked out once per curriculum."""

    module_of: dict[str, Module]
    """Module id → module."""
    earlier: dict[str, tuple[str, ...]]
    """Module id → the modules of its skill that come before it (a lower level, or the same level listed earlier)."""
    prerequisite_modules: dict[str, tuple[str, ...]]
    """Skill id → the modules of its prerequisites, in order."""
    top_rank: dict[str, int]
    """Skill id → the rank of its highest module (0 when it has none)."""


_FACTS: dict[int, tuple[Curriculum, _ModuleFacts]] = {}
""":class:`_ModuleFacts` per curriculum (by identity; the curriculum is kept, so its identity stays its own)."""


def _module_facts(curriculum: Curriculum) -> _ModuleFacts:
    found = _FACTS.get(id(curriculum))
    if found is not None and found[0] is curriculum:
        return found[1]
    skills = curriculum.skills
    earlier: dict[str, tuple[str, ...]] = {}
    for skill in skills.values():
        mods = skill.modules
        for i, m in enumerate(mods):
            r = m.level.rank
            earlier[m.id] = tuple(o.id for j, o in enumerate(mods) if o.level.rank < r or (o.level.rank == r and j < i))
    facts = _ModuleFacts(
        module_of={m.id: m for s in skills.values() for m in s.modules},
        earlier=earlier,
        prerequisite_modules={s.id: tuple(o.id for pid in s.prerequisites if pid in skills for o in skills[pid].modules) for s in skills.values()},
        top_rank={s.id: max((m.level.rank for m in s.modules), default=0) for s in skills.values()},
    )
    if len(_FACTS) >= 8:  # a few curricula per process at most (the course's, an overlay, a test's)
        _FACTS.clear()
    _FACTS[id(curriculum)] = (curriculum, facts)
    return facts


def _path_graph(curriculum: Curriculum, modules: Sequence[Module]) -> dict[str, tuple[str, ...]]:
    """Module id → the modules of ``modules`` that must come before it (see :func:`order_problems`)."""
    facts = _module_facts(curriculum)
    present = {m.id for m in modules}
    graph: dict[str, tuple[str, ...]] = {}
    for m in modules:
        before = [o for o in facts.earlier[m.id] if o in present]
        if not before:  # the skill's first module on the path: after what is studied of its prerequisites
            before = [o for o in facts.prerequisite_modules[m.skill] if o in present]
        before += [a for alternatives in m.builds_on for a in alternatives if a in present]
        graph[m.id] = tuple(dict.fromkeys(before))
    return graph


def order_problems(curriculum: Curriculum, path: LearningPath) -> tuple[str, ...]:
    """Every way ``path`` breaks the order of study, one sentence each; empty when the order is sound.

    A module on the path comes after the modules of its skill before it, after everything of
    its skill's prerequisites on the path (and each prerequisite is on the path or known at
    least at foundation level), and after one module of each of its ``builds_on`` entries
    (or that module is known).
    """
    levels = dict(path.known)
    position = {s.module.id: i for i, s in enumerate(path.steps)}
    module_of = {m.id: m for s in curriculum.skills.values() for m in s.modules}
    graph = _path_graph(curriculum, path.modules)
    problems: list[str] = []
    first_of_skill: set[str] = set()
    for i, step in enumerate(path.steps):
        m = step.module
        for before in graph[m.id]:
            if position[before] > i:
                problems.append(f"{m.id} comes before {before}, which it needs")
        if m.skill not in first_of_skill:
            first_of_skill.add(m.skill)
            for pid in step.skill.prerequisites:
                if levels.get(pid, 0) < 1 and not any(o.id in position and position[o.id] < i for o in curriculum.skills[pid].modules):
                    problems.append(f"{m.id} starts {step.skill.id} without its prerequisite {pid} (neither studied before it nor known)")
        for alternatives in m.builds_on:
            met = any((a in position and position[a] < i) or module_of[a].level.rank <= levels.get(module_of[a].skill, 0) for a in alternatives)
            if not met:
                problems.append(f"{m.id} builds on {' or '.join(alternatives)}, which is neither studied before it nor known")
    return tuple(problems)
