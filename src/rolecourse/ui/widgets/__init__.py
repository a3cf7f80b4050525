"""ipywidgets front ends. Importing this package imports ipywidgets.

Widgets only render what the pure core computed (grading, checking, paths, progress);
they hold no rules of their own and are tested without a browser by setting ``.value``
and calling ``Button.click()``.
"""
