"""Aftercare's writes: each one transaction, audited, its messages queued in it."""
