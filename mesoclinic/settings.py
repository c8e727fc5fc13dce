"""Settings for mesoclinic, read from the environment.

Development needs nothing set: SQLite under var/, DEBUG on, mail written to var/mail/.
Production sets DEBUG=false and then must set SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
EMAIL_HOST, PUBLIC_BASE_URL and MESOCLINIC_FILES_KEYS; see README "Configuration and running in
production".
"""

import base64
import hashlib
import os
import shutil
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.rates import parse_rate
from mesoclinic.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MESOCLINIC_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env_str("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set the environment variable ALLOWED_HOSTS.")

INSTALLED_APPS = [
    "mesoclinic.accounts.admin_site.MesoclinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "mesoclinic.core",
    "mesoclinic.accounts",
    "mesoclinic.clinics",
    "mesoclinic.security",
    "mesoclinic.patients",
    "mesoclinic.appointments",
    "mesoclinic.audit",
    "mesoclinic.notifications",
    "mesoclinic.care",
    "mesoclinic.aftercare",
    "mesoclinic.formulary",
    "mesoclinic.guide",
    "mesoclinic.desk",
    "mesoclinic.api",
    "mesoclinic.fhir",
    "mesoclinic.portal",
    "mesoclinic.seed",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mesoclinic.core.middleware.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, reading the device the session proved through the shared auth cache.
    "mesoclinic.security.devices.CachedOTPMiddleware",
    "mesoclinic.security.middleware.IdleTimeoutMiddleware",
    "mesoclinic.security.middleware.SecondFactorMiddleware",
    "mesoclinic.core.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mesoclinic.security.middleware.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]
if env_bool("MESOCLINIC_QUERY_COUNT_HEADER", default=False):
    MIDDLEWARE.insert(0, "mesoclinic.core.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "mesoclinic.urls"
WSGI_APPLICATION = "mesoclinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mesoclinic" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mesoclinic.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        # Production names its database; only development falls back to SQLite under var/.
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mesoclinic.sqlite3'}" if DEBUG else None),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a write is in flight; IMMEDIATE avoids
    # "database is locked" on the first write of a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file too: an in-memory database's shared-cache table locks ignore the busy
    # timeout, so concurrent-writer tests would measure SQLite's test mode, not the real one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-mesoclinic-{os.getpid()}.sqlite3")}
else:
    # Behind PgBouncer in transaction mode a server-side cursor (`.iterator()`, the recall CSV)
    # cannot outlive its transaction: set this with DATABASE_CONN_MAX_AGE=0 there.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
    )
    # One test database per test run, so two runs on one machine never share (or drop) one.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}

# A PostgreSQL read replica for reports (see core/db_router.py); tests mirror the primary.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            env_str("DATABASE_REPLICA_URL"),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["mesoclinic.core.db_router.ReplicaRouter"]

# Caches. "default" is per process (local memory) unless REDIS_URL names a Redis. "shared" is
# what every worker process must see alike (rate limits, throttles): Redis when REDIS_URL is
# set, otherwise a table in the database (embedded, no extra server; `manage.py
# createcachetable` makes it, and `make migrate` runs it).
_redis_url = env_str("REDIS_URL", "")
if _redis_url:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": f"mesoclinic-{alias}",
        }
        for alias in ("default", "shared")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "mesoclinic_shared_cache",
        },
    }

# Who is asking (the signed-in user and roles, their clinics, the second factor their session
# proved) and the session itself, read on every staff request: from the shared cache when it is
# Redis, which every web process sees alike, so that revoking access takes effect on the next
# request whichever worker serves it (accounts/auth_cache.py). Without Redis, from the database
# as before: a per-process cache could not be told of a change made in another process.
AUTH_CACHE = "shared" if _redis_url else None
AUTH_CACHE_SECONDS = env_int("AUTH_CACHE_SECONDS", 600)
if AUTH_CACHE:
    # Read from the cache, written through to the database (a restarted Redis signs no one out).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = AUTH_CACHE

# django-axes (issue 20) counts failed sign-ins and refuses a locked-out account or address
# before the password is even checked; it must be the first backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in user through the shared auth cache.
    "mesoclinic.accounts.backends.CachedModelBackend",
]
AXES_VERBOSE = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "mesoclinic" / "locale"]
TIME_ZONE = "Asia/Karachi"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Patient files (baseline photos, signed consent PDFs) live outside the database and outside any
# web root: the "private" storage has no URL, and every file is served by a view that checks
# access and audits the read.
PRIVATE_MEDIA_ROOT = Path(env_str("MESOCLINIC_PRIVATE_MEDIA", str(VAR_DIR / "private")))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": str(PRIVATE_MEDIA_ROOT),
        "base_url": None,
        # Readable by the application's own user only.
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}
# The browser that prints consent PDFs (Chromium keeps the Urdu text layer; see care/pdf.py).
CHROMIUM_PATH = env_str(
    "MESOCLINIC_CHROMIUM",
    # Debian's package; elsewhere (Ubuntu's snap) whichever `chromium` is on the PATH.
    "/usr/bin/chromium"
    if Path("/usr/bin/chromium").exists()
    else shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium",
)

# Booking from the public guide (appointments/visitors.py): a one-time code per request, and
# rate limits counted from the requests' own rows (no cache needed): codes per mobile number per
# hour and per day, requests per client address per hour.
VISITOR_CODES_PER_MOBILE_HOUR = env_int("VISITOR_CODES_PER_MOBILE_HOUR", 3)
VISITOR_CODES_PER_MOBILE_DAY = env_int("VISITOR_CODES_PER_MOBILE_DAY", 10)
VISITOR_REQUESTS_PER_ADDRESS_HOUR = env_int("VISITOR_REQUESTS_PER_ADDRESS_HOUR", 10)

# Signing in to the patient portal with a one-time code (portal/signin_rules.py decides, from
# these). NIST SP 800-63B (§5.1.3 out-of-band authenticators, §5.2.2 rate limiting) and OWASP
# ASVS 5.0 V6.6 (out-of-band authentication): a code of 6 random digits, single use, valid 10
# minutes, bound to the sign-in attempt that asked for it, 5 wrong tries per code; at most 3
# codes per number an hour and 10 a day; requests per client address capped (a phone shop's
# Wi-Fi serves many patients, so more than one number's worth); a number whose codes are
# burnt by wrong tries PORTAL_LOCKOUT_BURNT_CODES times within PORTAL_LOCKOUT_WINDOW_HOURS is
# locked for PORTAL_LOCKOUT_MINUTES (a delay, not a permanent lock: 63B asks that a rate limit
# not let an attacker lock the holder out for good).
PORTAL_CODE_DIGITS = 6
PORTAL_CODE_MINUTES = env_int("PORTAL_CODE_MINUTES", 10)
PORTAL_CODE_MAX_TRIES = env_int("PORTAL_CODE_MAX_TRIES", 5)
PORTAL_CODES_PER_NUMBER_HOUR = env_int("PORTAL_CODES_PER_NUMBER_HOUR", 3)
PORTAL_CODES_PER_NUMBER_DAY = env_int("PORTAL_CODES_PER_NUMBER_DAY", 10)
PORTAL_REQUESTS_PER_ADDRESS_HOUR = env_int("PORTAL_REQUESTS_PER_ADDRESS_HOUR", 20)
PORTAL_LOCKOUT_BURNT_CODES = env_int("PORTAL_LOCKOUT_BURNT_CODES", 3)
PORTAL_LOCKOUT_WINDOW_HOURS = env_int("PORTAL_LOCKOUT_WINDOW_HOURS", 24)
PORTAL_LOCKOUT_MINUTES = env_int("PORTAL_LOCKOUT_MINUTES", 60)
# Where a patient signs in, and proves a second factor (the idle timeout and the second-factor
# gate send a patient here, not to the staff login).
PORTAL_LOGIN_URL = "portal:sign_in"
PORTAL_VERIFY_URL = "portal:verify"

# Background work: django.tasks with the database backend; `manage.py db_worker` runs it (the
# Procfile's worker). The queue is only a doorbell: what must happen lives in our own tables
# (the notifications outbox) with a lease and a reaper (docs/architecture.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The scheduler process (`manage.py run_scheduler`, the Procfile's `scheduler`): periodic jobs
# by dotted path, each run at most once per `every` seconds across schedulers and restarts
# (notifications/scheduler.py). Finished task results are pruned after TASK_RESULTS_KEEP_DAYS.
SCHEDULED_JOBS = {
    # The maintenance recall the guide promises: one message per course on its due date. Hourly,
    # so a scheduler started late in the day still sends today's; keys make repeats harmless.
    "maintenance-recall": {
        "callable": "mesoclinic.care.services.recall.enqueue_due_maintenance_recalls",
        "every": 60 * 60,
    },
    "prune-task-results": {
        "callable": "mesoclinic.notifications.jobs.prune_task_results",
        "every": 24 * 60 * 60,
    },
    # Visitors' one-time codes no longer usable: their copies in the outbox are blanked.
    "redact-spent-codes": {
        "callable": "mesoclinic.appointments.visitors.redact_spent_codes",
        "every": 60 * 60,
    },
    # The portal's sign-in codes no longer usable, likewise.
    "redact-portal-codes": {
        "callable": "mesoclinic.portal.signin.redact_spent_codes",
        "every": 60 * 60,
    },
}
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 14)
# FHIR bulk export (fhir/exports.py): files are deleted FHIR_EXPORT_HOURS after the export ends
# (hourly, by the scheduler); a file holds at most FHIR_EXPORT_FILE_RESOURCES resources; a user
# runs at most FHIR_EXPORT_MAX_ACTIVE exports at once. Exports read from DATABASE_REPLICA_URL's
# replica when one is configured.
FHIR_EXPORT_HOURS = env_int("FHIR_EXPORT_HOURS", 24)
FHIR_EXPORT_FILE_RESOURCES = env_int("FHIR_EXPORT_FILE_RESOURCES", 100_000)
FHIR_EXPORT_MAX_ACTIVE = env_int("FHIR_EXPORT_MAX_ACTIVE", 2)
# A running export whose worker is silent this long is failed (the client is told, not left
# polling); a queued one no worker took for a day, too.
FHIR_EXPORT_STALL_MINUTES = env_int("FHIR_EXPORT_STALL_MINUTES", 30)
# The manifest's transactionTime (a client's next `_since`) is the export's start less this
# margin: a write stamped before the start but committed after the export read its table, or
# late on the replica, is then in the next export (resources may repeat; none is lost).
FHIR_EXPORT_SINCE_OVERLAP_SECONDS = env_int("FHIR_EXPORT_SINCE_OVERLAP_SECONDS", 300)
SCHEDULED_JOBS["fhir-export-cleanup"] = {
    "callable": "mesoclinic.fhir.exports.delete_expired_exports",
    "every": 60 * 60,
}

# Links in messages (the opt-out link, the aftercare page, the enquiries inbox) are absolute:
# the worker sends them with no request to take a host from. Production names the site's
# public address.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000" if DEBUG else None).rstrip("/")
if not PUBLIC_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("PUBLIC_BASE_URL must start with http:// or https://.")
# Passkeys (django-otp-webauthn): the relying party is the site's public host. A passkey cannot
# belong to an IP address, so development (http://127.0.0.1:8000) offers them on localhost.
_public = urlsplit(PUBLIC_BASE_URL)
_public_name = _public.hostname or "localhost"
if _public_name.replace(".", "").isdigit() or ":" in _public_name:
    _public_name = "localhost"
_public_origin = f"{_public.scheme}://{_public_name}" + (f":{_public.port}" if _public.port else "")
OTP_WEBAUTHN_RP_ID = env_str("OTP_WEBAUTHN_RP_ID", _public_name)
OTP_WEBAUTHN_RP_NAME = env_str("OTP_WEBAUTHN_RP_NAME", "mesoclinic")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", [_public_origin])
# How long the signed aftercare link in a patient's message opens the aftercare page.
AFTERCARE_LINK_DAYS = env_int("AFTERCARE_LINK_DAYS", 90)

# E-mail: development writes each message to var/mail/ to read; production sets EMAIL_HOST.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mesoclinic <no-reply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env_str("EMAIL_HOST", "" if DEBUG else None)
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
del EMAIL_HOST  # Django 6.1 reads mail settings from MAILERS only.

# Messages (issue 17): the provider behind each channel (README, "Configuration"). E-mail goes
# through MAILERS above. SMS and WhatsApp are configured by their variables; unset, development
# prints their messages to the console and production fails them visibly ("not_configured").
NOTIFICATIONS_PROVIDERS = "mesoclinic.notifications.providers"
NOTIFICATIONS_CHANNELS = {"email": f"{NOTIFICATIONS_PROVIDERS}.EmailChannel"}
NOTIFICATIONS_EMAIL = {
    "MAILER": "default",
    "FROM": env_str("NOTIFICATIONS_FROM_EMAIL", DEFAULT_FROM_EMAIL),
}
_sms_gateway = env_str("SMS_GATEWAY_URL", "")
NOTIFICATIONS_SMS = {
    "URL": _sms_gateway,
    "TOKEN": env_str("SMS_GATEWAY_TOKEN") if _sms_gateway else "",
    "SENDER": env_str("SMS_SENDER", "mesoclinic"),
    "TIMEOUT": env_int("SMS_GATEWAY_TIMEOUT", 20),
    "WEBHOOK_SECRET": env_str("SMS_WEBHOOK_SECRET", ""),
}
if _sms_gateway:
    NOTIFICATIONS_CHANNELS["sms"] = f"{NOTIFICATIONS_PROVIDERS}.SmsGatewayChannel"
_whatsapp_number = env_str("WHATSAPP_PHONE_NUMBER_ID", "")
NOTIFICATIONS_WHATSAPP = {
    "BASE_URL": env_str("WHATSAPP_BASE_URL", "https://graph.facebook.com"),
    "API_VERSION": env_str("WHATSAPP_API_VERSION", "v21.0"),
    "PHONE_NUMBER_ID": _whatsapp_number,
    # The webhook needs the app secret and verify token as soon as WhatsApp is in use: the
    # 24-hour window is only known from the inbound messages it reports.
    "ACCESS_TOKEN": env_str("WHATSAPP_ACCESS_TOKEN") if _whatsapp_number else "",
    "APP_SECRET": env_str("WHATSAPP_APP_SECRET") if _whatsapp_number else "",
    "VERIFY_TOKEN": env_str("WHATSAPP_VERIFY_TOKEN") if _whatsapp_number else "",
    "TIMEOUT": env_int("WHATSAPP_TIMEOUT", 20),
}
if _whatsapp_number:
    NOTIFICATIONS_CHANNELS["whatsapp"] = f"{NOTIFICATIONS_PROVIDERS}.WhatsAppCloudChannel"

# Security: production runs behind TLS (usually a reverse proxy that sets X-Forwarded-Proto).
SESSION_COOKIE_HTTPONLY = True
# Front-desk computers are shared: a staff session lasts one working day at most.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer's health check speaks plain HTTP to the worker.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if env_bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mesoclinic.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["mesoclinic.restapi.permissions.IsStaffMember"],
    "DEFAULT_PAGINATION_CLASS": "mesoclinic.restapi.pagination.IdCursorPagination",
    "DEFAULT_PARSER_CLASSES": [
        "mesoclinic.restapi.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "mesoclinic.restapi.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mesoclinic API",
    "DESCRIPTION": (
        "JSON API for mesotherapy clinics. Authenticate with `Authorization: Token <key>` "
        "(create one with `python manage.py create_api_token USERNAME`) or a browser session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema documents JSON bodies only: the form parsers (DEFAULT_PARSER_CLASSES) serve
    # the browsable API's HTML forms, and a form cannot carry null, numbers or nested objects.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Issue 21: the error answers every operation gives, and times of day as DRF writes them.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mesoclinic.restapi.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ConcentrationUnitEnum": "mesoclinic.formulary.models.products.CONCENTRATION_UNITS",
        "IngredientCodeEnum": "mesoclinic.care.vocabulary.INGREDIENTS",
        # English or Urdu, wherever it is asked (a patient's preferred language, a message's).
        "LanguageEnum": "mesoclinic.notifications.models.Language",
        # Outcome scales' stages and bands (aftercare.scales), shared by request and result.
        "NorwoodStageEnum": "mesoclinic.aftercare.scales.NORWOOD_STAGES",
        "LudwigStageEnum": "mesoclinic.aftercare.scales.LUDWIG_STAGES",
        "GlogauTypeEnum": "mesoclinic.aftercare.scales.GLOGAU_TYPES",
        "SkinTypeEnum": "mesoclinic.aftercare.scales.SKIN_TYPES",
        "GaisLabelEnum": "mesoclinic.aftercare.scales.GAIS_BANDS",
        # A stock movement's kind as read, and as posted (never "received": see POST /lots/).
        "StockMovementKindEnum": "mesoclinic.formulary.api.serializers.MOVEMENT_KINDS",
        "PostedMovementKindEnum": "mesoclinic.formulary.api.serializers.POSTED_MOVEMENT_KINDS",
    },
}

# Issue 20, signin: lockout, sign-in audit, idle sessions, watching, error mail.
# django-axes counts failed sign-ins in the database (every worker sees the same counts) per
# account and per client address; a locked-out account or address is refused before its
# password is checked, until the cool-off has passed since its last counted failure (attempts
# while locked are refused and audited but do not extend it). A successful sign-in clears that
# account's own failures only (security/receivers.py), never an address's: one valid account
# must not buy an address more guesses at the others.
AXES_HANDLER = "mesoclinic.security.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
# A clinic's front desk shares one address: an address may fail more often than one account.
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("SIGNIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGNIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "mesoclinic.security.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "mesoclinic.core.addresses.client_address"
# The audit trail records every sign-in and sign-out; axes keeps only the failure counters,
# whose stored query strings lose the typed name, the password and the `next` address.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "next"]
# How many reverse proxies stand in front of the workers: the client's address is that many
# entries from the right of X-Forwarded-For (the proxy appends what it saw; anything to its
# left the client may have typed). 0 trusts REMOTE_ADDR alone (development, no proxy).
TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT", 1 if not DEBUG and env_bool("BEHIND_TLS_PROXY", default=True) else 0
)
# A staff session with no request for this long ends (the shortest of the person's active
# clinics' `staff_idle_minutes`; this for people without a clinic, such as administrators).
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30)
# Watching (security/watch.py): every SECURITY_WATCH_EVERY_MINUTES the scheduler counts the
# last window's refusals, lockouts and failed sign-ins; at or above a threshold it e-mails the
# active administrators through the outbox, once per window.
SECURITY_WATCH_WINDOW_MINUTES = env_int("SECURITY_WATCH_WINDOW_MINUTES", 15)
SECURITY_WATCH_EVERY_MINUTES = env_int("SECURITY_WATCH_EVERY_MINUTES", 5)
SECURITY_WATCH_DENIED = env_int("SECURITY_WATCH_DENIED", 20)
SECURITY_WATCH_LOCKOUTS = env_int("SECURITY_WATCH_LOCKOUTS", 3)
SECURITY_WATCH_FAILURES = env_int("SECURITY_WATCH_FAILURES", 30)
SCHEDULED_JOBS["security-watch"] = {
    "callable": "mesoclinic.security.watch.alert_on_spikes",
    "every": 60 * SECURITY_WATCH_EVERY_MINUTES,
}
# Server errors e-mail these people ("Name <a@example.pk>,b@example.pk"), with the stack only:
# no request data, no local values, no exception text (security/errors.py).
ADMINS = env_list("ADMINS", [])
# Issue 20, tokens: API tokens expire (a default and a longest lifetime, in days), record their
# last use at most once per API_TOKEN_LAST_USED_MINUTES (a conditional UPDATE, not one write per
# request), and a client address that sends API_BAD_TOKEN_LIMIT unknown tokens within
# API_BAD_TOKEN_WINDOW_SECONDS is refused (429) for API_BAD_TOKEN_LOCKOUT_SECONDS before any
# lookup. Throttles (restapi/throttles.py) count requests per token, per signed-in user and per
# anonymous address in the shared cache; a rate is "N/s", "N/min", "N/hour" or "N/day" (or
# "N/10s": N per ten seconds); "off" switches one off. The bench raises them (bench/size.py).
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
API_TOKEN_MAX_OVERLAP_HOURS = 72
API_TOKEN_LAST_USED_MINUTES = env_int("API_TOKEN_LAST_USED_MINUTES", 5)
API_BAD_TOKEN_LIMIT = env_int("API_BAD_TOKEN_LIMIT", 20)
API_BAD_TOKEN_WINDOW_SECONDS = env_int("API_BAD_TOKEN_WINDOW_SECONDS", 10 * 60)
API_BAD_TOKEN_LOCKOUT_SECONDS = env_int("API_BAD_TOKEN_LOCKOUT_SECONDS", 10 * 60)
API_THROTTLE_RATES = {
    "token": env_str("API_THROTTLE_TOKEN", "120/min"),
    "user": env_str("API_THROTTLE_USER", "120/min"),
    "anon": env_str("API_THROTTLE_ANON", "30/min"),
}
for _scope, _rate in API_THROTTLE_RATES.items():
    try:
        parse_rate(_rate)
    except ValueError as exc:
        raise ImproperlyConfigured(f"API_THROTTLE_{_scope.upper()}: {exc}") from exc
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["mesoclinic.restapi.throttles.ApiRateThrottle"]
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = [
    "mesoclinic.restapi.permissions.IsStaffMember",
    "mesoclinic.restapi.permissions.TokenScopeAllows",
]
# Django's database cache culls a third of its rows (by key, live or not) once it holds more than
# MAX_ENTRIES (300 by default): every live API identity keeps two throttle entries, so the table
# must hold more than that before counts are thrown away. It counts its rows on every write
# anyway; a few thousand rows cost that COUNT well under a millisecond.
if CACHES["shared"]["BACKEND"].endswith("DatabaseCache"):
    CACHES["shared"].setdefault("OPTIONS", {}).setdefault(
        "MAX_ENTRIES", env_int("SHARED_CACHE_MAX_ENTRIES", 5000)
    )
# Throttles and the bad-token lockout count per client address as core/addresses.py reads it
# (TRUSTED_PROXY_COUNT above: the same address sign-in lockouts and the public forms count).
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# Issue 20, uploads: a photo is decoded and re-encoded (core/images.py), at most PHOTO_MAX_BYTES;
# the body is capped while it streams in, not after (core/uploads.py: a 413 for a Content-Length
# past UPLOAD_REQUEST_MAX_BYTES, unread; the handler first in FILE_UPLOAD_HANDLERS stops keeping a
# file past the cap); and the private storage is encrypted at rest (core/encrypted_storage.py).
PHOTO_MAX_BYTES = env_int("MESOCLINIC_PHOTO_MAX_MB", 10) * 1024 * 1024
# One photo and the fields of its form.
UPLOAD_REQUEST_MAX_BYTES = PHOTO_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "mesoclinic.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Before the middleware that reads the body (CSRF's check reads the form), after those that set
# up the page the 413 answer is drawn in.
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "mesoclinic.core.uploads.RequestSizeLimitMiddleware",
)
# Photos and consent PDFs are Fernet tokens on disk. MESOCLINIC_FILES_KEYS lists the keys,
# comma-separated: the first encrypts, all decrypt (rotation: put the new key first, run
# `manage.py encrypt_private_files --rotate`, then drop the old one). Keep them apart from
# backups of the files.
FILES_KEYS = env_list("MESOCLINIC_FILES_KEYS", [])
if not FILES_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("Set the environment variable MESOCLINIC_FILES_KEYS.")
    # DEVELOPMENT ONLY: a key derived from SECRET_KEY, so a checkout runs with nothing set.
    # Anyone who knows the development SECRET_KEY can read these files; never use it for
    # real patients (production refuses to start without MESOCLINIC_FILES_KEYS).
    FILES_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"mesoclinic private files:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]
for _files_key in FILES_KEYS:
    try:
        Fernet(_files_key)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "MESOCLINIC_FILES_KEYS must list Fernet keys, comma-separated (make one with "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`)."
        ) from None
STORAGES["private"]["BACKEND"] = "mesoclinic.core.encrypted_storage.EncryptedFileSystemStorage"
# Issue 20, mfa: second factors (django-otp's authenticator apps and recovery codes,
# django-otp-webauthn's passkeys; policy in security/second_factor_policy.py). A passkey is a
# second factor after the password, never a way in alone: signing in stays the password page,
# where the lockout and the sign-in audit live. The admin shows no device keys.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_TOTP_ISSUER = "mesoclinic"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Issue 20, csp: a Content-Security-Policy enforced on every response (Django's own middleware),
# with no 'unsafe-inline' and no 'unsafe-eval': our scripts and styles are files under /static/.
# A nonce is added to the header only on a page that asks for one ({{ csp_nonce }}); only the
# vendored API docs templates do (see templates/drf_spectacular/). Permissions-Policy: see
# security/headers.py.
from django.utils.csp import CSP  # noqa: E402

MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # data: for the small images stylesheets and the QR code of a second factor carry inline.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Public forms (the clinic page's request to be called, the self-check): posts per client
# address and per mobile number within a window, counted in caches["shared"] so every worker
# sees one count (core/ratelimit.py). Many visitors share one address behind a mobile carrier's
# NAT, so the per-address limit is generous and the per-number one is tight.
RATE_LIMIT_WINDOW_SECONDS = env_int("RATE_LIMIT_WINDOW_SECONDS", 60 * 60)
RATE_LIMIT_ENQUIRIES_PER_ADDRESS = env_int("RATE_LIMIT_ENQUIRIES_PER_ADDRESS", 20)
RATE_LIMIT_ENQUIRIES_PER_MOBILE = env_int("RATE_LIMIT_ENQUIRIES_PER_MOBILE", 3)
RATE_LIMIT_SELF_CHECKS_PER_ADDRESS = env_int("RATE_LIMIT_SELF_CHECKS_PER_ADDRESS", 60)
# The visitor's address is read as sign-in lockouts read it (core/addresses.py,
# TRUSTED_PROXY_COUNT), an IPv6 visitor counted as their /64.

# Logs never carry names, CNICs, mobile numbers or search terms: request lines lose their
# query strings before any handler sees them (see mesoclinic/core/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "mesoclinic.core.logging.RedactQueryStrings"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "mail_admins": {
            "class": "mesoclinic.security.errors.ErrorMailHandler",
            "level": "ERROR",
            "filters": ["redact"],
        },
    },
    # mail_admins sends ERROR and above only: a crash in the worker, the scheduler or a
    # command reaches the administrators as a request's does.
    "root": {"handlers": ["console", "mail_admins"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}
