"""Outbound messages to patients and clinics (issue 17): the outbox, the channels, the worker.

So far only the pure message rules (`rules.py`). The app stands between `audit` and `accounts`
(docs/architecture.md): it imports no domain app and knows no clinical detail.
"""
