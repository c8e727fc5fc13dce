"""The public pages: both languages, stable addresses, good metadata, light and script-free."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from mesoclinic.guide.models import Topic

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = [
    "/{lang}/guide/",
    "/{lang}/guide/what-is-mesotherapy/",
    "/{lang}/guide/treatment-timeline/",
    "/{lang}/guide/faq/",
    "/{lang}/guide/search/?q=melasma",
    "/{lang}/self-check/",
    "/{lang}/clinics/",
    "/{lang}/clinics/?city=Islamabad",
    "/{lang}/clinics/clinic-a/",
]


@pytest.fixture
def listed_clinic(clinic_a, make_practitioner):
    make_practitioner("drsana", clinic_a)
    return clinic_a


@pytest.mark.parametrize("path", PUBLIC_PATHS)
@pytest.mark.parametrize("lang", ["en", "ur"])
def test_it_serves_every_public_page_in_both_languages_without_login(
    client, listed_clinic, path, lang
):
    response = client.get(path.format(lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if lang == "ur" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert re.search(r"<title>[^<]{10,}</title>", html)
    assert '<meta name="description" content="' in html
    assert '<meta property="og:title"' in html
    assert 'hreflang="en"' in html and 'hreflang="ur"' in html


def test_it_writes_urdu_pages_in_urdu(client):
    html = client.get("/ur/guide/").content.decode()
    title = Topic.objects.get(slug="what-is-mesotherapy").title_ur
    assert title in html
    assert "fonts.css" in html  # the self-hosted Nastaliq font


def test_it_keeps_the_page_and_query_when_switching_language(client):
    html = client.get("/en/guide/search/?q=melasma").content.decode()
    assert 'href="/ur/guide/search/?q=melasma"' in html
    html = client.get("/ur/guide/history/").content.decode()
    assert 'href="/en/guide/history/"' in html


def test_it_answers_an_unknown_topic_with_a_404_in_the_visitors_language(client):
    response = client.get("/ur/guide/no-such-topic/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'lang="ur"' in html and 'href="/ur/guide/"' in html


def test_it_answers_an_unknown_clinic_with_a_404(client):
    assert client.get("/en/clinics/no-such-clinic/").status_code == 404


def test_it_redirects_the_language_root_and_unprefixed_guide(client):
    assert client.get("/en/").headers["Location"] == "/en/guide/"
    assert client.get("/guide/").status_code == 302


def test_it_lists_every_public_page_in_the_sitemap_with_its_translation(client, listed_clinic):
    xml = client.get("/sitemap.xml").content.decode()
    for path in ("/en/guide/", "/ur/guide/", "/en/guide/history/", "/ur/guide/history/"):
        assert f"http://testserver{path}</loc>" in xml
    assert "/ur/clinics/clinic-a/" in xml
    assert 'hreflang="ur"' in xml


@pytest.mark.parametrize("path", PUBLIC_PATHS)
@pytest.mark.parametrize("lang", ["en", "ur"])
def test_it_keeps_each_page_under_100_kb_without_javascript(client, listed_clinic, path, lang):
    """HTML plus every stylesheet, script and image it links, uncompressed (a cheap phone on a
    slow connection); the font is excluded: it is cached for a year after the first page."""
    html = client.get(path.format(lang=lang)).content.decode()
    assert "<script" not in html
    total = len(html.encode())
    for url in re.findall(r'(?:href|src)="/static/([^"]+)"', html):
        total += Path(finders.find(url)).stat().st_size
    assert total < 100_000, total


def test_it_reads_a_topic_page_in_a_constant_number_of_queries(client, django_assert_num_queries):
    # 1: published topics (for the page and previous/next); 2: the topic's questions;
    # 3: the timeline steps for the picture.
    with django_assert_num_queries(3):
        client.get("/en/guide/treatment-timeline/")


def test_it_reads_the_faq_in_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # questions with their topics
        client.get("/en/guide/faq/")


def test_it_draws_the_timeline_and_treatment_areas_labelled_in_urdu(client):
    html = client.get("/ur/guide/").content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg
        assert re.search("[\u0600-\u06ff]", svg)  # Urdu labels


def test_it_uses_stable_addresses(listed_clinic):
    with translation.override("ur"):
        assert reverse("guide:topic", args=["history"]) == "/ur/guide/history/"
        assert reverse("guide:clinic", args=["clinic-a"]) == "/ur/clinics/clinic-a/"
        assert reverse("guide:self_check") == "/ur/self-check/"


def test_it_reads_the_guide_home_in_a_constant_number_of_queries(client, django_assert_num_queries):
    # 1: topics; 2: the first questions with their topics; 3: timeline steps.
    with django_assert_num_queries(3):
        client.get("/ur/guide/")


def test_it_builds_the_sitemap_in_a_constant_number_of_queries(
    client, listed_clinic, django_assert_num_queries
):
    # 1: topics; 2-5: clinics with hours, services and practitioners (the finder's selector).
    with django_assert_num_queries(5):
        client.get("/sitemap.xml")


def test_it_keeps_search_terms_out_of_other_sites_referer_headers(client):
    response = client.get("/en/guide/search/", {"q": "melasma"})
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
