"""Tickets on paper: the layout every ticket shares (:mod:`layout`), ESC/POS bytes
(:mod:`escpos`), the printer's place and the way bytes reach it (:mod:`transport`),
all three pure; the provisional ticket and the test page (:mod:`documents`); and
the Qt service that prints without blocking the till (:mod:`service`).
"""
