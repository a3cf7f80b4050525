"""Build the learner notebooks from their reviewable sources, so the two never drift.

Usage (from the repository root, with the project's venv)::

    .venv/bin/python tools/build_notebooks.py                 # rewrite every notebook that differs
    .venv/bin/python tools/build_notebooks.py lessons         # only the lessons
    .venv/bin/python tools/build_notebooks.py --check         # write nothing; exit 1 on a difference

Targets:

- ``lessons``: ``lessons/<module-id>/<module-id>.ipynb`` from ``lessons/<module-id>/lesson.yaml``
  and the module's entry in ``roles.yaml`` (title, objectives, hours, resources are read from
  there, never copied), with previous/next links in study order.
- ``roles``: the seven role notebooks ``notebooks/NN-<role-id>.ipynb`` from ONE template,
  ``notebooks/templates/role.md``, filled with the role's entry in ``roles.yaml``, its quiz bank,
  its exercise and the per-role text of ``notebooks/templates/roles.yaml`` (lead paragraph).

Every built cell carries its key in ``metadata.rolecourse.key`` (``title``, ``setup``,
``step:<id>:check``...). A notebook is rewritten only where its cells differ: a cell whose
source is unchanged keeps its id, outputs and execution count; a changed cell keeps its id and
loses its stale outputs. When code cells changed, the command that refreshes the outputs
(``tools/execute_notebooks.py`` with the notebook's path) is printed. ``--check`` lists each
notebook and cell that differs from its source and exits with status 1.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SELF = "tools/build_notebooks.py"
EXECUTOR = "tools/execute_notebooks.py"
PYTHON = ".venv/bin/python"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}

INSTALL_CELL = (
    "import sys\n"
    "\n"
    'if sys.platform == "emscripten":  # JupyterLite: install the course package in the browser; a no-op elsewhere\n'
    "    import piplite\n"
    "\n"
    '    await piplite.install(["rolecourse", "ipywidgets", "pyyaml"])'
)
"""The first cell of every notebook: in JupyterLite it installs the course; elsewhere it does nothing."""

IGNORE_OUTPUT = ("nbval-ignore-output",)
"""Tags of a cell whose output nbval does not compare (widgets)."""


@dataclass(frozen=True, slots=True)
class CellSpec:
    """One cell of a notebook as its source builds it."""

    key: str
    """What the cell is for, stable across edits of its text (``title``, ``step:<id>:check``...)."""
    cell_type: str
    """``markdown`` or ``code``."""
    source: str
    """The cell's text."""
    tags: tuple[str, ...] = ()
    """Cell tags (``nbval-ignore-output`` for widget cells)."""


@dataclass(frozen=True, slots=True)
class Difference:
    """One way a committed notebook differs from what its source builds."""

    key: str
    """Key of the cell (see :attr:`CellSpec.key`)."""
    change: str
    """``differs``, ``missing``, ``not in the source`` or ``out of order``."""


@dataclass(frozen=True, slots=True)
class Built:
    """A notebook and the cells its source builds."""

    path: Path
    """Where the notebook lives."""
    cells: tuple[CellSpec, ...]
    """Its cells, in order."""
    source: str
    """The source it is built from, as shown in messages."""


def install_cell() -> CellSpec:
    """The JupyterLite install cell, first in every notebook."""
    return CellSpec("install", "code", INSTALL_CELL)


# -- lessons ---------------------------------------------------------------------------------


def _bullets(items: Sequence[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def lesson_cells(spec, curriculum, previous=None, following=None) -> tuple[CellSpec, ...]:
    """The cells of one lesson's notebook (``previous``/``following``: neighbouring lessons or None)."""
    module = curriculum.modules[spec.id]
    skill = curriculum.skill(module.skill)
    roles = [r.name for r in curriculum.roles_with_skill(skill.id)]
    hours = f"{module.hours:g}"
    title = [
        f"# {skill.name} · {module.title}",
        "",
        f"{'An' if module.level.value[0] in 'aeiou' else 'A'} **{module.level.value}** lesson of the skill **{skill.name}**, about **{spec.minutes} minutes** here. "
        f"It opens the module `{module.id}` ({hours} h of study in all: the *Go deeper* links at the end "
        f"take you further). Roles that need this skill: {', '.join(roles) if roles else 'none in the course yet'}.",
        "",
        "**Questions this lesson answers**",
        "",
        _bullets(spec.questions),
        "",
        "**By the end you can**",
        "",
        _bullets(module.objectives),
        "",
        "**How to work:** run the cells from the top. Each explanation is followed by a worked example to run "
        "and change. Then practise: write your answer where it says `...` and run the check below it; a check "
        "says *not attempted*, *incorrect* (with a specific message) or *correct*. Stuck? Uncomment "
        "`.hint()` (run it again for the next hint) or, as a last resort, `.solution()`.",
    ]
    if spec.requires:
        title += ["", f"**This lesson needs:** {', '.join(f'`{r}`' for r in spec.requires)} (the first code cell checks and says how to install what is missing)."]
    cells = [install_cell(), CellSpec("title", "markdown", "\n".join(title))]
    setup = f'from rolecourse import load_lesson\n\nlesson = load_lesson("{spec.id}")'
    if spec.setup.strip():
        setup += "\n" + spec.setup.rstrip()
    cells.append(CellSpec("setup", "code", setup))
    for i, section in enumerate(spec.sections, start=1):
        cells.append(CellSpec(f"section:{i}", "markdown", f"## {i}. {section.title}\n\n{section.explain.rstrip()}"))
        cells.append(CellSpec(f"section:{i}:example", "code", section.example.rstrip()))
    cells.append(
        CellSpec(
            "practice",
            "markdown",
            f"## Practice\n\n{len(spec.practice)} steps, each checked as soon as you run its check cell. "
            "Your answers stay in this notebook; the checks only read the value you pass them.",
        )
    )
    for k, step in enumerate(spec.practice, start=1):
        cells.append(CellSpec(f"step:{step.id}:prompt", "markdown", f"### Practice {k}: {step.title}\n\n{step.prompt.rstrip()}"))
        starter = step.starter.rstrip() if step.starter.strip() else f"{step.answer} = ...  # your answer here"
        cells.append(CellSpec(f"step:{step.id}:answer", "code", starter))
        cells.append(CellSpec(f"step:{step.id}:check", "code", f'lesson.step("{step.id}").check({step.answer})'))
        cells.append(CellSpec(f"step:{step.id}:help", "code", f'# lesson.step("{step.id}").hint()\n# lesson.step("{step.id}").solution()'))
    cells.append(
        CellSpec(
            "quiz",
            "markdown",
            f"## Check your understanding\n\n{len(spec.quiz)} questions. Answer each, press **Submit** and read the "
            "feedback: it explains why each option is right or wrong.",
        )
    )
    cells.append(CellSpec("quiz:widget", "code", "lesson.quiz()", IGNORE_OUTPUT))
    cells.append(CellSpec("key-points", "markdown", "## Key points\n\n" + _bullets(spec.key_points)))
    deeper = ["## Go deeper", "", f"The module `{module.id}` is {hours} h of study. Continue with:", ""]
    deeper += [f"- [{r.title}]({r.url}) ({r.kind.value})" for r in module.resources]
    cells.append(CellSpec("go-deeper", "markdown", "\n".join(deeper)))
    nav = ["## Where next", ""]
    if previous is not None:
        nav.append(f"- Previous lesson: [{_lesson_title(previous, curriculum)}](../{previous.id}/{previous.id}.ipynb)")
    if following is not None:
        nav.append(f"- Next lesson: [{_lesson_title(following, curriculum)}](../{following.id}/{following.id}.ipynb)")
    nav.append("- All lessons and the roles that use them: [the course start](../../notebooks/00-start-here.ipynb)")
    cells.append(CellSpec("next", "markdown", "\n".join(nav)))
    return tuple(cells)


def _lesson_title(spec, curriculum) -> str:
    module = curriculum.modules[spec.id]
    return f"{curriculum.skill(module.skill).name} · {module.title}"


def lesson_notebooks(root: Path = ROOT) -> Iterator[Built]:
    """Every lesson notebook with the cells its source builds, in study order."""
    from rolecourse.content.curriculum import load_curriculum
    from rolecourse.assessment.lessons import lesson_order, list_lessons

    curriculum = load_curriculum(root / "roles.yaml")
    folder = root / "lessons"
    if not folder.is_dir():
        return
    ordered = lesson_order(curriculum, list_lessons(folder, curriculum=curriculum))
    for i, spec in enumerate(ordered):
        previous = ordered[i - 1] if i > 0 else None
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        cells = lesson_cells(spec, curriculum, previous, following)
        yield Built(spec.notebook, cells, f"lessons/{spec.id}/lesson.yaml")


# -- roles -----------------------------------------------------------------------------------

ROLE_TEMPLATE = "notebooks/templates/role.md"
"""The one template of the role notebooks (Jinja2; its header says what it is filled with)."""
ROLE_TEXT = "notebooks/templates/roles.yaml"
"""Per-role text the template needs that roles.yaml does not hold (lead paragraph, article), in notebook order."""
_CELL_MARKER = re.compile(r"<!-- cell (?P<key>\S+) (?P<type>markdown|code)(?P<tags>(?: \S+)*) -->")


class TemplateError(Exception):
    """A role template or its per-role text is wrong; the message names the file and what to fix."""


def template_cells(text: str, where: str) -> tuple[CellSpec, ...]:
    """The cells of a rendered template: each ``<!-- cell KEY TYPE [TAG...] -->`` line starts one."""
    cells: list[CellSpec] = []
    head: list[str] = []
    current: tuple[str, str, tuple[str, ...]] | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            source = "\n".join(body).strip("\n")
            if not source.strip():
                raise TemplateError(f"{where}: cell {current[0]} is empty")
            cells.append(CellSpec(current[0], current[1], source, current[2]))

    for line in text.splitlines():
        marker = _CELL_MARKER.fullmatch(line.strip())
        if marker is None:
            (body if current is not None else head).append(line)
            continue
        close()
        current = (marker["key"], marker["type"], tuple(marker["tags"].split()))
        body = []
    close()
    if "".join(head).strip():
        raise TemplateError(f"{where}: text before the first <!-- cell KEY TYPE --> line: {''.join(head).strip()[:60]!r}")
    keys = [c.key for c in cells]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice or "install" in keys:
        raise TemplateError(f"{where}: cell keys must be unique and not 'install' (the builder adds it): {', '.join(twice) or 'install'}")
    return tuple(cells)


def _role_text(root: Path, role_ids: Sequence[str]) -> list[dict]:
    """The entries of notebooks/templates/roles.yaml, checked against the roles of roles.yaml."""
    import yaml

    path = root / ROLE_TEXT
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data.get("roles") if isinstance(data, dict) else None
    if data.get("schema_version") != 1 or not isinstance(entries, list):
        raise TemplateError(f"{ROLE_TEXT}: expected 'schema_version: 1' and a list 'roles'")
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or sorted(entry) != ["article", "id", "lead"] or not all(isinstance(v, str) and v.strip() for v in entry.values()):
            raise TemplateError(f"{ROLE_TEXT}: role {i} must have exactly 'id', 'article' and 'lead', each a non-empty text (got {entry!r})")
        if entry["article"] not in ("a", "an"):
            raise TemplateError(f"{ROLE_TEXT}: role {entry['id']}: article must be 'a' or 'an' (got {entry['article']!r})")
    ids = [e["id"] for e in entries]
    if sorted(ids) != sorted(role_ids) or len(set(ids)) != len(ids):
        missing = sorted(set(role_ids) - set(ids))
        unknown = sorted(set(ids) - set(role_ids))
        raise TemplateError(
            f"{ROLE_TEXT}: must list every role of roles.yaml once "
            f"(missing: {', '.join(missing) or 'none'}; not in roles.yaml: {', '.join(unknown) or 'none'}; twice: "
            f"{', '.join(sorted({i for i in ids if ids.count(i) > 1})) or 'none'})"
        )
    return entries


def role_notebooks(root: Path = ROOT) -> Iterator[Built]:
    """Every role notebook ``notebooks/NN-<role-id>.ipynb`` with the cells the template builds, in order."""
    import jinja2

    from rolecourse import list_exercises, load_curriculum, load_quiz

    curriculum = load_curriculum(root / "roles.yaml")
    entries = _role_text(root, [r.id for r in curriculum.roles])
    exercises = list_exercises(root / "exercises")
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    template = env.from_string((root / ROLE_TEMPLATE).read_text(encoding="utf-8"))
    files = [f"{i:02d}-{e['id']}.ipynb" for i, e in enumerate(entries, start=1)]
    for i, entry in enumerate(entries):
        role = curriculum.role(entry["id"])
        own = sorted((e for e in exercises if e.role == role.id), key=lambda e: e.folder.name)
        if not own:
            raise TemplateError(f"{ROLE_TEMPLATE}: role {role.id} needs an exercise under exercises/ (found none)")
        exercise = own[0]  # the role's first exercise by folder name; later ones (an extension's) are listed after it
        following = None
        if i + 1 < len(entries):
            following = {"number": f"{i + 2:02d}", "name": curriculum.role(entries[i + 1]["id"]).name, "file": files[i + 1]}
        text = template.render(
            number=f"{i + 1:02d}",
            role=role,
            text=entry,
            questions=len(load_quiz(role.id, root / "exercises" / "quizzes" / f"{role.id}.yaml", curriculum=curriculum).questions),
            exercise=exercise,
            exercise_link=f"../exercises/{exercise.folder.name}/{exercise.notebook.name}",
            more_exercises=[{"title": e.title, "minutes": e.minutes, "link": f"../exercises/{e.folder.name}/{e.notebook.name}"} for e in own[1:]],
            following=following,
        )
        cells = (install_cell(), *template_cells(text, ROLE_TEMPLATE))
        yield Built(root / "notebooks" / files[i], cells, f"{ROLE_TEMPLATE} with {ROLE_TEXT} ({role.id})")


TARGETS: dict[str, Callable[[Path], Iterator[Built]]] = {"lessons": lesson_notebooks, "roles": role_notebooks}
"""What ``tools/build_notebooks.py TARGET`` builds."""


# -- writing ---------------------------------------------------------------------------------


def _key(cell) -> str | None:
    return cell.get("metadata", {}).get("rolecourse", {}).get("key")


def _source(cell) -> str:
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def _tags(cell) -> tuple[str, ...]:
    return tuple(cell.get("metadata", {}).get("tags", ()))


def differences(built: Built) -> list[Difference]:
    """How the committed notebook differs from what its source builds (empty: it matches)."""
    if not built.path.is_file():
        return [Difference("(notebook)", "missing")]
    nb = nbformat.read(built.path, as_version=4)
    have = [(_key(c), c) for c in nb.cells]
    want = {c.key: c for c in built.cells}
    out: list[Difference] = []
    for key, cell in have:
        if key not in want:
            out.append(Difference(str(key), "not in the source"))
        elif (cell.cell_type, _source(cell), _tags(cell)) != (want[key].cell_type, want[key].source, want[key].tags):
            out.append(Difference(key, "differs"))
    keys = [k for k, _ in have]
    out += [Difference(c.key, "missing") for c in built.cells if c.key not in keys]
    if not out and keys != [c.key for c in built.cells]:
        out.append(Difference("(cells)", "out of order"))
    return out


def write(built: Built) -> bool:
    """Rewrite the notebook where it differs from its source; return whether code cells changed."""
    old = nbformat.read(built.path, as_version=4) if built.path.is_file() else None
    by_key = {_key(c): c for c in old.cells} if old is not None else {}
    nb = nbformat.v4.new_notebook()
    nb.metadata = old.metadata if old is not None else {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    code_changed = False
    used: set[str] = set()
    for i, spec in enumerate(built.cells):
        prev = by_key.get(spec.key)
        if prev is not None and prev.cell_type == spec.cell_type and _source(prev) == spec.source and _tags(prev) == spec.tags:
            cell = prev
        else:
            new = nbformat.v4.new_code_cell if spec.cell_type == "code" else nbformat.v4.new_markdown_cell
            cell = new(spec.source)
            if spec.cell_type == "code":
                code_changed = True
            if prev is not None:
                cell.id = prev.id
        cell.metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("rolecourse", "tags")}
        if spec.tags:
            cell.metadata["tags"] = list(spec.tags)
        cell.metadata["rolecourse"] = {"key": spec.key}
        if not getattr(cell, "id", None) or cell.id in used:
            cell.id = f"{built.path.stem[:40]}-{i:02d}"
        used.add(cell.id)
        nb.cells.append(cell)
    if old is not None:
        removed = {_key(c) for c in old.cells} - {c.key for c in built.cells}
        code_changed = code_changed or any(c.cell_type == "code" for c in old.cells if _key(c) in removed)
    nbformat.validate(nb)
    built.path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb) + "\n"
    tmp = built.path.with_name(f".{built.path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(built.path)
    return code_changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build learner notebooks from their sources.")
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=f"what to build: {', '.join(sorted(TARGETS))} (default: everything)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a notebook differs from its source")
    args = parser.parse_args(argv)
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target {unknown[0]!r}; expected one of {', '.join(sorted(TARGETS))}")
    try:
        built = [b for name in (args.targets or sorted(TARGETS)) for b in TARGETS[name](ROOT)]
    except Exception as exc:  # a content error: one line per problem, from the loaders
        from rolecourse.errors import RolecourseError

        if isinstance(exc, (RolecourseError, TemplateError)):
            print(exc, file=sys.stderr)
            return 1
        raise
    stale = 0
    rerun: list[str] = []
    for b in built:
        diffs = differences(b)
        if not diffs:
            continue
        stale += 1
        shown = b.path.relative_to(ROOT)
        if args.check:
            for d in diffs:
                print(f"{shown}: cell {d.key}: {d.change} (source: {b.source})")
            continue
        if write(b):
            rerun.append(str(shown))
        print(f"rebuilt {shown}")
    if args.check:
        if stale:
            print(f"{stale} notebook(s) differ from their sources: run {PYTHON} {SELF}", file=sys.stderr)
            return 1
        return 0
    if rerun:
        print(f"code cells changed; refresh the outputs with:\n  {PYTHON} {EXECUTOR} " + " ".join(rerun))
    return 0


if __name__ == "__main__":
    sys.exit(main())
