"""The providers are configured from the environment (README, Configuration), and a half-set
provider stops start-up naming what is missing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.NOTIFICATIONS_CHANNELS))"
)


def manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SMS_", "WHATSAPP_")) and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"SMS_GATEWAY_URL": "https://sms.example.pk/send"}, "SMS_GATEWAY_TOKEN"),
        ({"WHATSAPP_PHONE_NUMBER_ID": "106540352242922"}, "WHATSAPP_ACCESS_TOKEN"),
    ],
)
def test_a_provider_set_up_halfway_stops_start_up_naming_what_is_missing(env, missing):
    result = manage("check", env=env)

    assert result.returncode != 0
    assert f"Set the environment variable {missing}" in result.stderr


def test_the_environment_chooses_each_channels_provider():
    bare = manage("shell", "--no-imports", "-c", SHOW, env={})
    configured = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW,
        env={
            "SMS_GATEWAY_URL": "https://sms.example.pk/send",
            "SMS_GATEWAY_TOKEN": "t",
            "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
            "WHATSAPP_ACCESS_TOKEN": "t",
            "WHATSAPP_APP_SECRET": "s",
            "WHATSAPP_VERIFY_TOKEN": "v",
        },
    )

    providers = "mesoclinic.notifications.providers"
    # Unset, SMS and WhatsApp are not configured (the console in development, a visible
    # failure in production); e-mail always goes through Django's mail.
    assert json.loads(bare.stdout.strip().splitlines()[-1]) == {
        "email": f"{providers}.EmailChannel"
    }
    assert json.loads(configured.stdout.strip().splitlines()[-1]) == {
        "email": f"{providers}.EmailChannel",
        "sms": f"{providers}.SmsGatewayChannel",
        "whatsapp": f"{providers}.WhatsAppCloudChannel",
    }
