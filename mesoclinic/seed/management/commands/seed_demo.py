"""Load the demo clinic chain (idempotent). Refuses to run with production settings."""

import random
from base64 import b32encode
from binascii import unhexlify
from datetime import date, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import services as clinic_services
from mesoclinic.clinics.models import Clinic, Membership, OpeningHours, Practitioner, Room, Service
from mesoclinic.patients import services as patient_services
from mesoclinic.patients.models import Enquiry, Patient
from mesoclinic.security.second_factor_policy import ALWAYS as ROLES_NEEDING_A_SECOND_FACTOR
from mesoclinic.seed import demo
from mesoclinic.seed import demo_aftercare as aftercare_demo
from mesoclinic.seed import demo_care as care_demo
from mesoclinic.seed import demo_formulary as formulary_demo
from mesoclinic.seed import demo_schedule as schedule_demo

PATIENTS_PER_CLINIC = 10
# Mon-Thu and Sat: 11-14 and 15-20 (a break for Zuhr/Asr and lunch); Friday opens after Jumu'ah.
WEEKLY_HOURS = {
    **{day: [(time(11), time(14)), (time(15), time(20))] for day in (0, 1, 2, 3, 5)},
    4: [(time(15), time(21))],
}


class Command(BaseCommand):
    help = "Create the demo clinics, staff and patients. Safe to run again; never in production."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--code",
            action="store_true",
            help="Print the demo authenticator app's current code (the second sign-in step).",
        )

    def handle(self, *args, seed, code=False, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with production settings (DEBUG=false).")
        if code:
            self.stdout.write(f"{totp(unhexlify(demo.DEMO_TOTP_KEY)):06d}")
            return
        rng = random.Random(seed)
        with transaction.atomic():
            admin = self._user(
                "admin", "Amina", "Administrator", Role.ADMINISTRATOR, superuser=True
            )
            clinics = []
            for number, spec in enumerate(demo.CLINICS):
                clinic = self._clinic(spec)
                self._staff(admin, clinic, spec, number)
                self._patients(admin, clinic, spec, rng)
                self._enquiries(clinic, rng)
                clinics.append(clinic)
            formulary_demo.seed(
                admin=admin,
                clinics=clinics,
                dermatologist_user=get_user_model().objects.get(username="doctor.isb"),
                patients_by_clinic={
                    clinic.pk: list(clinic.patients.order_by("id")) for clinic in clinics
                },
            )
            care_demo.seed(
                clinics=clinics,
                patients_by_clinic={
                    clinic.pk: list(clinic.patients.order_by("id")) for clinic in clinics
                },
            )
            schedule_demo.seed(clinics=clinics, rng=rng)
            schedule_demo.book_demo_course(clinic=clinics[0])
            aftercare_demo.seed(
                clinics=clinics,
                patients_by_clinic={
                    clinic.pk: list(clinic.patients.order_by("id")) for clinic in clinics
                },
            )
        self.stdout.write(self.style.SUCCESS(self._summary()))

    def _demo_password_hash(self) -> str:
        """One hash of the shared demo password for every demo login: a full-strength hash
        costs about half a second, and the demo's seventeen users share one password anyway."""
        if not hasattr(self, "_password_hash"):
            self._password_hash = make_password(demo.DEMO_PASSWORD)
        return self._password_hash

    def _user(self, username, first, last, role, superuser=False):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.mesoclinic.invalid",
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.password = self._demo_password_hash()
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        if role in ROLES_NEEDING_A_SECOND_FACTOR or superuser:
            TOTPDevice.objects.get_or_create(
                user=user,
                name="Demo app",
                defaults={"key": demo.DEMO_TOTP_KEY, "confirmed": True},
            )
        return user

    def _clinic(self, spec):
        clinic, _ = Clinic.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "city": spec["city"],
                "address": spec["address"],
                "phone": spec["phone"],
                "latitude": spec["lat"],
                "longitude": spec["lng"],
            },
        )
        clinic.services.set(Service.objects.filter(code__in=spec["services"]))
        for weekday, intervals in WEEKLY_HOURS.items():
            for opens, closes in intervals:
                OpeningHours.objects.get_or_create(
                    clinic=clinic, weekday=weekday, opens=opens, defaults={"closes": closes}
                )
        for name, kind in (("Room 1", Room.Kind.ROOM), ("Chair A", Room.Kind.CHAIR)):
            Room.objects.get_or_create(clinic=clinic, name=name, defaults={"kind": kind})
        return clinic

    def _staff(self, admin, clinic, spec, number):
        code = spec["code"]
        today = timezone.localdate()
        for prefix, role in (
            ("reception", Role.RECEPTIONIST),
            ("manager", Role.CLINIC_MANAGER),
            ("doctor", Role.PRACTITIONER),
            ("nurse", Role.PRACTITIONER),
        ):
            first, last = demo.STAFF_NAMES[prefix]
            user = self._user(f"{prefix}.{code}", first, f"{last} {spec['city']}", role)
            Membership.objects.get_or_create(user=user, clinic=clinic)
            if prefix not in ("doctor", "nurse"):
                continue
            qualification = (
                Practitioner.Qualification.DERMATOLOGIST
                if prefix == "doctor"
                else Practitioner.Qualification.NURSE
            )
            practitioner, created = Practitioner.objects.get_or_create(
                user=user, defaults={"qualification": qualification}
            )
            if not created:
                continue
            # The Islamabad nurse is unverified and the Lahore nurse's registration has expired:
            # the demo shows what "not credentialed" looks like.
            expired = prefix == "nurse" and code == "lhe"
            expires = today - timedelta(days=30) if expired else today + timedelta(days=365)
            clinic_services.record_registration(
                acting_user=admin,
                via=Interface.CLI,
                practitioner=practitioner,
                number=f"{70000 + number * 10 + len(prefix)}-{prefix[0].upper()}",
                expires_on=expires,
            )
            if not (prefix == "nurse" and code == "isb"):
                clinic_services.verify_practitioner(
                    acting_user=admin,
                    via=Interface.CLI,
                    practitioner=practitioner,
                    evidence=f"Demo: checked against the {practitioner.body_label} register.",
                )

    def _patients(self, admin, clinic, spec, rng):
        today = timezone.localdate()
        for index in range(PATIENTS_PER_CLINIC):
            first, first_ur, sex = rng.choice(demo.FIRST_NAMES)
            last, last_ur = rng.choice(demo.LAST_NAMES)
            # The last CNIC digit is odd for men and even for women.
            last_digit = rng.choice("13579" if sex == "male" else "02468")
            cnic = f"{spec['cnic_area']}{rng.randrange(10**6, 10**7)}{last_digit}"
            mobile = f"+92{rng.choice(demo.MOBILE_PREFIXES)}{rng.randrange(10**6, 10**7)}"
            born = date(today.year - rng.randint(19, 58), rng.randint(1, 12), rng.randint(1, 28))
            language = rng.choice(["ur", "ur", "en"])
            skin_type = rng.choice([3, 4, 4, 5, None])
            # Every draw happens before this check, so a second run repeats the same people.
            if Patient.objects.filter(cnic=cnic).exists():
                continue
            patient_services.register_patient(
                acting_user=admin,
                via=Interface.CLI,
                clinic=clinic,
                data={
                    "first_name": first,
                    "last_name": last,
                    "name_ur": f"{first_ur} {last_ur}",
                    "date_of_birth": born,
                    "sex": sex,
                    "cnic": cnic,
                    "mobile": mobile,
                    "preferred_language": language,
                    "fitzpatrick_type": skin_type,
                    "emergency_contact_name": "" if index % 3 else "Family member",
                },
                # Consent to be contacted, so `make run` sends them messages: most agreed to
                # SMS and WhatsApp at the desk; every fourth to SMS only (no WhatsApp).
                opt_in_channels=["sms", "whatsapp"] if index % 4 else ["sms"],
            )

    def _enquiries(self, clinic, rng):
        """Two appointment requests per clinic, as if sent from the public clinic page."""
        requests = []
        for concern, time_of_day in (("melasma", "evening"), ("hair-thinning", "any")):
            first, _first_ur, _sex = rng.choice(demo.FIRST_NAMES)
            last, _last_ur = rng.choice(demo.LAST_NAMES)
            prefix, number = rng.choice(demo.MOBILE_PREFIXES), rng.randrange(10**6, 10**7)
            requests.append(
                {
                    "name": f"{first} {last}",
                    "mobile": f"+92{prefix}{number}",
                    "preferred_language": rng.choice(["ur", "en"]),
                    "concern": concern,
                    "preferred_time": time_of_day,
                }
            )
        # Every draw happens before this check, so a second run repeats the same people.
        if Enquiry.objects.filter(clinic=clinic).exists():
            return
        for data in requests:
            patient_services.submit_enquiry(clinic=clinic, data=data, via=Interface.CLI)

    def _portal_login(self) -> str:
        """The demo patient who signs in to the portal: the first patient of the first clinic
        (the one whose course is booked end to end), by the mobile number and date of birth
        on the record; the code is printed by the worker (the console channel)."""
        patient = (
            Patient.objects.filter(archived_at__isnull=True)
            .select_related("registered_clinic")
            .order_by("registered_clinic_id", "pk")
            .first()
        )
        if patient is None:
            return "Patient portal: no demo patient."
        local = "0" + patient.mobile.removeprefix("+92")
        return (
            f"Patient portal: /ur/portal/sign-in/ (or /en/), mobile {local[:4]}-{local[4:]} and "
            f"date of birth {patient.date_of_birth:%Y-%m-%d} ({patient.full_name}, "
            f"{patient.registered_clinic.city}); the one-time code appears in the worker's "
            "output (the console channel prints the SMS)."
        )

    def _summary(self) -> str:
        lines = [
            f"Demo chain ready: {Clinic.objects.count()} clinics, "
            f"{Patient.objects.count()} patients.",
            f"Every demo login uses the password: {demo.DEMO_PASSWORD}",
            "  admin                administrator (all clinics, audit log, admin)",
        ]
        key = b32encode(unhexlify(demo.DEMO_TOTP_KEY)).decode()
        second_step = (
            "Second step (every login but reception.*): add the key "
            f"{key} to an authenticator app (one key for all demo logins), or run "
            "`python manage.py seed_demo --code` for the current 6-digit code."
        )
        for spec in demo.CLINICS:
            code = spec["code"]
            lines.append(
                f"  reception.{code}  manager.{code}  doctor.{code}  nurse.{code}"
                f"   ({spec['city']})"
            )
        lines.append(
            "  nurse.isb is unverified and nurse.lhe's PNMC registration has expired: neither "
            "records a consultation, patch test, plan or session. Nurses chart and patch-test; "
            "doctors also consult and plan."
        )
        lines.append(second_step)
        lines.append("Public guide (no login): /en/guide/ and /ur/guide/; clinics: /en/clinics/")
        lines.append(self._portal_login())
        lines.append(
            "Stock and recalls: /formulary/ (lot DM2609R is recalled at every clinic); "
            "protocols: /formulary/protocols/ (approved by doctor.isb)"
        )
        lines.append(
            "Clinical pathway (patient page → Clinical pathway): at each clinic the first demo "
            "patient is screened, patch-tested and consented, the second needs a dermatologist's "
            "review, the third is pregnant and refused."
        )
        lines.append(
            "Appointment book: every clinic has a week of bookings from today (consultations, "
            "sessions, patch-test readings, follow-ups), a Friday Jumu'ah break and the next "
            f"Eid closure; {schedule_demo.ON_LEAVE} is on leave on the fourth and fifth days. "
            "At the first clinic the ready patient's course is booked end to end (its remaining "
            "sessions and the maintenance visit): /appointments/<clinic>/week/<date>/."
        )
        lines.append(
            "Aftercare (/aftercare/clinics/<clinic>/queue/ and /adverse-events/): at Islamabad "
            "the ready patient answered the 24-hour check-in (mild redness, no alarm); at "
            "Rawalpindi a grade-2 swelling opened an adverse event and paused the course; at "
            "Lahore the same event is closed by the dermatologist; at Karachi the fourth "
            "patient's course has four sessions with the mMASI falling (/aftercare/courses/<id>/)."
        )
        return "\n".join(lines)
