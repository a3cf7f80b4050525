"""A module that points to a whole course or book names what to study in it (issue 14, item 5).

The rule, checked on every module of 10 hours or more, for each resource of kind ``course`` or
``book``: the resource says which part of the work this module needs. It does so when

* its title names a unit of the work: one of the words chapter, lecture, week, section, part,
  unit, module or lesson (singular or plural), followed by a number or a name
  ("chapters 3 Data transformation, 5 Data tidying", "unit Summarizing quantitative data"); or
* its URL is not a landing page, i.e. it points at one chapter, lecture or section.

A URL is a *landing page* when, after dropping a trailing slash, a final ``index``/``intro``/
``introduction``/``home`` page (with or without ``.html``/``.htm``) and documentation version
segments (``en``, ``latest``, ``stable``, ``current``), its path

* is empty (the site root: ``https://r4ds.hadley.nz/``), or
* has at most two segments, none of which names a unit (chapter, lecture, week, section, part,
  unit, module, lesson) and the last of which is not a page file (``.html``, ``.htm``, ``.pdf``)
  (``https://www.openintro.org/book/os/``, ``https://ocw.mit.edu/courses/18-06-linear-algebra-spring-2010/``).

Anything deeper, a page file, or a path segment naming a unit (``d2l.ai/chapter_optimization/``)
counts as pointing below the landing page. The rule is a floor, not a proof: a book landing page
with a file name (``the-book-2nd.html``) escapes it, which is why the shipped titles name their
chapters anyway, verified against each work's table of contents.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from rolecourse.content.curriculum import load_curriculum
from rolecourse.content.model import Module, Resource, ResourceKind

HOURS_FLOOR = 10
WHOLE_WORK_KINDS = (ResourceKind.COURSE, ResourceKind.BOOK)
UNIT_WORDS = r"chapters?|lectures?|weeks?|sections?|parts?|units?|modules?|lessons?"
UNIT_IN_TITLE = re.compile(rf"\b(?:{UNIT_WORDS})\b\s+[\w(]", re.IGNORECASE)
UNIT_IN_SEGMENT = re.compile(rf"(?:^|[^a-z])(?:{UNIT_WORDS})(?:[^a-z]|$)|^(?:chapter|lecture|unit|week|lesson)", re.IGNORECASE)
LANDING_PAGES = re.compile(r"^(?:index|intro|introduction|home)(?:\.html?)?$", re.IGNORECASE)
VERSION_SEGMENTS = {"en", "latest", "stable", "current"}
PAGE_FILE = re.compile(r"\.(?:html?|pdf)$", re.IGNORECASE)


def title_names_a_unit(title: str) -> bool:
    """True when the title names a chapter, lecture, week, section, part, unit, module or lesson."""
    return bool(UNIT_IN_TITLE.search(title))


def is_landing_page(url: str) -> bool:
    """True when the URL is a site root or a course/book landing page (see the module docstring)."""
    segments = [s for s in urlparse(url).path.split("/") if s]
    if segments and LANDING_PAGES.match(segments[-1]):
        segments.pop()
    segments = [s for s in segments if s.lower() not in VERSION_SEGMENTS]
    if not segments:
        return True
    if PAGE_FILE.search(segments[-1]):
        return False
    if any(UNIT_IN_SEGMENT.search(s) for s in segments):
        return False
    return len(segments) <= 2


def unnamed_whole_works(modules: list[Module]) -> list[str]:
    """Each course or book resource of a 10 h+ module that names no unit and points at a landing page."""
    problems = []
    for module in modules:
        if module.hours < HOURS_FLOOR:
            continue
        for resource in module.resources:
            if resource.kind not in WHOLE_WORK_KINDS:
                continue
            if not title_names_a_unit(resource.title) and is_landing_page(resource.url):
                problems.append(f"{module.id} ({module.hours} h): {resource.title} <{resource.url}>")
    return problems


@pytest.fixture(scope="module")
def modules() -> list[Module]:
    return list(load_curriculum(Path(__file__).parent.parent / "roles.yaml").modules.values())


def test_every_course_or_book_of_a_long_module_names_what_to_study(modules):
    assert unnamed_whole_works(modules) == []


def test_the_rule_covers_the_long_modules_it_is_about(modules):
    checked = [r for m in modules if m.hours >= HOURS_FLOOR for r in m.resources if r.kind in WHOLE_WORK_KINDS]
    assert len(checked) >= 30  # the rule is not vacuous on the shipped file


@pytest.mark.parametrize("url", [
    "https://r4ds.hadley.nz/",
    "https://www.openintro.org/book/os/",
    "https://ocw.mit.edu/courses/18-06-linear-algebra-spring-2010/",
    "https://spinningup.openai.com/en/latest/",
    "https://d2l.ai/index.html",
    "https://www.khanacademy.org/math/statistics-probability",
    "https://developers.google.com/machine-learning/crash-course",
    "https://missing.csail.mit.edu",
])
def test_landing_pages(url):
    assert is_landing_page(url)


@pytest.mark.parametrize("url", [
    "https://d2l.ai/chapter_optimization/index.html",
    "https://clauswilke.com/dataviz/telling-a-story.html",
    "https://www.deeplearningbook.org/contents/regularization.html",
    "https://www.khanacademy.org/math/statistics-probability/summarizing-quantitative-data",
    "https://developers.google.com/machine-learning/crash-course/neural-networks",
    "https://huggingface.co/learn/deep-rl-course/unit3/introduction",
    "https://15445.courses.cs.cmu.edu/fall2024/slides/08-indexes1.pdf",
])
def test_pages_below_a_landing_page(url):
    assert not is_landing_page(url)


@pytest.mark.parametrize("title, named", [
    ("R for Data Science, 2nd edition: chapters 3 Data transformation, 5 Data tidying", True),
    ("Statistics and probability (Khan Academy): unit Summarizing quantitative data", True),
    ("18.06 Linear Algebra (MIT OpenCourseWare): lectures 15 Projections onto subspaces", True),
    ("Neural networks (3Blue1Brown): chapters 1-4 (what a neural network is)", True),
    ("R for Data Science, 2nd edition (Wickham, Cetinkaya-Rundel and Grolemund)", False),
    ("The Missing Semester of Your CS Education (MIT)", False),
])
def test_titles_that_name_a_unit(title, named):
    assert title_names_a_unit(title) is named


def _module(hours: int, *resources: Resource) -> Module:
    return Module(id="m", skill="s", title="t", level=None, hours=hours, objectives=(), resources=resources)  # type: ignore[arg-type]


def test_a_whole_book_without_chapters_is_caught():
    book = Resource("OpenIntro Statistics (free textbook)", "https://www.openintro.org/book/os/", ResourceKind.BOOK)
    assert unnamed_whole_works([_module(15, book)]) == [
        "m (15 h): OpenIntro Statistics (free textbook) <https://www.openintro.org/book/os/>"
    ]


def test_a_whole_course_at_the_site_root_is_caught():
    course = Resource("CS229 Machine Learning (Stanford)", "https://cs229.stanford.edu/", ResourceKind.COURSE)
    assert len(unnamed_whole_works([_module(25, course)])) == 1


def test_named_chapters_a_chapter_page_short_modules_and_docs_pass():
    named = Resource("OpenIntro Statistics: chapters 1 Introduction to data", "https://www.openintro.org/book/os/",
                     ResourceKind.BOOK)
    page = Resource("Deep Learning - Regularization", "https://www.deeplearningbook.org/contents/regularization.html",
                    ResourceKind.BOOK)
    docs = Resource("The Python Tutorial", "https://docs.python.org/3/tutorial/", ResourceKind.OFFICIAL_DOCS)
    whole = Resource("Fundamentals of Data Visualization", "https://clauswilke.com/dataviz/", ResourceKind.BOOK)
    assert unnamed_whole_works([_module(20, named, page, docs), _module(8, whole)]) == []
