"""The one rule that decides which rows a user may see: by who they are, the kind of record,
and the clinic that holds it.

Every model's `for_user` (patients, enquiries, lots and stock movements, care records) and
`clinics_for_user` ask it, and the pages and the API ask it whether a role reads a kind at all
(`reaches`), so a page and an endpoint cannot give two answers.

- Administrators read every kind, at every clinic.
- Practitioners and clinic managers read every kind, at the clinics they belong to.
- Receptionists register patients, answer enquiries, look at the shelf, take consent and book
  sessions at their clinics, but read no clinical record: no consultation, allergy, photo,
  patch test, treatment plan or session, and no stock movement that names a patient (a lot's
  uses, read together, are its recall list).
- A patient (the portal's role) reads their own records of the kinds in `PATIENT_READS`,
  judged by the row's patient instead of its clinic: the rows whose patient's record is linked
  to their account (`Patient.portal_user`, set at sign-in for the records that carry the mobile
  number and date of birth they proved). A record at two clinics is two rows, both theirs.
  Callers name the path to the patient (`patient="patient"`, or "self" on the patient itself);
  a query that names none reaches no patient's rows, so a kind the portal never reads stays
  closed without anyone remembering to close it. Staff surfaces ask `reaches`, which a patient
  never passes: the portal is the patient's only door.
- Anyone else (a user without a role, an inactive or anonymous one) reads nothing.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.http import Http404

from mesoclinic.accounts import auth_cache
from mesoclinic.accounts.roles import Role, is_administrator, roles_of
from mesoclinic.audit.services import Action, record_event
from mesoclinic.clinics.models import Membership


class Kind(StrEnum):
    """The kinds of record the rule tells apart."""

    CLINIC = "clinic"  # a clinic itself: its page, its card on the dashboard, its filters
    PATIENT = "patient"  # who a patient is and how to reach them
    ENQUIRY = "enquiry"  # a visitor's request for an appointment
    STOCK = "stock"  # lots, and the stock movements that name no patient
    CONSENT = "consent"  # consents, which a receptionist witnesses
    SCHEDULE = "schedule"  # who is due when: appointments, courses to book, consents to take
    CLINICAL = "clinical"  # consultations, allergies, photos, patch tests, plans, sessions, uses


#: The kinds each clinic role reads at the clinics it belongs to (someone holding two roles
#: reads what either reads).
READS = {
    Role.RECEPTIONIST.value: frozenset(Kind) - {Kind.CLINICAL},
    Role.PRACTITIONER.value: frozenset(Kind),
    Role.CLINIC_MANAGER.value: frozenset(Kind),
}

#: The kinds a patient reads of their own records (their clinic's card, too: the portal shows
#: where each record is kept; those rows are judged by the clinic, see `Scope.q`).
PATIENT_READS = frozenset({Kind.CLINIC, Kind.PATIENT, Kind.CONSENT, Kind.SCHEDULE, Kind.CLINICAL})


@dataclass(frozen=True)
class Scope:
    """Where a user reaches one kind of record: everywhere, at the clinics of one user's
    memberships (`member`, a user id), the records of the patient whose account is `own` (a
    user id), or nowhere. A value, so two kinds' scopes compare."""

    everywhere: bool = False
    member: int | None = None
    own: int | None = None

    @property
    def nowhere(self) -> bool:
        return not self.everywhere and self.member is None and self.own is None

    def own_records(self):
        """The patient records linked to the account `own` (a queryset, run as a sub-select)."""
        from django.apps import apps  # patients stand above clinics: named, never imported

        return apps.get_model("patients", "Patient").objects.filter(portal_user_id=self.own)

    def clinics(self):
        """The member's clinic ids as a sub-select (no query of its own)."""
        return Membership.objects.filter(user_id=self.member).values("clinic_id")

    def q(self, *, clinic: str, patient: str | None = None) -> Q:
        """The condition on rows whose clinic is in the field `clinic` or, for a patient, whose
        patient is reached by the relation `patient` ("self" for the patient row; a clinic row
        is the patient's when one of their records is kept there). Nowhere is a condition
        Django knows is empty, so an OR with it keeps only its other side."""
        if self.everywhere:
            return Q()
        if self.own is not None:
            return self._own_q(clinic=clinic, patient=patient)
        if self.member is None:
            return Q(pk__in=[])
        return Q(**{f"{clinic}__in": self.clinics()})

    def _own_q(self, *, clinic: str, patient: str | None) -> Q:
        if patient == "self":
            return Q(portal_user_id=self.own)
        if patient is not None:
            return Q(**{f"{patient}__in": self.own_records().values("pk")})
        if clinic in ("pk", "id"):  # the clinics that keep one of the patient's records
            return Q(pk__in=self.own_records().values("registered_clinic_id"))
        return Q(pk__in=[])

    def apply(self, queryset, *, clinic: str, patient: str | None = None):
        """The rows of `queryset` in this scope; nowhere is `none()`, which runs no query."""
        if self.everywhere:
            return queryset
        if self.nowhere:
            return queryset.none()
        condition = self.q(clinic=clinic, patient=patient)
        if condition == Q(pk__in=[]):
            return queryset.none()
        return queryset.filter(condition)

    def clinic_ids(self) -> list[int] | None:
        """The same scope as values (one query, or the shared auth cache's copy), for queries
        whose plan needs them: None for every clinic; none for a patient (whose reach is by
        patient, not by clinic)."""
        if self.everywhere:
            return None
        if self.member is None:
            return []
        return auth_cache.remembered(
            self.member,
            "clinics",
            lambda: list(self.clinics().values_list("clinic_id", flat=True)),
        )


EVERYWHERE = Scope(everywhere=True)
NOWHERE = Scope()


def scope(user, kind: Kind) -> Scope:
    """Where `user` reaches records of `kind` (one query for the user's roles, then cached)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOWHERE
    if is_administrator(user):
        return EVERYWHERE
    roles = roles_of(user)
    if any(kind in READS.get(role, ()) for role in roles):
        return Scope(member=user.pk)
    if Role.PATIENT.value in roles and kind in PATIENT_READS:
        return Scope(own=user.pk)
    return NOWHERE


def reaches(user, kind: Kind) -> bool:
    """Whether `user`'s staff role reads `kind` at all: a staff page or endpoint for that kind
    answers 403 to a role that never does, and 404 for a row outside a scope it has. A
    patient reaches no staff surface (their own records are the portal's)."""
    found = scope(user, kind)
    return not found.nowhere and found.own is None


def restrict(queryset, user, kind: Kind, *, clinic: str, patient: str | None = None):
    """The rows of `queryset` that `user` may see as records of `kind`, judged by the clinic
    whose id is in the field `clinic` (e.g. "patient__registered_clinic_id") or, for a
    patient, by the relation `patient` to the row's patient ("patient", or "self")."""
    return scope(user, kind).apply(queryset, clinic=clinic, patient=patient)


def clinic_ids(user, kind: Kind) -> list[int] | None:
    """The clinic ids where `user` reaches `kind` (one query; None for every clinic)."""
    return scope(user, kind).clinic_ids()


def denied(user, model, pk, *, via: str, message: str = "Not found.") -> Http404:
    """Audit an attempt at a record that is missing or not `user`'s to see, and return the 404
    to raise: from outside, the two look the same."""
    record_event(
        actor=user,
        action=Action.DENIED,
        via=via,
        object_type=model._meta.label_lower,
        object_id=str(pk)[:40],
    )
    return Http404(message)
