"""UI: ipywidgets front ends (:mod:`.widgets`) and matplotlib figures (:mod:`.plots`).

They only show what the core computed; importing them needs ``pip install 'rolecourse[course]'``.
"""
