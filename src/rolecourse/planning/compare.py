"""Comparing roles: shared and unique key skills, similarity, hours to move between them.

Pure. The similarity of two roles is the Jaccard index of their key-skill sets
(shared / all, 0..1). The hours to move from role A to role B are the hours of the
learning path to B with every key skill of A mastered (known at level 3): the study of what
B adds, prerequisites included. It is not symmetric. (``rolecourse plan B --from A`` is more
cautious: it counts A's skills at level 2 and keeps their advanced modules.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import UsageError
from ..content.model import Curriculum, Role
from ..content.model import MAX_LEVEL
from .paths import learning_path


@dataclass(frozen=True, slots=True)
class PairComparison:
    """Two roles side by side."""

    a: str
    """Id of the first role."""
    b: str
    """Id of the second role."""
    shared: tuple[str, ...]
    """Skill ids both roles name, in the first role's order."""
    only_a: tuple[str, ...]
    """Skill ids only the first role names."""
    only_b: tuple[str, ...]
    """Skill ids only the second role names."""
    similarity: float
    """Jaccard index of the two skill sets (0 = nothing shared, 1 = identical)."""
    hours_a_to_b: float
    """Hours of study to move from the first role to the second."""
    hours_b_to_a: float
    """Hours of study to move from the second role to the first."""
    summary: str
    """One plain sentence (``identical key skills except Statistics (only Deep Learning Engineer)``)."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """Several roles compared."""

    roles: tuple[Role, ...]
    """The roles, in the order asked."""
    skills: tuple[str, ...]
    """Every skill id any of them names, in order of first appearance."""
    shared: tuple[str, ...]
    """Skill ids every role names."""
    unique: tuple[tuple[str, tuple[str, ...]], ...]
    """Per role id: the skill ids no other compared role names."""
    pairs: tuple[PairComparison, ...]
    """Every pair of roles, in the order asked."""
    skill_names: tuple[tuple[str, str], ...]
    """(skill id, display name) for every skill in :attr:`skills`."""

    def has(self, role_id: str, skill_id: str) -> bool:
        """Whether the role names the skill."""
        role = next(r for r in self.roles if r.id == role_id)
        return skill_id in role.skill_ids

    def pair(self, a: str, b: str) -> PairComparison:
        """The comparison of roles ``a`` and ``b`` (ids, either order)."""
        for p in self.pairs:
            if (p.a, p.b) == (a, b):
                return p
            if (p.b, p.a) == (a, b):
                return PairComparison(b, a, p.shared, p.only_b, p.only_a, p.similarity, p.hours_b_to_a, p.hours_a_to_b, p.summary)
        raise UsageError(f"roles {a!r} and {b!r} are not both in this comparison")


def _names(curriculum: Curriculum, ids: Sequence[str]) -> str:
    names = [curriculum.skills[s].name for s in ids]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _summary(curriculum: Curriculum, a: Role, b: Role, shared: tuple[str, ...], only_a: tuple[str, ...], only_b: tuple[str, ...], sim: float) -> str:
    diff = len(only_a) + len(only_b)
    if diff == 0:
        return f"{a.name} and {b.name}: identical key skills"
    if not shared:
        return f"{a.name} and {b.name}: no key skill in common"
    if diff <= 2 and len(shared) >= 2 * diff:
        bits = []
        if only_a:
            bits.append(f"{_names(curriculum, only_a)} (only {a.name})")
        if only_b:
            bits.append(f"{_names(curriculum, only_b)} (only {b.name})")
        return f"{a.name} and {b.name}: identical key skills except {' and '.join(bits)}"
    total = len(shared) + diff
    return f"{a.name} and {b.name}: {len(shared)} of {total} key skills shared (similarity {sim:.2f})"


def compare_roles(curriculum: Curriculum, role_ids: Sequence[str | Role]) -> Comparison:
    """Compare two or more roles (ids or names) of ``curriculum``."""
    roles = tuple(dict.fromkeys(curriculum.role(r) for r in role_ids))
    if len(roles) < 2:
        raise UsageError("name at least two different roles to compare")
    sets = {r.id: set(r.skill_ids) for r in roles}
    skills = tuple(dict.fromkeys(s for r in roles for s in r.skill_ids))
    shared = tuple(s for s in skills if all(s in sets[r.id] for r in roles))
    unique = tuple((r.id, tuple(s for s in r.skill_ids if not any(s in sets[o.id] for o in roles if o is not r))) for r in roles)
    hours: dict[tuple[str, str], float] = {}

    def move(a: Role, b: Role) -> float:
        key = (a.id, b.id)
        if key not in hours:
            # a learner of role a knows one option of each of its choices (the first): not both Python and R
            hours[key] = learning_path(curriculum, b, known={s: MAX_LEVEL for s in a.required_skill_ids()}).total_hours
        return hours[key]

    pairs = []
    for i, a in enumerate(roles):
        for b in roles[i + 1 :]:
            both = tuple(s for s in a.skill_ids if s in sets[b.id])
            only_a = tuple(s for s in a.skill_ids if s not in sets[b.id])
            only_b = tuple(s for s in b.skill_ids if s not in sets[a.id])
            union = len(sets[a.id] | sets[b.id])
            sim = len(both) / union if union else 1.0
            pairs.append(PairComparison(a.id, b.id, both, only_a, only_b, sim, move(a, b), move(b, a), _summary(curriculum, a, b, both, only_a, only_b, sim)))
    return Comparison(
        roles=roles,
        skills=skills,
        shared=shared,
        unique=unique,
        pairs=tuple(pairs),
        skill_names=tuple((s, curriculum.skills[s].name) for s in skills),
    )


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON-ready data."""
    return {
        "roles": [{"id": r.id, "name": r.name} for r in comparison.roles],
        "skills": [{"id": s, "name": n} for s, n in comparison.skill_names],
        "shared": list(comparison.shared),
        "unique": {rid: list(ids) for rid, ids in comparison.unique},
        "pairs": [
            {
                "a": p.a,
                "b": p.b,
                "shared": list(p.shared),
                "only_a": list(p.only_a),
                "only_b": list(p.only_b),
                "similarity": round(p.similarity, 4),
                "hours_a_to_b": p.hours_a_to_b,
                "hours_b_to_a": p.hours_b_to_a,
                "summary": p.summary,
            }
            for p in comparison.pairs
        ],
    }
