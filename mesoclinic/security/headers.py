"""The Permissions-Policy header: the browser features mesoclinic never uses are switched off
for every page, so a script that got in anyway (or a page of ours framed elsewhere) cannot turn
on the camera, the microphone or a payment sheet.

What stays on, and why:
- `publickey-credentials-get` / `-create` for this site only: staff sign in with passkeys.
- Nothing else. Photos are taken with `<input type="file" capture>`, which hands over to the
  phone's camera app and needs no camera permission; the clinic finder asks for a city, not the
  visitor's location, so geolocation is off too.

Every name here is one Chromium and Firefox recognise: an unknown feature name is reported as
an error in the console (and would fail the browser test that every page loads cleanly).
"""

#: Feature → the origins allowed to use it ("self", or nobody).
POLICY: dict[str, tuple[str, ...]] = {
    "accelerometer": (),
    "autoplay": (),
    "camera": (),
    "display-capture": (),
    "encrypted-media": (),
    "fullscreen": (),
    "geolocation": (),
    "gyroscope": (),
    "hid": (),
    "idle-detection": (),
    "magnetometer": (),
    "microphone": (),
    "midi": (),
    "payment": (),
    "picture-in-picture": (),
    "publickey-credentials-create": ("self",),
    "publickey-credentials-get": ("self",),
    "screen-wake-lock": (),
    "serial": (),
    "usb": (),
    "xr-spatial-tracking": (),
}

HEADER = "Permissions-Policy"


def permissions_policy(policy: dict[str, tuple[str, ...]] = POLICY) -> str:
    """The header's value: `camera=(), publickey-credentials-get=(self), …` (structured-field
    syntax; "self" is a token, other origins would be quoted strings)."""
    return ", ".join(
        f"{feature}=({' '.join(o if o == 'self' else f'"{o}"' for o in origins)})"
        for feature, origins in policy.items()
    )


#: Computed once: the policy does not change while the process runs.
VALUE = permissions_policy()


def add_permissions_policy(response):
    """Sets the header unless the view set its own."""
    if HEADER not in response:
        response[HEADER] = VALUE
    return response


def redoc_policy(base: dict) -> dict:
    """The Content-Security-Policy of the Redoc API docs page alone (`csp_override` on that
    view): Redoc's bundle adds style elements and style attributes it cannot give a nonce,
    builds its search index in a worker from a blob: URL, and shows its maker's logo from
    cdn.redoc.ly. Scripts keep the nonce; styles may be inline there (and only there, since a
    nonce in style-src would make browsers ignore 'unsafe-inline'). The Swagger page needs no
    such exception."""
    from django.utils.csp import CSP

    return {
        **base,
        "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "worker-src": [CSP.SELF, "blob:"],
        "img-src": [*base["img-src"], "https://cdn.redoc.ly"],
    }
