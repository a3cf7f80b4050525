"""ipywidgets front ends. Importing this package imports ipywidgets (the ``course`` extra:
``pip install 'rolecourse[course]'``; without it, a one-line :class:`~rolecourse.errors.MissingExtraError`).

Widgets only render what the pure core computed (grading, checking, paths, progress);
they hold no rules of their own and are tested without a browser by setting ``.value``
and calling ``Button.click()``.
"""

from __future__ import annotations

from ..._extras import require

require("ipywidgets", "rolecourse.ui.widgets")
