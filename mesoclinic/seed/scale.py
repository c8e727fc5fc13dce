"""Synthetic data for measuring a national chain: rows generated from (seed, row number) alone.

Each row draws from its own random generator seeded by the run's seed and the row's id, so the
data do not depend on the batch size or on the order rows are written in, and the same seed on
the same starting database gives the same rows. Identifiers that must be unique (CNIC, mobile,
MRN) are derived from the id through a bijection, so they never collide with each other; the
command drops a CNIC that an existing (e.g. demo) patient already holds. Pure Python.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from mesoclinic.seed.demo import FIRST_NAMES, LAST_NAMES, MOBILE_PREFIXES

#: Cities of the chain with a CNIC area code (the first five digits) for each.
CITIES = [
    ("Islamabad", "61101"),
    ("Rawalpindi", "37405"),
    ("Lahore", "35202"),
    ("Karachi", "42101"),
    ("Peshawar", "17301"),
    ("Quetta", "54400"),
    ("Multan", "36302"),
    ("Faisalabad", "33100"),
    ("Hyderabad", "41303"),
    ("Sialkot", "34603"),
]

BLOCK = 10**7  # seven digits of a CNIC's or mobile's body
# Multipliers coprime with 10**7 make `(id * m + c) % 10**7` a bijection on 0 … 10**7 - 1.
_CNIC_MULTIPLIER, _CNIC_OFFSET = 3_141_593, 2_718_281
_MOBILE_MULTIPLIER, _MOBILE_OFFSET = 7_654_321, 1_234_567


@dataclass(frozen=True)
class PatientRow:
    id: int
    clinic_index: int
    first_name: str
    last_name: str
    name_ur: str
    date_of_birth: date
    sex: str
    cnic: str
    mobile: str
    preferred_language: str
    fitzpatrick_type: int | None


def clinic_city(clinic_index: int) -> tuple[str, str]:
    """(city, CNIC area) of the chain's clinic number `clinic_index` (0-based)."""
    return CITIES[clinic_index % len(CITIES)]


def cnic_for(patient_id: int, area: str, sex: str) -> str:
    """A valid-format CNIC unique to `patient_id` within its area (last digit odd for men)."""
    body = (patient_id * _CNIC_MULTIPLIER + _CNIC_OFFSET) % BLOCK
    area_code = int(area) + patient_id // BLOCK  # stays unique past ten million patients
    last = (patient_id % 5) * 2 + (1 if sex == "male" else 0)
    return f"{area_code:05d}{body:07d}{last}"


def mobile_for(patient_id: int) -> str:
    """A valid Pakistani mobile (E.164) unique to `patient_id` (below 10**8)."""
    body = (patient_id * _MOBILE_MULTIPLIER + _MOBILE_OFFSET) % BLOCK
    prefix = MOBILE_PREFIXES[(patient_id // BLOCK) % len(MOBILE_PREFIXES)]
    return f"+92{prefix}{body:07d}"


def patient_row(seed: int, patient_id: int, *, clinics: int, today: date) -> PatientRow:
    rng = random.Random(f"{seed}:{patient_id}")
    first, first_ur, sex = rng.choice(FIRST_NAMES)
    last, last_ur = rng.choice(LAST_NAMES)
    clinic_index = rng.randrange(clinics)
    _city, area = clinic_city(clinic_index)
    born = today - timedelta(days=rng.randint(18 * 365, 65 * 365))
    return PatientRow(
        id=patient_id,
        clinic_index=clinic_index,
        first_name=first,
        last_name=last,
        name_ur=f"{first_ur} {last_ur}",
        date_of_birth=born,
        sex=sex,
        cnic=cnic_for(patient_id, area, sex),
        mobile=mobile_for(patient_id),
        preferred_language=rng.choice(["ur", "ur", "en"]),
        fitzpatrick_type=rng.choice([3, 4, 4, 5, None]),
    )


@dataclass(frozen=True)
class HistoryRow:
    """One patient's melasma course: planned sessions, those charted so far (at 14-day
    intervals from the course's start), the volume given each time and the injection points."""

    start: date
    planned: int
    charted: int
    volume_tenths: int  # mL × 10, so 15 means 1.5 mL
    points: int
    minute: int  # the sessions' start, minutes after 11:00 on their day


def history_for(seed: int, patient_id: int, *, today: date, sessions_per_patient: int):
    """The patient's course, or None when they only came for a consultation (about one in
    ten). `sessions_per_patient` is the mean number charted, 0 to 6."""
    rng = random.Random(f"{seed}:history:{patient_id}")
    if sessions_per_patient <= 0 or rng.random() < 0.1:
        return None
    planned = 6
    charted = min(planned, max(1, sessions_per_patient + rng.choice([-1, 0, 0, 1])))
    start = today - timedelta(days=14 * (charted - 1) + rng.randint(1, 400))
    return HistoryRow(
        start=start,
        planned=planned,
        charted=charted,
        volume_tenths=rng.choice([10, 15, 20, 20, 25]),
        points=rng.randint(20, 60),
        minute=rng.randrange(0, 8 * 60),
    )


# The chain's appointment book. Each clinic's time is a grid of cells, one hour of one
# practitioner on one working day (Monday to Saturday, 10:00–20:00): every default type's
# blocked range, buffers included, fits one hour. A practitioner's sessions use their own room.
# The patient of rank k at a clinic (the k-th registered there) has one visit in each of three
# windows of days after the anchor, in cell (k × MULTIPLIER) mod the window's cells: a
# bijection while k stays below the window's cells, so no two visits share a practitioner's,
# a room's or a patient's hour — the exclusion constraints hold by construction.
FIRST_HOUR, HOURS = 10, 10
WINDOWS = ((0, 150), (150, 300), (300, 455))
#: The share of a window's cells the patients fill, so the slot search still finds free times.
OCCUPANCY = 0.6
_MULTIPLIERS = (7_919, 7_927, 7_933)


@dataclass(frozen=True)
class Visit:
    day: date
    hour: int  # local hour the cell starts
    practitioner: int  # index into the clinic's practitioners (and rooms)
    code: str  # appointment type


def anchor_for(today: date) -> date:
    """The Monday a year or so before `today` that the book's windows count from."""
    start = today - timedelta(days=365)
    return start - timedelta(days=start.weekday())


def window_days(anchor: date, window: int) -> list[date]:
    first, last = WINDOWS[window]
    days = (anchor + timedelta(days=n) for n in range(first, last))
    return [day for day in days if day.weekday() != 6]


def practitioners_needed(patients_per_clinic: int) -> int:
    """Practitioners a clinic needs so its busiest window stays near OCCUPANCY."""
    cells = min(len(window_days(date(2024, 1, 1), w)) for w in range(len(WINDOWS))) * HOURS
    return max(1, -(-patients_per_clinic // int(cells * OCCUPANCY)))


def visits_for(rank: int, *, anchor: date, practitioners: int) -> list[Visit]:
    """The visits of the clinic's patient of rank `rank` (empty past the grid's capacity)."""
    visits = []
    for window, code in enumerate(
        ("consultation", "session", "follow_up" if rank % 3 else "session")
    ):
        days = window_days(anchor, window)
        capacity = len(days) * HOURS * practitioners
        if rank >= capacity:
            return []
        multiplier = next(m for m in _MULTIPLIERS if capacity % m)
        cell = rank * multiplier % capacity
        per_day = HOURS * practitioners
        visits.append(
            Visit(
                day=days[cell // per_day],
                hour=FIRST_HOUR + (cell % per_day) // practitioners,
                practitioner=cell % practitioners,
                code=code,
            )
        )
    return visits


# Aftercare at scale: each charted session's three scheduled check-ins (24 h, 72 h, 3 weeks),
# the answers of those already due, about one session in a hundred followed by an adverse event
# (a grade-2 swelling reported at the 72-hour check-in), and the course's mMASI falling session
# by session from its baseline. Every answer that is not an event stays within the default
# escalation rules (`aftercare.escalation`): expected effects at 24 h, gone by 72 h, a grade 1.
CHECK_IN_HOURS = (24, 72, 504)
EVENT_RATE = 0.01
#: An event on a course's latest session stays open this long (the clinic is working it up);
#: older ones, and any before a later session (the gate let that session through), are closed.
OPEN_EVENT_DAYS = 60
CLOSED_AFTER_DAYS = 10
LINK_VALID_DAYS = 14
MMASI_REGIONS = ("forehead", "right_malar", "left_malar", "chin")


@dataclass(frozen=True)
class CheckInPlan:
    hours: int
    answered_after: timedelta | None  # after the check-in was due; None: not answered (yet)
    skin: str = ""
    #: (code, patient's rating, still there) for each effect reported.
    effects: tuple[tuple[str, int, bool], ...] = ()


@dataclass(frozen=True)
class SessionAftercare:
    check_ins: tuple[CheckInPlan, ...]
    event: str | None  # None, "open" or "closed"


def aftercare_for(
    seed: int, patient_id: int, number: int, *, ended_at, now, latest: bool
) -> SessionAftercare:
    """Session `number` of the patient's course, ended at `ended_at`: its check-ins as answered
    by `now`, and whether an adverse event followed it (open only on the course's latest
    session, within OPEN_EVENT_DAYS)."""
    rng = random.Random(f"{seed}:aftercare:{patient_id}:{number}")
    event_drawn = rng.random() < EVENT_RATE
    plans, event = [], None
    for hours in CHECK_IN_HOURS:
        due = ended_at + timedelta(hours=hours)
        expired = due + timedelta(days=LINK_VALID_DAYS) <= now
        after = timedelta(hours=rng.uniform(0.5, 20))
        answered = due + after <= now and rng.random() < (0.75 if expired else 0.5)
        if hours == 72 and event_drawn and due + after <= now:
            opened = due + after
            recent = now - opened < timedelta(days=OPEN_EVENT_DAYS)
            event = "open" if latest and recent else "closed"
            plans.append(CheckInPlan(hours, after, "worried", (("swelling", 2, True),)))
            continue
        if not answered:
            plans.append(CheckInPlan(hours, None))
            continue
        draw = rng.random()
        if hours == 24 and draw < 0.4:
            effects = (("erythema", 1, True),) + ((("bruising", 1, True),) if draw < 0.1 else ())
            plans.append(CheckInPlan(hours, after, "some_problems", effects))
        elif hours == 72 and draw < 0.15:
            plans.append(CheckInPlan(hours, after, "some_problems", (("bruising", 1, False),)))
        elif hours == 504 and draw < 0.05:
            plans.append(CheckInPlan(hours, after, "some_problems", (("dark_patches", 1, True),)))
        else:
            plans.append(CheckInPlan(hours, after, "fine"))
    return SessionAftercare(tuple(plans), event)


def mmasi_grades(seed: int, patient_id: int, number: int) -> dict[str, dict[str, int]]:
    """The patient's mMASI grades at session `number` (0: the baseline before session one):
    drawn once per patient, then each region's area and darkness fall as sessions go on and
    never rise, so the course's score falls from its baseline."""
    rng = random.Random(f"{seed}:mmasi:{patient_id}")
    grades = {}
    for region in MMASI_REGIONS:
        top_area = 2 if region == "chin" else 5
        area = rng.randint(1, top_area)
        darkness = rng.randint(2, 4)
        area = max(0, area - number // 2)
        darkness = max(1, darkness - (number + 1) // 3) if area else 0
        grades[region] = {"area": area, "darkness": darkness}
    return grades
