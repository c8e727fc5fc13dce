"""The messages mesoclinic sends, as first written: the defaults a clinic's editable, versioned
templates start from (and what a fresh database sends before anyone edits them).

Each template says who receives it, its text in English and Urdu (`{name}` placeholders, see
`rules.render`), an e-mail subject where it goes by e-mail, and for WhatsApp the name of the
template approved at Meta with the order of its parameters ({{1}}, {{2}}, ...). Every message to
a patient ends with `{opt_out}`, the signed one-click link the sender adds at send time.
Messages carry no clinical detail: no diagnosis, no product, no pregnancy; a link or the
clinic's number for the rest.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DefaultTemplate:
    code: str
    # "patient", "clinic", or "visitor": someone who is not (yet) a patient and asked for this
    # very message on the public site (a booking code), so no recorded consent is needed and
    # there is no opt-out link; such a message says nothing but what they asked for.
    audience: str
    text: dict  # language -> text
    title: dict = field(default_factory=dict)  # language -> e-mail subject
    whatsapp_template: str = ""
    whatsapp_parameters: tuple[str, ...] = ()


DEFAULT_TEMPLATES = {
    t.code: t
    for t in (
        DefaultTemplate(
            code="enquiry-notice",
            audience="clinic",
            title={
                "en": "New appointment request · {clinic}",
                "ur": "ملاقات کی نئی درخواست · {clinic}",
            },
            text={
                "en": (
                    "A visitor asked {clinic} for an appointment on the public site.\n\n"
                    "Open the enquiries inbox to call them back: {inbox_url}\n"
                ),
                "ur": (
                    "ایک صارف نے ویب سائٹ پر {clinic} سے ملاقات کا وقت مانگا ہے۔\n\n"
                    "انہیں واپس فون کرنے کے لیے درخواستوں کا صفحہ کھولیں: {inbox_url}\n"
                ),
            },
        ),
        DefaultTemplate(
            code="booking-code",
            audience="visitor",
            text={
                "en": (
                    "{code} is your code to confirm your consultation at {clinic}. "
                    "It is valid for {minutes} minutes. Do not share it."
                ),
                "ur": (
                    "{clinic} میں مشورے کی تصدیق کے لیے آپ کا کوڈ {code} ہے۔ "
                    "یہ {minutes} منٹ تک کارآمد ہے۔ کسی کو نہ بتائیں۔"
                ),
            },
        ),
        DefaultTemplate(
            code="aftercare",
            audience="patient",
            text={
                "en": (
                    "{clinic}: thank you for your visit. Your aftercare instructions: {link} "
                    "Questions or a reaction? Call {phone}. Stop messages: {opt_out}"
                ),
                "ur": (
                    "{clinic}: تشریف لانے کا شکریہ۔ علاج کے بعد کی ہدایات: {link} "
                    "کوئی سوال یا ردِعمل ہو تو {phone} پر فون کریں۔ پیغامات بند کریں: {opt_out}"
                ),
            },
            whatsapp_template="mesoclinic_aftercare",
            whatsapp_parameters=("clinic", "link", "phone", "opt_out"),
        ),
        DefaultTemplate(
            code="maintenance-recall",
            audience="patient",
            text={
                "en": (
                    "{clinic}: it is time to plan your maintenance session. Call {phone} to "
                    "book. Stop messages: {opt_out}"
                ),
                "ur": (
                    "{clinic}: آپ کے مینٹیننس سیشن کا وقت ہو گیا ہے۔ وقت لینے کے لیے {phone} پر "
                    "فون کریں۔ پیغامات بند کریں: {opt_out}"
                ),
            },
            whatsapp_template="mesoclinic_maintenance_recall",
            whatsapp_parameters=("clinic", "phone", "opt_out"),
        ),
    )
}
