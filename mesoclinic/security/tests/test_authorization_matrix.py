"""The authorization matrix: every route and API operation, asked by every role, answers as the
table beside this file says (`authorization_matrix.txt`; the admin's routes in
`authorization_matrix_admin.txt`), never with a server error; and every answer that shows
patient data wrote an audit row.

The records come from one world per module (`matrix_world.build`: the demo chain, clinic A is
Rawalpindi, clinic B Islamabad), made inside one transaction that is rolled back when the module
ends, so nothing leaks into other tests. Each request runs in a savepoint rolled back after it:
a POST that succeeds (an empty body may still cancel an appointment) changes nothing for the
next role. POSTs send an empty body: what is checked is the access decision (a login redirect,
403, 404) against "let in" (the view ran: 2xx, a redirect elsewhere, or 400).
"""

import copy
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from mesoclinic.audit.models import AuditEvent
from mesoclinic.conftest import SecondFactorClient
from mesoclinic.security.tests import authorization_matrix as matrix
from mesoclinic.security.tests.matrix_world import ROLES, build

#: The mark makes pytest-django create the test database (the world is built in it) and
#: wrap each test in a savepoint inside the world's transaction.
pytestmark = pytest.mark.django_db

ROWS = matrix.read_table(ROLES)
ROUTES = sorted({row.route for row in ROWS})
ADMIN = matrix.read_admin(ROLES)
#: Every admin route is named in the admin table; those without parameters are asked, the
#: rest are held to the same rule by the admin site's one gate (`admin_view`).
ADMIN_ASKED = sorted({row.route for row in ADMIN if "<" not in row.route})
LET_IN = {"200", "201", "204", "302", "400", "415"}
DENY = {"login", "401", "403"}
#: Roles that must never see a clinic A patient on a staff page or in the API, even on a list
#: they may open. The patient is one of clinic A's patients: the portal's pages are where they
#: see their own record, and on those only someone else's name or MRN is a leak.
FOREIGN = {"outsider_reception", "outsider_practitioner", "patient"}
PORTAL = "/" + matrix.LANG + "portal/"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # The module's mark has pytest-django make the test database; never build on another.
    assert "test" in str(connection.settings_dict["NAME"])
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world):
    """One signed-in client per role (the anonymous one signed in as nobody), for the module:
    signing in once instead of before every request halves the matrix's time. A person with a
    second factor has proved it in that session (`SecondFactorClient`), as after the verify
    page; one without (the receptionist, the patient) is not asked for one."""
    signed_in = {}
    for role, user in world.users.items():
        signed_in[role] = SecondFactorClient(raise_request_exception=False)
        if user is not None:
            signed_in[role].force_login(user)
    return signed_in


def _login_paths() -> set[str]:
    return {reverse("admin:login"), resolve_url(settings.LOGIN_URL)}


def _second_factor_paths() -> set[str]:
    return {reverse("security:verify"), reverse("security:enrol")}


def outcome(response) -> str:
    """The cell a response earns: `login`, `verify` (sent to prove or set up a second factor:
    never "let in", so a session the gate stops cannot pass for one the view served), or its
    status code."""
    if response.status_code == 302:
        where = urlsplit(response["Location"]).path
        if where in _login_paths():
            return "login"
        if where in _second_factor_paths():
            return "verify"
    return str(response.status_code)


def matches(cell: str, got: str) -> bool:
    if cell == "ok":
        return got in LET_IN
    if cell == "deny":
        return got in DENY
    return cell == got


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def ask(client, method: str, url: str):
    """One request in a savepoint rolled back afterwards, the client's cookies put back too
    (a sign-out or a language switch changes nothing for the next request):
    (response, whether an audit row was written)."""
    send = getattr(client, method.lower())
    extra = {"data": "{}", "content_type": "application/json"} if method in ("PUT", "PATCH") else {}
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        before = last_audit_id()
        response = send(url, **extra)
        wrote = last_audit_id() > before
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, wrote


def shows_patient(response, world, *, clinic_a=False) -> bool:
    """Whether the body names a patient (of clinic A only, when asked) by full name or MRN. A
    body that is not text (a PDF, a photo) is taken to show its patient: it cannot be read
    here. A list that names nobody (a receptionist's stock movements, an outsider's empty
    register) shows no patient data."""
    if getattr(response, "streaming", False) or not response["Content-Type"].startswith(
        ("text/", "application/json")
    ):
        return not clinic_a
    body = response.content.decode("utf-8", "replace")
    marks = world.patient_marks if clinic_a else world.all_patient_marks
    return any(mark in body for mark in marks)


def is_portal(row) -> bool:
    return row.route.startswith(PORTAL)


def leaks(row, role: str, got: str, response, world) -> bool:
    """A staff page or API answer that names a clinic A patient to someone outside it (pages
    open to anyone with their link, where anonymous gets 200, are not asked); a portal page
    that names any clinic A patient but the one signed in."""
    if got != "200" or role not in FOREIGN:
        return False
    if not is_portal(row) and row.expect["anonymous"] == "200":
        return False
    if not response["Content-Type"].startswith(("text/", "application/json")):
        return False
    body = response.content.decode("utf-8", "replace")
    marks = world.leak_marks
    if is_portal(row):
        marks = [mark for mark in marks if mark not in world.own_marks]
    return any(mark in body for mark in marks)


def check(rows, world, clients) -> list[str]:
    """Every role's answer to every row; the list of what differs from the table."""
    problems = []
    for row in rows:
        for language in row.languages:
            url = row.url(world.values, language)
            for role in ROLES:
                with translation.override(language):
                    response, wrote = ask(clients[role], row.method, url)
                got, cell = outcome(response), row.expect[role]
                where = f"{row.method} {url} as {role}"
                if response.status_code >= 500:
                    problems.append(f"{where}: server error {response.status_code}")
                elif not matches(cell, got):
                    problems.append(f"{where}: {got}, the table says {cell} (line {row.line})")
                elif row.data and got == "200" and not wrote and shows_patient(response, world):
                    problems.append(f"{where}: 200 with patient data, but no audit row")
                elif leaks(row, role, got, response, world):
                    problems.append(f"{where}: names a clinic A patient to {role} (a leak)")
                elif (
                    got == "200" and not row.data and shows_patient(response, world, clinic_a=True)
                ):
                    problems.append(
                        f"{where}: shows a clinic A patient's name or MRN, but the table says "
                        f"no patient data (line {row.line}): mark it yes"
                    )
    return problems


def test_it_has_a_row_for_every_route_and_operation_and_none_for_a_gone_one():
    problems = matrix.coverage_problems(ROWS, ADMIN)
    assert not problems, "\n".join(problems)


@override_settings(ROOT_URLCONF="mesoclinic.security.tests.matrix_probe_urls")
def test_it_names_a_new_route_without_a_row_and_a_row_without_a_route():
    stale = matrix.Row("GET", "/no/longer/here/", False, {}, {}, 999)
    problems = "\n".join(matrix.coverage_problems([*ROWS, stale], ADMIN))
    assert f"GET /matrix-probe/<int:pk>/: no row in {matrix.TABLE.name}" in problems
    assert f"{matrix.TABLE.name}:999: GET /no/longer/here/ is not served any more" in problems


def test_it_names_each_url_by_the_route_its_row_is_for(world):
    """A row's filled URL resolves to that row's route (a wrong fill would test another page)."""
    from django.urls import resolve

    wrong = []
    for row in ROWS:
        url = row.url(world.values)
        route = "/" + resolve(url).route
        if row.route.startswith("/" + matrix.LANG):
            route = route.replace("/en/", "/" + matrix.LANG, 1)
        if matrix.shape(matrix.readable_route(route)) != matrix.shape(row.route):
            wrong.append(f"line {row.line}: {url} resolves to {route}, not {row.route}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_every_role_as_the_table_says(route, world, clients):
    problems = check([row for row in ROWS if row.route == route], world, clients)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "row", [row for row in ROWS if is_portal(row) and row.fill], ids=lambda row: row.key[1]
)
def test_it_answers_the_patient_404_for_another_patients_record_in_the_portal(row, world, clients):
    """The matrix patient asks a portal route with another clinic A patient's ids (the same
    names, from `World.others`): not found, as for an id that does not exist."""
    names = {name for name in row.fill.values() if not name.startswith("'")}  # not literals
    missing = sorted(names - set(world.others))
    assert not missing, f"line {row.line}: add {missing} to matrix_world._others"
    for language in row.languages:
        url = row.url(world.others, language)
        with translation.override(language):
            response, _wrote = ask(clients["patient"], row.method, url)
        assert response.status_code == 404, f"{row.method} {url}: {response.status_code}"


@pytest.mark.parametrize("route", ADMIN_ASKED)
def test_it_keeps_the_admin_to_administrators(route, world, clients):
    problems = check([row for row in ADMIN if row.route == route], world, clients)
    assert not problems, "\n".join(problems)
