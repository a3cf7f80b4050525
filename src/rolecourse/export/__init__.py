"""Export: plans, quiz banks and reports turned into text (md, html, csv, json, ics, GIFT, QTI),
and the one file writer (:mod:`.files`).
"""
