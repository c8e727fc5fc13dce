"""Outbound messages to patients and clinics (issue 17): the outbox, the channels, the worker.

The pure message rules (`rules.py`), the outbox (`models.Message`, `services.enqueue`), the
worker's side (`services.drain`, `reap_expired_leases`, the `drain_outbox` command) and the
channels (`channels.py`, `providers.py`) with their signed callbacks (`views.py`). The app
stands between `audit` and `accounts` (docs/architecture.md): it imports no domain app and
knows no clinical detail.
"""
