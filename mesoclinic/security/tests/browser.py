"""Second factors in tests: the known authenticator key test staff are given, and the browser
step after the password page. Test-only: production has no bypass and no shared key."""

import time

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

#: The key of every test person's authenticator app (hex, 20 bytes), so a test can compute
#: the code an app would show.
TEST_TOTP_KEY = "6d65736f636c696e69632d746573742d6b65792d"


def current_code(device: TOTPDevice) -> str:
    """The code the person's app shows now (the time step the server is on)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def fresh_code(username: str) -> str:
    """A code the server will accept now for `username`'s app. django-otp refuses a code of a
    time step already used (a replay); a test signing the same person in twice within 30
    seconds would be refused, so the device forgets its last step first (test-only)."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return current_code(device)


def pass_second_factor(page, username: str) -> None:
    """Call right after clicking "Log in": when the second-step page appears, type the code
    the person's app would show, and wait to leave it. People without a factor go straight on."""
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/security/verify/" not in page.url:
        return
    page.locator("#id_code").fill(fresh_code(username))
    page.locator("#app-code button[type=submit]").click()
    page.wait_for_url(lambda url: "/security/verify/" not in url)


def wait_for_next_step(device: TOTPDevice) -> None:
    """Sleep into the next 30-second step (for tests that need a new code)."""
    time.sleep(device.step - time.time() % device.step + 0.1)
