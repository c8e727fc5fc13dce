"""Test doubles at the provider edge, for the tests of every app and the browser journeys:
real local servers (testing/providers.py, testing/smtp.py), never mocks of our code, and their
pytest fixtures (testing/fixtures.py). Nothing outside tests imports this package.

`MESSAGE_TEMPLATES` are the message texts a worker subprocess started by the tests renders with
(worker_settings.py), until the clinic-editable templates live in the database."""

MESSAGE_TEMPLATES = {
    "visit-reminder": {
        "en": "Blue Area Clinic: your visit is on {day}. Call {phone} to change it.",
        "ur": "بلیو ایریا کلینک: آپ کی ملاقات {day} کو ہے۔ تبدیلی کے لیے {phone} پر فون کریں۔",
    },
}
