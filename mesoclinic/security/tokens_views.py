"""The token page: a signed-in staff member's own API tokens (prefix, name, scope, created,
expires, last used), and the forms that create (the key shown once, on the answer to the POST,
never again), rotate and revoke them. Another person's token is 404 here; administrators revoke
anyone's in the admin. Each action is one service call in `accounts.tokens`, audited there."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from mesoclinic.accounts import tokens
from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.accounts.models import TokenScope
from mesoclinic.audit.services import Interface


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What it is for"), max_length=100, required=False, help_text=_("e.g. lab import")
    )
    scope = forms.ChoiceField(label=_("Access"), choices=TokenScope.choices, initial="read")
    # The longest lifetime is checked by the service (`tokens.check_days`), with its message.
    days = forms.IntegerField(
        label=_("Days until it expires"), min_value=1, initial=settings.API_TOKEN_DEFAULT_DAYS
    )


class RotateForm(forms.Form):
    overlap_hours = forms.IntegerField(
        label=_("Hours the old token keeps working"),
        min_value=0,
        max_value=settings.API_TOKEN_MAX_OVERLAP_HOURS,
        initial=24,
    )


class TokenListView(StaffRequiredMixin, View):
    def get(self, request):
        return _page(request, NewTokenForm())

    def post(self, request):
        form = NewTokenForm(request.POST)
        if not form.is_valid():
            return _page(request, form, status=400)
        try:
            token, key = tokens.issue_token(
                acting_user=request.user,
                user=request.user,
                via=Interface.WEB,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return _page(request, form, status=400)
        return _page(request, NewTokenForm(), new_token=token, new_key=key)


class TokenRotateView(StaffRequiredMixin, View):
    def post(self, request, pk):
        token = tokens.get_token_for_user(request.user, pk)
        form = RotateForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["overlap_hours"]))
            return redirect("security_tokens:list")
        try:
            new, key = tokens.rotate_token(
                acting_user=request.user,
                token=token,
                via=Interface.WEB,
                overlap_hours=form.cleaned_data["overlap_hours"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("security_tokens:list")
        return _page(request, NewTokenForm(), new_token=new, new_key=key, rotated=token)


class TokenRevokeView(StaffRequiredMixin, View):
    def post(self, request, pk):
        token = tokens.get_token_for_user(request.user, pk)
        if tokens.revoke_token(acting_user=request.user, token=token, via=Interface.WEB):
            messages.success(
                request, gettext("Token %(prefix)s… revoked.") % {"prefix": token.prefix}
            )
        return redirect("security_tokens:list")


def _page(request, form, *, status=200, **extra):
    return render(
        request,
        "security/tokens.html",
        {
            "form": form,
            "rotate_form": RotateForm(),
            "tokens": tokens.tokens_of(request.user),
            **extra,
        },
        status=status,
    )
