"""Tests for rolecourse.content._schema.Reader: typed reads that collect attrs-style problems."""

from __future__ import annotations

import enum

import pytest

from rolecourse.content import _yaml
from rolecourse.content._schema import Reader
from rolecourse.errors import ContentError


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


def read(text: str):
    return Reader(), _yaml.parse(text, "f.yaml")


def lines(reader: Reader) -> list[str]:
    return [str(p) for p in reader.problems]


def test_mapping_reports_missing_and_unknown():
    """Missing required fields and unknown ones (with a suggestion) are both recorded."""
    r, node = read("nmae: x\n")
    assert r.mapping(node, "role", ("name",)) == node.value
    assert lines(r) == [
        "f.yaml:1:1: role.name: expected a value for this required field, found none (field is missing)",
        "f.yaml:1:1: role.nmae: expected a known field, found unknown field 'nmae'; did you mean 'name'?",
    ]


def test_scalars_report_what_was_found():
    """Each scalar reader names the expected type and the value found."""
    r, node = read("s: 3\nn: x\ni: 1.5\nb: 'yes'\nu: http://x\nid: Data_Analyst\n")
    v = node.value
    assert r.string(v["s"], "s") is None
    assert r.number(v["n"], "n") is None
    assert r.integer(v["i"], "i") is None
    assert r.boolean(v["b"], "b") is None
    assert r.url(v["u"], "u") is None
    assert r.ident(v["id"], "id") is None
    assert lines(r) == [
        "f.yaml:1:4: s: expected a string, found 3 (an integer)",
        "f.yaml:2:4: n: expected a number, found 'x' (a string)",
        "f.yaml:3:4: i: expected a whole number, found 1.5 (a number)",
        "f.yaml:4:4: b: expected true or false, found 'yes' (a string)",
        "f.yaml:5:4: u: expected an https:// URL, found 'http://x'",
        "f.yaml:6:5: id: expected an id of lowercase letters, digits and single hyphens (like 'data-analyst'), found 'Data_Analyst' (a string)",
    ]


def test_booleans_are_not_numbers():
    """`true` is not accepted where a number is expected."""
    r, node = read("h: true\n")
    assert r.number(node.value["h"], "h") is None
    assert lines(r) == ["f.yaml:1:4: h: expected a number, found True (a boolean)"]


def test_enum_suggests_close_value():
    """An unknown enum value names the allowed ones and the closest."""
    r, node = read("c: gren\n")
    assert r.enum(node.value["c"], "c", Colour) is None
    assert lines(r) == ["f.yaml:1:4: c: expected one of 'red', 'green', found 'gren' (a string) (did you mean 'green'?)"]


def test_seq_length_bounds():
    """List length limits are reported with the count found."""
    r, node = read("l: [1, 2, 3, 4, 5]\n")
    r.seq(node.value["l"], "l", 1, 4)
    assert lines(r) == ["f.yaml:1:4: l: expected a list of 1 to 4 items, found 5"]


def test_idents_reject_repeats():
    """A repeated id in a list is reported at its second place."""
    r, node = read("l: [a, b, a]\n")
    assert [i for i, _ in r.idents(node.value["l"], "l")] == ["a", "b"]
    assert lines(r) == ["f.yaml:1:11: l[2]: expected each id once, found 'a' again"]


def test_raise_if_any_raises_sorted_content_error():
    """All recorded problems come out in one ContentError, ordered by position."""
    r, node = read("a: 1\nb: 2\n")
    r.string(node.value["b"], "b")
    r.string(node.value["a"], "a")
    with pytest.raises(ContentError) as info:
        r.raise_if_any()
    assert [p.line for p in info.value.problems] == [1, 2]


@pytest.mark.parametrize(("text", "found"), [(".inf", "inf"), ("-.inf", "-inf"), (".nan", "nan")])
def test_number_must_be_finite(text, found):
    """.inf and .nan are refused as numbers, even without bounds (an infinite tolerance would accept any answer)."""
    r, node = read(f"tolerance: {text}\n")
    assert r.number(node.value["tolerance"], "tolerance", min_value=0) is None
    assert lines(r) == [f"f.yaml:1:12: tolerance: expected a finite number, found {found}"]


def test_number_bounds():
    """Numbers outside their bounds are reported."""
    r, node = read("h: 0\n")
    assert r.number(node.value["h"], "h", min_value=0, exclusive_min=True) is None
    assert lines(r) == ["f.yaml:1:4: h: expected a number greater than 0, found 0"]
