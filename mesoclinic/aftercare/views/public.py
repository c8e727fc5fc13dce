"""The check-in form a patient opens from their message: no login, a signed link
(`aftercare.links`), in the link's language (`/ur/` right to left), on a cheap phone.

What the link may show: the clinic's name and number, and the questions. Never the patient's
name or anything about their treatment: whoever holds the phone may not be the patient.

- A link we never made (altered, mistyped, cut short) answers 404 with a page naming no
  clinic, since the link cannot be trusted to say which.
- A link past its check-in's `link_expires_at` answers 410: the row is known, so the page
  gives the clinic's number.
- An answered check-in answers with a page that says so, and offers a new report (a new
  check-in, `services.checkins.report`) until the link expires.
- A submitted form shows what to do now: emergency care (1122), or call the clinic, or that
  the effects are expected and when to call.

Every read of a check-in through its link is audited (actor None, via public); the answers are
audited by the service. Every page is never cached and never indexed, and the link (a key) is
never sent on as a referrer: `no-referrer`, except on the form's own page (`same-origin`,
see FORM_REFERRER_POLICY).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from mesoclinic.aftercare import links, selectors
from mesoclinic.aftercare.models import CheckIn
from mesoclinic.aftercare.public_forms import CheckInForm, form_context
from mesoclinic.aftercare.services import checkins
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care.views.common import no_store


def _private(response, *, referrer_policy="no-referrer"):
    """Never cached, never indexed, and the link (a key to the form) never sent on as a
    referrer."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = referrer_policy
    return no_store(response)


#: The page holding the form cannot say "no-referrer": under it a browser posts the form with
#: `Origin: null` (Fetch: a request's origin is serialized as null under that policy), which
#: Django's CSRF check rightly refuses. "same-origin" sends the referrer (and a real Origin)
#: only to our own site, which already knows the token; the clinic's telephone link or any other
#: site receives nothing at all.
FORM_REFERRER_POLICY = "same-origin"


def _page(request, template, context, status=200, **private):
    return _private(render(request, template, context, status=status), **private)


class _LinkView(View):
    """Resolves the token to its check-in, or answers the page for a link that opens none."""

    def dispatch(self, request, token):
        try:
            check_in_id = links.check_in_id_from(token)
        except links.LinkInvalid:
            return self.unavailable(request, expired=False)
        # One query: the check-in with its session (the day it began) and clinic (name, number).
        check_in = (
            CheckIn.objects.select_related("session", "clinic").filter(pk=check_in_id).first()
        )
        if check_in is None:
            return self.unavailable(request, expired=False)
        if check_in.link_expires_at <= timezone.now():
            return self.unavailable(request, expired=True, clinic=check_in.clinic)
        if check_in.status == CheckIn.Status.CANCELLED:
            return self.unavailable(request, expired=True, clinic=check_in.clinic)
        self.check_in = check_in
        self.token = token
        return super().dispatch(request, token)

    @staticmethod
    def unavailable(request, *, expired: bool, clinic=None):
        return _page(
            request,
            "aftercare/check_in_unavailable.html",
            {"expired": expired, "clinic": clinic},
            status=410 if expired else 404,
        )

    def audit_read(self):
        record_event(
            actor=None,
            action=Action.VIEW,
            via=Interface.PUBLIC,
            instance=self.check_in,
            detail={"check_in_link": True},
        )

    def form(self, data=None, files=None):
        return CheckInForm(
            data, files, session_day=timezone.localdate(self.check_in.session.started_at)
        )

    def show_form(self, request, form, *, reporting: bool, status=200):
        context = {
            **form_context(form),
            "clinic": self.check_in.clinic,
            "reporting": reporting,
        }
        return _page(
            request,
            "aftercare/check_in_form.html",
            context,
            status=status,
            referrer_policy=FORM_REFERRER_POLICY,
        )

    def answered(self, request, status=200):
        context = {"clinic": self.check_in.clinic, "check_in": self.check_in, "token": self.token}
        return _page(request, "aftercare/check_in_answered.html", context, status=status)

    def result(self, request, decision):
        context = {
            "clinic": self.check_in.clinic,
            "decision": decision,
            "token": self.token,
        }
        return _page(request, "aftercare/check_in_result.html", context)


class CheckInView(_LinkView):
    def get(self, request, token):
        self.audit_read()
        if self.check_in.status == CheckIn.Status.ANSWERED:
            return self.answered(request)
        return self.show_form(request, self.form(), reporting=False)

    def post(self, request, token):
        if self.check_in.status == CheckIn.Status.ANSWERED:
            self.audit_read()
            return self.answered(request, status=409)
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.show_form(request, form, reporting=False, status=400)
        try:
            decision = checkins.answer_check_in(
                acting_user=None,
                via=Interface.PUBLIC,
                check_in=self.check_in,
                answers=form.answers(),
                channel=CheckIn.Channel.LINK,
            )
        except ValidationError as refused:
            self.check_in.refresh_from_db(fields=["status"])
            if self.check_in.status == CheckIn.Status.ANSWERED:  # answered a moment ago
                return self.answered(request, status=409)
            form.add_service_errors(refused.message_dict)
            return self.show_form(request, form, reporting=False, status=400)
        return self.result(request, decision)


class ReportView(_LinkView):
    """A new problem after the check-in was answered, from the same link until it expires: a
    new check-in for the same session. A check-in still due is answered on its own form."""

    def too_many(self) -> bool:
        return selectors.reported_too_often(
            patient_id=self.check_in.patient_id, session_id=self.check_in.session_id
        )

    def get(self, request, token):
        if self.check_in.status == CheckIn.Status.DUE:
            return redirect("aftercare_public:check_in", token=token)
        self.audit_read()
        return self.show_form(request, self.form(), reporting=True)

    def post(self, request, token):
        if self.check_in.status == CheckIn.Status.DUE:
            return redirect("aftercare_public:check_in", token=token)
        if self.too_many():
            context = {"clinic": self.check_in.clinic}
            return _page(request, "aftercare/check_in_too_many.html", context, status=429)
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.show_form(request, form, reporting=True, status=400)
        try:
            _, decision = checkins.report(
                acting_user=None,
                via=Interface.PUBLIC,
                session=self.check_in.session,
                answers=form.answers(),
                channel=CheckIn.Channel.LINK,
            )
        except ValidationError as refused:
            form.add_service_errors(refused.message_dict)
            return self.show_form(request, form, reporting=True, status=400)
        return self.result(request, decision)
