"""Template helpers for the public pages: the guide's text format, language links, city names."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, gettext

from mesoclinic.guide import markup

register = template.Library()


@register.filter
def guide_markup(text: str, heading_level: int = 2):
    """Render the guide's plain-text format; markup.to_html escapes everything it emits."""
    return mark_safe(markup.to_html(text or "", heading_level=heading_level))  # noqa: S308


@register.filter
def city_name(city: str) -> str:
    """A city in the page language when the catalogue knows it (see guide/cities.py)."""
    return gettext(city) if city else city


@register.simple_tag(takes_context=True)
def language_links(context):
    """The same page in each language, for the switcher and <link rel="alternate">: the path
    keeps its slug and query string, so a visitor switching language stays where they were."""
    request = context["request"]
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        if query:
            url = f"{url}?{query}"
        links.append({"code": code, "name": get_language_info(code)["name_local"], "url": url})
    return links
