"""The public self-check: answers in, verdict and reasons out, nothing stored."""

import pytest
from django.apps import apps

from mesoclinic.care import rules
from mesoclinic.care.models import ContraindicationRule
from mesoclinic.care.selectors import current_policy
from mesoclinic.care.selfcheck import self_check_verdict

pytestmark = pytest.mark.django_db

URL = "/en/self-check/"
ALL_NO = {
    "concern": "melasma",
    "age": "adult",
    "pregnant": "no",
    "breastfeeding": "no",
    "planning_pregnancy": "no",
    "allergy": "no",
    "infection": "no",
    "blood_thinners": "no",
    "isotretinoin": "no",
}


def _row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_it_says_you_can_book_a_consultation_when_nothing_stands_in_the_way(client):
    html = client.post(URL, ALL_NO).content.decode()
    assert "You can book a consultation" in html
    assert "/en/clinics/?concern=melasma" in html


def test_it_says_not_suitable_now_for_a_pregnant_visitor_with_the_reason(client):
    response = client.post(URL, {**ALL_NO, "pregnant": "yes"})
    html = response.content.decode()
    assert "Not suitable now" in html
    assert "pregnan" in html.lower()


def test_it_treats_not_sure_about_pregnancy_as_pregnant(client):
    assert "Not suitable now" in client.post(URL, {**ALL_NO, "pregnant": "unsure"}).content.decode()


def test_it_says_talk_to_a_doctor_first_for_blood_thinners(client):
    html = client.post(URL, {**ALL_NO, "blood_thinners": "yes"}).content.decode()
    assert "Talk to a doctor first" in html


def test_it_sends_a_clot_history_to_a_doctor_when_the_usual_cocktail_has_tranexamic_acid(client):
    # Tranexamic acid after a clot is an absolute block, but only for that ingredient: another
    # cocktail may be possible, so the visitor is sent to a doctor, not turned away.
    html = client.post(URL, {**ALL_NO, "conditions": ["thromboembolism"]}).content.decode()
    assert "Talk to a doctor first" in html


def test_it_names_every_reason(client):
    data = {**ALL_NO, "infection": "yes", "isotretinoin": "yes", "conditions": ["keloid_tendency"]}
    html = client.post(URL, data).content.decode()
    assert html.count('<li class="reason-') == 3


def test_it_shows_the_reasons_in_urdu_on_the_urdu_page(client):
    html = client.post("/ur/self-check/", {**ALL_NO, "pregnant": "yes"}).content.decode()
    policy = {rule.code: rule for rule in current_policy().rules}
    assert policy["pregnancy"].message_ur in html


def test_it_names_the_questions_left_unanswered(client):
    data = {key: value for key, value in ALL_NO.items() if key not in ("pregnant", "allergy")}
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please answer these questions" in html
    assert html.count('<p class="error">Please answer this question.</p>') == 2
    assert 'href="#id_pregnant_0"' in html and 'href="#id_allergy_0"' in html


def test_it_refuses_an_unknown_concern_or_answer_without_an_error_page(client):
    response = client.post(URL, {**ALL_NO, "concern": "tattoo", "pregnant": "perhaps"})
    assert response.status_code == 400


def test_it_stores_nothing_the_visitor_answers_and_is_never_cached(client):
    before = _row_counts()
    response = client.post(URL, {**ALL_NO, "pregnant": "yes", "conditions": ["seizures"]})
    assert _row_counts() == before
    assert "no-store" in response["Cache-Control"]
    # No session: the answers cannot ride along in a cookie either.
    assert "sessionid" not in response.cookies


def test_it_gives_the_same_decision_as_the_engine_for_the_same_facts(client):
    facts = rules.Facts(pregnant=True)
    evaluation = rules.evaluate(
        facts, current_policy(), ingredients=["tranexamic_acid", "kojic_acid", "ascorbic_acid"]
    )
    html = client.post(URL, {**ALL_NO, "pregnant": "yes"}).content.decode()
    assert self_check_verdict(evaluation) == "not_suitable_now"
    for reason in evaluation.reasons:
        assert reason.message_en in html


def test_it_follows_the_policy_when_a_medical_lead_edits_a_rule(client):
    from mesoclinic.care.models import ContraindicationRule

    ContraindicationRule.objects.filter(code="breastfeeding").update(severity="relative")
    html = client.post(URL, {**ALL_NO, "breastfeeding": "yes"}).content.decode()
    assert "Talk to a doctor first" in html


def test_it_never_gives_the_all_clear_after_a_declared_condition(client):
    # Hyaluronic acid (the usual ageing-skin guess) meets no rule for seizures, but the doctor
    # may choose a cocktail with tranexamic acid: the visitor must talk to them first.
    data = {**ALL_NO, "concern": "ageing-skin", "conditions": ["seizures"]}
    html = client.post(URL, data).content.decode()
    assert "Talk to a doctor first" in html
    assert "Also tell the doctor about" in html and "Fits or seizures" in html


def test_it_does_not_repeat_a_declared_condition_a_reason_already_names(client):
    data = {**ALL_NO, "conditions": ["thromboembolism"]}  # melasma: tranexamic acid rule fires
    html = client.post(URL, data).content.decode()
    assert "Also tell the doctor about" not in html


def test_it_evaluates_the_self_check_in_a_constant_number_of_queries(
    client, django_assert_num_queries
):
    # 1: concerns for the form; 2: the active rules; 3-8: the rate limit's count in the shared
    # cache (here its database table: read, cull count, savepoint, key, write, release; none
    # of these on Redis).
    with django_assert_num_queries(8):
        client.post(URL, {**ALL_NO, "conditions": ["seizures", "keloid_tendency"]})


# --- minors (issue 15) -----------------------------------------------------------------------


def test_it_asks_the_age_as_a_band_at_the_chains_adult_age(client):
    html = client.get(URL).content.decode()
    assert "How old are you?" in html
    assert "Under 18" in html and "18 or older" in html


def test_it_tells_a_visitor_under_the_age_that_a_doctor_reviews_and_a_guardian_consents(client):
    html = client.post(URL, {**ALL_NO, "age": "under"}).content.decode()
    assert "Talk to a doctor first" in html
    assert "You are under 18" in html
    assert "a parent or guardian must give consent" in html
    policy = {rule.code: rule for rule in current_policy().rules}
    assert policy["minor"].message_en in html


def test_it_says_so_in_urdu_too(client):
    html = client.post("/ur/self-check/", {**ALL_NO, "age": "under"}).content.decode()
    assert "آپ کی عمر ⁦18⁩ سال سے کم ہے" in html
    assert "والدین یا سرپرست" in html
    policy = {rule.code: rule for rule in current_policy().rules}
    assert policy["minor"].message_ur in html


def test_it_says_nothing_of_age_to_an_adult(client):
    html = client.post(URL, ALL_NO).content.decode()
    assert "You can book a consultation" in html
    assert "parent or guardian" not in html


def test_it_names_the_age_question_when_it_is_left_unanswered(client):
    data = {key: value for key, value in ALL_NO.items() if key != "age"}
    response = client.post(URL, data)
    assert response.status_code == 400
    assert 'href="#id_age_0"' in response.content.decode()


def test_it_takes_the_age_from_the_chains_rule_not_from_code(client):
    ContraindicationRule.objects.filter(code="minor").update(adult_age=16)
    assert "Under 16" in client.get(URL).content.decode()
    html = client.post(URL, {**ALL_NO, "age": "under"}).content.decode()
    assert "You are under 16" in html


def test_it_leads_with_no_evidence_for_cellulite_in_both_languages(client):
    html = client.post(URL, {**ALL_NO, "concern": "cellulite"}).content.decode()
    assert html.index('id="concern-note"') < html.index('role="status"')
    assert '<p class="note" id="concern-note">No evidence that it works:' in html
    urdu = client.post("/ur/self-check/", {**ALL_NO, "concern": "cellulite"}).content.decode()
    assert "اس کے مؤثر ہونے کا کوئی ثبوت نہیں" in urdu
    assert urdu.index('id="concern-note"') < urdu.index('role="status"')
