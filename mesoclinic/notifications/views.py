"""Provider callbacks: no login, no CSRF token (a provider cannot have one); each request is
verified by its HMAC signature over the raw body before anything is read from it.

- GET /hooks/whatsapp/: Meta's subscription check (hub.verify_token must match).
- POST /hooks/whatsapp/: statuses and inbound messages, signed X-Hub-Signature-256.
- POST /hooks/sms/: the SMS gateway's delivery report, signed X-Gateway-Signature.

A bad or missing signature answers 403 and changes nothing; malformed JSON 400; an unknown
message id is ignored (200: the provider must not resend it for days). Logs name no address.
"""

import hmac
import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.notifications import deliveries, signatures, webhooks

logger = logging.getLogger("mesoclinic.notifications")


def _config(name: str) -> dict:
    return getattr(settings, name, None) or {}


def _signed_json(request, secret: str, header: str):
    """The request's JSON if its signature is good, else the response to send instead."""
    try:
        body = request.body
    except RequestDataTooBig:
        return None, HttpResponse(status=413)
    if not secret:
        logger.warning("provider callback refused: no secret is configured for %s", request.path)
    if not signatures.is_valid(secret, body, request.headers.get(header)):
        return None, HttpResponseForbidden("Bad signature.")
    try:
        return json.loads(body), None
    except ValueError:
        return None, JsonResponse({"error": "The body is not JSON."}, status=400)


def _whatsapp_verify(request):
    token = _config("NOTIFICATIONS_WHATSAPP").get("VERIFY_TOKEN") or ""
    given = request.GET.get("hub.verify_token", "")
    if (
        request.GET.get("hub.mode") == "subscribe"
        and token
        and hmac.compare_digest(given.encode(), token.encode())
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden("Verification failed.")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp(request):
    if request.method == "GET":
        return _whatsapp_verify(request)
    secret = _config("NOTIFICATIONS_WHATSAPP").get("APP_SECRET") or ""
    payload, refusal = _signed_json(request, secret, "X-Hub-Signature-256")
    if refusal is not None:
        return refusal
    try:
        statuses, inbound = webhooks.whatsapp(payload)
    except webhooks.Malformed:
        return JsonResponse({"error": "Not a WhatsApp webhook."}, status=400)
    changed = sum(
        deliveries.record_status(
            channel="whatsapp",
            provider_message_id=report.provider_message_id,
            status=report.status,
            at=report.at,
            error_code=report.error_code,
        )
        for report in statuses
    )
    for message in inbound:
        deliveries.record_inbound(channel="whatsapp", address=message.sender, at=message.at)
    return JsonResponse({"statuses": len(statuses), "changed": changed, "inbound": len(inbound)})


@csrf_exempt
@require_POST
def sms(request):
    secret = _config("NOTIFICATIONS_SMS").get("WEBHOOK_SECRET") or ""
    payload, refusal = _signed_json(request, secret, "X-Gateway-Signature")
    if refusal is not None:
        return refusal
    try:
        report = webhooks.sms_report(payload)
    except webhooks.Malformed:
        return JsonResponse({"error": "Not a delivery report."}, status=400)
    changed = deliveries.record_status(
        channel="sms",
        provider_message_id=report.provider_message_id,
        status=report.status,
        at=report.at,
        error_code=report.error_code,
    )
    return JsonResponse({"changed": int(changed)})
