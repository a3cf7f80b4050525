"""Assessment: quiz banks and their grading, exercises and their checks, and the mastery rules.

Pure functions over data: ``grade(question, answer) -> Feedback`` and
``check(step, value) -> CheckResult``. Widgets only show what these return.
"""
