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
- Anyone else (a patient, a user without a role, an inactive or anonymous one) reads nothing.
  The patient's portal will be a branch of `scope`: a patient's own records of the kinds a
  patient may read, judged by the row's patient instead of its clinic.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.http import Http404

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


@dataclass(frozen=True)
class Scope:
    """Where a user reaches one kind of record: everywhere, at the clinics of one user's
    memberships (`member`, a user id), or nowhere. A value, so two kinds' scopes compare."""

    everywhere: bool = False
    member: int | None = None

    @property
    def nowhere(self) -> bool:
        return not self.everywhere and self.member is None

    def clinics(self):
        """The member's clinic ids as a sub-select (no query of its own)."""
        return Membership.objects.filter(user_id=self.member).values("clinic_id")

    def q(self, *, clinic: str) -> Q:
        """The condition on rows whose clinic is in the field `clinic` (nowhere: a condition
        Django knows is empty, so an OR with it keeps only its other side)."""
        if self.everywhere:
            return Q()
        if self.member is None:
            return Q(pk__in=[])
        return Q(**{f"{clinic}__in": self.clinics()})

    def apply(self, queryset, *, clinic: str):
        """The rows of `queryset` in this scope; nowhere is `none()`, which runs no query."""
        if self.everywhere:
            return queryset
        if self.member is None:
            return queryset.none()
        return queryset.filter(self.q(clinic=clinic))

    def clinic_ids(self) -> list[int] | None:
        """The same scope as values (one query), for queries whose plan needs them: None for
        every clinic."""
        if self.everywhere:
            return None
        if self.member is None:
            return []
        return list(self.clinics().values_list("clinic_id", flat=True))


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
    # Role.PATIENT: the portal's branch (their own records, by the row's patient) goes here.
    return NOWHERE


def reaches(user, kind: Kind) -> bool:
    """Whether `user`'s role reads `kind` at all: a page or endpoint for that kind answers 403
    to a role that never does, and 404 for a row outside a scope it has."""
    return not scope(user, kind).nowhere


def restrict(queryset, user, kind: Kind, *, clinic: str):
    """The rows of `queryset` that `user` may see as records of `kind`, judged by the clinic
    whose id is in the field `clinic` (e.g. "patient__registered_clinic_id")."""
    return scope(user, kind).apply(queryset, clinic=clinic)


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
