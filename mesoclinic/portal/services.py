"""The portal's writes that are its own: linking a patient account to the records it proved.

Every other write a patient makes (a check-in, a booking change, a consent to be contacted)
goes through the service of the app that owns the record, with the patient account as
`acting_user`, so it is checked and audited exactly as a clinic's write is.
"""

import uuid
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.patients.models import Patient, in_care


def one_person(records) -> bool:
    """Whether records sharing a mobile number and date of birth can be one person's: at most
    one per clinic (a clinic registers a person once, so two there are twins, or siblings on a
    parent's phone), and no two different CNICs. When they cannot, no account is linked and
    the person is asked to call their clinic: a merged account would show one twin the other's
    records."""
    clinics = [r.registered_clinic_id for r in records]
    cnics = {r.cnic for r in records if r.cnic}
    return len(clinics) == len(set(clinics)) and len(cnics) <= 1


def link_account(*, mobile: str, date_of_birth: date, via: str = Interface.WEB):
    """The patient account for the person who proved `mobile` (E.164) and `date_of_birth`,
    linked to every record in care that carries both (one per clinic), or None when no record
    does. The account is created on the first sign-in; records linked before keep their
    account, so a person signs in to the same account from any clinic's record.

    Records sharing a mobile number but not the date of birth (a mother and daughter with one
    phone) are different people: each proves their own date of birth and sees only theirs."""
    with transaction.atomic():
        records = list(
            Patient.objects.select_for_update()
            .filter(in_care(), mobile=mobile, date_of_birth=date_of_birth)
            .order_by("pk")
        )
        if not records or not one_person(records):
            return None
        known = sorted({r.portal_user_id for r in records if r.portal_user_id is not None})
        User = get_user_model()
        if known:
            user = User.objects.get(pk=known[0])
        else:
            user = User(username=f"patient-{uuid.uuid4().hex[:24]}")
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get_or_create(name=Role.PATIENT.value)[0])
        for record in records:
            if record.portal_user_id != user.pk:
                record.portal_user = user
                record.save(update_fields=["portal_user"])
                record_event(
                    actor=user,
                    action=Action.UPDATE,
                    via=via,
                    instance=record,
                    changed_fields=["portal_user"],
                )
    return user
