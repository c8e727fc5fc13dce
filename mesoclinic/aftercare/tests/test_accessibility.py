"""The clinic's aftercare pages pass axe-core's checks in English and in Urdu."""

# ruff: noqa: F811 (the fixtures of clinic_fixtures, imported here, are the parameters)

import pytest
from django.urls import reverse

from mesoclinic.aftercare.models import CheckIn, ClusterAlert
from mesoclinic.aftercare.tests.clinic_fixtures import chart_another, escalated  # noqa: F401
from mesoclinic.care.tests.browser import log_in
from mesoclinic.patients.tests.test_accessibility import blocking_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]


@pytest.mark.parametrize("language", ["en", "ur"])
def test_aftercare_pages_have_no_serious_accessibility_violations(
    page, live_server, charted, chart_another, dermatologist, manager, language
):
    event = escalated(charted)
    for _ in range(2):
        escalated(chart_another())
    alert = ClusterAlert.objects.get(kind="lot")
    check_in = CheckIn.objects.get(adverse_event=event)
    due = CheckIn.objects.get(session=charted, hours_after=24)
    clinic = charted.clinic_id
    problems = {}
    for user, pages in [
        (manager, [("alert", reverse("aftercare:alert", args=[alert.pk]))]),
        (
            dermatologist.user,
            [
                ("queue", reverse("aftercare:queue", args=[clinic])),
                ("overdue", reverse("aftercare:overdue", args=[clinic])),
                ("register", reverse("aftercare:register", args=[clinic])),
                (
                    "record",
                    reverse("aftercare:record_check_in", args=[charted.pk]) + f"?check_in={due.pk}",
                ),
                ("review", reverse("aftercare:review", args=[check_in.pk])),
                ("event", reverse("aftercare:event", args=[event.pk])),
            ],
        ),
    ]:
        log_in(page, live_server.url, user)
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        for name, path in pages:
            page.goto(f"{live_server.url}{path}")
            problems[name] = blocking_violations(page)
    # Still the dermatologist, on the event page.
    page.locator("#close-form button[type=submit]").click()  # no outcome: the error shown
    problems["event with errors"] = blocking_violations(page)
    assert {name: found for name, found in problems.items() if found} == {}
