"""The security middleware, in the order settings.MIDDLEWARE runs them. Each is filled in by its
own module; these names are what settings refer to."""

from mesoclinic.security import headers, second_factor, sessions


class IdleTimeoutMiddleware:
    """Ends a staff session idle for longer than its clinics allow (see `sessions.py`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return sessions.check(request) or self.get_response(request)


class SecondFactorMiddleware:
    """Sends a signed-in person who must prove a second factor to do so first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return second_factor.gate(request, self.get_response)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header (browser features the site never uses, switched off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return headers.add_permissions_policy(self.get_response(request))
