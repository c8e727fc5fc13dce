"""Public pages: the guide, FAQ, search, self-check and clinic finder. No login, no JavaScript
needed, nothing a visitor types into the self-check is stored."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found as default_page_not_found

from mesoclinic.care import rules
from mesoclinic.care.selectors import current_policy
from mesoclinic.care.selfcheck import self_check_verdict
from mesoclinic.guide import limits, pictures, selectors
from mesoclinic.guide.booking_views import public_clinic_or_404, slot_context, takes_requests
from mesoclinic.guide.forms import EnquiryForm, GuideSearchForm, SelfCheckForm
from mesoclinic.patients import services as patient_services


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _timeline():
    steps = [(step.title, step.detail) for step in selectors.timeline_steps()]
    return pictures.timeline_layout(
        steps,
        rtl=translation.get_language_bidi(),
        title=_("Treatment timeline"),
        description=_("The steps of a course of mesotherapy, from consultation to maintenance."),
    )


def _picture_context(picture: str) -> dict:
    if picture == "timeline":
        return {"timeline": _timeline()}
    return {}


class GuideIndexView(View):
    def get(self, request):
        topics = list(selectors.published_topics())
        context = {
            "topics": topics,
            "questions": list(selectors.published_questions()[:4]),
            "timeline": _timeline(),
            "search_form": GuideSearchForm(),
        }
        return render(request, "guide/index.html", context)


class TopicView(View):
    def get(self, request, slug):
        topics = list(selectors.published_topics())
        index = next((i for i, topic in enumerate(topics) if topic.slug == slug), None)
        if index is None:
            raise Http404("No such topic")
        topic = topics[index]
        context = {
            "topic": topic,
            "previous": topics[index - 1] if index > 0 else None,
            "next": topics[index + 1] if index + 1 < len(topics) else None,
            "questions": [q for q in selectors.published_questions() if q.topic_id == topic.pk],
            **_picture_context(topic.picture),
        }
        return render(request, "guide/topic.html", context)


class FaqView(View):
    def get(self, request):
        context = {
            "questions": list(selectors.published_questions()),
            "search_form": GuideSearchForm(),
        }
        return render(request, "guide/faq.html", context)


class SearchView(View):
    def get(self, request):
        form = GuideSearchForm(request.GET or None)
        terms, hits = [], []
        if form.is_valid():
            terms, hits = selectors.search_guide(form.cleaned_data["q"], language=_language())
        context = {"search_form": form, "terms": terms, "hits": hits, "searched": form.is_bound}
        response = render(request, "guide/search.html", context)
        # The query is in this page's address: a result's link must not carry it to another
        # site's (or a proxy's) logs as a Referer.
        response["Referrer-Policy"] = "no-referrer"
        return response


@method_decorator(never_cache, name="dispatch")
class SelfCheckView(View):
    """Answers are evaluated and shown, never saved; the response is not cached either, so a
    shared phone's back button does not show someone else's answers from the cache."""

    def get(self, request):
        form = SelfCheckForm(
            concerns=selectors.active_concerns(), adult_age=current_policy().adult_age
        )
        return render(request, "guide/self_check.html", {"form": form})

    def post(self, request):
        # The chain's policy (no clinic is chosen yet): its "minor" rule gives the age asked.
        policy = current_policy()
        form = SelfCheckForm(
            request.POST, concerns=selectors.active_concerns(), adult_age=policy.adult_age
        )
        if not form.is_valid():
            return render(request, "guide/self_check.html", {"form": form}, status=400)
        if refusal := limits.refuse_self_check(request):
            context = {"form": form, "refusal": refusal}
            return limits.too_many(
                render(request, "guide/self_check.html", context, status=429), refusal
            )
        concern = form.chosen_concern
        facts = form.facts()
        evaluation = rules.evaluate(
            facts,
            policy,
            ingredients=concern.typical_ingredients,
            indication=concern.indication,
        )
        declared = bool(facts.conditions or facts.medications or facts.unspecified_allergy)
        context = {
            "concern": concern,
            "evaluation": evaluation,
            "verdict": self_check_verdict(evaluation, declared=declared),
            "also_declared": form.declared(evaluation),
            "minor": form.minor,
            "adult_age": form.adult_age,
            "language": _language(),
        }
        return render(request, "guide/self_check_result.html", context)


class ClinicFinderView(View):
    def get(self, request):
        city = request.GET.get("city", "").strip()[:80]
        clinics = list(selectors.public_clinics(city or None))
        status = 404 if city and not clinics else 200
        context = {"city": city, "clinics": clinics, "cities": selectors.cities()}
        return render(request, "guide/clinic_finder.html", context, status=status)


class ClinicPageView(View):
    """The clinic's page: its free consultation times to book (`booking_views`), and the older
    request form for visitors who would rather be called ("Ask us to call you instead")."""

    def _render(self, request, clinic, form, status=200, refusal=None):
        context = {
            "clinic": clinic,
            "form": form,
            "takes_requests": takes_requests(clinic),
            "refusal": refusal,
            **slot_context(request, clinic),
        }
        return render(request, "guide/clinic.html", context, status=status)

    def get(self, request, slug):
        clinic = public_clinic_or_404(slug)
        concern = request.GET.get("concern", "")
        form = EnquiryForm(
            concerns=selectors.active_concerns(),
            initial={"preferred_language": _language(), "concern": concern},
        )
        return self._render(request, clinic, form)

    @method_decorator(never_cache)
    def post(self, request, slug):
        """The re-shown form holds the visitor's name and number: never cached."""
        clinic = public_clinic_or_404(slug)
        form = EnquiryForm(request.POST, concerns=selectors.active_concerns())
        if not takes_requests(clinic) or not form.is_valid():
            return self._render(request, clinic, form, status=400)
        if refusal := limits.refuse_enquiry(request, form.cleaned_data["mobile"]):
            # The form comes back as typed, with when to try again; nothing is written.
            response = self._render(request, clinic, form, status=429, refusal=refusal)
            return limits.too_many(response, refusal)
        if not form.is_robot:
            patient_services.submit_enquiry(
                clinic=clinic,
                data=form.cleaned_data,
                notify_url=request.build_absolute_uri(reverse("patients:enquiries")),
            )
        return redirect("guide:enquiry_sent", slug=clinic.slug)


class EnquirySentView(View):
    def get(self, request, slug):
        clinic = selectors.get_public_clinic(slug)
        if clinic is None:
            raise Http404("No such clinic")
        return render(request, "guide/enquiry_sent.html", {"clinic": clinic})


def page_not_found(request, exception):
    """Public pages (under /en/ or /ur/) get a 404 in the visitor's language that leads back to
    the guide; staff pages keep theirs."""
    if request.path.split("/")[1:2] in (["en"], ["ur"]):
        return render(request, "guide/404.html", status=404)
    return default_page_not_found(request, exception)
