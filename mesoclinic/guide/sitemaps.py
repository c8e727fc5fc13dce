"""sitemap.xml: every public page in both languages, each naming its translation."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from mesoclinic.guide import selectors


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(_Bilingual):
    def items(self):
        return ["guide:index", "guide:faq", "guide:self_check", "guide:clinics"]

    def location(self, item):
        return reverse(item)


class TopicSitemap(_Bilingual):
    def items(self):
        return list(selectors.published_topics())

    def location(self, item):
        return reverse("guide:topic", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class ClinicSitemap(_Bilingual):
    def items(self):
        return list(selectors.public_clinics().only("slug"))

    def location(self, item):
        return reverse("guide:clinic", args=[item.slug])


SITEMAPS = {"pages": StaticPagesSitemap, "topics": TopicSitemap, "clinics": ClinicSitemap}
