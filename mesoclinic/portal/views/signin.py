"""Signing in to the portal without a password: the mobile number on the record and the date
of birth (page 1), then the one-time code sent to that number (page 2); a patient who added an
authenticator app proves it next (page 3). Signing out. And the page where a patient adds an
authenticator app (a stronger factor, never required of a patient).

Page 1 answers the same whether or not a clinic holds the number: it always moves on to page 2
("if these are on a clinic's record, a code is on its way"), and refuses only by the limits,
which count every number alike (`portal/signin.py`). The attempt id lives in the session, so a
code works only in the browser that asked for it.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from mesoclinic.core import addresses
from mesoclinic.portal import signin
from mesoclinic.portal.access import SECOND_FACTOR_PENDING, is_patient
from mesoclinic.portal.signin_forms import CodeForm, NumberForm
from mesoclinic.portal.signin_rules import Outcome, Refusal
from mesoclinic.portal.views.common import VIA, PatientView
from mesoclinic.security import second_factor_services as factors
from mesoclinic.security.mfa_forms import AppCodeForm, RecoveryCodeForm
from mesoclinic.security.second_factor import facts_of, is_verified
from mesoclinic.security.second_factor_policy import Route, route
from mesoclinic.security.views import qr_svg, spaced_key

ATTEMPT = "portal.attempt"  # the sign-in attempt's id (its token), in the session
NEXT = "portal.next"
BACKEND = "mesoclinic.accounts.backends.CachedModelBackend"


def safe_next(request, wanted: str | None) -> str:
    """`wanted` when it is a page of this site (not the sign-in pages), else the portal's home."""
    if (
        wanted
        and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and reverse("portal:sign_in") not in wanted
    ):
        return wanted
    return reverse("portal:home")


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _retry_text(retry_at) -> str:
    when = formats.time_format(timezone.localtime(retry_at), "H:i") if retry_at else ""
    return _("Too many codes were asked for. Try again after %(time)s, or call your clinic.") % {
        "time": when
    }


@method_decorator(never_cache, name="dispatch")
class SignInView(View):
    """Page 1: the mobile number and the date of birth."""

    template = "portal/sign_in.html"

    def get(self, request):
        if is_patient(request.user):
            return redirect(safe_next(request, request.GET.get("next")))
        form = NumberForm()
        return render(request, self.template, self._context(request, form))

    def _context(self, request, form, **extra):
        return {
            "form": form,
            "next": request.GET.get("next") or request.POST.get("next") or "",
            "signed_in_nav": False,
            **extra,
        }

    def post(self, request):
        form = NumberForm(request.POST)
        if not form.is_valid():
            return render(request, self.template, self._context(request, form), status=400)
        answer = signin.request_code(
            mobile=form.cleaned_data["mobile"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            language=get_language(),
            client_address=addresses.client_address(request),
        )
        if not answer.allowed:
            context = self._context(request, form, refusal=_retry_text(answer.retry_at))
            return render(request, self.template, context, status=429)
        request.session[ATTEMPT] = answer.attempt.token
        request.session[NEXT] = safe_next(request, request.POST.get("next"))
        return redirect("portal:sign_in_code")


@method_decorator(never_cache, name="dispatch")
class CodeView(View):
    """Page 2: the code from the message."""

    template = "portal/sign_in_code.html"

    def get(self, request):
        if not request.session.get(ATTEMPT):
            return redirect("portal:sign_in")
        return render(request, self.template, self._context(CodeForm()))

    def _context(self, form, **extra):
        return {
            "form": form,
            "minutes": signin.limits().code_minutes,
            "signed_in_nav": False,
            **extra,
        }

    def post(self, request):
        token = request.session.get(ATTEMPT)
        if not token:
            return redirect("portal:sign_in")
        form = CodeForm(request.POST)
        if not form.is_valid():
            return render(request, self.template, self._context(form), status=400)
        checked = signin.check_code(token=token, code=form.cleaned_data["code"])
        if checked.outcome is not Outcome.ACCEPTED:
            return self._refused(request, form, checked)
        target = request.session.get(NEXT) or reverse("portal:home")
        # login() gives the session a new key (the id seen before the code is worth nothing
        # after it); the receivers audit the sign-in (interface "portal") and stamp the idle
        # timeout (security.sessions.started).
        login(request, checked.user, backend=BACKEND)
        if route(facts_of(checked.user, verified=False)) is Route.VERIFY:
            request.session[SECOND_FACTOR_PENDING] = True
            return redirect(_with_next("portal:verify", target))
        return redirect(safe_next(request, target))

    def _refused(self, request, form, checked):
        if checked.outcome is Outcome.WRONG:
            form.add_error(
                "code",
                _("That code is not right. Tries left for this code: %(n)s.")
                % {"n": checked.tries_left},
            )
            return render(request, self.template, self._context(form), status=400)
        # Spent, used, expired, locked or not this session's: only a new code can help.
        request.session.pop(ATTEMPT, None)
        if checked.reasons == (Refusal.NO_RECORD,):
            # The right code, but the records cannot be one person's account (twins on one
            # phone) or changed since: the clinic sorts it out, the portal guesses nothing.
            form.add_error(
                "code",
                _(
                    "The code is right, but your records cannot be opened online. "
                    "Please call your clinic."
                ),
            )
            return render(request, self.template, self._context(form, start_again=True), status=403)
        if checked.locked:
            text = _(
                "Too many wrong codes. Signing in with this number is paused for a while; "
                "try again later or call your clinic."
            )
        else:
            text = _("This code can no longer be used. Ask for a new one.")
        form.add_error("code", text)
        return render(request, self.template, self._context(form, start_again=True), status=429)


@method_decorator(never_cache, name="dispatch")
class VerifyView(View):
    """Page 3, for a patient who added an authenticator app: its code, or a recovery code."""

    template = "portal/sign_in_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if not is_patient(request.user):
            return redirect("portal:sign_in")
        if is_verified(request.user) or not (
            request.session.get(SECOND_FACTOR_PENDING)
            # sent here by the staff gate from a session that began before the app was added:
            # the policy decides (one query), else the two pages would send it to and fro
            or route(facts_of(request.user, verified=False)) is Route.VERIFY
        ):
            return redirect(safe_next(request, request.GET.get("next")))
        return super().dispatch(request, *args, **kwargs)

    def _context(self, request, **forms):
        return {
            "app_form": forms.get("app_form") or AppCodeForm(),
            "recovery_form": forms.get("recovery_form") or RecoveryCodeForm(),
            "next": safe_next(request, request.GET.get("next") or request.POST.get("next")),
            "signed_in_nav": False,
        }

    def get(self, request):
        return render(request, self.template, self._context(request))

    def post(self, request):
        if "recovery_code" in request.POST:
            form, field, key = RecoveryCodeForm(request.POST), "recovery_code", "recovery_form"
        else:
            form, field, key = AppCodeForm(request.POST), "code", "app_form"
        context = self._context(request, **{key: form})
        if not form.is_valid():
            return render(request, self.template, context, status=400)
        token = form.cleaned_data[field]
        if field == "code":
            attempt = factors.verify_app_code(user=request.user, token=token, via=VIA)
        else:
            attempt = factors.use_recovery_code(user=request.user, token=token, via=VIA)
        if attempt.outcome is not factors.Outcome.ACCEPTED:
            if attempt.outcome is factors.Outcome.THROTTLED:
                form.add_error(field, _("Too many wrong codes. Wait a minute, then try again."))
                return render(request, self.template, context, status=429)
            form.add_error(field, _("That code is not right. Check it and try again."))
            return render(request, self.template, context, status=400)
        request.session.cycle_key()
        otp_login(request, attempt.device)
        request.session.pop(SECOND_FACTOR_PENDING, None)
        return redirect(context["next"])


class SignOutView(View):
    def post(self, request):
        logout(request)  # audited by the receivers (interface "portal")
        return redirect("portal:sign_in")


class AuthenticatorView(PatientView):
    """A stronger factor, offered: an authenticator app (TOTP), through the security app's
    services. Never required of a patient; once added, every sign-in asks for it."""

    template = "portal/authenticator.html"

    def _context(self, request, form, device):
        apps = factors.factors_of(request.user)["app"]
        context = {"apps": apps, "form": form, "nav": "authenticator"}
        if device is not None:
            context["qr_svg"] = mark_safe(qr_svg(device.config_url))  # noqa: S308 (made here)
            context["secret"] = spaced_key(device.bin_key)
        return context

    def get(self, request):
        has_app = bool(factors.factors_of(request.user)["app"])
        device = None if has_app else factors.pending_app(request.user)
        return render(request, self.template, self._context(request, AppCodeForm(), device))

    def post(self, request):
        if factors.factors_of(request.user)["app"]:
            return redirect("portal:authenticator")
        device = factors.pending_app(request.user)
        form = AppCodeForm(request.POST)
        context = self._context(request, form, device)
        if not form.is_valid():
            return render(request, self.template, context, status=400)
        attempt = factors.confirm_app(
            user=request.user, device=device, token=form.cleaned_data["code"], via=VIA
        )
        if attempt.outcome is not factors.Outcome.ACCEPTED:
            form.add_error("code", _("That code is not right. Check it and try again."))
            status = 429 if attempt.outcome is factors.Outcome.THROTTLED else 400
            return render(request, self.template, context, status=status)
        request.session.cycle_key()
        otp_login(request, device)
        codes = factors.regenerate_recovery_codes(actor=request.user, user=request.user, via=VIA)
        messages.success(request, _("Authenticator app added."))
        return render(request, "portal/recovery_codes.html", {"codes": codes})
