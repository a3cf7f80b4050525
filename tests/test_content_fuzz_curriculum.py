"""Property-based tests: mutated curriculum files only ever raise ContentError, never a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolecourse.content.curriculum import load_curriculum
from rolecourse.errors import ContentError

VALID = (Path(__file__).parent / "fixtures" / "curriculum" / "valid.yaml").read_text()
LINES = VALID.splitlines(keepends=True)

# Fragments that are meaningful to YAML or to the schema.
TOKENS = st.sampled_from(
    ["", " ", ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!python/object ", "!x ", "\t", "'", '"', "#",
     "~", "null", "true", "1e9", "-1", "0", "id: sql", "skills: [x]", "\n", "  ", "level: expert", "hours: -3",
     "prerequisites: [analyst]", "kind: blog", "url: http://x", "\x00", "\ufeff", "é"]
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The valid file with a few lines deleted, duplicated, truncated or spliced with tokens."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "truncate", "insert", "replace"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "truncate":
            cut = draw(st.integers(0, max(0, len(lines[i]) - 1)))
            lines[i] = lines[i][:cut] + "\n"
        elif op == "insert":
            col = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:col] + draw(TOKENS) + lines[i][col:]
        else:
            lines[i] = draw(TOKENS) + "\n"
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated())
def test_mutations_raise_only_content_errors(tmp_path, text):
    """Whatever the mutation, loading succeeds or raises ContentError with well-formed lines."""
    f = tmp_path / "m.yaml"
    f.write_text(text, encoding="utf-8")
    try:
        load_curriculum(f)
    except ContentError as exc:
        assert exc.problems
        for p in exc.problems:
            assert str(p).startswith(f"{f}:{p.line}:{p.col}: ")
            assert p.line >= 1 and p.col >= 1


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_random_bytes_raise_only_content_errors(tmp_path, data):
    """Arbitrary bytes never escape as anything but ContentError."""
    f = tmp_path / "b.yaml"
    f.write_bytes(data)
    try:
        load_curriculum(f)
    except ContentError as exc:
        assert exc.problems
