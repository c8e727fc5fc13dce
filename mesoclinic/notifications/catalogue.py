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

#: The appointment messages' WhatsApp parameters, in order: no name, no type, no clinical
#: detail; the clinic, the time in Karachi and the clinic's number (issue 18).
APPOINTMENT_PARAMETERS = ("clinic", "when", "phone", "opt_out")


@dataclass(frozen=True)
class DefaultTemplate:
    code: str
    # "patient", "clinic", "visitor": someone who is not (yet) a patient and asked for this
    # very message on the public site (a booking code), so no recorded consent is needed and
    # there is no opt-out link; such a message says nothing but what they asked for; or
    # REQUESTER (below).
    audience: str
    text: dict  # language -> text
    title: dict = field(default_factory=dict)  # language -> e-mail subject
    whatsapp_template: str = ""
    whatsapp_parameters: tuple[str, ...] = ()


#: The one kind of message to a patient's number that goes without a recorded consent to be
#: contacted on SMS: a code the number's holder asked for on the portal's sign-in page at that
#: very moment. The house rule is "messages only to people who agreed" (issue 17); asking for
#: the code is agreeing to that one message, and a patient who once said no to SMS reminders
#: must still be able to reach the portal, where that consent is managed. Narrow on purpose:
#: the text holds only the code, its lifetime and "do not share it" (no name, no clinic; a
#: clinic's edit cannot add a placeholder, `message_templates.validate`), no opt-out link, and
#: WhatsApp still needs its own opt-in (Meta's rule), so the sender picks WhatsApp only for a
#: patient who opted in to it. `compose.prepare` asks `needs_contact_consent`.
REQUESTER = "requester"


def needs_contact_consent(code: str, channel: str) -> bool:
    """Whether a message of this template to a patient needs their recorded consent on the
    channel: always, except a REQUESTER message by SMS."""
    default = DEFAULT_TEMPLATES.get(code)
    return not (default is not None and default.audience == REQUESTER and channel == "sms")


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
            code="portal-sign-in-code",
            audience=REQUESTER,
            text={
                "en": (
                    "{code} is your sign-in code. It is valid for {minutes} minutes. "
                    "Never share it: the clinic will never ask you for it."
                ),
                "ur": (
                    "آپ کا سائن اِن کوڈ {code} ہے۔ یہ {minutes} منٹ تک کارآمد ہے۔ "
                    "یہ کوڈ کبھی کسی کو نہ بتائیں، کلینک آپ سے کبھی نہیں مانگے گا۔"
                ),
            },
            # A WhatsApp "authentication" template at Meta: the code and its minutes only.
            whatsapp_template="mesoclinic_sign_in_code",
            whatsapp_parameters=("code", "minutes"),
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
            code="check-in",
            audience="patient",
            text={
                "en": (
                    "{clinic}: how is your skin since your visit? Two minutes to tell us: {link} "
                    "Worried? Call {phone}. Stop messages: {opt_out}"
                ),
                "ur": (
                    "{clinic}: آپ کی جلد اب کیسی ہے؟ دو منٹ میں ہمیں بتائیں: {link} "
                    "کوئی فکر ہو تو {phone} پر فون کریں۔ پیغامات بند کریں: {opt_out}"
                ),
            },
            whatsapp_template="mesoclinic_check_in",
            whatsapp_parameters=("clinic", "link", "phone", "opt_out"),
        ),
        DefaultTemplate(
            code="adverse-event-opened",
            audience="clinic",
            title={
                "en": "Adverse event opened · {clinic}",
                "ur": "ناخوشگوار واقعہ درج ہوا · {clinic}",
            },
            text={
                "en": (
                    "An adverse event was opened at {clinic} and needs a dermatologist now.\n\n"
                    "Open it: {url}\n"
                ),
                "ur": (
                    "{clinic} میں ایک ناخوشگوار واقعہ درج ہوا ہے، ماہرِ جلد فوراً دیکھیں۔\n\n"
                    "یہاں کھولیں: {url}\n"
                ),
            },
        ),
        DefaultTemplate(
            code="cluster-alert",
            audience="clinic",
            title={
                "en": "Cluster of adverse events · {clinic}",
                "ur": "ناخوشگوار واقعات کا مجموعہ · {clinic}",
            },
            text={
                "en": (
                    "{count} adverse events within {days} days at {clinic} share a {subject}. "
                    "Review them, and the recall it may need: {url}\n"
                ),
                "ur": (
                    "{clinic} میں {days} دن کے اندر {count} ناخوشگوار واقعات ایک ہی {subject} سے "
                    "جڑے ہیں۔ انہیں اور ممکنہ واپسی کو دیکھیں: {url}\n"
                ),
            },
        ),
        # The portal's "My data" (issue 22): a patient asked to correct or erase their data;
        # to the clinic's managers, with a link to the requests page and nothing else.
        DefaultTemplate(
            code="data-request-notice",
            audience="clinic",
            title={
                "en": "A patient's request about their data · {clinic}",
                "ur": "مریض کی اپنے ڈیٹا سے متعلق درخواست · {clinic}",
            },
            text={
                "en": (
                    "A patient asked {clinic}, through the portal, to correct or erase their "
                    "data.\n\nAnswer it on the requests page: {url}\n"
                ),
                "ur": (
                    "ایک مریض نے پورٹل کے ذریعے {clinic} سے اپنا ڈیٹا درست کرنے یا مٹانے کی "
                    "درخواست کی ہے۔\n\nدرخواستوں کے صفحے پر جواب دیں: {url}\n"
                ),
            },
        ),
        # Security watching (issue 20, security/watch.py): counts only, to administrators.
        DefaultTemplate(
            code="security-alert",
            audience="clinic",
            title={
                "en": "Security alert: unusual sign-in or access activity",
                "ur": "سیکیورٹی الرٹ: سائن اِن یا رسائی میں غیر معمولی سرگرمی",
            },
            text={
                "en": (
                    "In the last {minutes} minutes: {denied} refused accesses, {lockouts} "
                    "lockouts, {failures} failed sign-ins.\n\n"
                    "Look at the audit log: {url}\n"
                ),
                "ur": (
                    "پچھلے {minutes} منٹ میں: {denied} رسائیاں رد ہوئیں، {lockouts} اکاؤنٹ بند "
                    "ہوئے، {failures} سائن اِن ناکام رہے۔\n\n"
                    "آڈٹ لاگ دیکھیں: {url}\n"
                ),
            },
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
        DefaultTemplate(
            code="appointment-booked",
            audience="patient",
            text={
                "en": (
                    "{clinic}: your appointment is booked for {when}. To change it, call {phone}. "
                    "Stop messages: {opt_out}"
                ),
                "ur": (
                    "{clinic}: آپ کی ملاقات {when} کے لیے طے ہو گئی ہے۔ "
                    "تبدیلی کے لیے {phone} پر فون کریں۔ "
                    "پیغامات بند کریں: {opt_out}"
                ),
            },
            whatsapp_template="mesoclinic_appointment_booked",
            whatsapp_parameters=APPOINTMENT_PARAMETERS,
        ),
        DefaultTemplate(
            code="appointment-moved",
            audience="patient",
            text={
                "en": (
                    "{clinic}: your appointment has moved to {when}. To change it, call {phone}. "
                    "Stop messages: {opt_out}"
                ),
                "ur": (
                    "{clinic}: آپ کی ملاقات اب {when} کو ہے۔ تبدیلی کے لیے {phone} پر فون کریں۔ "
                    "پیغامات بند کریں: {opt_out}"
                ),
            },
            whatsapp_template="mesoclinic_appointment_moved",
            whatsapp_parameters=APPOINTMENT_PARAMETERS,
        ),
        DefaultTemplate(
            code="appointment-reminder",
            audience="patient",
            text={
                "en": (
                    "{clinic}: a reminder of your appointment on "
                    "{when}. To change it, call {phone}. "
                    "Stop messages: {opt_out}"
                ),
                "ur": (
                    "{clinic}: یاد دہانی، آپ کی ملاقات {when} کو ہے۔ "
                    "تبدیلی کے لیے {phone} پر فون کریں۔ "
                    "پیغامات بند کریں: {opt_out}"
                ),
            },
            whatsapp_template="mesoclinic_appointment_reminder",
            whatsapp_parameters=APPOINTMENT_PARAMETERS,
        ),
        DefaultTemplate(
            code="patch-read-due",
            audience="patient",
            text={
                "en": (
                    "{clinic}: your short return visit is due on {when}; please come that day. "
                    "To change the time, call {phone}. "
                    "Stop messages: {opt_out}"
                ),
                "ur": (
                    "{clinic}: آپ کی مختصر واپسی کی ملاقات {when} کو "
                    "ہے؛ براہِ کرم اسی دن تشریف لائیں۔ "
                    "وقت بدلنے کے لیے {phone} پر فون کریں۔ "
                    "پیغامات بند کریں: {opt_out}"
                ),
            },
            whatsapp_template="mesoclinic_patch_read_due",
            whatsapp_parameters=APPOINTMENT_PARAMETERS,
        ),
        DefaultTemplate(
            code="appointment-cancelled",
            audience="patient",
            text={
                "en": (
                    "{clinic}: your appointment on {when} is cancelled. "
                    "To book another time, call {phone}. "
                    "Stop messages: {opt_out}"
                ),
                "ur": (
                    "{clinic}: {when} والی آپ کی ملاقات منسوخ کر دی گئی "
                    "ہے۔ نیا وقت لینے کے لیے {phone} پر "
                    "فون کریں۔ "
                    "پیغامات بند کریں: {opt_out}"
                ),
            },
            whatsapp_template="mesoclinic_appointment_cancelled",
            whatsapp_parameters=APPOINTMENT_PARAMETERS,
        ),
        DefaultTemplate(
            code="appointment-missed",
            audience="patient",
            text={
                "en": (
                    "{clinic}: we missed you at your appointment on "
                    "{when}. To book another time, call "
                    "{phone}. "
                    "Stop messages: {opt_out}"
                ),
                "ur": (
                    "{clinic}: {when} کی ملاقات پر آپ تشریف نہیں لا سکے۔ "
                    "نیا وقت لینے کے لیے {phone} پر فون "
                    "کریں۔ "
                    "پیغامات بند کریں: {opt_out}"
                ),
            },
            whatsapp_template="mesoclinic_appointment_missed",
            whatsapp_parameters=APPOINTMENT_PARAMETERS,
        ),
    )
}
