"""Content: the course's data files and their model.

The strict YAML reader (:mod:`._yaml`), the schema reader (:mod:`._schema`), the curriculum
model (:mod:`.model`), loading and overlays (:mod:`.curriculum`) and the validation of every
shipped content file (:mod:`.validate`). Plain Python: no widget, plot or data-frame library.
"""
