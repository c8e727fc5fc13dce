"""The day and week views of a clinic's appointment book, in Karachi time.

The day is a grid: a row per quarter hour, a column per practitioner, each appointment in the
row its start falls in; on a narrow screen the same appointments are a plain list (CSS only).
Both read the book in one query (`selectors.book_between`) whatever the number of
appointments, plus the clinic, its practitioners and rooms for the filters, and one audit row:
the page shows patients' names."""

from datetime import date, datetime, time, timedelta

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mesoclinic.appointments import selectors
from mesoclinic.appointments.facts import local_zone
from mesoclinic.appointments.models import Appointment
from mesoclinic.appointments.views.common import (
    ScheduleMixin,
    card,
    clinic_for_user,
    day_range,
    practitioner_label,
    practitioners_at,
    rooms_at,
)
from mesoclinic.audit.services import Action, Interface, record_event

ROW = timedelta(minutes=15)
#: The hours the day grid always shows; an appointment outside them widens it.
FIRST_HOUR, LAST_HOUR = 8, 20


def _chosen(request, name, rows):
    """The filter's chosen row among `rows` (by id), or None for a missing or forged value."""
    wanted = request.GET.get(name, "")
    return next((row for row in rows if str(row.pk) == wanted), None)


def _read(request, slug, first: date, days: int):
    """The clinic, its filters and its appointments over `days` days from `first`."""
    clinic = clinic_for_user(request.user, slug)
    practitioners = list(practitioners_at(clinic.pk))
    rooms = list(rooms_at(clinic.pk))
    practitioner = _chosen(request, "practitioner", practitioners)
    room = _chosen(request, "room", rooms)
    start, end = day_range(first, days)
    appointments = list(
        selectors.book_between(
            request.user,
            clinic_id=clinic.pk,
            start=start,
            end=end,
            practitioner_id=practitioner and practitioner.pk,
            room_id=room and room.pk,
        )
    )
    record_event(
        actor=request.user,
        action=Action.LIST,
        via=Interface.WEB,
        object_type=Appointment._meta.label_lower,
        clinic_id=clinic.pk,
        detail={"results": len(appointments), "from": first.isoformat(), "days": days},
    )
    return {
        "clinic": clinic,
        "practitioners": practitioners,
        "rooms": rooms,
        "practitioner": practitioner,
        "room": room,
        "appointments": appointments,
        "cards": [card(a) for a in appointments],
        "query": request.GET.urlencode(),  # the filters, kept by prev/next/today
    }


def _grid(day: date, cards, columns):
    """Rows of quarter hours, each with a cell per column holding the cards starting in it."""
    zone = local_zone()
    first = min([FIRST_HOUR, *(c["starts"].hour for c in cards)])
    last = max([LAST_HOUR, *(c["ends"].hour + 1 for c in cards)])
    last = min(last, 24)
    by_cell = {}
    for c in cards:
        starts = c["starts"]
        slot = starts.replace(minute=starts.minute - starts.minute % 15, second=0, microsecond=0)
        by_cell.setdefault((c["appointment"].practitioner_id, slot.time()), []).append(c)
    rows = []
    moment = datetime.combine(day, time(first), tzinfo=zone)
    end = datetime.combine(day, time.min, tzinfo=zone) + timedelta(hours=last)
    while moment < end:
        rows.append(
            {
                "time": moment,
                "value": moment.strftime("%Y-%m-%dT%H:%M"),
                "cells": [
                    {"column": column, "cards": by_cell.get((column["id"], moment.time()), [])}
                    for column in columns
                ],
            }
        )
        moment += ROW
    return rows


class DayView(ScheduleMixin, View):
    def get(self, request, clinic_slug, day):
        context = _read(request, clinic_slug, day, 1)
        shown = [context["practitioner"]] if context["practitioner"] else context["practitioners"]
        columns = [{"id": p.pk, "label": practitioner_label(p)} for p in shown]
        # Someone who left the clinic (membership removed, account closed) keeps a column while
        # their appointments do: they still hold the room and the patient's time.
        listed = {p.pk for p in shown}
        for appointment in context["appointments"]:
            if appointment.practitioner_id and appointment.practitioner_id not in listed:
                listed.add(appointment.practitioner_id)
                columns.append(
                    {
                        "id": appointment.practitioner_id,
                        "label": practitioner_label(appointment.practitioner),
                    }
                )
        if any(a.practitioner_id is None for a in context["appointments"]):
            columns.append({"id": None, "label": practitioner_label(None)})
        context.update(
            day=day,
            columns=columns,
            rows=_grid(day, context["cards"], columns),
            previous=day - timedelta(days=1),
            next=day + timedelta(days=1),
            today=timezone.localdate(),
        )
        return render(request, "appointments/day.html", context)


class WeekView(ScheduleMixin, View):
    """Seven days from the Monday of the given date's week, each a list of its appointments."""

    def get(self, request, clinic_slug, day):
        monday = day - timedelta(days=day.weekday())
        context = _read(request, clinic_slug, monday, 7)
        days = [{"day": monday + timedelta(days=n), "cards": []} for n in range(7)]
        for c in context["cards"]:
            days[(c["starts"].date() - monday).days]["cards"].append(c)
        context.update(
            monday=monday,
            sunday=monday + timedelta(days=6),
            days=days,
            previous=monday - timedelta(days=7),
            next=monday + timedelta(days=7),
            today=timezone.localdate(),
        )
        return render(request, "appointments/week.html", context)


class TodayView(ScheduleMixin, View):
    """/appointments/<clinic>/: today's page of the book."""

    def get(self, request, clinic_slug):
        url = reverse("appointments:day", args=[clinic_slug, timezone.localdate()])
        return redirect(url)
