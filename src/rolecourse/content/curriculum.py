"""Loading and validating the curriculum (``roles.yaml``), with instructor overlays.

``load_curriculum()`` reads the shipped file from anywhere; an instructor passes their own
file, and/or overlay files whose roles and skills replace those with the same id or are
added after them (``remove_roles`` / ``remove_skills`` drop entries). Every problem in every
file is reported at once as a :class:`~rolecourse.errors.ContentError`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from collections.abc import Sequence

from . import _yaml
from .._gc import paused_gc
from .._resources import data_path
from ._schema import Reader, join
from ._yaml import Node
from .order import find_cycles, module_order_graph
from .model import (
    Curriculum,
    Extension,
    Level,
    Module,
    PractiseOutside,
    Resource,
    ResourceKind,
    Responsibility,
    Role,
    RoleLink,
    Skill,
    SkillCategory,
    SkillGroup,
    SkillRef,
    Tool,
)

SCHEMA_VERSION = 1
"""The ``schema_version`` this rolecourse reads."""

SHIPPED_NAME = "roles.yaml"

_TOP_REQUIRED = ("schema_version", "title", "skills", "roles")
_TOP_OPTIONAL = ("source", "introduction", "closing")
_OVERLAY_OPTIONAL = ("title", "skills", "roles", "remove_roles", "remove_skills", "introduction", "closing", "source")

_OVERLAY = "changes laid over a curriculum: skills or roles to add or replace, remove_skills, remove_roles, title, introduction, closing"
_LOOKS_LIKE_OVERLAY = f"expected a whole curriculum (schema_version, title, skills and roles), found no skills and no roles; if this file is an overlay ({_OVERLAY}), give it after the curriculum it changes: rolecourse validate roles.yaml THIS.yaml, or load_curriculum(overlays=[...])"
_OVERLAY_WITHOUT_VERSION = f"expected this overlay ({_OVERLAY}) to start with schema_version: {SCHEMA_VERSION}, found no schema_version (field is missing)"


def shipped_path() -> Path:
    """Where the shipped ``roles.yaml`` is."""
    return data_path(SHIPPED_NAME)


@dataclass(slots=True)
class _Entry:
    """An entity read from a file, with the nodes needed for cross-checks."""

    id: str
    node: Node
    value: object
    refs: list[tuple[str, Node, str]]
    """(id referred to, node, field path) for every reference the entity makes."""
    path: str
    """Field path of the entity in its file (``skills[3]``)."""
    keys: list[tuple[str, str, Node, str]]
    """(what, key, node, field path) for values that must be unique across the curriculum."""
    unmarked: list[tuple[str, Node, str]] = field(default_factory=list)
    """(skill id, node, field path) for references that must not name an extension: an unmarked
    key-skill item or responsibility of a role, a prerequisite of a skill of the source."""


def load_curriculum(
    path: str | os.PathLike[str] | None = None,
    overlays: Sequence[str | os.PathLike[str]] = (),
) -> Curriculum:
    """Load, merge and validate a curriculum.

    ``path`` defaults to the shipped ``roles.yaml``. Each overlay adds roles and skills or
    replaces those with the same id. Raises :class:`~rolecourse.errors.ContentError` listing
    every problem found in every file.
    """
    if path is None:
        base_path, display = shipped_path(), SHIPPED_NAME
    else:
        base_path, display = Path(path), str(path)
    with paused_gc():
        return _load(base_path, display, overlays)


def _load(base_path: Path, display: str, overlays: Sequence[str | os.PathLike[str]]) -> Curriculum:
    reader = Reader()
    files: list[tuple[Node, str]] = []
    for p, shown in [(base_path, display), *((Path(o), str(o)) for o in overlays)]:
        files.append((_yaml.load(p, shown), shown))

    base_root, _ = files[0]
    if base_root.kind == "map" and not {"skills", "roles"} & base_root.value.keys():  # one clear line, not three missing fields
        reader.error(base_root, "", _LOOKS_LIKE_OVERLAY)
        reader.raise_if_any()
    top = reader.mapping(base_root, "", _TOP_REQUIRED, _TOP_OPTIONAL)
    if top is None:
        reader.raise_if_any()
        raise AssertionError("unreachable: a non-mapping root is always reported")
    if "schema_version" in top and not reader.schema_version(top, "", SCHEMA_VERSION, "curriculum"):
        reader.raise_if_any()  # a file of another version: its other "problems" would only be noise
    meta = {
        "title": reader.string(top.get("title"), "title") or "",
        "introduction": reader.string(top.get("introduction"), "introduction") or "",
        "closing": reader.string(top.get("closing"), "closing") or "",
    }
    skills: dict[str, _Entry] = {}
    roles: dict[str, _Entry] = {}
    _read_entities(reader, top, skills, roles, overlay=False)

    removed_roles: set[str] = set()
    removed_skills: dict[str, tuple[Node, str]] = {}
    for root, _shown in files[1:]:
        if root.kind == "map" and "schema_version" not in root.value:
            reader.error(root, "schema_version", _OVERLAY_WITHOUT_VERSION)
            continue
        over = reader.mapping(root, "", ("schema_version",), _OVERLAY_OPTIONAL)
        if over is None:
            continue
        if "schema_version" in over and not reader.schema_version(over, "", SCHEMA_VERSION, "curriculum"):
            continue
        for key in ("title", "introduction", "closing"):
            if key in over:
                meta[key] = reader.string(over[key], key) or meta[key]
        for key, table, kind in (("remove_skills", skills, "skill"), ("remove_roles", roles, "role")):
            for i, (ident, node) in enumerate(reader.idents(over.get(key), key)):
                if reader.reference(node, f"{key}[{i}]", ident, table, kind):
                    del table[ident]
                    if kind == "role":
                        removed_roles.add(ident)
                    else:
                        removed_skills[ident] = (node, f"{key}[{i}]")
        _read_entities(reader, over, skills, roles, overlay=True)

    _drop_links_to_removed_roles(roles, removed_roles - set(roles))
    _report_removed_skills_in_use(reader, skills, roles, {k: v for k, v in removed_skills.items() if k not in skills})
    _check_references(reader, skills, roles)
    reader.raise_if_any()
    built_skills = {k: e.value for k, e in skills.items()}
    return Curriculum(
        schema_version=SCHEMA_VERSION,
        title=meta["title"],
        introduction=meta["introduction"],
        closing=meta["closing"],
        roles=tuple(e.value for e in roles.values()),  # type: ignore[misc]
        skills=built_skills,  # type: ignore[arg-type]
        sources=tuple(shown for _, shown in files),
    )


def _drop_links_to_removed_roles(roles: dict[str, _Entry], removed: set[str]) -> None:
    """Drop the ``see_also`` links to roles an overlay removed (a link is a pointer to read on, not a dependency)."""
    if not removed:
        return
    for entry in roles.values():
        role = entry.value
        if any(link.role in removed for link in role.see_also):  # type: ignore[attr-defined]
            entry.value = replace(role, see_also=tuple(link for link in role.see_also if link.role not in removed))  # type: ignore[arg-type, attr-defined]
            entry.refs = [r for r in entry.refs if not (r[0].startswith("role:") and r[0][5:] in removed)]


def _report_removed_skills_in_use(
    reader: Reader, skills: dict[str, _Entry], roles: dict[str, _Entry], removed: dict[str, tuple[Node, str]]
) -> None:
    """Report, once at the overlay's ``remove_skills`` entry, a removed skill that skills or roles still use.

    The references themselves are then left out of the reference check: one problem, where
    the instructor wrote the removal, instead of one per use in the base file.
    """
    for sid, (node, path) in removed.items():
        users: dict[str, list[str]] = {"skill": [], "role": []}
        for kind, table in (("skill", skills), ("role", roles)):
            for entry in table.values():
                kept = [r for r in entry.refs if r[0] != sid and not r[0].startswith(sid + "/")]
                if len(kept) != len(entry.refs):
                    users[kind].append(entry.id)
                    entry.refs = kept
        if users["skill"] or users["role"]:
            named = [
                f"{kind}{'s' if len(ids) > 1 else ''} {', '.join(repr(i) for i in ids)}" for kind, ids in users.items() if ids
            ]
            reader.error(
                node,
                path,
                f"expected a skill nothing else uses, found {sid!r} still used by {' and '.join(named)}; "
                "replace those in this overlay too, or remove them",
            )


def _read_entities(reader: Reader, top: dict[str, Node], skills: dict[str, _Entry], roles: dict[str, _Entry], *, overlay: bool) -> None:
    """Read the ``skills`` and ``roles`` lists of one file into the tables (replacing by id)."""
    for kind, table, read in (("skills", skills, _read_skill), ("roles", roles, _read_role)):
        node = top.get(kind)
        if node is None:
            continue
        seen: dict[str, Node] = {}
        for i, item in enumerate(reader.seq(node, kind, min_len=0 if overlay else 1)):
            entry = read(reader, item, join(kind, i))
            if entry is None:
                continue
            if entry.id in seen:
                reader.error(entry.node.value["id"], join(join(kind, i), "id"), f"expected a unique id, found {entry.id!r} again (first at line {seen[entry.id].mark.line})")
                continue
            seen[entry.id] = entry.node
            table[entry.id] = entry  # an overlay replaces in place; new ids go at the end


# The readers below build field paths with f-strings: their paths are never empty
# (``skills[3].modules[0]``), and this runs for every field of every skill.


def _read_resource(reader: Reader, node: Node, path: str) -> Resource | None:
    m = reader.mapping(node, path, ("title", "url", "kind"))
    if m is None:
        return None
    title = reader.string(m.get("title"), f"{path}.title")
    url = reader.url(m.get("url"), f"{path}.url")
    kind = reader.enum(m.get("kind"), f"{path}.kind", ResourceKind)
    if title is None or url is None or kind is None:
        return None
    return Resource(title, url, kind)


def _read_module(reader: Reader, node: Node, path: str, skill_id: str | None, refs: list[tuple[str, Node, str]]) -> Module | None:
    """One module; its ``builds_on`` ids go to ``refs`` as ``module:<id>`` (checked once every module is known)."""
    m = reader.mapping(node, path, ("id", "title", "level", "hours", "objectives", "resources"), ("practise_outside", "builds_on"))
    if m is None:
        return None
    ident = reader.ident(m.get("id"), f"{path}.id")
    title = reader.string(m.get("title"), f"{path}.title")
    level = reader.enum(m.get("level"), f"{path}.level", Level)
    hours = reader.number(m.get("hours"), f"{path}.hours", min_value=0, exclusive_min=True, max_value=1000)
    objectives = reader.strings(m.get("objectives"), f"{path}.objectives", min_len=1)
    resources = []
    for i, r in enumerate(reader.seq(m.get("resources"), f"{path}.resources", 1, 4)):
        res = _read_resource(reader, r, f"{path}.resources[{i}]")
        if res is not None:
            resources.append(res)
    outside = _read_outside(reader, m["practise_outside"], f"{path}.practise_outside") if "practise_outside" in m else None
    builds_on: list[tuple[tuple[str, ...], list[tuple[str, Node]]]] = []
    for i, entry in enumerate(reader.seq(m.get("builds_on"), f"{path}.builds_on")):
        ids = reader.idents(entry, join(f"{path}.builds_on", i), min_len=2) if isinstance(entry.value, list) else [(b, entry) for b in [reader.ident(entry, join(f"{path}.builds_on", i))] if b]
        if ids:
            builds_on.append((tuple(b for b, _ in ids), list(ids)))
    if None in (ident, title, level, hours, skill_id):
        return None
    refs.extend((f"module:{b}", n, f"{path}.builds_on") for _, ids in builds_on for b, n in ids)
    return Module(ident, skill_id, title, level, hours, objectives, tuple(resources), outside, tuple(alts for alts, _ in builds_on))  # type: ignore[arg-type]


EXTENSION_YEARS = (2000, 2100)
"""The years an ``extension``'s ``since`` may name."""


def _read_extension(reader: Reader, m: dict[str, Node], path: str) -> Extension | None:
    """The optional ``extension: {reason, since}`` mark of a skill, responsibility or key-skill item."""
    if "extension" not in m:
        return None
    p = f"{path}.extension"
    em = reader.mapping(m["extension"], p, ("reason", "since"))
    if em is None:
        return None
    reason = reader.string(em.get("reason"), f"{p}.reason")
    since = reader.integer(em.get("since"), f"{p}.since", min_value=EXTENSION_YEARS[0], max_value=EXTENSION_YEARS[1])
    if reason is None or since is None:
        return None
    return Extension(reason, since)


def _read_outside(reader: Reader, node: Node, path: str) -> PractiseOutside | None:
    m = reader.mapping(node, path, ("reason", "checklist"))
    if m is None:
        return None
    reason = reader.string(m.get("reason"), f"{path}.reason")
    checklist = reader.strings(m.get("checklist"), f"{path}.checklist", min_len=1)
    if reason is None or not checklist:
        return None
    return PractiseOutside(reason, checklist)


def _read_skill(reader: Reader, node: Node, path: str) -> _Entry | None:
    m = reader.mapping(node, path, ("id", "name", "category", "description", "modules"), ("prerequisites", "tools", "extension"))
    if m is None:
        return None
    ident = reader.ident(m.get("id"), f"{path}.id")
    name = reader.string(m.get("name"), f"{path}.name")
    category = reader.enum(m.get("category"), f"{path}.category", SkillCategory)
    description = reader.string(m.get("description"), f"{path}.description")
    extension = _read_extension(reader, m, path)
    refs: list[tuple[str, Node, str]] = []
    unmarked: list[tuple[str, Node, str]] = []
    prereqs = []
    for pid, pnode in reader.idents(m.get("prerequisites"), f"{path}.prerequisites"):
        prereqs.append(pid)
        refs.append((pid, pnode, f"{path}.prerequisites"))
        if extension is None and "extension" not in m:
            unmarked.append((pid, pnode, f"{path}.prerequisites"))
    tools = []
    keys: list[tuple[str, str, Node, str]] = []
    for i, t in enumerate(reader.seq(m.get("tools"), f"{path}.tools")):
        tp = f"{path}.tools[{i}]"
        tm = reader.mapping(t, tp, ("id", "name", "url"))
        if tm is None:
            continue
        tid = reader.ident(tm.get("id"), f"{tp}.id")
        tname = reader.string(tm.get("name"), f"{tp}.name")
        turl = reader.url(tm.get("url"), f"{tp}.url")
        if tid and tname and turl and ident:
            tools.append(Tool(tid, tname, turl, ident))
            keys.append(("tool id", tid, tm["id"], f"{tp}.id"))
    modules = []
    for i, mn in enumerate(reader.seq(m.get("modules"), f"{path}.modules", 1)):
        mod = _read_module(reader, mn, f"{path}.modules[{i}]", ident, refs)
        if mod is not None:
            modules.append(mod)
            keys.append(("module id", mod.id, mn.value["id"], join(f"{path}.modules[{i}]", "id")))
    if None in (ident, name, category, description):
        return None
    skill = Skill(ident, name, category, description, tuple(prereqs), tuple(modules), tuple(tools), extension)  # type: ignore[arg-type]
    return _Entry(ident, node, skill, refs, path, keys, unmarked)  # type: ignore[arg-type]


def _read_role(reader: Reader, node: Node, path: str) -> _Entry | None:
    m = reader.mapping(node, path, ("id", "name", "summary", "responsibilities", "skill_groups"), ("see_also", "day_in_the_life"))
    if m is None:
        return None
    ident = reader.ident(m.get("id"), f"{path}.id")
    name = reader.string(m.get("name"), f"{path}.name")
    summary = reader.string(m.get("summary"), f"{path}.summary")
    day = reader.string(m.get("day_in_the_life"), f"{path}.day_in_the_life") or ""
    refs: list[tuple[str, Node, str]] = []
    unmarked: list[tuple[str, Node, str]] = []
    resps = []
    rp = f"{path}.responsibilities"
    for i, rn in enumerate(reader.seq(m.get("responsibilities"), rp, 1)):
        p = f"{rp}[{i}]"
        rm = reader.mapping(rn, p, ("title", "description"), ("skills", "extension"))
        if rm is None:
            continue
        title = reader.string(rm.get("title"), f"{p}.title")
        desc = reader.string(rm.get("description"), f"{p}.description")
        sk = reader.idents(rm.get("skills"), f"{p}.skills")
        extension = _read_extension(reader, rm, p)
        refs.extend((sid, sn, f"{p}.skills") for sid, sn in sk)
        if "extension" not in rm:
            unmarked.extend((sid, sn, f"{p}.skills") for sid, sn in sk)
        if title and desc:
            resps.append(Responsibility(title, desc, tuple(s for s, _ in sk), extension))
    groups = []
    choice_items: dict[str, list[tuple[str, int, Node, str]]] = {}
    gp = f"{path}.skill_groups"
    for i, gn in enumerate(reader.seq(m.get("skill_groups"), gp, 1)):
        p = f"{gp}[{i}]"
        gm = reader.mapping(gn, p, ("name", "text", "items"))
        if gm is None:
            continue
        gname = reader.string(gm.get("name"), f"{p}.name")
        gtext = reader.string(gm.get("text"), f"{p}.text")
        items = []
        for j, itn in enumerate(reader.seq(gm.get("items"), f"{p}.items", 1)):
            ip = f"{p}.items[{j}]"
            im = reader.mapping(itn, ip, ("skill",), ("tools", "note", "extension", "choice"))
            if im is None:
                continue
            sid = reader.ident(im.get("skill"), f"{ip}.skill")
            tools = reader.idents(im.get("tools"), f"{ip}.tools")
            note = reader.string(im.get("note"), f"{ip}.note") or ""
            extension = _read_extension(reader, im, ip)
            choice = (reader.ident(im.get("choice"), f"{ip}.choice") or "") if "choice" in im else ""
            if sid is None:
                continue
            if choice:
                choice_items.setdefault(choice, []).append((sid, i, im["choice"], f"{ip}.choice"))
            refs.append((sid, im["skill"], f"{ip}.skill"))
            refs.extend((f"{sid}/{tid}", tn, f"{ip}.tools") for tid, tn in tools)
            if "extension" not in im:
                unmarked.append((sid, im["skill"], f"{ip}.skill"))
            items.append(SkillRef(sid, tuple(t for t, _ in tools), note, extension, choice))
        if gname and gtext:
            groups.append(SkillGroup(gname, gtext, tuple(items)))
    for cid, members in choice_items.items():
        _sid, group, cnode, cpath = members[-1]
        if len({sid for sid, *_ in members}) < 2:
            reader.error(cnode, cpath, f"expected a choice between two skills or more, found only {members[0][0]!r} in choice {cid!r}")
        elif len({g for _, g, *_ in members}) > 1:
            reader.error(cnode, cpath, f"expected the options of choice {cid!r} in one key-skill group, found them in {len({g for _, g, *_ in members})} groups")
    links = []
    sp = f"{path}.see_also"
    for i, ln in enumerate(reader.seq(m.get("see_also"), sp)):
        p = f"{sp}[{i}]"
        lm = reader.mapping(ln, p, ("role", "note"))
        if lm is None:
            continue
        rid = reader.ident(lm.get("role"), f"{p}.role")
        note = reader.string(lm.get("note"), f"{p}.note")
        if rid and note:
            refs.append((f"role:{rid}", lm["role"], f"{p}.role"))
            links.append(RoleLink(rid, note))
    if None in (ident, name, summary):
        return None
    role = Role(ident, name, summary, tuple(resps), tuple(groups), tuple(links), day)  # type: ignore[arg-type]
    keys = [("role name", name.casefold(), m["name"], f"{path}.name")]  # type: ignore[union-attr]
    return _Entry(ident, node, role, refs, path, keys, unmarked)  # type: ignore[arg-type]


def _check_references(reader: Reader, skills: dict[str, _Entry], roles: dict[str, _Entry]) -> None:
    """Unknown skills, tools and roles; duplicate names, module and tool ids; prerequisite cycles."""
    tools_of = {sid: {t.id for t in e.value.tools} for sid, e in skills.items()}  # type: ignore[attr-defined]
    modules = {m.id: m for e in skills.values() for m in e.value.modules}  # type: ignore[attr-defined]
    for table in (skills, roles):
        for entry in table.values():
            for ref, node, path in entry.refs:
                if ref.startswith("module:"):
                    mid = ref[7:]
                    if mid not in modules:
                        reader.reference(node, path, mid, modules, "module")
                    elif modules[mid].skill == entry.id:
                        reader.error(node, path, f"expected a module of another skill (a skill's own modules come in their order), found {mid!r} of {entry.id!r}")
                    continue
                if ref.startswith("role:"):
                    rid = ref[5:]
                    if rid == entry.id:
                        reader.error(node, path, f"expected another role, found the role itself ({rid!r})")
                    else:
                        reader.reference(node, path, rid, roles, "role")
                elif "/" in ref:
                    sid, tid = ref.split("/", 1)
                    if sid in tools_of and tid not in tools_of[sid]:
                        known = sorted(tools_of[sid])
                        listing = ", ".join(repr(t) for t in known) if known else "none"
                        reader.reference(node, path, tid, known, f"tool of skill {sid!r} (known: {listing})")
                else:
                    if table is skills and ref == entry.id:
                        reader.error(node, path, f"expected another skill, found the skill itself ({ref!r})")
                        continue
                    reader.reference(node, path, ref, skills, "skill")
    # values that must be unique across entities (names, module and tool ids)
    seen: dict[tuple[str, str], Node] = {}
    for entry in (*skills.values(), *roles.values()):
        for what, key, node, path in entry.keys:
            first = seen.setdefault((what, key), node)
            if first is not node:
                shown = node.value if isinstance(node.value, str) else key
                where = f"line {first.mark.line}" if first.mark.file == node.mark.file else f"{first.mark.file}:{first.mark.line}"
                reader.error(node, path, f"expected a unique {what}, found {shown!r} again (first at {where})")
    _check_extension_marks(reader, skills, roles)
    skill_cycles = find_cycles({sid: e.value.prerequisites for sid, e in skills.items()})  # type: ignore[attr-defined]
    for cycle in skill_cycles:
        entry = skills[cycle[0]]
        node = entry.node.value.get("prerequisites", entry.node)
        reader.error(node, join(entry.path, "prerequisites"), "expected prerequisites without a cycle, found the cycle " + " -> ".join(cycle + [cycle[0]]))
    if not skill_cycles:
        _check_module_order(reader, skills, modules)


def _check_module_order(reader: Reader, skills: dict[str, _Entry], modules: dict[str, Module]) -> None:
    """``builds_on`` with the skills' own orders and prerequisites leaves an order to study the modules in (no cycle)."""
    graph = module_order_graph(tuple(e.value for e in skills.values()))  # type: ignore[misc]
    for cycle in find_cycles(graph):
        on_cycle = set(cycle)
        for m in cycle:
            entry = skills[modules[m].skill]
            hit = next(((n, p) for ref, n, p in entry.refs if ref.startswith("module:") and ref[7:] in on_cycle and f".modules[{_index(entry, m)}]." in p), None)
            if hit is not None:
                reader.error(hit[0], hit[1], "expected modules that can be studied in some order, found the cycle " + " -> ".join(cycle + [cycle[0]]))
                break


def _index(entry: _Entry, module_id: str) -> int:
    return next(i for i, m in enumerate(entry.value.modules) if m.id == module_id)  # type: ignore[attr-defined]


def _check_extension_marks(reader: Reader, skills: dict[str, _Entry], roles: dict[str, _Entry]) -> None:
    """An extension skill is named only by marked items and responsibilities, and required by no skill of the source.

    Unmarked, an addition would pass for the source's own content: the faithfulness of the
    curriculum depends on every addition carrying its ``extension`` mark.
    """
    extensions = {sid for sid, e in skills.items() if e.value.extension is not None}  # type: ignore[attr-defined]
    if not extensions:
        return
    for entry, is_skill in (*((e, True) for e in skills.values()), *((e, False) for e in roles.values())):
        for sid, node, path in entry.unmarked:
            if sid not in extensions:
                continue
            if is_skill:
                what = f"a prerequisite of the source, found {sid!r}, an extension beyond the source (mark this skill as an extension too, or drop it)"
            else:
                what = f"an extension mark on this {'item' if '.items[' in path else 'responsibility'}, found none, though {sid!r} is an extension beyond the source (add extension: {{reason: ..., since: ...}})"
            reader.error(node, path, f"expected {what}")
