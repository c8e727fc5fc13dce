"""The practitioners' calendar feeds: the address a phone's calendar reads (no login: the
secret token is the key), and the staff page where the address is made, replaced or stopped.

The feed answers 404 alike for an unknown and a revoked token, and says nothing else about
why. It is not audited per read (a calendar polls every few minutes); the feed's
`last_used_at` shows it is in use, and making or revoking an address is audited.
"""

from django.contrib import messages as flash
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.appointments import facts, feeds, ical
from mesoclinic.appointments.models import CalendarFeed
from mesoclinic.audit.services import Interface


@require_GET
def feed(request, token):
    found = feeds.feed_for_token(token)
    if found is None:
        raise Http404("No such calendar.")
    name = "mesoclinic · " + facts.practitioner_name(found.practitioner)
    body = ical.calendar(name=name, events=feeds.events(found), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


class FeedsView(StaffRequiredMixin, View):
    """Calendar addresses: a practitioner's own; a manager's, for the practitioners of their
    clinics; an administrator's, for everyone. A new address is shown once, on the page that
    made it (never stored in the session or a flash message)."""

    template_name = "appointments/feeds.html"

    def _rows(self, user):
        people = list(feeds.manageable_practitioners(user))
        live = {
            feed.practitioner_id: feed
            for feed in CalendarFeed.objects.filter(
                practitioner_id__in=[p.pk for p in people], revoked_at__isnull=True
            )
        }
        return [
            {"practitioner": p, "name": facts.practitioner_name(p), "feed": live.get(p.pk)}
            for p in people
        ]

    def get(self, request):
        return render(request, self.template_name, {"rows": self._rows(request.user)})

    def post(self, request):
        chosen = request.POST.get("practitioner", "")
        if not (chosen.isascii() and chosen.isdigit() and len(chosen) < 19):
            raise Http404("No such practitioner.")
        practitioner = feeds.manageable_practitioners(request.user).filter(pk=int(chosen)).first()
        if practitioner is None:
            raise Http404("No such practitioner.")
        if request.POST.get("action") == "revoke":
            current = feeds.live_feed(practitioner.pk)
            if current is not None:
                feeds.revoke_feed(acting_user=request.user, feed=current, via=Interface.WEB)
                flash.success(request, _("The calendar address was stopped."))
            return redirect("appointments:feeds")
        _feed, token = feeds.create_feed(
            acting_user=request.user, practitioner=practitioner, via=Interface.WEB
        )
        context = {
            "rows": self._rows(request.user),
            "new_url": feeds.feed_url(token),
            "new_for": facts.practitioner_name(practitioner),
        }
        return render(request, self.template_name, context)
