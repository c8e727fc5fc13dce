"""/security/tokens/: the signed-in person's own API tokens (security/tokens_views.py)."""

from django.urls import path

from mesoclinic.security import tokens_views

app_name = "security_tokens"

urlpatterns = [
    path("", tokens_views.TokenListView.as_view(), name="list"),
    path("<int:pk>/rotate/", tokens_views.TokenRotateView.as_view(), name="rotate"),
    path("<int:pk>/revoke/", tokens_views.TokenRevokeView.as_view(), name="revoke"),
]
