"""Who may use the portal's pages: a signed-in patient account, and nobody else.

A patient account is a user in the "patient" group whose records are linked to it
(`Patient.portal_user`); what it reads is decided by the one scoping rule (`clinics.scoping`,
the patient's branch), never here. Staff accounts are sent to their own pages: a person who is
both staff and a patient signs in to the portal with their mobile number, as a patient.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from mesoclinic.accounts.roles import can_use_staff_pages, is_patient_account
from mesoclinic.security.second_factor import is_verified

#: Set in the session at sign-in when the patient has a second factor to prove (the policy's
#: VERIFY route); until they prove it every portal page sends them to prove it. A session key,
#: not a query per page: the portal's pages sit under a language prefix, which the staff
#: second-factor gate leaves alone.
SECOND_FACTOR_PENDING = "portal.second_factor_pending"

#: A signed-in, active patient account (and not a staff account): the question lives with the
#: roles, since the services the portal calls (aftercare's reports) ask it too.
is_patient = is_patient_account


def patient_required(view):
    """Serve `view` to a signed-in patient; anyone else goes to the portal's sign-in (staff to
    their dashboard), the way back kept in `next`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_patient(request.user):
            if request.session.get(SECOND_FACTOR_PENDING) and not is_verified(request.user):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('portal:verify')}?{query}")
            return view(request, *args, **kwargs)
        if can_use_staff_pages(request.user):
            return redirect("dashboard")
        return redirect_to_login(request.get_full_path(), reverse("portal:sign_in"))

    return wrapped
