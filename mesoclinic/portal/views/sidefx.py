"""Report a side effect: the aftercare check-in form, any time, for the signed-in patient.

The same questions, rules and service as the signed link in a check-in message
(`aftercare.public_forms`, `aftercare.services.checkins.report`): the portal only chooses the
session (the most recent by default, another of the patient's own on request) and shows the
answer. The report lands in the clinic's aftercare queue and, when the clinic's escalation
rules say so, opens an adverse event at once (aftercare's service does both, in one
transaction with its audit rows, via "portal").

- A session that is not the patient's (a guessed id) answers 404, and the attempt is audited.
- A patient without any session is told there is nothing to report against, with the phone
  number of each clinic that keeps their record.
- Reports per session and day are capped as on the link (`aftercare.selectors`): past the cap
  the page sends the patient to the telephone (429).
- A sent report redirects to its own page (POST-redirect-GET), which says what to do now from
  the escalation decision, with the clinic's number to tap.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from mesoclinic.aftercare.models import CheckIn
from mesoclinic.aftercare.public_forms import CheckInForm, form_context
from mesoclinic.aftercare.selectors import reported_too_often
from mesoclinic.aftercare.services import checkins
from mesoclinic.care.models import TreatmentSession
from mesoclinic.portal import selectors
from mesoclinic.portal.views.common import VIA, PatientView, audit_list, audit_view

NAV = "report"


def _chosen(user, asked, sessions):
    """The session the report is about: the one asked for (the patient's own, else 404), else
    the most recent (None: the patient has none)."""
    if not asked:
        return sessions[0] if sessions else None
    for session in sessions:
        if str(session.pk) == asked:
            return session
    return selectors.my_session(user, asked)


class ReportView(PatientView):
    def get(self, request):
        sessions = selectors.my_recent_sessions(request.user)
        session = _chosen(request.user, request.GET.get("session"), sessions)
        if session is None:
            return self.nothing(request)
        audit_list(request.user, TreatmentSession, count=len(sessions))
        return self.page(request, self.form(session), sessions, session)

    def post(self, request):
        sessions = selectors.my_recent_sessions(request.user)
        session = _chosen(request.user, request.POST.get("session"), sessions)
        if session is None:
            return self.nothing(request, status=400)
        if reported_too_often(patient_id=session.patient_id, session_id=session.pk):
            context = {"clinic": session.clinic, "nav": NAV}
            return render(request, "portal/report_too_many.html", context, status=429)
        form = self.form(session, request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form, sessions, session, status=400)
        try:
            check_in, _ = checkins.report(
                acting_user=request.user,
                via=VIA,
                session=session,
                answers=form.answers(),
                channel=CheckIn.Channel.PORTAL,
            )
        except ValidationError as refused:
            form.add_service_errors(refused.message_dict)
            return self.page(request, form, sessions, session, status=400)
        return redirect("portal:report_sent", pk=check_in.pk)

    @staticmethod
    def form(session, data=None, files=None) -> CheckInForm:
        return CheckInForm(data, files, session_day=timezone.localdate(session.started_at))

    @staticmethod
    def page(request, form, sessions, session, status=200):
        if session not in sessions:  # an older session, asked for by its id
            sessions = [*sessions, session]
        context = {
            **form_context(form),
            "sessions": sessions,
            "session": session,
            "clinic": session.clinic,
            "nav": NAV,
        }
        return render(request, "portal/report.html", context, status=status)

    @staticmethod
    def nothing(request, status=200):
        records = list(selectors.my_records(request.user))
        context = {"records": records, "nav": NAV}
        return render(request, "portal/report_nothing.html", context, status=status)


class ReportSentView(PatientView):
    """What to do now, after a report: the clinic's escalation rules applied to what was
    reported (as the service judged it), and the clinic's number."""

    def get(self, request, pk):
        check_in = selectors.my_report(request.user, pk)
        audit_view(request.user, check_in)
        decision = checkins.judge(
            check_in, list(check_in.effects.all()), reported_at=check_in.answered_at
        )
        context = {
            "check_in": check_in,
            "decision": decision,
            "clinic": check_in.clinic,
            "nav": NAV,
        }
        return render(request, "portal/report_sent.html", context)
