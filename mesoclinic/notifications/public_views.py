"""The patient's opt-out page, reached from the link in every message: no login; the signed
token in the address names the patient and the channel, and nothing else is needed or shown."""

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from mesoclinic.audit.services import Interface
from mesoclinic.notifications import contacts
from mesoclinic.notifications.models import ConsentMethod


def _channel_label(channel: str) -> str:
    return str(contacts.ContactChannel(channel).label)


# No CSRF check: the signed token in the address is the whole capability (whoever holds it
# can POST it anyway), and an in-app browser that drops cookies must not answer a patient
# who wants to stop messages with a 403.
@method_decorator(csrf_exempt, name="dispatch")
class OptOutView(View):
    """GET shows what stops and one button; POST stops it.

    GET must never opt anyone out by itself: WhatsApp, SMS apps and mail scanners fetch the
    links in a message to draw a preview, and a patient would be unsubscribed without ever
    tapping anything. Only the button (a POST) records the opt-out.
    """

    def _read(self, request, token):
        try:
            return contacts.read_opt_out_token(token)
        except contacts.BadOptOutToken:
            return None

    def _bad_link(self, request):
        # A tampered or truncated link: a page that says so, with a 404 status (never a 500,
        # and nothing about whose link it might have been).
        return render(request, "notifications/opt_out_invalid.html", status=404)

    def get(self, request, token):
        read = self._read(request, token)
        if read is None:
            return self._bad_link(request)
        _patient_id, channel, _clinic_id = read
        return render(
            request,
            "notifications/opt_out.html",
            {"channel": _channel_label(channel), "done": False},
        )

    def post(self, request, token):
        read = self._read(request, token)
        if read is None:
            return self._bad_link(request)
        patient_id, channel, clinic_id = read
        current = contacts.current_consent(patient_id=patient_id, channel=channel)
        if current is None or current.opted_in:
            # Already out: a second tap adds no row to the history.
            contacts.opt_out(
                patient_id=patient_id,
                clinic_id=clinic_id,
                channel=channel,
                method=ConsentMethod.OPT_OUT_LINK,
                acting_user=None,
                via=Interface.PUBLIC,
            )
        return render(
            request,
            "notifications/opt_out.html",
            {"channel": _channel_label(channel), "done": True},
        )
