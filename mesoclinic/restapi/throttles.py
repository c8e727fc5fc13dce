"""The API's rate limit: one counter per API token, else per signed-in user, else per client
address, in the shared cache every worker sees (`accounts.limits`).

Rates come from settings.API_THROTTLE_RATES ("token", "user", "anon"), read on each request so
a deployment (or a test) can change them; "off" switches one off. A refused request gets 429 with
Retry-After: the seconds until the current window ends."""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from mesoclinic.accounts import limits
from mesoclinic.accounts.models import ApiToken
from mesoclinic.core.rates import parse_rate


class ApiRateThrottle(BaseThrottle):
    """Keyed by the token when the request carries one (two integrations of one user have two
    budgets), else by the user, else by the address."""

    def allow_request(self, request, view):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            scope, ident = "token", str(token.pk)
        elif request.user and request.user.is_authenticated:
            scope, ident = "user", str(request.user.pk)
        else:
            scope, ident = "anon", limits.address_tag(request)
        rate = parse_rate(settings.API_THROTTLE_RATES.get(scope))
        if rate is None:
            return True
        count, self._left = limits.count_hit(f"api-throttle:{scope}:{ident}", rate.seconds)
        return count <= rate.requests

    def wait(self):
        return limits.retry_after(self._left)
