"""The second-factor gate in front of every signed-in request (SecondFactorMiddleware's logic).

django-otp's OTPMiddleware has already said whether this session proved a factor
(`request.user.is_verified()`, one query for the device the session names). When it has not,
one more query gathers the rest (`facts_of`): a confirmed authenticator app or passkey, and
whether one of the person's active clinics asks it of receptionists. `second_factor_policy`
decides. Pages are sent to verify or enrol; the JSON API answers 403, since a script cannot
type a code; requests carrying an API token are the API's to authenticate, never a session's.
"""

from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from mesoclinic.accounts.authentication import TOKEN_KEYWORDS
from mesoclinic.accounts.roles import is_patient_account, roles_of
from mesoclinic.clinics.models import Membership
from mesoclinic.security.second_factor_policy import Facts, Route, is_exempt, is_required, route

#: The machine interfaces: the JSON API and FHIR answer with their own 401/403 bodies.
API_PREFIX = ("/api/", "/fhir/")


@cache
def exempt_prefixes() -> tuple[str, ...]:
    """Computed on first use, once the URLconf can be reversed."""
    languages = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    return (
        reverse("login"),
        reverse("logout"),
        reverse("security:verify"),
        reverse("security:enrol"),  # and the passkey enrolment below it
        "/security/webauthn/",  # the passkey ceremonies check verification themselves
        settings.STATIC_URL,
        reverse("health"),
        "/i18n/",
        "/hooks/",
        "/calendar-feeds/",
        "/sitemap.xml",
        "/favicon.ico",
        "/robots.txt",
        *languages,
    )


def facts_of(user, *, verified: bool) -> Facts:
    """The policy's facts for a signed-in person, in one query (plus the roles, read once per
    request and shared with the views)."""
    if verified:
        return Facts(verified=True, required=False, has_factor=True)
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            has_passkey=Exists(
                WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            clinic_requires=Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"),
                    clinic__is_active=True,
                    clinic__receptionists_need_second_factor=True,
                )
            ),
        )
        .values_list("has_app", "has_passkey", "clinic_requires")
        .get()
    )
    has_app, has_passkey, clinic_requires = row
    return Facts(
        verified=False,
        required=required_for(user, a_clinic_requires_receptionists=clinic_requires),
        has_factor=has_app or has_passkey,
    )


def required_for(user, *, a_clinic_requires_receptionists: bool) -> bool:
    return is_required(
        roles=roles_of(user),
        is_superuser=user.is_superuser,
        a_clinic_requires_receptionists=a_clinic_requires_receptionists,
    )


def is_required_now(user) -> bool:
    """Whether this person must have a second factor (for pages that refuse removing the last)."""
    clinic_requires = Membership.objects.filter(
        user=user, clinic__is_active=True, clinic__receptionists_need_second_factor=True
    ).exists()
    return required_for(user, a_clinic_requires_receptionists=clinic_requires)


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def _carries_api_token(request) -> bool:
    """`Authorization: Token …` (or `Bearer …`): the API authenticates it (or refuses it) and
    never falls back to the session, so the session's second factor is not the question."""
    keyword, _sep, key = request.headers.get("Authorization", "").partition(" ")
    return keyword.lower() in TOKEN_KEYWORDS and bool(key.strip())


def gate(request, get_response):
    path = request.path_info
    if is_exempt(path, exempt_prefixes=exempt_prefixes()):
        return get_response(request)
    is_api = path.startswith(API_PREFIX)
    if is_api and _carries_api_token(request):
        return get_response(request)
    user = request.user
    if not user.is_authenticated:
        return get_response(request)
    where = route(facts_of(user, verified=is_verified(user)))
    if where is Route.PASS:
        return get_response(request)
    if path.startswith("/fhir/"):
        # FHIR clients read every error as an OperationOutcome (fhir/http.py's, inlined: the
        # fhir face stands above this floor).
        return JsonResponse(
            {
                "resourceType": "OperationOutcome",
                "issue": [
                    {
                        "severity": "error",
                        "code": "forbidden",
                        "diagnostics": "Prove your second factor on the security page first.",
                    }
                ],
            },
            status=403,
            content_type="application/fhir+json",
        )
    if is_api:
        return JsonResponse(
            {
                "detail": _("Prove your second factor on the security page first."),
                "code": "second_factor_required",
            },
            status=403,
        )
    if where is Route.VERIFY and is_patient_account(user):
        # A patient proves their factor on the portal's page, in their language.
        target = resolve_url(settings.PORTAL_VERIFY_URL)
    else:
        target = reverse("security:verify" if where is Route.VERIFY else "security:enrol")
    target = f"{target}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        # htmx would swap the verify page into a fragment; send the whole window there.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)
