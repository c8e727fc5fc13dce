"""Patients' signals, for the floors above patients that must act inside patients'
transactions without patients importing them (imports run downward).

`patient_archived` is sent inside `archive_patient`'s transaction, after the row is marked:
a receiver's writes (appointments cancelling what the patient had booked) commit exactly when
the archiving does, and a receiver that raises rolls the archiving back.
"""

from django.dispatch import Signal

#: Sent with patient=, acting_user=, via=.
patient_archived = Signal()
