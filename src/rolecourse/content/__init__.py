"""Content: the curriculum as data.

The strict YAML reader (:mod:`._yaml`), the schema reader every content file is read with
(:mod:`._schema`), the curriculum model (:mod:`.model`) and its loading and overlays
(:mod:`.curriculum`). Validating every shipped file (quiz banks, exercises and lessons
included) is :mod:`rolecourse.assessment.validate`. Plain Python: no widget, plot or
data-frame library.
"""
