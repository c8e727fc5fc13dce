"""After the needle: follow-up check-ins, side effects and their grades, escalation to adverse
events, lot and clinic signals, outcome scores, photos, progress and the course summary.

A floor above care: it reads care's records and writes the one the gate reads (the adverse
event) through `care.services.adverse_events`. Nothing below imports it; care tells it of a
charted session through `care.signals.session_charted`.
"""
