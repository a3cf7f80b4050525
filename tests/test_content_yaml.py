"""Tests for rolecourse.content._yaml: the strict, position-keeping YAML reader."""

from __future__ import annotations

import datetime as dt

import pytest

from rolecourse.content import _yaml
from rolecourse.errors import ContentError


def problems(text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        _yaml.parse(text, "f.yaml")
    return [str(p) for p in info.value.problems]


def test_plain_values_follow_safe_load():
    """Scalars resolve as yaml.safe_load does (ints, floats, bools, null, dates, strings)."""
    node = _yaml.parse("a: 1\nb: 1.5\nc: yes\nd: ~\ne: 2024-05-01\nf: '1'\n", "f.yaml")
    assert node.plain() == {"a": 1, "b": 1.5, "c": True, "d": None, "e": dt.date(2024, 5, 1), "f": "1"}


def test_positions_are_one_based_line_and_column():
    """Every node carries the file, line and column where it starts."""
    node = _yaml.parse("top:\n  - first\n  - second\n", "f.yaml")
    second = node.value["top"].value[1]
    assert (second.mark.file, second.mark.line, second.mark.col) == ("f.yaml", 3, 5)
    assert node.key_marks["top"].line == 1


def test_duplicate_keys_are_errors_at_any_depth():
    """A key repeated in a nested mapping is reported with both lines."""
    assert problems("a:\n  b:\n    c: 1\n    c: 2\n") == ["f.yaml:4:5: a.b.c: duplicate key 'c' (first defined at line 3)"]


def test_aliases_are_refused_without_expansion():
    """An alias is reported once per anchor and never expanded."""
    assert problems("a: &x [1, 2]\nb: *x\nc: *x\n") == [
        "f.yaml:2:4: b: expected plain data, found the alias *x (anchors and aliases are not allowed)"
    ]


def test_unused_anchor_is_refused():
    """An anchor with no alias is still refused."""
    assert problems("a: &x 1\n") == ["f.yaml:1:4: a: expected plain data, found the anchor &x (anchors and aliases are not allowed)"]


def test_python_tags_are_refused():
    """Custom and python tags are errors, never constructed."""
    assert problems("a: !!python/name:os.system x\n") == [
        "f.yaml:1:4: a: expected a plain value, found the tag 'tag:yaml.org,2002:python/name:os.system'"
    ]


def test_local_tags_are_refused():
    """A local tag such as !foo is an error."""
    assert problems("a: !foo 3\n") == ["f.yaml:1:4: a: expected a plain value, found the tag '!foo'"]


def test_standard_explicit_tags_are_accepted():
    """Explicit standard tags (!!str) behave as in safe_load."""
    assert _yaml.parse("a: !!str 12\n", "f.yaml").plain() == {"a": "12"}


def test_non_string_keys_are_errors():
    """Mapping keys must be strings."""
    assert problems("1: a\n") == ["f.yaml:1:1: (root): expected a string key, found 1 (an integer)"]


def test_syntax_error_is_located():
    """A YAML syntax error becomes one located problem."""
    assert problems("a: [1, 2\nb: 3\n") == ["f.yaml:2:2: (root): invalid YAML: did not find expected ',' or ']'"]


def test_empty_document_is_an_error():
    """An empty file, or one holding only a comment, is reported as empty."""
    assert problems("# nothing\n") == ["f.yaml:1:1: (root): expected a YAML document, found an empty file"]


def test_several_documents_are_an_error():
    """Only one document per file."""
    assert problems("a: 1\n---\nb: 2\n") == ["f.yaml:2:1: (root): expected a single YAML document, found another one"]


def test_non_utf8_bytes_are_located(tmp_path):
    """A byte that is not UTF-8 is reported at its line and column."""
    f = tmp_path / "bad.yaml"
    f.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(ContentError) as info:
        _yaml.load(f, "bad.yaml")
    assert str(info.value) == "bad.yaml:2:7: (root): expected UTF-8 text, found the byte 0xe9"


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    """A file over the size limit is refused without being read."""
    f = tmp_path / "big.yaml"
    f.write_text("a: 1\n" * 10)
    monkeypatch.setattr(type(f), "read_bytes", lambda self: pytest.fail("file was read"))
    with pytest.raises(ContentError) as info:
        _yaml.load(f, "big.yaml", max_bytes=20)
    assert str(info.value) == "big.yaml:1:1: (root): expected a file of at most 20 bytes, found 50 bytes"


def test_missing_file_is_a_content_error(tmp_path):
    """A file that does not exist gives a clear error, not a traceback."""
    with pytest.raises(ContentError, match=r"^nope.yaml:1:1: \(root\): cannot read the file"):
        _yaml.load(tmp_path / "nope.yaml", "nope.yaml")


def test_control_characters_are_reported():
    """Characters YAML forbids are reported, not raised raw."""
    assert problems("a: \x07\n") == ["f.yaml:1:4: (root): invalid YAML: control characters are not allowed"]


def test_deep_nesting_is_bounded():
    """Hostile nesting is refused by the parser's depth limit, as a located problem."""
    depth = 5000
    assert problems("[" * depth + "]" * depth) == ["f.yaml:1:1001: (root): invalid YAML: exceeded maximum nesting depth"]


def test_nesting_below_the_limit_parses():
    """Nesting up to the limit builds without recursion errors."""
    depth = 900
    node = _yaml.parse("[" * depth + "]" * depth, "f.yaml")
    assert node.kind == "seq"
