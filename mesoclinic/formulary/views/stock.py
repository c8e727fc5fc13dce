"""Staff pages for stock and recalls. Thin: forms validate, selectors read (scoped by
`Lot.objects.for_user`), services write. Actions a role may not take answer 403."""

import csv
from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import scoping
from mesoclinic.clinics.selectors import clinics_for_user
from mesoclinic.core.pages import keyset_cursor, pk_url, refuse_with_messages, submit
from mesoclinic.formulary import access, selectors, services, stock
from mesoclinic.formulary.forms import (
    LotStatusForm,
    MovementForm,
    RecallProductForm,
    ReceiveLotForm,
)
from mesoclinic.formulary.lot_words import blocker_messages
from mesoclinic.formulary.models import Lot, Product

VIA = Interface.WEB


class StockView(StaffRequiredMixin, View):
    """The clinic's shelf: what expires soon, what runs low, and every lot (keyset pages)."""

    def get(self, request):
        user = request.user
        clinic = request.GET.get("clinic", "")[:80]
        status = request.GET.get("status", "")[:20]
        query = request.GET.get("q", "")[:40]
        context = {
            "page": selectors.lot_page(
                user,
                clinic=clinic,
                status=status,
                query=query,
                before=keyset_cursor(request.GET.get("before")),
            ),
            "expiring": list(selectors.expiring_lots(user, clinic=clinic)[:50]),
            "low": selectors.low_stock(user, clinic=clinic),
            "clinics": clinics_for_user(user).only("slug", "name"),
            "clinic": clinic,
            "status": status,
            "query": query,
            "lot_statuses": Lot.Status.choices,
            "can_receive": access.can_handle_stock(user),
            "days": selectors.EXPIRY_WARNING_DAYS,
        }
        return render(request, "formulary/stock.html", context)


class ReceiveLotView(StaffRequiredMixin, View):
    def has_access(self, user):
        return access.can_handle_stock(user)

    def get(self, request):
        form = ReceiveLotForm(clinics=clinics_for_user(request.user))
        return render(request, "formulary/receive.html", {"form": form})

    def post(self, request):
        form = ReceiveLotForm(request.POST, clinics=clinics_for_user(request.user))
        lot = submit(
            form,
            lambda data: services.receive_lot(
                acting_user=request.user,
                via=VIA,
                clinic=data["clinic"],
                product=data["product"],
                lot_number=data["lot_number"],
                expires_on=data["expires_on"],
                received_on=data["received_on"],
                quantity=data["quantity"],
            ),
        )
        if lot is not None:
            messages.success(request, _("Lot %(lot)s received.") % {"lot": lot.lot_number})
            return redirect("formulary:lot", pk=lot.pk)
        return render(request, "formulary/receive.html", {"form": form}, status=400)


class LotView(StaffRequiredMixin, View):
    """A lot: its state, its ledger, and the forms for what this user may do with it."""

    def get(self, request, pk):
        lot = selectors.get_lot_for_user(request.user, pk, via=VIA)
        return self.render_lot(request, lot)

    def render_lot(self, request, lot, *, movement_form=None, status_form=None, status=200):
        user = request.user
        movements, next_cursor = selectors.ledger_page(
            user, lot, before=keyset_cursor(request.GET.get("before"))
        )
        shown = sum(1 for m in movements if m.patient_id)
        if shown:
            # The ledger names patients (by MRN): a read of patient data, audited as a listing.
            selectors.audit_patient_listing(user, via=VIA, count=shown, ledger_of_lot=lot.pk)
        can_stock, can_manage = access.can_handle_stock(user), access.can_manage_lots(user)
        # Why the lot cannot be used at all now (the open vial is shown separately).
        blockers = blocker_messages(
            stock.use_blockers(
                replace(lot.state, multi_dose=False), today=timezone.localdate(), now=timezone.now()
            )
        )
        context = {
            "lot": lot,
            "movements": movements,
            "next_cursor": next_cursor,
            "blockers": blockers,
            "vial_discard_at": lot.vial_discard_at,
            "movement_form": movement_form
            or (MovementForm(user=user, lot=lot) if can_stock else None),
            # A recall is final: a recalled lot offers no status change.
            "status_form": status_form
            or (
                LotStatusForm(initial={"status": lot.status})
                if can_manage and lot.status != Lot.Status.RECALLED
                else None
            ),
            "can_manage": can_manage,
            # The lot's adverse events (aftercare's register, linked by URL name only).
            "reads_clinical": scoping.reaches(user, scoping.Kind.CLINICAL),
            "can_open_vial": can_stock and lot.product.multi_dose and not blockers,
        }
        return render(request, "formulary/lot.html", context, status=status)


class MovementView(LotView):
    http_method_names = ["post"]

    def has_access(self, user):
        return access.can_handle_stock(user)

    def post(self, request, pk):
        lot = selectors.get_lot_for_user(request.user, pk, via=VIA)
        form = MovementForm(request.POST, user=request.user, lot=lot)
        movement = submit(
            form,
            lambda data: services.record_movement(
                acting_user=request.user,
                via=VIA,
                lot=lot,
                kind=data["kind"],
                quantity=data["quantity"],
                increase=data["increase"],
                patient=data["patient"],
                note=data["note"],
            ),
        )
        if movement is not None:
            messages.success(
                request,
                _("Recorded. Balance: %(b)s %(unit)s.")
                % {"b": lot.balance, "unit": lot.product.stock_unit},
            )
            return redirect("formulary:lot", pk=lot.pk)
        return self.render_lot(request, lot, movement_form=form, status=400)


class OpenVialView(LotView):
    http_method_names = ["post"]

    def has_access(self, user):
        return access.can_handle_stock(user)

    def post(self, request, pk):
        lot = selectors.get_lot_for_user(request.user, pk, via=VIA)
        try:
            services.open_vial(acting_user=request.user, via=VIA, lot=lot)
        except ValidationError as exc:
            refuse_with_messages(request, exc)
        else:
            messages.success(request, _("A new vial is open; its discard time has started."))
        return redirect("formulary:lot", pk=lot.pk)


class LotStatusView(LotView):
    http_method_names = ["post"]

    def has_access(self, user):
        return access.can_manage_lots(user)

    def post(self, request, pk):
        lot = selectors.get_lot_for_user(request.user, pk, via=VIA)
        form = LotStatusForm(request.POST)
        changed = submit(
            form,
            lambda data: services.set_lot_status(
                acting_user=request.user,
                via=VIA,
                lot=lot,
                status=data["status"],
                reason=data["reason"],
            ),
        )
        if changed is not None:
            messages.success(request, _("Status saved: %(s)s.") % {"s": lot.get_status_display()})
            return redirect("formulary:lot", pk=lot.pk)
        return self.render_lot(request, lot, status_form=form, status=400)


RECIPIENT_COLUMNS = (
    "used_at",
    "clinic",
    "product",
    "lot_number",
    "quantity",
    "mrn",
    "patient",
    "mobile",
    "preferred_language",
)


#: A cell starting with one of these is a formula to a spreadsheet: a patient "named"
#: =HYPERLINK(…) would run when the manager opens the export.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _recipient_row(movement) -> list[str]:
    patient = movement.patient
    return [
        _cell(value)
        for value in [
            timezone.localtime(movement.recorded_at).strftime("%Y-%m-%d %H:%M"),
            movement.lot.clinic.name,
            movement.lot.product.brand,
            movement.lot.lot_number,
            f"{-movement.quantity:f}",
            patient.mrn or "",
            f"{patient.first_name} {patient.last_name}".strip(),
            patient.mobile_display,  # "0300 1234567": a leading + would read as a formula
            patient.preferred_language,
        ]
    ]


class RecipientsView(StaffRequiredMixin, View):
    """Who received a lot (every clinic's row of it that this user may see), with contacts;
    `?format=csv` downloads every row. Administrators and clinic managers only."""

    def has_access(self, user):
        return access.can_manage_lots(user)

    def subject(self, request, pk):
        lot = selectors.get_lot_for_user(request.user, pk, via=VIA)
        return {"lot": lot}, {"recall_of_lot": lot.pk}

    def get(self, request, pk):
        subject, audit_subject = self.subject(request, pk)
        if request.GET.get("format") == "csv":
            movements = selectors.recall_recipients(request.user, **subject).iterator(
                chunk_size=2000
            )
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="recall-recipients.csv"'
            response.write("\ufeff")  # Excel reads UTF-8 (Urdu names) only with a BOM
            writer = csv.writer(response)
            writer.writerow(RECIPIENT_COLUMNS)
            count = 0
            for movement in movements:
                writer.writerow(_recipient_row(movement))
                count += 1
            selectors.audit_patient_listing(request.user, via=VIA, count=count, **audit_subject)
            return response
        page = selectors.recipient_page(
            request.user, before=keyset_cursor(request.GET.get("before")), **subject
        )
        selectors.audit_patient_listing(
            request.user, via=VIA, count=len(page.movements), **audit_subject
        )
        patient_url, session_url = pk_url("patients:detail"), pk_url("care:session")
        rows = [
            (m, patient_url(m.patient.pk), m.session_id and session_url(m.session_id))
            for m in page.movements
        ]
        return render(request, "formulary/recipients.html", {"page": page, "rows": rows, **subject})


def _get_product(pk) -> Product:
    """Products are chain-wide catalogue data: a missing one is a plain 404."""
    try:
        return Product.objects.get(pk=int(pk))
    except (Product.DoesNotExist, ValueError):
        raise Http404("No such product.") from None


class ProductRecipientsView(RecipientsView):
    def has_access(self, user):
        return access.is_administrator(user)

    def subject(self, request, pk):
        product = _get_product(pk)
        return {"product": product}, {"recall_of_product": product.pk}


class RecallProductView(StaffRequiredMixin, View):
    def has_access(self, user):
        return access.is_administrator(user)

    def post(self, request, pk):
        product = _get_product(pk)
        form = RecallProductForm(request.POST)
        if form.is_valid():
            count = services.recall_product(
                acting_user=request.user,
                via=VIA,
                product=product,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("%(n)s lots recalled.") % {"n": count})
        else:
            messages.error(request, _("Give the recall notice."))
        return redirect("formulary:products")
