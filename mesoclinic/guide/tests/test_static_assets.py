"""The Urdu font ships with the app and is cached for a year in production."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

FONT = "guide/fonts/noto-nastaliq-urdu-arabic-400.woff2"


def test_it_serves_the_urdu_font_itself_with_a_year_long_immutable_cache(tmp_path, settings):
    # Production's static setup: hashed names from the manifest, served by WhiteNoise.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command(
        "collectstatic",
        interactive=False,
        verbosity=0,
        ignore_patterns=["admin", "rest_framework", "drf_spectacular_sidecar", "django_htmx"],
    )
    settings.DEBUG = False
    middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))

    url = staticfiles_storage.url(FONT)
    assert url.startswith("/static/guide/fonts/noto-nastaliq-urdu-arabic-400.")
    response = middleware(RequestFactory().get(url))
    assert response.status_code == 200
    assert response["Content-Type"] == "font/woff2"
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    # The stylesheet points at the hashed font, so a new font version gets a new address.
    css = (tmp_path / staticfiles_storage.stored_name("guide/fonts.css")).read_text()
    assert url.rsplit("/", 1)[1] in css
