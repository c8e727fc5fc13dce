"""Care's signals, for the floors above care that must act inside care's transactions without
care importing them (imports run downward).

`session_charted` is sent inside `record_session`'s transaction, after the session and its
stock are written: a receiver's rows (aftercare's check-ins and their messages) exist exactly
when the session does, and a receiver that raises rolls the session back.
"""

from django.dispatch import Signal

#: Sent with session=, patient=, clinic=, acting_user=, via=, and channel=: the patient's
#: preferred channel when the aftercare message just read it (else None: not read yet).
session_charted = Signal()
