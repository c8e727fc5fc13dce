"""The aftercare page a patient opens from their message: no login, a signed link
(`care.aftercare_link`), the instructions in the link's language with the clinic's name and
number, and nothing else about them: no name, no product, no date of birth.

A link that has expired answers 410 and one that was never ours (or names no aftercare) 404,
each with a page that names no clinic, since the link cannot be trusted to say which."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.views import View

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care import aftercare_link
from mesoclinic.care.models import TreatmentSession
from mesoclinic.care.views.common import no_store


def _private(response):
    """Never cached, never indexed, and the link (a key to the page) never sent on as a
    referrer when the patient follows the clinic's telephone link or the guide's."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return no_store(response)


class PublicAftercareView(View):
    def _unavailable(self, request, *, expired: bool):
        status = 410 if expired else 404
        page = render(
            request, "care/aftercare_link_unavailable.html", {"expired": expired}, status=status
        )
        return _private(page)

    def get(self, request, token):
        try:
            session_id = aftercare_link.session_id_from(token)
        except aftercare_link.LinkExpired:
            return self._unavailable(request, expired=True)
        except aftercare_link.LinkInvalid:
            return self._unavailable(request, expired=False)
        session = (
            TreatmentSession.objects.select_related("clinic", "aftercare")
            .filter(pk=session_id)
            .first()
        )
        if session is None or session.aftercare is None:
            return self._unavailable(request, expired=False)
        # The patient (or whoever holds their link) read it: audited like any other read.
        record_event(
            actor=None,
            action=Action.VIEW,
            via=Interface.PUBLIC,
            instance=session,
            detail={"aftercare_link": True},
        )
        context = {
            "text": session.aftercare,
            "clinic": session.clinic,
            "urdu": get_language() == "ur",
        }
        return _private(render(request, "care/aftercare_public.html", context))
