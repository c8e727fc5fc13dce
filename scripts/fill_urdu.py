"""One-off helper kept for translators: fills msgstr for known msgids in the Urdu catalog.

Run after `manage.py makemessages -l ur`; then `manage.py compilemessages`.
"""

import re
import sys
from pathlib import Path

UR = {
    "Invalid or revoked token.": "ٹوکن غلط ہے یا منسوخ ہو چکا ہے۔",
    "Viewed": "دیکھا",
    "Listed or searched": "فہرست یا تلاش",
    "Created": "بنایا",
    "Updated": "تبدیل کیا",
    "Deleted": "حذف کیا",
    "Access denied": "رسائی سے انکار",
    "Staff pages": "عملے کے صفحات",
    "JSON API": "JSON API",
    "Django admin": "ایڈمن",
    "Command line": "کمانڈ لائن",
    "Audit log": "آڈٹ لاگ",
    "Filter": "فلٹر کریں",
    "When": "کب",
    "Who": "کس نے",
    "Action": "عمل",
    "Record": "ریکارڈ",
    "Clinic": "کلینک",
    "Interface": "ذریعہ",
    "Fields": "خانے",
    "No events match.": "کوئی اندراج نہیں ملا۔",
    "Older events": "پرانے اندراجات",
    "Username": "صارف نام",
    "Record type": "ریکارڈ کی قسم",
    "Record id": "ریکارڈ نمبر",
    "From": "سے",
    "Until": "تک",
    "name in Urdu": "اردو میں نام",
    "Monday": "پیر",
    "Tuesday": "منگل",
    "Wednesday": "بدھ",
    "Thursday": "جمعرات",
    "Friday": "جمعہ",
    "Saturday": "ہفتہ",
    "Sunday": "اتوار",
    "Room": "کمرہ",
    "Chair": "کرسی",
    "Dermatologist": "ماہرِ امراضِ جلد",
    "Other physician": "دیگر ڈاکٹر",
    "Trained nurse": "تربیت یافتہ نرس",
    "Other": "دیگر",
    "PMDC registration number": "پی ایم ڈی سی رجسٹریشن نمبر",
    "registration expires on": "رجسٹریشن کی میعاد ختم",
    "City": "شہر",
    "Address": "پتہ",
    "Phone": "فون",
    "Services": "خدمات",
    "Opening hours": "اوقاتِ کار",
    "Not recorded": "درج نہیں",
    "Rooms and chairs": "کمرے اور کرسیاں",
    "Staff": "عملہ",
    "Name": "نام",
    "Roles": "کردار",
    "Qualification": "قابلیت",
    "PMDC registration": "پی ایم ڈی سی رجسٹریشن",
    "credentialed": "تصدیق شدہ",
    "not credentialed": "غیر تصدیق شدہ",
    "Newest patients": "نئے مریض",
    "Dashboard": "ڈیش بورڈ",
    "Your clinics": "آپ کے کلینک",
    "patients": "مریض",
    "registered today": "آج رجسٹر ہوئے",
    "rooms and chairs": "کمرے اور کرسیاں",
    "Find a patient": "مریض تلاش کریں",
    "Register patient": "مریض رجسٹر کریں",
    "You are not assigned to a clinic yet. Ask an administrator to add you.": (
        "آپ ابھی کسی کلینک سے منسلک نہیں ہیں۔ ایڈمنسٹریٹر سے کہیں کہ آپ کو شامل کریں۔"
    ),
    "CNIC": "شناختی کارڈ نمبر",
    "13 digits, e.g. 35202-1234567-1; Urdu digits are fine.": (
        "13 ہندسے، مثلاً 35202-1234567-1؛ اردو ہندسے بھی درست ہیں۔"
    ),
    "Mobile": "موبائل",
    "e.g. 0300-1234567": "مثلاً 0300-1234567",
    "Emergency phone": "ہنگامی فون",
    "Female": "خاتون",
    "Male": "مرد",
    "English": "انگریزی",
    "Urdu": "اردو",
    "medical record number": "میڈیکل ریکارڈ نمبر",
    "first name": "پہلا نام",
    "last name": "خاندانی نام",
    "name in Urdu script": "نام اردو رسم الخط میں",
    "date of birth": "تاریخِ پیدائش",
    "sex": "جنس",
    "13 digits": "13 ہندسے",
    "mobile": "موبائل",
    "e-mail": "ای میل",
    "preferred language": "پسندیدہ زبان",
    "Fitzpatrick skin type": "فٹزپیٹرک جلد کی قسم",
    "emergency contact": "ہنگامی رابطہ",
    "relation": "رشتہ",
    "emergency phone": "ہنگامی فون",
    "this CNIC": "اس شناختی کارڈ نمبر",
    "this name, date of birth and mobile": "اسی نام، تاریخِ پیدائش اور موبائل",
    "A patient with %(what)s is already registered: %(mrn)s.": (
        "%(what)s والا مریض پہلے سے رجسٹر ہے: %(mrn)s۔"
    ),
    "A patient with %(what)s is already registered at another clinic of the chain; "
    "ask an administrator to give you access instead of registering them again.": (
        "%(what)s والا مریض ہمارے کسی دوسرے کلینک میں رجسٹر ہے؛ دوبارہ رجسٹر کرنے کے بجائے "
        "ایڈمنسٹریٹر سے رسائی کی درخواست کریں۔"
    ),
    "Patients": "مریض",
    "MRN": "ایم آر این",
    "Date of birth": "تاریخِ پیدائش",
    "Older patients": "پرانے مریض",
    "No patient matches. Check the spelling or search by CNIC, mobile or MRN.": (
        "کوئی مریض نہیں ملا۔ ہجے دیکھیں یا شناختی کارڈ، موبائل یا ایم آر این سے تلاش کریں۔"
    ),
    "No patients registered yet.": "ابھی کوئی مریض رجسٹر نہیں ہوا۔",
    "Edit": "ترمیم",
    "Identity": "شناخت",
    "Sex": "جنس",
    "Contact": "رابطہ",
    "E-mail": "ای میل",
    "Preferred language": "پسندیدہ زبان",
    "Emergency contact": "ہنگامی رابطہ",
    "Registration": "رجسٹریشن",
    "Registered": "رجسٹر ہوا",
    "By": "از",
    "Register a patient": "مریض رجسٹر کریں",
    "Edit patient": "مریض کی معلومات میں ترمیم",
    "Please correct the fields marked below; nothing has been saved yet.": (
        "نیچے نشان زدہ خانے درست کریں؛ ابھی کچھ محفوظ نہیں ہوا۔"
    ),
    "Register": "رجسٹر کریں",
    "Save": "محفوظ کریں",
    "Cancel": "منسوخ",
    "Search patients": "مریض تلاش کریں",
    "Name, CNIC, mobile or MRN": "نام، شناختی کارڈ، موبائل یا ایم آر این",
    "Search": "تلاش",
    "The date of birth is in the future.": "تاریخِ پیدائش مستقبل کی ہے۔",
    "The date of birth is more than %(years)s years ago; check the year.": (
        "تاریخِ پیدائش %(years)s سال سے زیادہ پرانی ہے؛ سال دیکھیں۔"
    ),
    "Registered %(mrn)s.": "%(mrn)s رجسٹر ہو گیا۔",
    "Saved.": "محفوظ ہو گیا۔",
    "Nothing changed.": "کچھ تبدیل نہیں ہوا۔",
    "Not allowed": "اجازت نہیں",
    "Your role does not give you access to this page. Ask your clinic manager.": (
        "آپ کے کردار کو اس صفحے تک رسائی نہیں۔ اپنے کلینک مینیجر سے رابطہ کریں۔"
    ),
    "Not found": "نہیں ملا",
    "There is nothing here, or it belongs to a clinic you do not work at.": (
        "یہاں کچھ نہیں، یا یہ کسی ایسے کلینک کا ہے جہاں آپ کام نہیں کرتے۔"
    ),
    "Back to the dashboard": "ڈیش بورڈ پر واپس",
    "mesoclinic": "میسوکلینک",
    "Main": "مرکزی",
    "Admin": "ایڈمن",
    "Log out": "لاگ آؤٹ",
    "Log in": "لاگ اِن",
    "Your username and password didn't match. Please try again.": (
        "صارف نام یا پاس ورڈ درست نہیں۔ دوبارہ کوشش کریں۔"
    ),
    "Password": "پاس ورڈ",
    "A CNIC has only digits and dashes, like 12345-1234567-1.": (
        "شناختی کارڈ نمبر میں صرف ہندسے اور ڈیش ہوتے ہیں، جیسے 12345-1234567-1۔"
    ),
    "A CNIC has 13 digits, like 12345-1234567-1; this has %(count)d.": (
        "شناختی کارڈ نمبر 13 ہندسوں کا ہوتا ہے، جیسے 12345-1234567-1؛ اس میں %(count)d ہیں۔"
    ),
    "Enter a mobile number, like 0300-1234567.": "موبائل نمبر درج کریں، جیسے 0300-1234567۔",
    "Enter a mobile number, like 0300-1234567 or +92 300 1234567.": (
        "موبائل نمبر درج کریں، جیسے 0300-1234567 یا 1234567 300 92+۔"
    ),
    "This is not a valid mobile number; check the digits.": (
        "یہ درست موبائل نمبر نہیں؛ ہندسے دوبارہ دیکھیں۔"
    ),
    "This looks like a landline; enter a mobile number.": (
        "یہ لینڈ لائن نمبر لگتا ہے؛ موبائل نمبر درج کریں۔"
    ),
    "Enter a phone number, like 051-5550100 or 0300-1234567.": (
        "فون نمبر درج کریں، جیسے 051-5550100 یا 0300-1234567۔"
    ),
    "This is not a valid phone number; check the digits.": (
        "یہ درست فون نمبر نہیں؛ ہندسے دوبارہ دیکھیں۔"
    ),
    "Receptionist": "استقبالیہ",
    "All your clinics": "آپ کے تمام کلینک",
    "Keep this under %(max)s characters.": "اسے %(max)s حروف سے کم رکھیں۔",
    "Another practitioner already has this PMDC registration number.": (
        "یہ پی ایم ڈی سی رجسٹریشن نمبر پہلے سے کسی اور معالج کا ہے۔"
    ),
    "Empty for system actions such as demo seeding.": "نظام کے کاموں (مثلاً ڈیمو ڈیٹا) کے لیے خالی۔",
    "app_label.model of the record, e.g. patients.patient": (
        "ریکارڈ کی قسم (app_label.model)، مثلاً patients.patient"
    ),
    "Counts and codes only, never personal data.": "صرف تعداد اور کوڈ، ذاتی معلومات کبھی نہیں۔",
    "E.164, e.g. +92515550100": "E.164، مثلاً +92515550100",
    "Practitioner": "معالج",
    "Clinic manager": "کلینک مینیجر",
    "Administrator": "ایڈمنسٹریٹر",
    "Patient": "مریض",
}


def po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def main(path: Path) -> None:
    text = path.read_text()
    entry = re.compile(r'((?:#[^\n]*\n)*)msgid ((?:"[^\n]*"\n)+)msgstr ((?:"[^\n]*"\n)+)', re.M)

    def fill(match):
        comments, raw_id = match.group(1), match.group(2)
        msgid = "".join(re.findall(r'"(.*)"', raw_id)).replace('\\"', '"')
        if msgid and msgid in UR:
            # Our translation wins over makemessages' fuzzy guesses.
            comments = "".join(
                line + "\n"
                for line in comments.splitlines()
                if line != "#, fuzzy" and not line.startswith("#|")
            )
            return f'{comments}msgid {raw_id}msgstr "{po_escape(UR[msgid])}"\n'
        return match.group(0)

    path.write_text(entry.sub(fill, text))
    missing = re.findall(r'msgid "(.+)"\nmsgstr ""\n', path.read_text())
    if missing:
        print("untranslated:", missing, file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
