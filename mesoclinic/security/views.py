"""The second-factor pages under /security/: verify, enrol (authenticator app or passkey),
recovery codes and "my security". Thin: forms check the typing, services do the work."""

from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.views import (
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from mesoclinic.audit.services import Interface
from mesoclinic.security import second_factor_services as services
from mesoclinic.security.mfa_forms import AppCodeForm, RecoveryCodeForm
from mesoclinic.security.second_factor import is_required_now, is_verified
from mesoclinic.security.second_factor_services import Outcome


def next_of(request) -> str:
    """Where to go once done: the `next` asked for, when it is this site's, else the dashboard."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("dashboard")


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_of(request)})}"


def qr_svg(text: str) -> str:
    """The setup link as an inline SVG (no image request, no script)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode").split("?>", 1)[-1]


def _throttled_message(locked_until) -> str:
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    return _("Too many wrong codes. Wait %(seconds)s seconds, then try again with a new code.") % {
        "seconds": seconds
    }


def _answer(request, attempt, template, context, form, field):
    """The page again after a refused code: 429 while throttled, 400 for a wrong code."""
    if attempt.outcome is Outcome.THROTTLED:
        form.add_error(field, _throttled_message(attempt.locked_until))
        status = 429
    else:
        form.add_error(field, _("That code is not right. Check it and try again."))
        status = 400
    return render(request, template, context, status=status)


def _has_factor(user) -> bool:
    return any(services.factors_of(user).values())


@method_decorator(never_cache, name="dispatch")
class VerifyView(LoginRequiredMixin, View):
    """After the password: a code from the app, a passkey, or a recovery code."""

    template = "security/verify.html"

    def context(self, request, **forms):
        factors = services.factors_of(request.user)
        return {
            "has_app": bool(factors["app"]),
            "has_passkey": bool(factors["passkey"]),
            "has_recovery": services.recovery_codes_left(request.user) > 0,
            "next": next_of(request),
            "app_form": forms.get("app_form") or AppCodeForm(),
            "recovery_form": forms.get("recovery_form") or RecoveryCodeForm(),
        }

    def get(self, request):
        if is_verified(request.user):
            return redirect(next_of(request))
        if not _has_factor(request.user):
            if is_required_now(request.user):
                return redirect(_with_next("security:enrol", request))
            return redirect(next_of(request))
        return render(request, self.template, self.context(request))

    def post(self, request):
        if "recovery_code" in request.POST:
            form, field, key = RecoveryCodeForm(request.POST), "recovery_code", "recovery_form"
        else:
            form, field, key = AppCodeForm(request.POST), "code", "app_form"
        context = self.context(request, **{key: form})
        if not form.is_valid():
            return render(request, self.template, context, status=400)
        token = form.cleaned_data[field]
        if field == "code":
            attempt = services.verify_app_code(user=request.user, token=token, via=Interface.WEB)
        else:
            attempt = services.use_recovery_code(user=request.user, token=token, via=Interface.WEB)
        if attempt.outcome is not Outcome.ACCEPTED:
            return _answer(request, attempt, self.template, context, form, field)
        request.session.cycle_key()
        otp_login(request, attempt.device)
        if field == "recovery_code":
            messages.warning(
                request,
                _("Recovery code used; %(n)s left. Lost your phone? Remove it on Security.")
                % {"n": services.recovery_codes_left(request.user)},
            )
        return redirect(next_of(request))


class _EnrolBase(LoginRequiredMixin, View):
    """Enrolment is open without a proved factor only to someone who has none yet; anyone else
    proves one first (else a stolen password could add the thief's phone)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not is_verified(user) and _has_factor(user):
            return redirect(_with_next("security:verify", request))
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class EnrolAppView(_EnrolBase):
    template = "security/enrol_app.html"

    def context(self, request, device, form):
        return {
            "qr_svg": mark_safe(qr_svg(device.config_url)),  # noqa: S308 (made here, no input)
            "secret": spaced_key(device.bin_key),
            "form": form,
            "next": next_of(request),
            "required": is_required_now(request.user),
        }

    def get(self, request):
        device = services.pending_app(request.user)
        return render(request, self.template, self.context(request, device, AppCodeForm()))

    def post(self, request):
        device = services.pending_app(request.user)
        form = AppCodeForm(request.POST)
        context = self.context(request, device, form)
        if not form.is_valid():
            return render(request, self.template, context, status=400)
        attempt = services.confirm_app(
            user=request.user, device=device, token=form.cleaned_data["code"], via=Interface.WEB
        )
        if attempt.outcome is not Outcome.ACCEPTED:
            return _answer(request, attempt, self.template, context, form, "code")
        if not is_verified(request.user):
            request.session.cycle_key()
            otp_login(request, device)
        if services.recovery_codes_left(request.user) == 0:
            codes = services.regenerate_recovery_codes(
                actor=request.user, user=request.user, via=Interface.WEB
            )
            return render(
                request, "security/recovery_codes.html", {"codes": codes, "next": next_of(request)}
            )
        messages.success(request, _("Authenticator app added."))
        return redirect(next_of(request))


def spaced_key(key: bytes) -> str:
    text = b32encode(key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@method_decorator(never_cache, name="dispatch")
class EnrolPasskeyView(_EnrolBase):
    """The register button and django-otp-webauthn's own script (a static file; no inline
    script): the ceremony posts to the library's views under /security/webauthn/."""

    def get(self, request):
        return render(
            request,
            "security/enrol_passkey.html",
            {"next": next_of(request), "done_url": _with_next("security:passkey_done", request)},
        )


class PasskeyDoneView(LoginRequiredMixin, View):
    """Where the page goes after a passkey registered: recovery codes the first time."""

    def get(self, request):
        if not is_verified(request.user):
            return redirect(_with_next("security:verify", request))
        if services.recovery_codes_left(request.user) == 0:
            codes = services.regenerate_recovery_codes(
                actor=request.user, user=request.user, via=Interface.WEB
            )
            return render(
                request, "security/recovery_codes.html", {"codes": codes, "next": next_of(request)}
            )
        messages.success(request, _("Passkey added."))
        return redirect(next_of(request))


class AuditedPasskeyRegistration(CompleteCredentialRegistrationView):
    """django-otp-webauthn's registration, with the enrolment audited."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            services.record_passkey_enrolled(user=self.request.user, via=Interface.WEB)
        return response


class AuditedPasskeyAuthentication(CompleteCredentialAuthenticationView):
    """django-otp-webauthn's passkey check at the second step, audited like a code (a refusal
    is a failed sign-in the watcher counts), and with a new session key once proved, as the
    code path has: a session id seen before the second step is worth nothing after it."""

    def complete_auth(self, device):
        if self.request.user.is_authenticated:
            self.request.session.cycle_key()
        super().complete_auth(device)
        services.record_verification(
            user=device.user,
            attempt=services.Attempt(Outcome.ACCEPTED, device=device),
            kind="passkey",
            via=Interface.WEB,
        )

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except OTPWebAuthnApiError:
            if self.request.user.is_authenticated:
                services.record_verification(
                    user=self.request.user,
                    attempt=services.Attempt(Outcome.WRONG),
                    kind="passkey",
                    via=Interface.WEB,
                )
            raise


@method_decorator(never_cache, name="dispatch")
class MySecurityView(LoginRequiredMixin, View):
    """The person's own factors, with remove buttons, and their recovery codes."""

    def get(self, request):
        factors = services.factors_of(request.user)
        return render(
            request,
            "security/mine.html",
            {
                "apps": factors["app"],
                "passkeys": factors["passkey"],
                "codes_left": services.recovery_codes_left(request.user),
                "required": is_required_now(request.user),
                "has_factor": any(factors.values()),
            },
        )


class RemoveFactorView(LoginRequiredMixin, View):
    def post(self, request, kind, pk):
        if kind not in services.FACTORS:
            raise Http404
        try:
            removed = services.remove_factor(
                actor=request.user,
                user=request.user,
                kind=kind,
                pk=pk,
                required=is_required_now(request.user),
                via=Interface.WEB,
            )
        except services.FACTORS[kind].DoesNotExist:
            raise Http404 from None
        if removed:
            messages.success(request, _("Removed."))
        else:
            messages.error(
                request,
                _("This is your last second factor and your role needs one. Add another first."),
            )
        return redirect("security:mine")


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(LoginRequiredMixin, View):
    def get(self, request):
        return redirect("security:mine")

    def post(self, request):
        if not _has_factor(request.user):
            messages.error(request, _("Add an authenticator app or a passkey first."))
            return redirect("security:mine")
        codes = services.regenerate_recovery_codes(
            actor=request.user, user=request.user, via=Interface.WEB
        )
        return render(
            request,
            "security/recovery_codes.html",
            {"codes": codes, "next": reverse("security:mine")},
        )
