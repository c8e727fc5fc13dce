"""The adverse-event register: a clinic's, and every clinic's the user reads; its filters,
keyset pages and constant queries; the formulary's lot and product pages link to it, and the
dashboard to the queue and the register."""

# ruff: noqa: F811 (the fixtures of clinic_fixtures, imported here, are the parameters)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mesoclinic.aftercare import clinic_reads
from mesoclinic.aftercare.tests.clinic_fixtures import (  # noqa: F401 (fixtures)
    chart_another,
    derm_b,
    escalated,
)
from mesoclinic.audit.services import Interface
from mesoclinic.care.services.adverse_events import close_adverse_event, set_grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_events(charted, chart_another, make_lot, clinic_a, txa, dermatologist):
    """Three events at clinic A: on lot_a (grade 2, open), on lot_a (grade 3, closed), on a
    second lot of the same product (grade 2, open)."""
    first = escalated(charted)
    second = escalated(chart_another())
    set_grade(acting_user=dermatologist.user, via=Interface.WEB, event=second, grade=3)
    close_adverse_event(
        acting_user=dermatologist.user, via=Interface.WEB, event=second, outcome="resolved"
    )
    other_lot = make_lot(clinic_a, txa, "TXA-A9", "10")
    third = escalated(chart_another(lot=other_lot))
    return first, second, third, other_lot


def _shown(response) -> set[int]:
    assert response.status_code == 200
    return {event.pk for event in response.context["rows"]}


def test_it_filters_by_grade_lot_product_and_status(
    client, three_events, dermatologist, lot_a, txa
):
    first, second, third, other_lot = three_events
    client.force_login(dermatologist.user)
    url = reverse("aftercare:register", args=[first.clinic_id])
    assert _shown(client.get(url)) == {first.pk, second.pk, third.pk}
    assert _shown(client.get(url, {"grade": 3})) == {second.pk}
    assert _shown(client.get(url, {"status": "open"})) == {first.pk, third.pk}
    assert _shown(client.get(url, {"lot": lot_a.pk})) == {first.pk, second.pk}
    assert _shown(client.get(url, {"lot": other_lot.pk})) == {third.pk}
    assert _shown(client.get(url, {"product": txa.pk})) == {first.pk, second.pk, third.pk}
    assert _shown(client.get(url, {"lot": lot_a.pk, "status": "closed"})) == {second.pk}
    html = client.get(url).content.decode()
    assert "TXA-A9" in html and "Resolved" in html


def test_it_says_which_filters_it_could_not_read_and_never_fails(
    client, three_events, dermatologist
):
    client.force_login(dermatologist.user)
    url = reverse("aftercare:register", args=[three_events[0].clinic_id])
    response = client.get(url, {"grade": "9", "lot": "x", "product": "99999999999999999999"})
    assert len(_shown(response)) == 3
    assert "Some filters were not understood" in response.content.decode()
    assert client.get(url, {"before": "nonsense"}).status_code == 200


def test_it_pages_by_keyset_on_id(client, three_events, dermatologist, monkeypatch):
    monkeypatch.setattr(clinic_reads, "PAGE_SIZE", 2)
    first, second, third, _ = three_events
    client.force_login(dermatologist.user)
    url = reverse("aftercare:register", args=[first.clinic_id])
    page = client.get(url, {"status": "", "grade": ""})
    assert [e.pk for e in page.context["rows"]] == [third.pk, second.pk]
    assert page.context["next_query"] == f"before={second.pk}"
    assert [e.pk for e in client.get(url, {"before": second.pk}).context["rows"]] == [first.pk]


def test_its_queries_do_not_grow_with_the_register(client, charted, chart_another, dermatologist):
    client.force_login(dermatologist.user)
    url = reverse("aftercare:register", args=[charted.clinic_id])
    escalated(charted)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = count()
    escalated(chart_another())
    escalated(chart_another())
    # session, roles, clinic, events, their lots, the filters' lots and products, audit
    assert count() == one


def test_it_answers_an_outsider_404_and_shows_them_none_across_clinics(
    client, three_events, derm_b, receptionist, txa
):
    client.force_login(derm_b.user)
    assert (
        client.get(reverse("aftercare:register", args=[three_events[0].clinic_id])).status_code
        == 404
    )
    assert _shown(client.get(reverse("aftercare:register_all"), {"product": txa.pk})) == set()
    client.force_login(receptionist)
    assert client.get(reverse("aftercare:register_all")).status_code == 403


def test_the_lot_and_product_pages_link_to_their_adverse_events(
    client, three_events, dermatologist, manager, receptionist, lot_a, txa
):
    lot_link = reverse("aftercare:register", args=[lot_a.clinic_id]) + f"?lot={lot_a.pk}"
    product_link = reverse("aftercare:register_all") + f"?product={txa.pk}"
    for user in (dermatologist.user, manager):
        client.force_login(user)
        assert lot_link in client.get(reverse("formulary:lot", args=[lot_a.pk])).content.decode()
        assert product_link in client.get(reverse("formulary:products")).content.decode()
    response = client.get(reverse("aftercare:register_all"), {"product": txa.pk})
    assert len(_shown(response)) == 3
    client.force_login(receptionist)  # reads no clinical records: no link to them
    assert lot_link not in client.get(reverse("formulary:lot", args=[lot_a.pk])).content.decode()
    assert product_link not in client.get(reverse("formulary:products")).content.decode()


def test_the_dashboard_links_clinicians_to_the_queue_and_the_register(
    client, clinic_a, dermatologist, receptionist
):
    client.force_login(dermatologist.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("aftercare:queue", args=[clinic_a.pk]) in html
    assert reverse("aftercare:register", args=[clinic_a.pk]) in html
    client.force_login(receptionist)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("aftercare:queue", args=[clinic_a.pk]) not in html
