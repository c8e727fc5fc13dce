"""The synthetic chain's appointment book, written in bulk for `seed_scale`: every scale clinic
gets opening hours (Monday to Saturday, 10:00–20:00), enough credentialed practitioners working
them for its patients (`scale.practitioners_needed`), a room each, and every patient three
visits (`scale.visits_for`): a consultation, a session and a follow-up or session, over the
past year and the next three months. Past visits are completed (one in twenty a no-show),
later ones booked.

Visits sit on a grid where no two share a practitioner's, a room's or a patient's hour, so
PostgreSQL's exclusion constraints accept the COPY. The grid is counted from an anchor date
found again in the book (the first patient's first visit), so a later fill, for patients added
since, lands on the same grid. Patients who already have an appointment are left alone.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef
from django.utils import timezone

from mesoclinic.accounts.roles import Role
from mesoclinic.appointments.facts import local_zone
from mesoclinic.appointments.models import Appointment, AppointmentType, WorkingHours
from mesoclinic.appointments.types import ensure_default_types
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import services as clinic_services
from mesoclinic.clinics.models import Membership, OpeningHours, Practitioner, Room
from mesoclinic.patients.models import Patient
from mesoclinic.seed import scale
from mesoclinic.seed.scale_history import write_rows

VIA = Interface.CLI
CHUNK = 20_000


class ChainBook:
    """`fill()` books every scale patient who has no appointment yet; `counts` says how many."""

    def __init__(self, *, clinic_ids, admin):
        self.clinic_ids = list(clinic_ids)
        self.admin = admin
        self.zone = local_zone()
        self.today = timezone.localdate()
        self.written = 0
        first = Appointment.objects.filter(clinic_id=self.clinic_ids[0]).aggregate(
            first=Min("starts_at")
        )["first"]
        # The grid's anchor: found again from the book when it was filled before.
        self.anchor = (
            timezone.localtime(first, self.zone).date()
            if first is not None
            else scale.anchor_for(self.today)
        )
        self.filled_before = first is not None

    def fill(self, progress=None) -> int:
        waiting = Patient.objects.filter(registered_clinic_id__in=self.clinic_ids).exclude(
            Exists(Appointment.objects.filter(patient_id=OuterRef("pk")))
        )
        start = waiting.aggregate(first=Min("id"))["first"]
        if start is None:
            return 0
        per_clinic = (
            Patient.objects.filter(registered_clinic_id__in=self.clinic_ids)
            .values("registered_clinic_id")
            .annotate(n=Count("id"))
        )
        self.busiest = max((row["n"] for row in per_clinic), default=0)
        staff = {clinic_id: self._staff(clinic_id) for clinic_id in self.clinic_ids}
        types = {
            (t.clinic_id, t.code): t
            for t in AppointmentType.objects.filter(clinic_id__in=self.clinic_ids)
        }
        # Each patient's rank at their clinic: how many were registered there before them.
        rank = defaultdict(int)
        for row in (
            Patient.objects.filter(registered_clinic_id__in=self.clinic_ids, id__lt=start)
            .values("registered_clinic_id")
            .annotate(n=Count("id"))
        ):
            rank[row["registered_clinic_id"]] = row["n"]
        next_id = (Appointment.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        total = waiting.count()
        last = start - 1
        while True:
            chunk = list(
                Patient.objects.filter(registered_clinic_id__in=self.clinic_ids, id__gt=last)
                .order_by("id")
                .values_list("id", "registered_clinic_id")[:CHUNK]
            )
            if not chunk:
                break
            last = chunk[-1][0]
            booked = set(
                Appointment.objects.filter(
                    patient_id__gte=chunk[0][0], patient_id__lte=last
                ).values_list("patient_id", flat=True)
            )
            rows = []
            for patient_id, clinic_id in chunk:
                mine = rank[clinic_id]
                rank[clinic_id] += 1
                if patient_id in booked:
                    continue
                people, rooms = staff[clinic_id]
                for visit in scale.visits_for(mine, anchor=self.anchor, practitioners=len(people)):
                    rows.append(
                        self._appointment(
                            next_id + len(rows),
                            patient_id,
                            clinic_id,
                            visit,
                            types[clinic_id, visit.code],
                            people[visit.practitioner],
                            rooms[visit.practitioner],
                            rank=mine,
                        )
                    )
            with transaction.atomic():
                write_rows(Appointment, rows)
            next_id += len(rows)
            self.written += len(rows)
            if progress is not None:
                progress(min(total, self.written // 3), total)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Appointment]):
                cursor.execute(statement)
        return self.written

    def _appointment(self, pk, patient_id, clinic_id, visit, kind, practitioner, room, *, rank):
        start = datetime.combine(visit.day, time(visit.hour), self.zone) + timedelta(
            minutes=kind.buffer_before_minutes
        )
        end = start + timedelta(minutes=kind.duration_minutes)
        past = visit.day < self.today
        return Appointment(
            id=pk,
            clinic_id=clinic_id,
            type_id=kind.pk,
            patient_id=patient_id,
            practitioner_id=practitioner.pk,
            room_id=room.pk if kind.needs_room else None,
            starts_at=start,
            ends_at=end,
            blocked_from=start - timedelta(minutes=kind.buffer_before_minutes),
            blocked_until=end + timedelta(minutes=kind.buffer_after_minutes),
            status=("no_show" if rank % 20 == 7 else "completed") if past else "booked",
            booked_by_id=practitioner.user_id,
            booked_at=datetime.combine(visit.day, time(9), self.zone) - timedelta(days=14),
            status_changed_at=datetime.combine(visit.day, time(20), self.zone) if past else None,
        )

    def _staff(self, clinic_id: int):
        """The clinic's practitioners in a fixed order (the seeded dermatologist first) and a
        room for each, made with their hours when missing. A filled book keeps its staff."""
        ensure_default_types(clinic_id)
        if not OpeningHours.objects.filter(clinic_id=clinic_id).exists():
            OpeningHours.objects.bulk_create(
                OpeningHours(
                    clinic_id=clinic_id,
                    weekday=day,
                    opens=time(scale.FIRST_HOUR),
                    closes=time(scale.FIRST_HOUR + scale.HOURS),
                )
                for day in range(6)
            )
        people = list(
            Practitioner.objects.filter(user__memberships__clinic_id=clinic_id)
            .filter(user__username__startswith="scale.")
            .order_by("user__username")
        )
        if not self.filled_before:
            index = self.clinic_ids.index(clinic_id) + 1
            for number in range(len(people), scale.practitioners_needed(self.busiest)):
                people.append(self._practitioner(clinic_id, index, number))
        rooms = []
        for number, practitioner in enumerate(people, start=1):
            rooms.append(Room.objects.get_or_create(clinic_id=clinic_id, name=f"Room {number}")[0])
            if not WorkingHours.objects.filter(practitioner=practitioner).exists():
                WorkingHours.objects.bulk_create(
                    WorkingHours(
                        clinic_id=clinic_id,
                        practitioner=practitioner,
                        weekday=day,
                        starts=time(scale.FIRST_HOUR),
                        ends=time(scale.FIRST_HOUR + scale.HOURS),
                    )
                    for day in range(6)
                )
        return people, rooms

    def _practitioner(self, clinic_id: int, index: int, number: int) -> Practitioner:
        """Another credentialed dermatologist at the clinic, through the clinics' services."""
        user = get_user_model().objects.create(
            username=f"scale.staff.{index:03d}.{number:02d}",
            first_name="Synthetic",
            last_name=f"Practitioner {index:03d}-{number:02d}",
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=Role.PRACTITIONER)[0])
        Membership.objects.create(user=user, clinic_id=clinic_id)
        practitioner = Practitioner.objects.create(user=user, qualification="dermatologist")
        clinic_services.record_registration(
            acting_user=self.admin,
            via=VIA,
            practitioner=practitioner,
            number=f"SYN-{index:03d}{number:02d}-S",
            expires_on=self.today + timedelta(days=3 * 365),
        )
        return clinic_services.verify_practitioner(
            acting_user=self.admin, via=VIA, practitioner=practitioner, evidence="synthetic chain"
        )
