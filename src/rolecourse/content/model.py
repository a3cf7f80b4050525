"""The curriculum as immutable, typed data.

Built by :func:`rolecourse.content.curriculum.load_curriculum` from ``roles.yaml``; nothing here
reads files. Every class is a frozen dataclass; fixed vocabularies are Enums.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum
from types import MappingProxyType
from collections.abc import Mapping, Sequence

from ..errors import UnknownNameError, UsageError, describe


class SkillLevel(IntEnum):
    """How well a skill is known, 0 to 3: the one scale of ``known``, self-assessment and mastery.

    Its members are ints (``SkillLevel.INTERMEDIATE == 2``); a module's :class:`Level` brings
    the skill level of its :attr:`Level.rank`. :meth:`accepts` is the one range check.
    """

    NONE = 0
    FOUNDATION = 1
    INTERMEDIATE = 2
    ADVANCED = 3

    @property
    def label(self) -> str:
        """``none``, ``foundation``, ``intermediate`` or ``advanced``."""
        return self.name.lower()

    @classmethod
    def accepts(cls, value: object, lowest: int = 0) -> bool:
        """Whether ``value`` is an integer level (not a bool) from ``lowest`` to 3."""
        return isinstance(value, int) and not isinstance(value, bool) and lowest <= value <= cls.ADVANCED


MAX_LEVEL = int(SkillLevel.ADVANCED)
"""The highest skill level (advanced), as a plain int."""

LEVEL_NAMES = {int(level): level.label for level in SkillLevel}
"""Display names of the skill levels 0..3."""


class Level(Enum):
    """How far into a skill a module goes."""

    FOUNDATION = "foundation"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        """1 for foundation, 2 for intermediate, 3 for advanced (the mastery level it brings)."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.FOUNDATION: 1, Level.INTERMEDIATE: 2, Level.ADVANCED: 3}
"""The skill level each module level brings."""


class ResourceKind(Enum):
    """What sort of learning resource a link is."""

    OFFICIAL_DOCS = "official-docs"
    COURSE = "course"
    BOOK = "book"
    ARTICLE = "article"


class SkillCategory(Enum):
    """The broad family a skill belongs to."""

    PROGRAMMING = "programming"
    DATA_MANAGEMENT = "data-management"
    DATA_ENGINEERING = "data-engineering"
    ANALYTICS = "analytics"
    STATISTICS = "statistics"
    MATHEMATICS = "mathematics"
    MACHINE_LEARNING = "machine-learning"
    DEEP_LEARNING = "deep-learning"
    SOFTWARE_ENGINEERING = "software-engineering"
    INFRASTRUCTURE = "infrastructure"
    HARDWARE = "hardware"
    COMMUNICATION = "communication"
    DOMAIN = "domain"
    RESEARCH = "research"


@dataclass(frozen=True, slots=True)
class Resource:
    """A link to learn from."""

    title: str
    """What the resource is called."""
    url: str
    """An https:// address."""
    kind: ResourceKind
    """Official docs, course, book or article."""


@dataclass(frozen=True, slots=True)
class Module:
    """One unit of study within a skill, at one level."""

    id: str
    """Stable id, unique in the curriculum (``sql-foundations``)."""
    skill: str
    """Id of the skill this module teaches."""
    title: str
    """Short title."""
    level: Level
    """Foundation, intermediate or advanced."""
    hours: float
    """Estimated hours of study."""
    objectives: tuple[str, ...]
    """What a learner can do afterwards."""
    resources: tuple[Resource, ...]
    """One to four resources, official documentation first."""
    outside: "PractiseOutside | None" = None
    """Why the module has no lesson in a notebook, and what to practise outside (None: it has, or will have, a lesson)."""
    builds_on: tuple[tuple[str, ...], ...] = ()
    """What the module builds on beyond its skill's prerequisites, each entry met by any one of its module ids
    (``(("python-foundations", "r-foundations"),)``: Python or R first); a plan puts them first."""


@dataclass(frozen=True, slots=True)
class PractiseOutside:
    """A module that cannot be taught in a notebook: why, and a brief to practise it elsewhere."""

    reason: str
    """Why no notebook lesson can teach it (it needs a proprietary product, a cluster...)."""
    checklist: tuple[str, ...]
    """What to do outside the course, one item each, so the learner knows when they are done."""


@dataclass(frozen=True, slots=True)
class Extension:
    """A marked addition beyond the source document (``extension: {reason: ..., since: 2026}``).

    The curriculum holds every role of the source faithfully; what a role needs beyond it (what an
    AI Engineer needs in 2026, say) is added only with this mark, so that readers, exports and the
    faithfulness test can tell the source from the additions.
    """

    reason: str
    """Why the addition was made: what changed since the source, in a sentence or two."""
    since: int
    """The year from which the addition applies (``2026``)."""

    @property
    def label(self) -> str:
        """A short tag for lists: ``extension beyond the source (2026)``."""
        return f"extension beyond the source ({self.since})"


@dataclass(frozen=True, slots=True)
class Tool:
    """A named product or technology attached to a skill (Tableau, Apache Airflow, MySQL…)."""

    id: str
    """Stable id (``power-bi``)."""
    name: str
    """Display name (``Power BI``)."""
    url: str
    """Its official site or documentation."""
    skill: str
    """Id of the skill it belongs to."""


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill shared by the roles that need it."""

    id: str
    """Stable id (``sql``)."""
    name: str
    """Display name (``SQL``)."""
    category: SkillCategory
    """Broad family."""
    description: str
    """One paragraph saying what the skill is and why it matters."""
    prerequisites: tuple[str, ...]
    """Ids of skills to learn first."""
    modules: tuple[Module, ...]
    """Units of study, in order."""
    tools: tuple[Tool, ...] = ()
    """Products and technologies that belong to this skill."""
    extension: Extension | None = None
    """Set when the skill is an addition beyond the source, with the reason (None: the source names it)."""

    @property
    def hours(self) -> float:
        """Total estimated hours of all modules."""
        return sum(m.hours for m in self.modules)


@dataclass(frozen=True, slots=True)
class Responsibility:
    """One of a role's responsibilities, as the source states it."""

    title: str
    """Short title (``Data Collection``)."""
    description: str
    """The source's sentence."""
    skills: tuple[str, ...] = ()
    """Ids of the skills this responsibility draws on most."""
    extension: Extension | None = None
    """Set when the responsibility is an addition beyond the source (its text is then not the source's)."""


@dataclass(frozen=True, slots=True)
class SkillRef:
    """One item of a role's key-skill group: a skill, with the tools the source names for it."""

    skill: str
    """Skill id."""
    tools: tuple[str, ...] = ()
    """Ids of tools of that skill named for this role."""
    note: str = ""
    """What the source says of the item for this role (``for data analysis``)."""
    extension: Extension | None = None
    """Set when the item is an addition beyond the source: the group's text does not name it."""
    choice: str = ""
    """Id of the choice this item is one option of (the source's ``Python/R``): the role needs one skill of each choice."""


@dataclass(frozen=True, slots=True)
class SkillGroup:
    """A key-skill group of a role (Technical, Statistical, …)."""

    name: str
    """The group's name as in the source."""
    text: str
    """The source's text for the group, verbatim."""
    items: tuple[SkillRef, ...]
    """The skills the text names, in its order."""


@dataclass(frozen=True, slots=True)
class RoleLink:
    """A pointer from a role to a related one."""

    role: str
    """Id of the related role."""
    note: str
    """How the two relate."""


@dataclass(frozen=True, slots=True)
class Role:
    """A role of the field."""

    id: str
    """Stable id (``data-analyst``)."""
    name: str
    """Display name as in the source (``Data Analyst``)."""
    summary: str
    """One or two sentences on the role's focus."""
    responsibilities: tuple[Responsibility, ...]
    """Roles and responsibilities, in the source's order."""
    skill_groups: tuple[SkillGroup, ...]
    """Key skills, grouped as in the source."""
    see_also: tuple[RoleLink, ...] = ()
    """Related or overlapping roles."""
    day_in_the_life: str = ""
    """A short scenario of a working day."""

    @property
    def skill_ids(self) -> tuple[str, ...]:
        """The role's skills, each once, in the order the source names them (every option of a choice included)."""
        return tuple(dict.fromkeys(ref.skill for g in self.skill_groups for ref in g.items))

    @property
    def choices(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each choice of the role (the source's ``Python/R``) as ``(choice id, its skill ids)``, in order."""
        groups: dict[str, list[str]] = {}
        for g in self.skill_groups:
            for ref in g.items:
                if ref.choice and ref.skill not in groups.setdefault(ref.choice, []):
                    groups[ref.choice].append(ref.skill)
        return tuple((cid, tuple(sids)) for cid, sids in groups.items())

    @property
    def fixed_skill_ids(self) -> tuple[str, ...]:
        """The skills the role needs whatever the learner picks: those named outside any choice."""
        return tuple(dict.fromkeys(ref.skill for g in self.skill_groups for ref in g.items if not ref.choice))

    def required_skill_ids(self, picks: "Mapping[str, str] | None" = None, levels: "Mapping[str, int] | None" = None) -> tuple[str, ...]:
        """The skills a learner needs for this role, one option of each choice, in the source's order.

        A choice is settled by the learner's pick (``picks``: choice id → skill id), else by a
        skill of the choice the role needs anyway, else by the option the learner knows best
        (``levels``: skill id → level), else by the first option listed.
        """
        picked = {cid: resolve_choice(cid, options, self.fixed_skill_ids, picks or {}, levels or {}) for cid, options in self.choices}
        keep = set(self.fixed_skill_ids) | set(picked.values())
        return tuple(s for s in self.skill_ids if s in keep)


def resolve_choice(choice: str, options: "Sequence[str]", fixed: "Sequence[str]", picks: "Mapping[str, str]", levels: "Mapping[str, int]") -> str:
    """The option of ``choice`` a learner studies (see :meth:`Role.required_skill_ids`)."""
    if picks.get(choice) in options:
        return picks[choice]
    for option in options:
        if option in fixed:
            return option
    best = max(levels.get(o, 0) for o in options)
    return next(o for o in options if levels.get(o, 0) == best)


@dataclass(frozen=True, slots=True)
class Curriculum:
    """The whole curriculum: roles in the source's order and the skills they share."""

    schema_version: int
    """Version of the file format."""
    title: str
    """The curriculum's title."""
    introduction: str
    """The source's opening paragraph."""
    closing: str
    """The source's closing paragraph."""
    roles: tuple[Role, ...]
    """Every role, in order."""
    skills: Mapping[str, Skill]
    """Every skill by id, in file order."""
    sources: tuple[str, ...] = ()
    """The files this curriculum was loaded from (base first, then overlays)."""
    _role_index: Mapping[str, Role] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Role] = {}
        for r in self.roles:
            index[r.id] = r
            index[r.name.casefold()] = r
        object.__setattr__(self, "_role_index", MappingProxyType(index))
        if not isinstance(self.skills, MappingProxyType):
            object.__setattr__(self, "skills", MappingProxyType(dict(self.skills)))

    def role(self, key: str | Role) -> Role:
        """Find a role by id (``data-analyst``) or display name (``Data Analyst``, any case)."""
        if isinstance(key, Role):
            return key
        found = self._role_index.get(key) or self._role_index.get(key.strip().casefold())
        if found is None:
            raise UnknownNameError("role", key, [r.name for r in self.roles] + [r.id for r in self.roles], listed=[r.id for r in self.roles])
        return found

    def skill(self, key: str) -> Skill:
        """Find a skill by id or display name (any case)."""
        found = self.skills.get(key)
        if found is None:
            folded = key.strip().casefold()
            found = next((s for s in self.skills.values() if s.name.casefold() == folded), None)
        if found is None:
            raise UnknownNameError("skill", key, [s.name for s in self.skills.values()] + list(self.skills))
        return found

    @property
    def modules(self) -> Mapping[str, Module]:
        """Every module by id."""
        return {m.id: m for s in self.skills.values() for m in s.modules}

    @property
    def tools(self) -> Mapping[str, Tool]:
        """Every tool by id."""
        return {t.id: t for s in self.skills.values() for t in s.tools}

    def roles_with_skill(self, skill_id: str) -> tuple[Role, ...]:
        """The roles whose key skills name ``skill_id``."""
        return tuple(r for r in self.roles if skill_id in r.skill_ids)


def level_rank(level: object) -> int:
    """A question level as its rank: 1, 2 or 3, a :class:`Level`, or its value
    (``"foundation"``, ``"intermediate"``, ``"advanced"``). Raises :class:`UsageError` otherwise."""
    if isinstance(level, Level):
        return level.rank
    if SkillLevel.accepts(level, lowest=1):
        return level
    if isinstance(level, str):
        for member in Level:
            if member.value == level.strip().lower():
                return member.rank
    raise UsageError(
        f"level must be 1, 2, 3 or one of {', '.join(m.value for m in Level)}, found {describe(level)}"
    )
