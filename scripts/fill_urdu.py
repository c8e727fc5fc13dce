"""One-off helper kept for translators: fills msgstr for known msgids in the Urdu catalog.

    manage.py makemessages -l ur -e html,txt,py,svg --ignore=.venv --ignore=.tools \\
        --ignore=scripts --ignore=var
    python scripts/fill_urdu.py mesoclinic/locale/ur/LC_MESSAGES/django.po
    manage.py compilemessages -l ur --ignore=.venv

`-e html,txt,py,svg` matters: the guide's inline SVG pictures (templates/guide/pictures/*.svg)
use {% translate %}, and makemessages reads only html, txt and py files unless told otherwise.
The script exits 1 and lists what is still untranslated or fuzzy.
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
    "e.g. 0300-1234567": "مثلاً \u20660300-1234567\u2069",
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
    "Enter a mobile number, like 0300-1234567.": (
        "موبائل نمبر درج کریں، جیسے \u20660300-1234567\u2069۔"
    ),
    "Enter a mobile number, like 0300-1234567 or +92 300 1234567.": (
        "موبائل نمبر درج کریں، جیسے \u20660300-1234567\u2069 یا \u2066+92 300 1234567\u2069۔"
    ),
    "This is not a valid mobile number; check the digits.": (
        "یہ درست موبائل نمبر نہیں؛ ہندسے دوبارہ دیکھیں۔"
    ),
    "This looks like a landline; enter a mobile number.": (
        "یہ لینڈ لائن نمبر لگتا ہے؛ موبائل نمبر درج کریں۔"
    ),
    "Enter a phone number, like 051-5550100 or 0300-1234567.": (
        "فون نمبر درج کریں، جیسے \u2066051-5550100\u2069 یا \u20660300-1234567\u2069۔"
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
    "Empty for system actions such as demo seeding.": (
        "نظام کے کاموں (مثلاً ڈیمو ڈیٹا) کے لیے خالی۔"
    ),
    "app_label.model of the record, e.g. patients.patient": (
        "ریکارڈ کی قسم (app_label.model)، مثلاً patients.patient"
    ),
    "Counts and codes only, never personal data.": "صرف تعداد اور کوڈ، ذاتی معلومات کبھی نہیں۔",
    "E.164, e.g. +92515550100": "E.164، مثلاً \u2066+92515550100\u2069",
    "Practitioner": "معالج",
    "Clinic manager": "کلینک مینیجر",
    "Administrator": "ایڈمنسٹریٹر",
    "Patient": "مریض",
    # Public patient guide, self-check, clinic finder and appointment requests.
    "Public pages": "عوامی صفحات",
    "Guide": "گائیڈ",
    "Mesotherapy guide": "میسوتھراپی گائیڈ",
    "An honest guide to mesotherapy in Pakistan: what it is, what it treats, safety, a "
    "self-check and clinics with verified doctors.": (
        "پاکستان میں میسوتھراپی کے بارے میں ایک دیانت دار گائیڈ: یہ کیا ہے، کن مسائل کا علاج "
        "کرتی ہے، حفاظت، خود جانچ، اور تصدیق شدہ ڈاکٹروں والے کلینک۔"
    ),
    "Skip to content": "مرکزی مواد پر جائیں",
    "Questions": "سوالات",
    "Self-check": "خود جانچ",
    "Find a clinic": "کلینک تلاش کریں",
    "Staff login": "عملے کا لاگ اِن",
    "This guide is general information, not medical advice. A doctor decides what is safe for "
    "you at a consultation.": (
        "یہ گائیڈ عام معلومات ہے، طبی مشورہ نہیں۔ آپ کے لیے کیا محفوظ ہے، اس کا فیصلہ ڈاکٹر "
        "آپ سے ملاقات پر کرتے ہیں۔"
    ),
    "Page not found": "صفحہ نہیں ملا",
    "This page does not exist, or it has moved.": (
        "یہ صفحہ موجود نہیں، یا کہیں اور منتقل ہو گیا ہے۔"
    ),
    "Back to the guide": "گائیڈ پر واپس جائیں",
    "Breadcrumb": "صفحے کا راستہ",
    "Mesotherapy in Pakistan: an honest guide": "پاکستان میں میسوتھراپی: ایک دیانت دار گائیڈ",
    "What it is, what it can and cannot do, what it feels like, how to stay safe, and where to "
    "find a qualified doctor.": (
        "یہ کیا ہے، کیا کر سکتی ہے اور کیا نہیں، کیسی محسوس ہوتی ہے، محفوظ کیسے رہیں، اور "
        "مستند ڈاکٹر کہاں ملے گا۔"
    ),
    "Take the self-check": "خود جانچ کریں",
    "Topics": "موضوعات",
    "A course of treatment at a glance": "علاج کا پورا کورس ایک نظر میں",
    "Where it is used": "یہ کہاں استعمال ہوتی ہے",
    "Common questions": "عام سوالات",
    "All questions and answers": "تمام سوال و جواب",
    "Questions and answers about mesotherapy": "میسوتھراپی کے بارے میں سوال و جواب",
    "Answers to common questions: skin types, sessions, pain, ingredients, melasma, hair loss, "
    "side effects, pregnancy and who should do it.": (
        "عام سوالات کے جواب: جلد کی اقسام، سیشن، درد، اجزا، میلازما، بال گرنا، مضر اثرات، حمل، "
        "اور یہ علاج کس سے کروانا چاہیے۔"
    ),
    "Questions and answers": "سوال و جواب",
    "Read more": "مزید پڑھیں",
    "Questions on this topic": "اس موضوع پر سوالات",
    "More topics": "مزید موضوعات",
    "Previous": "پچھلا",
    "Next": "اگلا",
    "Treatment timeline": "علاج کے مراحل",
    "The steps of a course of mesotherapy, from consultation to maintenance.": (
        "میسوتھراپی کے کورس کے مراحل، مشورے سے مینٹیننس تک۔"
    ),
    "Treatment areas": "علاج کی جگہیں",
    "Common mesotherapy treatment areas": "میسوتھراپی سے علاج کی عام جگہیں",
    "A front view of a face and neck and an outline of a body, with numbered markers on the "
    "areas mesotherapy commonly treats, explained in the numbered list below the drawing.": (
        "چہرے اور گردن کا سامنے سے منظر اور جسم کا خاکہ، جن پر ان جگہوں پر نمبر لگے ہیں جہاں "
        "عموماً میسوتھراپی کی جاتی ہے؛ ہر نمبر کی وضاحت تصویر کے نیچے دی گئی فہرست میں ہے۔"
    ),
    "Scalp — hair loss": "سر کی جلد — بال گرنا",
    "Forehead": "ماتھا",
    "Cheeks — melasma and pigmentation": "گال — میلازما اور پگمنٹیشن",
    "Under-eye area": "آنکھوں کے نیچے",
    "Chin and jawline": "ٹھوڑی اور جبڑے کی لکیر",
    "Neck — skin ageing": "گردن — بڑھتی عمر کی علامات",
    "Abdomen and flanks — localized fat": "پیٹ اور پہلو — جمع شدہ چربی",
    "Thighs — localized fat": "رانیں — جمع شدہ چربی",
    "Upper arms — localized fat": "بازوؤں کا اوپری حصہ — جمع شدہ چربی",
    # Search.
    "Search the guide": "گائیڈ میں تلاش کریں",
    "e.g. melasma, pain, sessions": "مثلاً میلازما، درد، سیشن",
    "Type a word to search for, e.g. melasma.": "تلاش کے لیے کوئی لفظ لکھیں، مثلاً میلازما۔",
    "Keep your search under %(limit_value)d characters.": (
        "تلاش کے الفاظ %(limit_value)d حروف سے کم رکھیں۔"
    ),
    "Those words are too common to search for. Try a more specific word, e.g. melasma.": (
        "یہ الفاظ تلاش کے لیے بہت عام ہیں۔ کوئی زیادہ مخصوص لفظ آزمائیں، مثلاً میلازما۔"
    ),
    "Nothing found. Try another word, or browse the questions.": (
        "کچھ نہیں ملا۔ کوئی اور لفظ آزمائیں، یا سوالات دیکھیں۔"
    ),
    # Self-check.
    "Self-check: is mesotherapy for me?": "خود جانچ: کیا میسوتھراپی میرے لیے ہے؟",
    "Nine quick questions that tell you whether to book a consultation, talk to a doctor "
    "first, or wait. Nothing you answer is stored.": (
        "نو مختصر سوال جو بتاتے ہیں کہ آپ مشورے کے لیے وقت لیں، پہلے ڈاکٹر سے بات کریں، یا "
        "انتظار کریں۔ آپ کے جواب محفوظ نہیں کیے جاتے۔"
    ),
    "Answer each question. You will see what to do next and why. Nothing you answer here is "
    "stored or sent to a clinic.": (
        "ہر سوال کا جواب دیں۔ آپ کو بتایا جائے گا کہ آگے کیا کرنا ہے اور کیوں۔ یہاں دیے گئے آپ "
        "کے جواب نہ محفوظ کیے جاتے ہیں، نہ کسی کلینک کو بھیجے جاتے ہیں۔"
    ),
    "Please answer these questions:": "براہِ کرم ان سوالوں کے جواب دیں:",
    "Please answer this question.": "براہِ کرم اس سوال کا جواب دیں۔",
    "See my result": "میرا نتیجہ دکھائیں",
    "Yes": "ہاں",
    "No": "نہیں",
    "Not sure": "معلوم نہیں",
    "What would you like treated?": "آپ کس مسئلے کا علاج کروانا چاہتے ہیں؟",
    "Are you pregnant, or could you be pregnant now?": (
        "کیا آپ حاملہ ہیں، یا ہو سکتا ہے کہ اس وقت حاملہ ہوں؟"
    ),
    "Are you breastfeeding?": "کیا آپ بچے کو دودھ پلا رہی ہیں؟",
    "Could you become pregnant in the next few months?": (
        "کیا اگلے چند مہینوں میں آپ کے حاملہ ہونے کا امکان ہے؟"
    ),
    "Have you ever had an allergic reaction to a medicine, a numbing cream or a skin injection?": (
        "کیا آپ کو کبھی کسی دوا، سن کرنے والی کریم یا جلد کے انجیکشن سے الرجی ہوئی ہے؟"
    ),
    "Is there an infection, a cold sore or broken skin where you want treatment?": (
        "جہاں آپ علاج کروانا چاہتے ہیں، کیا وہاں کوئی انفیکشن، بخار کا چھالا (کولڈ سور) یا "
        "زخمی جلد ہے؟"
    ),
    "Do you take blood thinners (e.g. warfarin, aspirin, clopidogrel)?": (
        "کیا آپ خون پتلا کرنے والی دوائیں (مثلاً وارفرین، اسپرین، کلوپیڈوگریل) لیتے ہیں؟"
    ),
    "Have you taken isotretinoin (for acne) in the last 6 months?": (
        "کیا آپ نے پچھلے 6 ماہ میں آئسوٹریٹینوئن (کیل مہاسوں کی دوا) لی ہے؟"
    ),
    "Do any of these apply to you? Tick all that do, or none.": (
        "کیا ان میں سے کوئی بات آپ پر لاگو ہوتی ہے؟ جو لاگو ہوں ان سب پر نشان لگائیں، ورنہ کسی "
        "پر نہیں۔"
    ),
    "A blood clot in a leg or lung, or a stroke": ("ٹانگ یا پھیپھڑے میں خون کا لوتھڑا، یا فالج"),
    "A clotting disorder (blood that clots too easily)": (
        "خون جمنے کی بیماری (خون کا بہت آسانی سے جم جانا)"
    ),
    "A bleeding problem or bruising very easily": (
        "خون بہنے کا مسئلہ، یا بہت آسانی سے نیل پڑ جانا"
    ),
    "Fits or seizures (epilepsy)": "دورے پڑنا (مرگی)",
    "Kidney disease": "گردے کی بیماری",
    "Diabetes that is not well controlled": "شوگر (ذیابیطس) جو ٹھیک طرح قابو میں نہ ہو",
    "Weak immunity, or medicines that lower immunity": (
        "کمزور قوتِ مدافعت، یا ایسی دوائیں جو قوتِ مدافعت کم کرتی ہیں"
    ),
    "An autoimmune disease (e.g. lupus)": "آٹو امیون بیماری (مثلاً لیوپس)",
    "Raised, thick scars (keloids)": "ابھرے ہوئے، موٹے نشان (کیلوئیڈ)",
    "G6PD deficiency": "G6PD کی کمی",
    "Eczema, psoriasis or acne flaring where you want treatment": (
        "جہاں آپ علاج کروانا چاہتے ہیں وہاں ایگزیما، چنبل یا کیل مہاسوں کا بڑھ جانا"
    ),
    "The contraceptive pill or another hormonal contraceptive": (
        "مانعِ حمل گولی یا کوئی اور ہارمونل مانعِ حمل طریقہ"
    ),
    "Your self-check result": "آپ کی خود جانچ کا نتیجہ",
    "Not suitable now": "ابھی مناسب نہیں",
    "Mesotherapy should not be done at the moment, for the reasons below. Many of these pass "
    "with time: you can check again later.": (
        "نیچے دی گئی وجوہات کی بنا پر ابھی میسوتھراپی نہیں کروانی چاہیے۔ ان میں سے بہت سی باتیں "
        "وقت کے ساتھ ختم ہو جاتی ہیں، اس لیے آپ بعد میں دوبارہ جانچ کر سکتے ہیں۔"
    ),
    "Talk to a doctor first": "پہلے ڈاکٹر سے بات کریں",
    "Mesotherapy may still be possible, but a doctor needs to know about the points below "
    "before deciding. Mention them when you book a consultation.": (
        "میسوتھراپی پھر بھی ممکن ہو سکتی ہے، لیکن فیصلہ کرنے سے پہلے ڈاکٹر کو نیچے دی گئی باتوں "
        "کا علم ہونا ضروری ہے۔ مشورے کے لیے وقت لیتے ہوئے ان کا ذکر ضرور کریں۔"
    ),
    "You can book a consultation": "آپ مشورے کے لیے وقت لے سکتے ہیں",
    "Nothing you told us rules mesotherapy out. A doctor will still examine your skin, ask "
    "about your health and do a patch test before any treatment.": (
        "آپ کی بتائی ہوئی کوئی بات میسوتھراپی میں رکاوٹ نہیں۔ پھر بھی کسی بھی علاج سے پہلے "
        "ڈاکٹر آپ کی جلد کا معائنہ کریں گے، آپ کی صحت کے بارے میں پوچھیں گے اور پیچ ٹیسٹ کریں گے۔"
    ),
    "Why": "وجوہات",
    "What next": "اب کیا کریں",
    "Read about safety": "حفاظت کے بارے میں پڑھیں",
    "Start again": "دوبارہ شروع کریں",
    "This result is not stored. It is general guidance, not a diagnosis.": (
        "یہ نتیجہ محفوظ نہیں کیا جاتا۔ یہ عام رہنمائی ہے، تشخیص نہیں۔"
    ),
    # Clinic finder and clinic pages.
    "Islamabad": "اسلام آباد",
    "Rawalpindi": "راولپنڈی",
    "Lahore": "لاہور",
    "Karachi": "کراچی",
    "Peshawar": "پشاور",
    "Faisalabad": "فیصل آباد",
    "Multan": "ملتان",
    "Quetta": "کوئٹہ",
    "Sialkot": "سیالکوٹ",
    "Hyderabad": "حیدرآباد",
    "Find a mesotherapy clinic": "میسوتھراپی کلینک تلاش کریں",
    "Mesotherapy clinics in %(city)s": "%(city)s میں میسوتھراپی کلینک",
    "Clinics in %(city)s": "%(city)s میں کلینک",
    "Clinics with their address, hours, services and doctors whose PMDC registration we have "
    "verified.": (
        "کلینک اپنے پتے، اوقات اور خدمات کے ساتھ، اور وہ ڈاکٹر جن کی PMDC رجسٹریشن کی ہم نے "
        "تصدیق کی ہے۔"
    ),
    "All cities": "تمام شہر",
    "Show clinics": "کلینک دکھائیں",
    "We have no clinic listed in “%(city)s” yet. Choose one of the cities above; many patients "
    "travel to a bigger city for treatment.": (
        '"%(city)s" میں ابھی ہمارا کوئی کلینک درج نہیں۔ اوپر دیے گئے شہروں میں سے کوئی شہر '
        "چنیں؛ بہت سے مریض علاج کے لیے کسی بڑے شہر جاتے ہیں۔"
    ),
    "%(name)s in %(city)s: address, hours, services, verified doctors and appointment requests.": (
        "%(city)s میں %(name)s: پتہ، اوقات، خدمات، تصدیق شدہ ڈاکٹر اور اپوائنٹمنٹ کی درخواست۔"
    ),
    "Hours": "اوقات",
    "Call to ask": "معلوم کرنے کے لیے فون کریں",
    "Doctors and practitioners": "ڈاکٹر اور معالج",
    "PMDC registration verified": "PMDC رجسٹریشن تصدیق شدہ",
    "checked %(date)s": "%(date)s کو جانچ کی گئی",
    "No practitioner with a verified PMDC registration is listed here yet.": (
        "یہاں ابھی تصدیق شدہ PMDC رجسٹریشن والا کوئی معالج درج نہیں۔"
    ),
    "Request an appointment": "اپوائنٹمنٹ کی درخواست کریں",
    "Leave your name and mobile number and the clinic will call you to book a consultation. "
    "Please do not include medical details here.": (
        "اپنا نام اور موبائل نمبر دیں، کلینک مشورے کا وقت طے کرنے کے لیے آپ کو فون کرے گا۔ "
        "براہِ کرم یہاں اپنی طبی تفصیلات نہ لکھیں۔"
    ),
    "Please correct the fields marked below.": "نیچے نشان زدہ خانے درست کریں۔",
    "Send request": "درخواست بھیجیں",
    "Your name": "آپ کا نام",
    "Mobile number": "موبائل نمبر",
    "The clinic may call or message me on this number about my request.": (
        "کلینک میری درخواست کے بارے میں اس نمبر پر مجھے کال یا میسج کر سکتا ہے۔"
    ),
    "Tick this box so the clinic may contact you.": (
        "اس خانے پر نشان لگائیں تاکہ کلینک آپ سے رابطہ کر سکے۔"
    ),
    "Leave this empty": "اسے خالی چھوڑ دیں",
    "Leave this field empty.": "یہ خانہ خالی چھوڑ دیں۔",
    "Anything the clinic should know": "کوئی بات جو کلینک کو معلوم ہونی چاہیے",
    "Not sure yet": "ابھی طے نہیں",
    "Choose a concern from the list.": "فہرست میں سے اپنا مسئلہ منتخب کریں۔",
    "Request sent": "درخواست بھیج دی گئی",
    "%(name)s has your request and will call you to book a consultation.": (
        "آپ کی درخواست %(name)s کو مل گئی ہے، وہ مشورے کا وقت طے کرنے کے لیے آپ کو فون کریں گے۔"
    ),
    "At the consultation the doctor will ask about your health and do a patch test before any "
    "treatment.": (
        "مشورے کے وقت ڈاکٹر آپ کی صحت کے بارے میں پوچھیں گے اور کسی بھی علاج سے پہلے پیچ ٹیسٹ "
        "کریں گے۔"
    ),
    # Guide content in the admin.
    "None": "کوئی نہیں",
    "Question": "سوال",
    "title (English)": "عنوان (انگریزی)",
    "title (Urdu)": "عنوان (اردو)",
    "summary (English)": "خلاصہ (انگریزی)",
    "summary (Urdu)": "خلاصہ (اردو)",
    "Shown in lists and search engines.": "فہرستوں اور سرچ انجنوں میں دکھایا جاتا ہے۔",
    "text (English)": "متن (انگریزی)",
    "text (Urdu)": "متن (اردو)",
    "Blank line between paragraphs; '- ' starts a list item, '## ' a subheading, '! ' a "
    "highlighted note.": (
        "پیراگرافوں کے درمیان ایک خالی سطر؛ '- ' سے فہرست کا نکتہ، '## ' سے ذیلی سرخی اور '! ' "
        "سے نمایاں نوٹ شروع ہوتا ہے۔"
    ),
    "published": "شائع شدہ",
    "question (English)": "سوال (انگریزی)",
    "question (Urdu)": "سوال (اردو)",
    "answer (English)": "جواب (انگریزی)",
    "answer (Urdu)": "جواب (اردو)",
    "label (English)": "لیبل (انگریزی)",
    "label (Urdu)": "لیبل (اردو)",
    "Ingredient codes, e.g. tranexamic_acid. Known: %(codes)s": (
        "اجزا کے کوڈ، مثلاً tranexamic_acid۔ معلوم کوڈ: %(codes)s"
    ),
    "note (English)": "نوٹ (انگریزی)",
    "note (Urdu)": "نوٹ (اردو)",
    "active": "فعال",
    "detail (English)": "تفصیل (انگریزی)",
    "detail (Urdu)": "تفصیل (اردو)",
    # Contraindication rules in the admin.
    "Absolute: blocks treatment": "قطعی: علاج نہیں ہو سکتا",
    "Relative: needs a doctor's review": "نسبتی: ڈاکٹر کا جائزہ ضروری ہے",
    "Any of these facts fires the rule.": "ان میں سے کوئی بھی بات ہو تو یہ اصول لاگو ہوتا ہے۔",
    "message (English)": "پیغام (انگریزی)",
    "message (Urdu)": "پیغام (اردو)",
    "clinic to confirm": "کلینک تصدیق کرے",
    "The source is weak or missing.": "ماخذ کمزور ہے یا موجود نہیں۔",
    'Give a list of codes, e.g. ["flag:pregnant"].': ('کوڈز کی فہرست دیں، مثلاً ["flag:pregnant"]۔'),
    'Give a list of codes, e.g. ["tranexamic_acid"].': (
        'کوڈز کی فہرست دیں، مثلاً ["tranexamic_acid"]۔'
    ),
    "Unknown ingredient codes: %(codes)s": "نامعلوم اجزا کے کوڈ: %(codes)s",
    "This clinic has no practitioner with a verified PMDC registration listed yet, so it does "
    "not take requests here. Choose a clinic with a verified doctor.": (
        "اس کلینک میں ابھی کسی ایسے معالج کا اندراج نہیں جس کی PMDC رجسٹریشن کی تصدیق ہو چکی ہو، "
        "اس لیے یہاں درخواست نہیں لی جاتی۔ ایسا کلینک چنیں جہاں تصدیق شدہ ڈاکٹر موجود ہو۔"
    ),
    "Fat-dissolving injections suit small areas only and are not a way to lose weight; the one "
    "approved product is licensed for fat under the chin.": (
        "چربی گھلانے والے انجیکشن صرف چھوٹے حصوں کے لیے ہیں اور وزن کم کرنے کا طریقہ نہیں؛ "
        "واحد منظور شدہ دوا صرف ٹھوڑی کے نیچے کی چربی کے لیے منظور ہے۔"
    ),
    "Also tell the doctor about": "ڈاکٹر کو یہ بھی بتائیں",
    "These do not rule treatment out, but the doctor needs to know them to choose a safe "
    "cocktail.": (
        "ان کی وجہ سے علاج ناممکن نہیں ہوتا، لیکن محفوظ مرکب چننے کے لیے ڈاکٹر کو ان کا علم "
        "ہونا ضروری ہے۔"
    ),
    # Appointment requests (enquiries) for staff.
    "Enquiries": "درخواستیں",
    "Appointment requests": "اپوائنٹمنٹ کی درخواستیں",
    "Sent by visitors from the public clinic pages. Call them back, then mark what happened.": (
        "عوامی کلینک صفحات سے آنے والوں کی بھیجی ہوئی درخواستیں۔ انہیں واپس فون کریں، پھر "
        "نتیجہ درج کریں۔"
    ),
    "Filter by status": "صورتِ حال کے لحاظ سے چھانٹیں",
    "All": "سب",
    "Received": "موصول",
    "Concern": "مسئلہ",
    "Preferred time": "پسندیدہ وقت",
    "Message": "پیغام",
    "Status": "صورتِ حال",
    "No requests here.": "یہاں کوئی درخواست نہیں۔",
    "Older": "پرانے اندراجات",
    "Choose a status from the list.": "فہرست میں سے صورتِ حال منتخب کریں۔",
    "Enquiry #%(id)s marked %(status)s.": (
        'درخواست نمبر %(id)s کی صورتِ حال "%(status)s" کر دی گئی۔'
    ),
    "New": "نئی",
    "Contacted": "رابطہ ہو گیا",
    "Booked": "وقت طے ہو گیا",
    "Closed": "بند",
    "Any time": "کسی بھی وقت",
    "Morning": "صبح",
    "Afternoon": "دوپہر",
    "Evening": "شام",
    "name": "نام",
    "concern": "مسئلہ",
    "preferred time": "پسندیدہ وقت",
    "message": "پیغام",
    "status": "صورتِ حال",
    # Formulary: stock, lots, recalls, protocols and dose checks. Quantities with a Latin unit,
    # temperatures and lot numbers are isolated left-to-right (U+2066 … U+2069) like phone
    # numbers; a dose check's "given" value may be Urdu ("12 پوائنٹس") or Latin ("0.1 mL"), so
    # it gets a first-strong isolate (U+2068 … U+2069). No sentence ends on such a quantity:
    # the Urdu full stop would sit against its first digit and read as a minus sign ("۔4 mL").
    "Formulary and stock": "فارمولری اور اسٹاک",
    "Formulary": "فارمولری",
    "Counts saves of the draft: an approval names the revision it reviewed.": (
        "مسودے کے محفوظ ہونے کی گنتی: منظوری اسی نظرِ ثانی کا حوالہ دیتی ہے جو دیکھی گئی۔"
    ),
    "vial in use opened at": "زیرِ استعمال وائل کھلنے کا وقت",
    "Multi-dose lots: set by the server when someone opens a vial, never typed.": (
        "ملٹی ڈوز لاٹ: وائل کھولنے پر سسٹم خود وقت درج کرتا ہے، ہاتھ سے نہیں لکھا جاتا۔"
    ),
    "Multi-dose lots: the opening time of the vial this use came from.": (
        "ملٹی ڈوز لاٹ: اس وائل کے کھلنے کا وقت جس سے یہ خوراک لی گئی۔"
    ),
    "This is a multi-dose lot: open a vial first, so its discard time starts.": (
        "یہ ملٹی ڈوز لاٹ ہے: پہلے وائل کھولیں تاکہ اس کے ضائع کرنے کا وقت شروع ہو۔"
    ),
    (
        "The open vial is past its discard time: record what is "
        "left as wasted, then open a new vial."
    ): (
        "کھلی وائل کے ضائع کرنے کا وقت گزر چکا ہے: بچی ہوئی مقدار "
        "ضائع شدہ درج کریں، پھر نئی وائل کھولیں۔"
    ),
    "Enter at most %(max)s.": "زیادہ سے زیادہ \u2066%(max)s\u2069 درج کریں۔",
    "This product is withdrawn; it cannot be received.": (
        "یہ پروڈکٹ واپس لے لی گئی ہے؛ اسے وصول نہیں کیا جا سکتا۔"
    ),
    "The date received cannot be in the future.": "وصولی کی تاریخ آنے والے دن کی نہیں ہو سکتی۔",
    "A lot holds at most %(max)s.": (
        "ایک لاٹ میں زیادہ سے زیادہ \u2066%(max)s\u2069 مقدار رہ سکتی ہے۔"
    ),
    "Only multi-dose lots have vials to open.": "صرف ملٹی ڈوز لاٹ کی وائل کھولی جاتی ہے۔",
    "This lot is empty.": "یہ لاٹ خالی ہے۔",
    "This draft changed since you opened it; review it again.": (
        "آپ کے کھولنے کے بعد یہ مسودہ بدل چکا ہے؛ اسے دوبارہ دیکھیں۔"
    ),
    "This patient is not one of your clinics'.": "یہ مریض آپ کے کلینک کا نہیں۔",
    "Overrides apply to approved protocol versions only.": (
        "حد سے تجاوز کی اجازت صرف منظور شدہ پروٹوکول ورژن پر دی جا سکتی ہے۔"
    ),
    "Vial in use": "زیرِ استعمال وائل",
    "Opened %(opened)s; discard at %(discard)s.": "کھلی: %(opened)s؛ ضائع کرنے کا وقت: %(discard)s",
    "No vial is open. Open one before the first use: its discard time starts then.": (
        "کوئی وائل کھلی نہیں۔ پہلے استعمال سے پہلے ایک وائل کھولیں: "
        "اس کے ضائع کرنے کا وقت تب سے شروع ہو گا۔"
    ),
    "Open a new vial now": "ابھی نئی وائل کھولیں",
    "No product is at or below its low-stock level.": (
        "کوئی پروڈکٹ اپنی کم اسٹاک کی حد پر یا اس سے نیچے نہیں۔"
    ),
    "A new vial is open; its discard time has started.": (
        "نئی وائل کھل گئی؛ اس کے ضائع کرنے کا وقت شروع ہو گیا۔"
    ),
    "Stock": "اسٹاک",
    "Protocols": "پروٹوکول",
    "Stock and lots": "اسٹاک اور لاٹ",
    "Products and ingredients": "پروڈکٹس اور اجزا",
    "Screening rules for this ingredient": "اس جزو کے لیے جانچ کے اصول",
    # Ingredients and products.
    "Lower-case letters, digits and underscores, starting with a letter.": (
        "صرف چھوٹے انگریزی حروف (a–z)، ہندسے (0–9) اور انڈر اسکور (_)؛ شروع میں انگریزی حرف ہو۔"
    ),
    "concentration unit": "ارتکاز کی اکائی",
    "The unit products and protocols state this ingredient's strength in.": (
        "وہ اکائی جس میں پروڈکٹس اور پروٹوکول اس جزو کی طاقت بتاتے ہیں۔"
    ),
    "notes and evidence": "نوٹس اور شواہد",
    "Solution for injection": "انجیکشن کا محلول",
    "Powder for reconstitution": "گھول کر استعمال ہونے والا پاؤڈر",
    "Cream or gel": "کریم یا جیل",
    "millilitres (mL)": "ملی لیٹر (mL)",
    "grams (g)": "گرام (g)",
    "Below 25 °C": "\u206625 °C\u2069 سے کم",
    "Refrigerated, 2–8 °C": "فریج میں، \u20662–8 °C\u2069",
    "brand": "برانڈ",
    "manufacturer": "تیار کنندہ",
    "DRAP registration number": "ڈریپ رجسٹریشن نمبر",
    "As printed on the pack; the format is not checked.": (
        "جیسا پیک پر چھپا ہو؛ اس کی ترتیب جانچی نہیں جاتی۔"
    ),
    "form": "شکل",
    "stock unit": "اسٹاک کی اکائی",
    "vial or pack size": "وائل یا پیک کا سائز",
    "In the stock unit.": "اسٹاک کی اکائی میں۔",
    "storage": "ذخیرہ",
    "multi-dose vial": "ملٹی ڈوز وائل",
    "discard after (hours)": "کھلنے کے بعد ضائع کرنے کی مدت (گھنٹے)",
    "Multi-dose vials only: how long an opened vial may be used.": (
        "صرف ملٹی ڈوز وائل کے لیے: کھلی ہوئی وائل کتنی دیر تک استعمال ہو سکتی ہے۔"
    ),
    "low-stock level": "کم اسٹاک کی حد",
    "A clinic's lot at or below this balance is listed as low (stock unit).": (
        "کلینک کا جو لاٹ اتنی مقدار یا اس سے کم رہ جائے، وہ کم اسٹاک میں دکھایا جاتا ہے "
        "(اسٹاک کی اکائی میں)۔"
    ),
    "A multi-dose vial needs its discard-after hours; a single-dose one has none.": (
        "ملٹی ڈوز وائل کے لیے ضائع کرنے کی مدت (گھنٹے) لازمی ہے؛ سنگل ڈوز وائل کے لیے یہ خانہ "
        "خالی رہتا ہے۔"
    ),
    "concentration": "ارتکاز",
    "unit": "اکائی",
    "%(ingredient)s is measured in %(expected)s; %(unit)s cannot be converted to it.": (
        "%(ingredient)s کی پیمائش \u2066%(expected)s\u2069 میں ہوتی ہے؛ \u2066%(unit)s\u2069 کو "
        "اس میں تبدیل نہیں کیا جا سکتا۔"
    ),
    # Protocols: indications, techniques, outcome scales, fields.
    "Melasma": "میلازما",
    "Hyperpigmentation": "ہائپر پگمنٹیشن",
    "Skin rejuvenation": "جلد کی تازگی",
    "Androgenetic alopecia": "موروثی گنج پن (اینڈروجینیٹک ایلوپیشیا)",
    "Alopecia areata": "بال خورہ (ایلوپیشیا ایریاٹا)",
    "Localized fat": "جمع شدہ چربی",
    "Cellulite": "سیلولائٹ",
    "indication": "علاج کا مقصد",
    "Draft": "مسودہ",
    "Approved": "منظور شدہ",
    "Retired": "متروک",
    "Nappage": "نیپاژ",
    "Point-by-point papules": "پوائنٹ بہ پوائنٹ پیپیولز",
    "Linear retrograde": "لکیری ریٹروگریڈ",
    "Intralesional": "انٹرالیژنل (متاثرہ جگہ کے اندر)",
    "Subcutaneous injection": "زیرِ جلد انجیکشن",
    "mMASI": "mMASI",
    "MASI": "MASI",
    "GAIS": "GAIS",
    "Norwood–Hamilton / Ludwig": "Norwood–Hamilton / Ludwig",
    "SALT (hair loss area)": "SALT (بال گرنے والا رقبہ)",
    "Standard photographs and measurements": "معیاری تصاویر اور پیمائشیں",
    "version": "ورژن",
    "technique": "طریقہ",
    "depth": "گہرائی",
    "e.g. mid-dermis, 1.5–2 mm": "مثلاً درمیانی ڈرمس، \u20661.5–2 mm\u2069",
    "needle": "سوئی",
    "e.g. 30G × 4 mm": "مثلاً \u206630G × 4 mm\u2069",
    "sessions, at least": "سیشن، کم از کم",
    "sessions, at most": "سیشن، زیادہ سے زیادہ",
    "days between sessions, at least": "سیشنوں کا درمیانی وقفہ (دن)، کم از کم",
    "days between sessions, at most": "سیشنوں کا درمیانی وقفہ (دن)، زیادہ سے زیادہ",
    "maintenance after (days), at least": "مینٹیننس کتنے دن بعد، کم از کم",
    "maintenance after (days), at most": "مینٹیننس کتنے دن بعد، زیادہ سے زیادہ",
    "outcome scale": "نتائج کا پیمانہ",
    "evidence references": "شواہد کے حوالے",
    "Some values have no firm published source (CLINICAL.md marks them).": (
        "کچھ قدروں کا کوئی پختہ شائع شدہ ماخذ نہیں (CLINICAL.md میں ان کی نشاندہی کی گئی ہے)۔"
    ),
    "notes": "نوٹس",
    "mL per point, at least": "فی پوائنٹ مقدار (mL)، کم از کم",
    "mL per point, at most": "فی پوائنٹ مقدار (mL)، زیادہ سے زیادہ",
    "mL per session, at least": "فی سیشن مقدار (mL)، کم از کم",
    "mL per session, at most": "فی سیشن مقدار (mL)، زیادہ سے زیادہ",
    "maximum mL in one session": "ایک سیشن میں زیادہ سے زیادہ مقدار (mL)",
    "The hard ceiling (e.g. deoxycholic acid 10 mL); not even an override.": (
        "حتمی حد (مثلاً ڈی آکسی کولک ایسڈ \u206610 mL\u2069)؛ اس سے آگے جانے کی اجازت کسی صورت "
        "نہیں دی جا سکتی۔"
    ),
    "points, at most": "پوائنٹس، زیادہ سے زیادہ",
    "Codes of the limits crossed.": "جن حدوں سے تجاوز ہوا، ان کے کوڈ۔",
    "The amount allowed: per point, points, total (mL).": (
        "اجازت دی گئی مقدار: فی پوائنٹ، پوائنٹس، کل (mL)۔"
    ),
    "reason": "وجہ",
    # Lots and the ledger.
    "Available": "دستیاب",
    "Quarantined": "قرنطینہ میں",
    "Recalled": "ری کال شدہ",
    "lot number": "لاٹ نمبر",
    "expires on": "میعاد ختم ہونے کی تاریخ",
    "received on": "وصولی کی تاریخ",
    "quantity received": "موصول شدہ مقدار",
    "balance": "باقی مقدار",
    "reason for the status": "صورتِ حال کی وجہ",
    "This clinic already has this lot of this product.": (
        "اس کلینک میں اس پروڈکٹ کا یہ لاٹ پہلے سے موجود ہے۔"
    ),
    "The expiry date is before the date received.": (
        "میعاد ختم ہونے کی تاریخ وصولی کی تاریخ سے پہلے ہے۔"
    ),
    "Used for a patient": "مریض کے لیے استعمال",
    "Wasted": "ضائع ہوا",
    "Returned to supplier": "سپلائر کو واپس",
    "Adjusted after a count": "گنتی کے بعد درستی",
    "kind": "قسم",
    "quantity": "مقدار",
    "vial opened at": "وائل کھلنے کا وقت",
    "note": "نوٹ",
    "This lot has been recalled; it cannot be used.": (
        "یہ لاٹ ری کال ہو چکا ہے؛ اسے استعمال نہیں کیا جا سکتا۔"
    ),
    "This lot is quarantined; it cannot be used.": (
        "یہ لاٹ قرنطینہ میں ہے؛ اسے استعمال نہیں کیا جا سکتا۔"
    ),
    "This lot has expired; it cannot be used.": (
        "اس لاٹ کی میعاد ختم ہو چکی ہے؛ اسے استعمال نہیں کیا جا سکتا۔"
    ),
    "This is a multi-dose vial: say when the vial in use was opened.": (
        "یہ ملٹی ڈوز وائل ہے: بتائیں کہ زیرِ استعمال وائل کب کھولی گئی۔"
    ),
    "This vial was opened longer ago than its discard time allows; discard it.": (
        "اس وائل کو کھلے ہوئے مقررہ مدت سے زیادہ وقت گزر چکا ہے؛ اسے ضائع کر دیں۔"
    ),
    "The vial's opening time is in the future.": "وائل کھلنے کا وقت مستقبل کا ہے۔",
    "Enter a quantity greater than zero.": "صفر سے زیادہ مقدار درج کریں۔",
    "Enter the lot number printed on the pack.": "پیک پر چھپا ہوا لاٹ نمبر درج کریں۔",
    "This clinic already has lot %(lot)s of this product.": (
        "اس کلینک میں اس پروڈکٹ کا لاٹ \u2066%(lot)s\u2069 پہلے سے موجود ہے۔"
    ),
    "Record a delivery as a new lot.": "نئی ترسیل کو نئے لاٹ کے طور پر درج کریں۔",
    "Say which patient received it.": "بتائیں کہ یہ کس مریض کو دیا گیا۔",
    "Only a use names a patient.": "مریض کا نام صرف استعمال کے اندراج میں آتا ہے۔",
    "Say why the count differs.": "بتائیں کہ گنتی میں فرق کیوں ہے۔",
    "This patient is registered at another clinic than this lot.": (
        "یہ مریض اس لاٹ والے کلینک میں نہیں، کسی اور کلینک میں رجسٹر ہے۔"
    ),
    "This lot holds only %(balance)s %(unit)s.": (
        "اس لاٹ میں صرف \u2066%(balance)s %(unit)s\u2069 باقی ہے۔"
    ),
    "Say why.": "وجہ بتائیں۔",
    "A recalled lot stays recalled.": "ری کال شدہ لاٹ ہمیشہ ری کال شدہ ہی رہتا ہے۔",
    "Give the recall notice or reason.": "ری کال نوٹس یا وجہ درج کریں۔",
    # Stock forms and pages.
    "Product": "پروڈکٹ",
    "Lot number": "لاٹ نمبر",
    "Received on": "وصولی کی تاریخ",
    "Expires on": "میعاد ختم ہونے کی تاریخ",
    "Quantity received": "موصول شدہ مقدار",
    "In the product's stock unit.": "پروڈکٹ کی اسٹاک کی اکائی میں۔",
    "What happened": "کیا ہوا",
    "Quantity": "مقدار",
    "The count is higher than the ledger (adjustments only)": (
        "گنتی کھاتے سے زیادہ نکلی (صرف درستی کے لیے)"
    ),
    "Patient MRN (for a use)": "مریض کا ایم آر این (استعمال کی صورت میں)",
    "Vial opened at (multi-dose vials)": "وائل کھلنے کا وقت (ملٹی ڈوز وائل)",
    "Note": "نوٹ",
    "No patient of yours has this MRN.": "آپ کے کسی مریض کا یہ ایم آر این نہیں۔",
    "New status": "نئی صورتِ حال",
    "Reason or recall notice": "وجہ یا ری کال نوٹس",
    "Recall notice": "ری کال نوٹس",
    "Expired": "میعاد ختم ہو چکی",
    "Expires soon": "میعاد جلد ختم ہوگی",
    "This lot cannot be used:": "یہ لاٹ استعمال نہیں ہو سکتا:",
    "lot": "لاٹ",
    "Lot": "لاٹ",
    "Balance": "باقی مقدار",
    "Expires": "میعاد ختم",
    "expires": "میعاد ختم",
    "Manufacturer": "تیار کنندہ",
    "DRAP registration": "ڈریپ رجسٹریشن",
    "Pack": "پیک",
    "Storage": "ذخیرہ",
    "Multi-dose vial": "ملٹی ڈوز وائل",
    "Yes: discard %(hours)s hours after opening": "ہاں: کھلنے کے %(hours)s گھنٹے بعد ضائع کریں",
    "Yes, %(hours)s h": "ہاں، %(hours)s گھنٹے",
    "Record a movement": "اسٹاک میں تبدیلی درج کریں",
    "Record movement": "درج کریں",
    "ingredient": "جزو",
    "product": "پروڈکٹ",
    "- Select an option -": "- ایک انتخاب کریں -",
    "Quarantine, release or recall": "قرنطینہ، بحالی یا ری کال",
    "A recall blocks this lot number of this product in every clinic of the chain, at once, and "
    "cannot be undone.": (
        "ری کال سے اس پروڈکٹ کا یہ لاٹ نمبر ہمارے ہر کلینک میں فوراً بند ہو جاتا ہے، اور یہ عمل "
        "واپس نہیں ہو سکتا۔"
    ),
    "Save status": "صورتِ حال محفوظ کریں",
    "Who received this lot": "یہ لاٹ کن مریضوں کو دیا گیا",
    "Ledger": "کھاتہ",
    "What": "کیا ہوا",
    "Recorded by": "درج کنندہ",
    "Products": "پروڈکٹس",
    "Brand": "برانڈ",
    "Contains": "اجزا",
    "Recall": "ری کال",
    "inactive": "غیر فعال",
    "Who received it": "کن مریضوں کو دیا گیا",
    "Recall every lot": "تمام لاٹ ری کال کریں",
    "No products yet; an administrator adds them in the admin.": (
        "ابھی کوئی پروڈکٹ درج نہیں؛ ایڈمنسٹریٹر انہیں ایڈمن میں شامل کرتے ہیں۔"
    ),
    "Ingredients and their screening rules": "اجزا اور ان کی جانچ کے اصول",
    "Ingredient": "جزو",
    "Code": "کوڈ",
    "Unit": "اکائی",
    "Rules that apply when it is in the cocktail": "مرکب میں شامل ہو تو لاگو ہونے والے اصول",
    "Rules": "اصول",
    "Rules for every treatment (pregnancy, infection at the site, allergy to any planned "
    "ingredient) apply to all ingredients and are not repeated here.": (
        "ہر علاج پر لاگو اصول (حمل، علاج کی جگہ پر انفیکشن، طے شدہ اجزا میں سے کسی سے الرجی) "
        "تمام اجزا پر لاگو ہوتے ہیں اور یہاں دہرائے نہیں گئے۔"
    ),
    "Receive a lot": "نیا لاٹ وصول کریں",
    "Receive": "وصول کریں",
    "Recall list": "ری کال کی فہرست",
    "every lot": "تمام لاٹ",
    "Every patient who received it, at every clinic you work at, newest first. Call each one; "
    "the list is audited.": (
        "ہر وہ مریض جسے یہ دیا گیا، ان تمام کلینکوں میں جہاں آپ کام کرتے ہیں، تازہ ترین پہلے۔ "
        "ہر ایک کو فون کریں؛ یہ فہرست آڈٹ لاگ میں درج ہوتی ہے۔"
    ),
    "Download CSV": "CSV ڈاؤن لوڈ کریں",
    "Back to the lot": "لاٹ پر واپس",
    "Used": "استعمال کا وقت",
    "Language": "زبان",
    "Nobody you can see has received it.": (
        "جن مریضوں تک آپ کی رسائی ہے، ان میں سے کسی کو یہ نہیں دیا گیا۔"
    ),
    "Expiring within %(days)s days": "%(days)s دن میں میعاد ختم ہونے والے",
    "Nothing expires soon.": "کسی لاٹ کی میعاد جلد ختم نہیں ہو رہی۔",
    "Low stock": "کم اسٹاک",
    "No lot is at or below its low-stock level.": (
        "کوئی لاٹ اپنی کم اسٹاک کی حد تک یا اس سے نیچے نہیں۔"
    ),
    "All lots": "تمام لاٹ",
    "All my clinics": "میرے تمام کلینک",
    "Any": "کوئی بھی",
    "No lots here.": "یہاں کوئی لاٹ نہیں۔",
    "Lot %(lot)s received.": "لاٹ \u2066%(lot)s\u2069 وصول ہو گیا۔",
    "Recorded. Balance: %(b)s %(unit)s.": "درج ہو گیا۔ اب \u2066%(b)s %(unit)s\u2069 باقی ہے۔",
    "Status saved: %(s)s.": "صورتِ حال محفوظ ہو گئی: %(s)s۔",
    "%(n)s lots recalled.": "%(n)s لاٹ ری کال کر دیے گئے۔",
    "Give the recall notice.": "ری کال نوٹس درج کریں۔",
    # Protocol pages, forms and dose checks.
    "Each protocol is a series of versions. An approved version never changes: a change is a "
    "new draft, approved by a credentialed dermatologist, and sessions keep the version they "
    "followed.": (
        "ہر پروٹوکول ورژنوں کا ایک سلسلہ ہے۔ منظور شدہ ورژن کبھی تبدیل نہیں ہوتا: ہر تبدیلی ایک "
        "نیا مسودہ ہوتی ہے جسے تصدیق شدہ ماہرِ امراضِ جلد منظور کرتے ہیں، اور ہر سیشن اسی ورژن "
        "سے منسلک رہتا ہے جس کے مطابق وہ کیا گیا تھا۔"
    ),
    "Version": "ورژن",
    "Approved by": "منظور کنندہ",
    "Edit draft v%(n)s": "مسودہ v%(n)s میں ترمیم",
    "Write a new version": "نیا ورژن لکھیں",
    "Edit draft": "مسودے میں ترمیم",
    "Cocktail": "مرکب",
    "Component %(n)s": "جزو %(n)s",
    "Save draft": "مسودہ محفوظ کریں",
    "Some values of this version have no firm published source; the approving dermatologist "
    "checks them before approval.": (
        "اس ورژن کی کچھ قدروں کا کوئی پختہ شائع شدہ ماخذ نہیں؛ منظوری دینے والے ماہرِ امراضِ جلد "
        "منظوری سے پہلے انہیں جانچتے ہیں۔"
    ),
    "Some values have no firm published source; the approving dermatologist confirmed them for "
    "this clinic.": (
        "کچھ قدروں کا کوئی پختہ شائع شدہ ماخذ نہیں؛ منظوری دینے والے ماہرِ امراضِ جلد نے اس کلینک "
        "کے لیے ان کی تصدیق کی ہے۔"
    ),
    "Course": "علاج کا کورس",
    "Indication": "علاج کا مقصد",
    "Technique": "طریقہ",
    "Depth": "گہرائی",
    "Needle": "سوئی",
    "Sessions": "سیشن",
    "Days between sessions": "سیشنوں کا درمیانی وقفہ (دن)",
    "Maintenance after (days)": "مینٹیننس کتنے دن بعد",
    "Outcome scale": "نتائج کا پیمانہ",
    "Evidence": "شواہد",
    "Cocktail and limits (mL)": "مرکب اور حدیں (mL)",
    "Component": "جزو",
    "Per point": "فی پوائنٹ",
    "Per session": "فی سیشن",
    "Ceiling": "حتمی حد",
    "Points, at most": "پوائنٹس، زیادہ سے زیادہ",
    "Check a dose": "خوراک جانچیں",
    "Check": "جانچیں",
    "I have checked the values marked “clinic to confirm” for this clinic": (
        'میں نے اس کلینک کے لیے "کلینک تصدیق کرے" والی قدریں جانچ لی ہیں'
    ),
    "Approve in my name": "اپنے نام سے منظور کریں",
    "Retire": "متروک کریں",
    "Only a draft can be edited; start a new version.": (
        "صرف مسودے میں ترمیم ہو سکتی ہے؛ نیا ورژن شروع کریں۔"
    ),
    "Draft saved.": "مسودہ محفوظ ہو گیا۔",
    "Approved.": "منظور ہو گیا۔",
    "Retired.": "متروک کر دیا گیا۔",
    "Choose an ingredient or a product, not both.": (
        "کوئی ایک جزو یا کوئی ایک پروڈکٹ چنیں، دونوں نہیں۔"
    ),
    "Give the concentration and its unit together.": "ارتکاز اور اس کی اکائی دونوں ساتھ درج کریں۔",
    "Must be above zero and not below the minimum before it.": (
        "یہ صفر سے زیادہ ہو اور اپنے سے پہلے دی گئی کم از کم مقدار سے کم نہ ہو۔"
    ),
    "mL per point": "فی پوائنٹ مقدار (mL)",
    "Points": "پوائنٹس",
    "mL in the session": "سیشن میں کل مقدار (mL)",
    "Enter an amount per point, a number of points or a total.": (
        "فی پوائنٹ مقدار، پوائنٹس کی تعداد یا کل مقدار درج کریں۔"
    ),
    "Only clinic managers and dermatologists change protocols.": (
        "پروٹوکول میں تبدیلی صرف کلینک مینیجر اور ماہرینِ امراضِ جلد کر سکتے ہیں۔"
    ),
    "Version %(n)s is %(status)s and cannot change; start a new version.": (
        'ورژن %(n)s "%(status)s" ہے اور تبدیل نہیں ہو سکتا؛ نیا ورژن شروع کریں۔'
    ),
    "Only a credentialed dermatologist approves a protocol.": (
        "پروٹوکول کی منظوری صرف تصدیق شدہ ماہرِ امراضِ جلد دے سکتے ہیں۔"
    ),
    "Only a draft can be approved.": "صرف مسودے کی منظوری دی جا سکتی ہے۔",
    "A protocol needs at least one component.": "پروٹوکول میں کم از کم ایک جزو ہونا ضروری ہے۔",
    "This version has values marked “clinic to confirm”: check them, then tick that you have.": (
        'اس ورژن کی کچھ قدروں پر "کلینک تصدیق کرے" کا نشان ہے: انہیں جانچیں، پھر خانے پر نشان '
        "لگا کر بتائیں کہ آپ نے جانچ لیا ہے۔"
    ),
    "Another version was approved a moment ago; reload.": (
        "ابھی ابھی کوئی دوسرا ورژن منظور ہوا ہے؛ صفحہ دوبارہ لوڈ کریں۔"
    ),
    "Only an approved version can be retired.": "صرف منظور شدہ ورژن کو متروک کیا جا سکتا ہے۔",
    "Amounts must be greater than zero.": "مقدار صفر سے زیادہ ہونی چاہیے۔",
    "At least %(allowed)s mL per point.": (
        "فی پوائنٹ کم از کم \u2066%(allowed)s mL\u2069 ہونا چاہیے۔"
    ),
    "At most %(allowed)s mL per point.": (
        "فی پوائنٹ زیادہ سے زیادہ \u2066%(allowed)s mL\u2069 دیا جا سکتا ہے۔"
    ),
    "At least %(allowed)s mL in a session.": (
        "ایک سیشن میں کم از کم \u2066%(allowed)s mL\u2069 ہونا چاہیے۔"
    ),
    "At most %(allowed)s mL in a session.": (
        "ایک سیشن میں زیادہ سے زیادہ \u2066%(allowed)s mL\u2069 دیا جا سکتا ہے۔"
    ),
    "Never more than %(allowed)s mL in one session (no override).": (
        "ایک سیشن میں کبھی بھی \u2066%(allowed)s mL\u2069 سے زیادہ نہیں (اس حد سے آگے جانے کی "
        "اجازت نہیں)۔"
    ),
    "At most %(allowed)s injection points.": "زیادہ سے زیادہ %(allowed)s انجیکشن پوائنٹس۔",
    "Given: %(given)s.": "آپ نے \u2068%(given)s\u2069 درج کیا۔",
    "%(n)s points": "%(n)s پوائنٹس",
    "Only a credentialed dermatologist may override a dose limit.": (
        "خوراک کی حد سے آگے جانے کی اجازت صرف تصدیق شدہ ماہرِ امراضِ جلد دے سکتے ہیں۔"
    ),
    "This amount is within the protocol; no override is needed.": (
        "یہ مقدار پروٹوکول کے اندر ہے؛ حد سے آگے جانے کی اجازت کی ضرورت نہیں۔"
    ),
    "Give the clinical reason for going past the limit.": "حد سے آگے جانے کی طبی وجہ درج کریں۔",
    "Outside the protocol:": "پروٹوکول سے باہر:",
    "(a dermatologist may override with a reason)": (
        "(ماہرِ امراضِ جلد وجہ درج کر کے اس حد سے آگے جانے کی اجازت دے سکتے ہیں)"
    ),
    "Within the protocol's limits.": "پروٹوکول کی حدود کے اندر۔",
    # Clinical pathway (care): consultations, screening, patch tests and consent. Staff words:
    # کنسلٹیشن for a consultation (معائنہ is the examination), اسکریننگ for the screening
    # decision, ریڈنگ for reading a patch test, ابتدائی for baseline, جواز for justification.
    "Eye colour (0 light blue, grey or green … 4 dark brown or black)": (
        "آنکھوں کا رنگ (\u20660\u2069 ہلکا نیلا، سرمئی یا سبز … \u20664\u2069 گہرا بھورا یا سیاہ)"
    ),
    "Natural hair colour (0 red … 4 black)": (
        "بالوں کا قدرتی رنگ (\u20660\u2069 سرخ … \u20664\u2069 سیاہ)"
    ),
    "Skin colour where not exposed to sun (0 reddish … 4 dark brown)": (
        "دھوپ سے بچے ہوئے حصوں پر جلد کا رنگ (\u20660\u2069 سرخی مائل … \u20664\u2069 گہرا بھورا)"
    ),
    "Freckles where not exposed to sun (0 many … 4 none)": (
        "دھوپ سے بچے ہوئے حصوں پر جھائیاں (فریکلز) (\u20660\u2069 بہت زیادہ … \u20664\u2069 "
        "بالکل نہیں)"
    ),
    "Staying too long in the sun (0 painful redness, blisters, peeling … 4 never burns)": (
        "دھوپ میں زیادہ دیر رہنے پر (\u20660\u2069 تکلیف دہ سرخی، چھالے، جلد اترنا … \u20664\u2069 "
        "جلد کبھی نہیں جلتی)"
    ),
    "Does the skin turn brown? (0 never … 4 always, deeply)": (
        "کیا جلد سنولا (بھوری ہو) جاتی ہے؟ (\u20660\u2069 کبھی نہیں … \u20664\u2069 ہمیشہ، "
        "بہت گہری)"
    ),
    "How brown after sun (0 hardly or not at all … 4 very dark brown)": (
        "دھوپ کے بعد جلد کتنی بھوری ہوتی ہے (\u20660\u2069 بہت کم یا بالکل نہیں … \u20664\u2069 "
        "بہت گہری بھوری)"
    ),
    "Face's sensitivity to the sun (0 very sensitive … 4 never a problem)": (
        "چہرے کی دھوپ سے حساسیت (\u20660\u2069 بہت حساس … \u20664\u2069 کبھی کوئی مسئلہ نہیں)"
    ),
    "Last exposure to sun or tanning (0 more than 3 months ago … 4 less than 2 weeks ago)": (
        "آخری بار دھوپ یا ٹیننگ (\u20660\u2069 \u20663\u2069 ماہ سے زیادہ پہلے … \u20664\u2069 "
        "\u20662\u2069 ہفتے سے کم پہلے)"
    ),
    "Face exposed to the sun (0 never … 4 always)": (
        "چہرہ دھوپ میں کتنا رہتا ہے (\u20660\u2069 کبھی نہیں … \u20664\u2069 ہمیشہ)"
    ),
    "Norwood–Hamilton": "Norwood–Hamilton",
    "Ludwig": "Ludwig",
    "Right malar": "دایاں گال (ملار)",
    "Left malar": "بایاں گال (ملار)",
    "Chin": "ٹھوڑی",
    "Concerns, in the patient's words": "مسائل، مریض کے اپنے الفاظ میں",
    "Pregnant, or could be pregnant now?": "حاملہ ہیں، یا اس وقت حمل کا امکان ہے؟",
    "Breastfeeding?": "بچے کو دودھ پلا رہی ہیں؟",
    "May become pregnant during the course?": "کیا علاج کے کورس کے دوران حاملہ ہونے کا امکان ہے؟",
    "Conditions": "بیماریاں",
    "Medicines": "دوائیں",
    "Current medications (names and doses)": "موجودہ دوائیں (نام اور خوراک)",
    "New allergies to formulary ingredients": "فارمولری کے اجزا سے نئی الرجی",
    "Has reacted to a medicine or injection but does not know which ingredient": (
        "کسی دوا یا انجیکشن سے ری ایکشن ہو چکا ہے، مگر معلوم نہیں کہ کس جزو سے"
    ),
    "Other allergies (not in the formulary)": "دیگر الرجیاں (جو فارمولری میں نہیں)",
    "Medical history": "طبی تاریخ",
    "Planned ingredients": "علاج کے لیے طے شدہ اجزا",
    "Fitzpatrick skin type (direct entry)": "فٹزپیٹرک جلد کی قسم (براہِ راست اندراج)",
    "Examination": "معائنہ",
    "Baseline score": "ابتدائی اسکور",
    "Hair loss stage": "بال گرنے کا درجہ",
    "Baseline note (GAIS: describe the starting point)": (
        "ابتدائی نوٹ (GAIS: علاج سے پہلے کی حالت بیان کریں)"
    ),
    "Answer every item, or none of them.": "ہر سوال کا جواب دیں، یا کسی کا بھی نہیں۔",
    "The questionnaire gives type %(type)s: leave the direct entry empty.": (
        "سوالنامے کے مطابق قسم %(type)s بنتی ہے: براہِ راست اندراج خالی چھوڑ دیں۔"
    ),
    "Give the skin type, or answer the questionnaire.": (
        "جلد کی قسم درج کریں، یا سوالنامے کے جواب دیں۔"
    ),
    "Grade every region (0 if clear).": "ہر حصے کا درجہ درج کریں (صاف ہو تو \u20660\u2069)۔",
    "Choose a stage of the chosen scale.": "منتخب پیمانے کا کوئی درجہ چنیں۔",
    "Choose Norwood–Hamilton or Ludwig as the score.": (
        "اسکور کے لیے Norwood–Hamilton یا Ludwig منتخب کریں۔"
    ),
    "Why treatment may go ahead despite the reasons above": (
        "اوپر دی گئی وجوہات کے باوجود علاج کیوں کیا جا سکتا ہے"
    ),
    "Photo (JPEG or PNG, up to 10 MB)": "تصویر (JPEG یا PNG، زیادہ سے زیادہ \u206610 MB\u2069)",
    "View, e.g. front, left profile": "زاویہ، مثلاً سامنے سے، بائیں جانب سے",
    "Products applied (by lot)": "لگائی گئی پروڈکٹس (لاٹ کے لحاظ سے)",
    "Site": "جگہ",
    "Site details": "جگہ کی تفصیل",
    "Applied at (leave empty for now)": "لگانے کا وقت (ابھی کے وقت کے لیے خالی چھوڑ دیں)",
    "Result": "نتیجہ",
    "Reaction seen (required when positive)": ("نظر آنے والا ری ایکشن (نتیجہ مثبت ہو تو لازمی)"),
    "Read at (leave empty for now)": "ریڈنگ کا وقت (ابھی کے وقت کے لیے خالی چھوڑ دیں)",
    "Language the patient read": "وہ زبان جس میں مریض نے متن پڑھا",
    "Photo use (a separate choice)": "تصاویر کا استعمال (الگ انتخاب)",
    "Patient's name, typed by the patient": "مریض کا نام، مریض خود لکھیں",
    "Skin rejuvenation (ageing)": "جلد کی تازگی (بڑھتی عمر)",
    "Thromboembolism (DVT, PE, stroke)": "تھرومبو ایمبولزم (DVT، PE، فالج)",
    "Thrombophilia (clotting disorder)": "تھرومبوفیلیا (خون جمنے کی بیماری)",
    "Bleeding disorder": "خون بہنے کی بیماری",
    "Seizures / epilepsy": "دورے / مرگی",
    "Renal impairment": "گردوں کی کمزوری",
    "Autoimmune disease": "آٹو امیون بیماری",
    "Keloid tendency": "کیلوئیڈ بننے کا رجحان",
    "Immunosuppression": "قوتِ مدافعت میں کمی (امیونوسپریشن)",
    "Uncontrolled diabetes": "بے قابو شوگر (ذیابیطس)",
    "Infection at the treatment site": "علاج کی جگہ پر انفیکشن",
    "Active skin disease at the site": "علاج کی جگہ پر جلد کی فعال بیماری",
    "Anticoagulant (warfarin, DOAC, heparin)": "اینٹی کوایگولنٹ (وارفرین، DOAC، ہیپرین)",
    "Antiplatelet (aspirin, clopidogrel)": "اینٹی پلیٹلیٹ (اسپرین، کلوپیڈوگریل)",
    "Hormonal contraception": "ہارمونل مانعِ حمل",
    "Isotretinoin in the last 6 months": "پچھلے \u20666\u2069 ماہ میں آئسوٹریٹینوئن",
    "Mesotherapy of the face and skin": "چہرے اور جلد کی میسوتھراپی",
    "Mesotherapy of the scalp (hair)": "سر کی جلد کی میسوتھراپی (بال)",
    "Injection lipolysis (fat-dissolving injections)": (
        "انجیکشن لائپولائسس (چربی گھلانے والے انجیکشن)"
    ),
    "Eligible": "علاج کے اہل",
    "Needs a dermatologist's review": "ماہرِ امراضِ جلد کا جائزہ ضروری ہے",
    "Contraindicated": "علاج ممنوع",
    "What is done, benefits, risks, alternatives.": "کیا کیا جاتا ہے، فوائد، خطرات، متبادل۔",
    "The separate photo-consent question.": "تصاویر کی رضامندی کا الگ سوال۔",
    "language read": "پڑھنے کی زبان",
    "name, typed by the patient": "نام، مریض کا خود لکھا ہوا",
    "Strokes drawn on the screen (see care.signature).": (
        "اسکرین پر کھینچی گئی لکیریں (care.signature دیکھیں)۔"
    ),
    "agrees to photo use": "تصاویر کے استعمال پر رضامند",
    "MASI (0–48)": "\u2066MASI (0–48)\u2069",
    "mMASI (0–24)": "\u2066mMASI (0–24)\u2069",
    "GAIS baseline note": "GAIS ابتدائی نوٹ",
    "ICD-10": "ICD-10",
    "concerns, in the patient's words": "مسائل، مریض کے اپنے الفاظ میں",
    "medical history": "طبی تاریخ",
    "current medications": "موجودہ دوائیں",
    "other allergies": "دیگر الرجیاں",
    "examination": "معائنہ",
    "pregnant": "حاملہ",
    "breastfeeding": "دودھ پلا رہی ہیں",
    "may become pregnant": "حاملہ ہونے کا امکان",
    "reaction to an unknown medicine": "کسی نامعلوم دوا سے ری ایکشن",
    "Ingredient codes, from the patient's allergies.": "اجزا کے کوڈ، مریض کی الرجیوں سے۔",
    "Fitzpatrick type": "فٹزپیٹرک قسم",
    "baseline scale": "ابتدائی پیمانہ",
    "baseline note": "ابتدائی نوٹ",
    "dermatologist's justification": "ماہرِ امراضِ جلد کا جواز",
    "Reported by the patient": "مریض نے بتایا",
    "Positive patch test": "مثبت پیچ ٹیسٹ",
    "reaction": "ری ایکشن",
    "view": "زاویہ",
    "Behind the ear": "کان کے پیچھے",
    "Inner forearm": "بازو (فور آرم) کا اندرونی حصہ",
    "Edge of the treatment area": "علاج کی جگہ کا کنارہ",
    "Other (describe)": "دیگر (تفصیل لکھیں)",
    "Waiting to be read": "ریڈنگ کا انتظار",
    "Negative": "منفی",
    "Positive": "مثبت",
    "site": "جگہ",
    "site details": "جگہ کی تفصیل",
    "applied at": "لگانے کا وقت",
    "result": "نتیجہ",
    "reaction seen": "نظر آنے والا ری ایکشن",
    "read at": "ریڈنگ کا وقت",
    "patch test: read from (hours after application)": (
        "پیچ ٹیسٹ: ریڈنگ کب سے (لگانے کے کتنے گھنٹے بعد)"
    ),
    "patch test: read until (hours after application)": (
        "پیچ ٹیسٹ: ریڈنگ کب تک (لگانے کے کتنے گھنٹے بعد)"
    ),
    "patch test: a negative result stands for (days)": (
        "پیچ ٹیسٹ: منفی نتیجہ کتنے دن مؤثر رہتا ہے"
    ),
    "source of these values": "ان قدروں کا ماخذ",
    "The window must close after it opens.": (
        "ریڈنگ کی مدت کا اختتام اس کے آغاز کے بعد ہونا چاہیے۔"
    ),
    "Please sign in the box.": "براہِ کرم خانے میں دستخط کریں۔",
    "The signature could not be read; please clear it and sign again.": (
        "دستخط پڑھے نہیں جا سکے؛ براہِ کرم انہیں مٹا کر دوبارہ دستخط کریں۔"
    ),
    "The signature is too long; please clear it and sign again.": (
        "دستخط بہت طویل ہیں؛ براہِ کرم انہیں مٹا کر دوبارہ دستخط کریں۔"
    ),
    "That is too small to be a signature; please sign across the box.": (
        "دستخط کے لیے یہ بہت چھوٹا ہے؛ براہِ کرم پورے خانے میں دستخط کریں۔"
    ),
    "Record a consultation first: consent is given on a screening.": (
        "پہلے کنسلٹیشن درج کریں: رضامندی کسی اسکریننگ کی بنیاد پر دی جاتی ہے۔"
    ),
    "The latest screening found a contraindication: treatment cannot go ahead.": (
        "تازہ ترین اسکریننگ کے مطابق علاج ممنوع ہے: علاج نہیں کیا جا سکتا۔"
    ),
    "The patient types their name.": "مریض اپنا نام خود لکھیں۔",
    "Choose the language the patient read.": "وہ زبان چنیں جس میں مریض نے متن پڑھا۔",
    "The consent text has changed: read the current version with the patient.": (
        "رضامندی کا متن تبدیل ہو چکا ہے: موجودہ ورژن مریض کے ساتھ پڑھیں۔"
    ),
    "Choose at least one lot.": "کم از کم ایک لاٹ چنیں۔",
    "Lot %(lot)s belongs to another clinic.": "لاٹ \u2066%(lot)s\u2069 کسی دوسرے کلینک کا ہے۔",
    "The application time is in the future.": "ٹیسٹ لگانے کا وقت مستقبل کا ہے۔",
    "Its reading window has already closed: apply a new test.": (
        "اس کی ریڈنگ کا وقت گزر چکا ہے: نیا ٹیسٹ لگائیں۔"
    ),
    "Describe the site.": "جگہ کی تفصیل لکھیں۔",
    "This patch test has already been read.": "اس پیچ ٹیسٹ کی ریڈنگ پہلے ہی درج ہو چکی ہے۔",
    "The reading time is in the future.": "ریڈنگ کا وقت مستقبل کا ہے۔",
    "The reading is before the test was applied.": "ریڈنگ کا وقت ٹیسٹ لگانے سے پہلے کا ہے۔",
    "Too early for a negative reading: the window opens at %(opens)s.": (
        "منفی ریڈنگ کے لیے ابھی بہت جلدی ہے: ریڈنگ کا وقت %(opens)s پر شروع ہو گا۔"
    ),
    "Too late for a negative reading: the window closed at %(closes)s. Apply a new patch test.": (
        "منفی ریڈنگ کے لیے بہت دیر ہو چکی ہے: ریڈنگ کا وقت %(closes)s پر ختم ہو گیا تھا۔ "
        "نیا پیچ ٹیسٹ لگائیں۔"
    ),
    "Choose negative or positive.": "منفی یا مثبت چنیں۔",
    "Describe the reaction.": "ری ایکشن کی تفصیل لکھیں۔",
    "This patient is not registered at your clinics.": "یہ مریض آپ کے کلینکوں میں رجسٹر نہیں۔",
    "Choose the stage.": "درجہ چنیں۔",
    "Only a credentialed dermatologist may justify treatment.": (
        "علاج کا جواز صرف تصدیق شدہ ماہرِ امراضِ جلد دے سکتے ہیں۔"
    ),
    "Only a screening that needs review can be justified.": (
        "جواز صرف اسی اسکریننگ کا دیا جا سکتا ہے جس پر جائزہ ضروری ہو۔"
    ),
    "Write the justification.": "جواز لکھیں۔",
    "This screening has already been justified.": "اس اسکریننگ کا جواز پہلے ہی درج ہو چکا ہے۔",
    "The photo is larger than 10 MB.": "تصویر \u206610 MB\u2069 سے بڑی ہے۔",
    "Upload a JPEG or PNG photo.": "JPEG یا PNG تصویر اپ لوڈ کریں۔",
    "Screening so far": "اب تک کی اسکریننگ",
    "Screening": "اسکریننگ",
    "Absolute": "قطعی",
    "Relative": "نسبتی",
    "No rule stands in the way for these facts and ingredients.": (
        "ان معلومات اور اجزا کے لیے کوئی اصول علاج میں رکاوٹ نہیں۔"
    ),
    "Updated as you fill in the form; recorded when you save.": (
        "فارم بھرنے کے ساتھ ساتھ بدلتا ہے؛ محفوظ کرنے پر درج ہو جاتا ہے۔"
    ),
    "Clinical pathway": "طبی مراحل",
    "Clinical actions": "طبی کارروائیاں",
    "New consultation": "نئی کنسلٹیشن",
    "Apply patch test": "پیچ ٹیسٹ لگائیں",
    "Take consent": "رضامندی لیں",
    "Consultations": "کنسلٹیشنز",
    "justified": "جواز درج",
    "None yet.": "ابھی کوئی نہیں۔",
    "Allergies": "الرجیاں",
    "patch test": "پیچ ٹیسٹ",
    "None recorded.": "کوئی درج نہیں۔",
    "Patch tests": "پیچ ٹیسٹ",
    "until %(day)s": "%(day)s تک",
    "Consents": "رضامندیاں",
    "valid": "مؤثر",
    "no longer valid": "اب مؤثر نہیں",
    "Consent": "رضامندی",
    "Invalidated on %(when)s: the screening facts changed. Take a new consent.": (
        "%(when)s کو کالعدم ہوئی: اسکریننگ کی معلومات بدل گئیں۔ نئی رضامندی لیں۔"
    ),
    "Procedure": "طریقۂ علاج",
    "text version %(version)s": "متن کا ورژن %(version)s",
    "Read in": "پڑھنے کی زبان",
    "Photo use": "تصاویر کا استعمال",
    # yesno filter arguments: keep the ASCII comma without spaces.
    "agreed,declined": "رضامند,انکار",
    "Name typed": "لکھا گیا نام",
    "Signed": "دستخط ہوئے",
    "Witness": "گواہ",
    "Consultation": "کنسلٹیشن",
    "Signature": "دستخط",
    "Download PDF": "PDF ڈاؤن لوڈ کریں",
    "Consent is witnessed by a member of the clinic's staff.": (
        "رضامندی کلینک کے عملے کے کسی رکن کی گواہی میں لی جاتی ہے۔"
    ),
    "Signature: the patient signs in the box with a finger or stylus": (
        "دستخط: مریض انگلی یا اسٹائلس سے خانے میں دستخط کریں"
    ),
    "Clear signature": "دستخط مٹائیں",
    "Witnessed by %(name)s.": "%(name)s گواہ ہیں۔",
    "Sign consent": "رضامندی پر دستخط کریں",
    "Concerns": "مسائل",
    "Pregnant": "حاملہ",
    "yes,no": "ہاں,نہیں",
    "Breastfeeding": "دودھ پلا رہی ہیں",
    "May become pregnant": "حاملہ ہونے کا امکان",
    "Current medications": "موجودہ دوائیں",
    "Allergies (ingredients)": "الرجیاں (اجزا)",
    "Positive patch tests": "مثبت پیچ ٹیسٹ",
    "Other allergies": "دیگر الرجیاں",
    "Examination and baseline": "معائنہ اور ابتدائی کیفیت",
    "questionnaire total %(total)s": "سوالنامے کا کل اسکور %(total)s",
    "Baseline note": "ابتدائی نوٹ",
    "Baseline photos": "ابتدائی تصاویر",
    "Baseline photo": "ابتدائی تصویر",
    "No photos yet.": "ابھی کوئی تصویر نہیں۔",
    "Add photo": "تصویر شامل کریں",
    "Dermatologist's justification": "ماہرِ امراضِ جلد کا جواز",
    "Record justification": "جواز درج کریں",
    "A credentialed dermatologist must record why treatment may go ahead.": (
        "تصدیق شدہ ماہرِ امراضِ جلد درج کریں کہ علاج کیوں کیا جا سکتا ہے۔"
    ),
    "%(sex)s, %(age)s years. Each consultation is kept as recorded; new facts mean a new "
    "consultation.": (
        "%(sex)s، %(age)s سال۔ ہر کنسلٹیشن جیسے درج ہوئی ویسے ہی محفوظ رہتی ہے؛ نئی معلومات "
        "کے لیے نئی کنسلٹیشن درج کریں۔"
    ),
    "Pregnancy (asked every time)": "حمل (ہر بار پوچھا جاتا ہے)",
    "History and medicines": "طبی تاریخ اور دوائیں",
    "Already recorded:": "پہلے سے درج:",
    "none": "کوئی نہیں",
    "Planned treatment": "طے شدہ علاج",
    "Skin type": "جلد کی قسم",
    "Or score the 10-item Fitzpatrick questionnaire (each item 0–4)": (
        "یا فٹزپیٹرک کا \u206610\u2069 سوالوں والا سوالنامہ پُر کریں (ہر سوال کے \u20660–4\u2069 "
        "نمبر)"
    ),
    "Banding: 0–6 I, 7–13 II, 14–20 III, 21–27 IV, 28–34 V, 35 and over VI (CLINICAL.md).": (
        "درجہ بندی: \u20660–6 I\u2069، \u20667–13 II\u2069، \u206614–20 III\u2069، "
        "\u206621–27 IV\u2069، \u206628–34 V\u2069، \u206635\u2069 اور اس سے زیادہ "
        "\u2066VI\u2069 (تفصیل CLINICAL.md میں)۔"
    ),
    "MASI / mMASI grades (area 0–6, darkness 0–4, homogeneity 0–4; mMASI leaves homogeneity out)": (
        "MASI / mMASI کے درجے (رقبہ \u20660–6\u2069، رنگت کی گہرائی \u20660–4\u2069، یکسانیت "
        "\u20660–4\u2069؛ mMASI میں یکسانیت شامل نہیں)"
    ),
    "Region": "حصہ",
    "Area": "رقبہ",
    "Darkness": "رنگت کی گہرائی",
    "Homogeneity": "یکسانیت",
    "Record consultation": "کنسلٹیشن درج کریں",
    "The decision appears here as you fill in the form.": (
        "فارم بھرنے کے ساتھ ساتھ فیصلہ یہاں نظر آئے گا۔"
    ),
    "Patch test": "پیچ ٹیسٹ",
    "Products (lots)": "پروڈکٹس (لاٹ)",
    "Applied": "لگایا گیا",
    "Read between": "ریڈنگ کا وقت",
    "not yet open": "ابھی شروع نہیں ہوا",
    "open now": "ابھی جاری ہے",
    "closed: apply a new test": "ختم: نیا ٹیسٹ لگائیں",
    "Read": "ریڈنگ",
    "Valid until": "کب تک مؤثر",
    "expired: repeat the test": "میعاد ختم: ٹیسٹ دوبارہ کریں",
    "Allergy": "الرجی",
    "Recorded for every ingredient of the products applied.": (
        "لگائی گئی پروڈکٹس کے ہر جزو کے لیے درج کی گئی۔"
    ),
    "Record the reading": "ریڈنگ کا اندراج",
    "A reaction always counts, whenever it is seen. A negative reading counts only inside the "
    "window.": (
        "ری ایکشن جب بھی نظر آئے، ہمیشہ شمار ہوتا ہے۔ منفی ریڈنگ صرف مقررہ وقت کے اندر شمار "
        "ہوتی ہے۔"
    ),
    "Record reading": "ریڈنگ درج کریں",
    "Apply a patch test": "پیچ ٹیسٹ لگائیں",
    "This clinic reads patch tests %(opens)s to %(closes)s hours after application; a negative "
    "result stands for %(days)s days.": (
        "یہ کلینک پیچ ٹیسٹ کی ریڈنگ لگانے کے %(opens)s سے %(closes)s گھنٹے بعد کرتا ہے؛ منفی "
        "نتیجہ %(days)s دن تک مؤثر رہتا ہے۔"
    ),
    "This clinic has no usable lots: receive stock first.": (
        "اس کلینک میں کوئی قابلِ استعمال لاٹ نہیں: پہلے اسٹاک وصول کریں۔"
    ),
    "Record application": "ٹیسٹ لگانا درج کریں",
    "No consent text is published for this procedure.": (
        "اس طریقۂ علاج کے لیے رضامندی کا کوئی متن شائع نہیں ہوا۔"
    ),
    "Consent signed.": "رضامندی پر دستخط ہو گئے۔",
    "The PDF copy could not be printed; try again later.": (
        "PDF کاپی پرنٹ نہیں ہو سکی؛ بعد میں دوبارہ کوشش کریں۔"
    ),
    "Consultation recorded.": "کنسلٹیشن درج ہو گئی۔",
    "Justification recorded.": "جواز درج ہو گیا۔",
    "Photo added.": "تصویر شامل ہو گئی۔",
    "Patch test applied.": "پیچ ٹیسٹ لگا دیا گیا۔",
    "Reading recorded.": "ریڈنگ درج ہو گئی۔",
    "Signing for a patient under 18: relation to the patient (e.g. mother)": (
        "\u206618\u2069 سال سے کم عمر مریض کی جگہ دستخط: مریض سے رشتہ (مثلاً والدہ)"
    ),
    "signer's relation to the patient": "دستخط کرنے والے کا مریض سے رشتہ",
    "Empty when the patient signs; a parent or guardian signs for a minor.": (
        "مریض خود دستخط کرے تو خالی؛ نابالغ کی جگہ والدین یا سرپرست دستخط کرتے ہیں۔"
    ),
    "When the reading was entered (it may be backdated).": (
        "ریڈنگ کب درج کی گئی (ریڈنگ کا وقت پہلے کا ہو سکتا ہے)۔"
    ),
    (
        "An allergy or a positive patch test was recorded after the latest screening: "
        "record a new consultation first."
    ): ("آخری اسکریننگ کے بعد الرجی یا مثبت پیچ ٹیسٹ درج ہوا ہے: پہلے نئی کنسلٹیشن درج کریں۔"),
    "The patient is under 18: a parent or guardian signs; give their relation.": (
        "مریض کی عمر \u206618\u2069 سال سے کم ہے: والدین یا سرپرست دستخط کریں؛ ان کا رشتہ لکھیں۔"
    ),
    "A newer consultation was recorded: read the consent again with the patient.": (
        "اس دوران نئی کنسلٹیشن درج ہوئی ہے: رضامندی کا متن مریض کے ساتھ دوبارہ پڑھیں۔"
    ),
    "This consent is already signed (consent %(number)s).": (
        "اس رضامندی پر پہلے ہی دستخط ہو چکے ہیں (رضامندی \u2066%(number)s\u2069)۔"
    ),
    "%(lot)s: the patient is allergic to %(ingredient)s; do not apply it.": (
        "\u2066%(lot)s\u2069: مریض کو %(ingredient)s سے الرجی ہے؛ اسے نہ لگائیں۔"
    ),
    (
        "A negative reading is entered within 12 hours of reading it; this one is too old "
        "to count. Apply a new patch test."
    ): (
        "منفی ریڈنگ پڑھنے کے \u206612\u2069 گھنٹوں کے اندر درج کی جاتی ہے؛ یہ ریڈنگ "
        "بہت پرانی ہے۔ نیا پیچ ٹیسٹ لگائیں۔"
    ),
    "Not finished": "ابھی مکمل نہیں",
    "Not answered yet:": "ابھی جواب نہیں دیا گیا:",
    "out of date: a new allergy or patch-test result": ("پرانی: نئی الرجی یا پیچ ٹیسٹ کا نتیجہ"),
    "PDF not ready": "PDF تیار نہیں",
    "The PDF copy could not be printed just now": "PDF کاپی ابھی پرنٹ نہیں ہو سکی",
    (
        "The consent is signed and stored. Try the download again in a minute; if it keeps "
        "failing, tell your administrator that the PDF printer (Chromium) is not working."
    ): (
        "رضامندی پر دستخط ہو چکے ہیں اور وہ محفوظ ہے۔ ایک منٹ بعد دوبارہ ڈاؤن لوڈ کریں؛ "
        "اگر پھر بھی نہ ہو تو اپنے ایڈمنسٹریٹر کو بتائیں کہ PDF پرنٹر (Chromium) کام نہیں کر رہا۔"
    ),
    # Treatment plans, session charting behind the safety gate, aftercare and the patient's
    # chart. A course is علاج کا منصوبہ, the gate حفاظتی جانچ, a zone of the map حصہ, an
    # override حد سے آگے جانے کی اجازت. A "line" of the session form is one product given, so
    # the map calls it پروڈکٹ (as the form's "Product %(n)s" legends do). Codes, lot numbers and
    # ranges are isolated left-to-right, and no sentence ends on them.
    "Maintenance after the last session (days)": "آخری سیشن کے کتنے دن بعد مینٹیننس",
    "First session": "پہلا سیشن",
    "%(component)s: mL per session": "%(component)s: فی سیشن مقدار (mL)",
    "mL": "مقدار (mL)",
    "Zones": "حصے",
    "Record at least one product given.": "دی گئی کم از کم ایک پروڈکٹ درج کریں۔",
    "Asked today: pregnant, or could be?": "آج پوچھا گیا: حاملہ ہیں، یا ہو سکتی ہیں؟",
    "Asked today: breastfeeding?": "آج پوچھا گیا: دودھ پلا رہی ہیں؟",
    "Injection points": "انجیکشن پوائنٹس",
    "Numbing cream used": "سن کرنے والی کریم لگائی گئی",
    "Started": "شروع ہونے کا وقت",
    "Ended": "ختم ہونے کا وقت",
    "Immediate reactions": "فوری ری ایکشن",
    "Between the brows": "بھنووں کے درمیان",
    "Around the right eye": "دائیں آنکھ کے گرد",
    "Around the left eye": "بائیں آنکھ کے گرد",
    "Nose": "ناک",
    "Right cheek": "دایاں گال",
    "Left cheek": "بایاں گال",
    "Upper lip": "اوپری ہونٹ",
    "Right jawline": "دائیں جبڑے کی لکیر",
    "Left jawline": "بائیں جبڑے کی لکیر",
    "Neck": "گردن",
    "Frontal scalp": "سر کا اگلا حصہ",
    "Mid-scalp": "سر کا درمیانی حصہ",
    "Crown (vertex)": "چندیا",
    "Right temple": "دائیں کنپٹی",
    "Left temple": "بائیں کنپٹی",
    "Back of the head": "سر کا پچھلا حصہ",
    "Under the chin": "ٹھوڑی کے نیچے",
    "Right upper arm": "دایاں بازو (اوپری)",
    "Left upper arm": "بایاں بازو (اوپری)",
    "Abdomen": "پیٹ",
    "Right flank": "دایاں پہلو",
    "Left flank": "بایاں پہلو",
    "Right thigh": "دائیں ران",
    "Left thigh": "بائیں ران",
    "Active": "فعال",
    "Paused": "موقوف",
    "Completed": "مکمل",
    "Cancelled": "منسوخ",
    "sessions": "سیشن",
    "days between sessions": "سیشنوں کا درمیانی وقفہ (دن)",
    "maintenance after (days)": "مینٹیننس کتنے دن بعد",
    "first session": "پہلا سیشن",
    "Target dates, ISO format, one per session.": (
        "مقررہ تاریخیں، ISO فارمیٹ میں، ہر سیشن کی ایک تاریخ۔"
    ),
    "maintenance due": "مینٹیننس کی تاریخ",
    "mL per session": "فی سیشن مقدار (mL)",
    "points": "پوائنٹس",
    "started": "شروع ہونے کا وقت",
    "ended": "ختم ہونے کا وقت",
    "numbing cream used": "سن کرنے والی کریم لگائی گئی",
    "injection points": "انجیکشن پوائنٹس",
    "immediate reactions": "فوری ری ایکشن",
    "The conditions checked at the start, all passed.": (
        "آغاز پر جانچی گئی شرائط، جو سب پوری ہوئیں۔"
    ),
    "Zone codes of the treatment map.": "علاج کے نقشے کے حصوں کے کوڈ۔",
    "a screening stands for (days) before a session asks it again": (
        "اسکریننگ کتنے دن مؤثر رہتی ہے (اس کے بعد سیشن سے پہلے دوبارہ اسکریننگ)"
    ),
    "who may inject, per procedure": "ہر طریقۂ علاج کے لیے انجیکشن کون لگا سکتا ہے",
    'Qualification codes per procedure, e.g. {"injection_lipolysis": ["dermatologist"]}.': (
        "ہر طریقۂ علاج کے لیے قابلیت کے کوڈ (مثلاً "
        '\u2066{"injection_lipolysis": ["dermatologist"]}\u2069)۔'
    ),
    "%(component)s: a dermatologist must record an override to plan this amount.": (
        "%(component)s: یہ مقدار منصوبے میں رکھنے کے لیے ماہرِ امراضِ جلد کو حد سے آگے جانے "
        "کی اجازت درج کرنی ہو گی۔"
    ),
    "Record a consultation first: a plan follows a screening.": (
        "پہلے کنسلٹیشن درج کریں: علاج کا منصوبہ اسکریننگ کے بعد بنتا ہے۔"
    ),
    "The latest screening found a contraindication.": (
        "تازہ ترین اسکریننگ کے مطابق علاج ممنوع ہے۔"
    ),
    "This protocol is for another indication than the latest consultation's.": (
        "یہ پروٹوکول تازہ ترین کنسلٹیشن سے مختلف علاج کے مقصد کے لیے ہے۔"
    ),
    "Only an approved protocol version can be planned.": (
        "علاج کا منصوبہ صرف پروٹوکول کے منظور شدہ ورژن پر بن سکتا ہے۔"
    ),
    "Between %(low)s and %(high)s for this protocol.": (
        "اس پروٹوکول کے لیے %(low)s اور %(high)s کے درمیان ہونا چاہیے۔"
    ),
    "Plan every component of the protocol's cocktail, once each.": (
        "پروٹوکول کے مرکب کا ہر جزو منصوبے میں ایک ایک بار شامل کریں۔"
    ),
    "No screening: record a consultation first.": ("کوئی اسکریننگ نہیں: پہلے کنسلٹیشن درج کریں۔"),
    "The screening is older than the clinic's limit: screen the patient again.": (
        "اسکریننگ کلینک کی مقررہ مدت سے پرانی ہے: مریض کی دوبارہ اسکریننگ کریں۔"
    ),
    "An allergy or a positive patch test was recorded after the screening: screen again.": (
        "اسکریننگ کے بعد الرجی یا مثبت پیچ ٹیسٹ درج ہوا ہے: دوبارہ اسکریننگ کریں۔"
    ),
    "Ask today whether the patient is pregnant or breastfeeding.": (
        "آج مریض سے پوچھیں کہ کیا وہ حاملہ ہیں یا دودھ پلا رہی ہیں۔"
    ),
    "Contraindicated today: %(codes)s.": ("\u2066%(codes)s\u2069 کی وجہ سے آج علاج ممنوع ہے۔"),
    "Needs a dermatologist's recorded justification for: %(codes)s.": (
        "\u2066%(codes)s\u2069 کے لیے ماہرِ امراضِ جلد کا درج شدہ جواز ضروری ہے۔"
    ),
    "No valid consent for this procedure, signed before the session started.": (
        "اس طریقۂ علاج کے لیے سیشن شروع ہونے سے پہلے دستخط شدہ کوئی مؤثر رضامندی نہیں۔"
    ),
    "No negative patch test, read before the session and still valid, for: %(codes)s.": (
        "\u2066%(codes)s\u2069 کے لیے سیشن سے پہلے پڑھا گیا کوئی مؤثر منفی پیچ ٹیسٹ نہیں۔"
    ),
    "Positive patch test to: %(codes)s.": ("\u2066%(codes)s\u2069 کا پیچ ٹیسٹ مثبت ہے۔"),
    "The practitioner's registration is not verified and current.": (
        "معالج کی رجسٹریشن تصدیق شدہ یا میعاد کے اندر نہیں۔"
    ),
    "The practitioner's qualification is not allowed this procedure at this clinic.": (
        "اس کلینک میں معالج کی قابلیت کے ساتھ یہ طریقۂ علاج کرنے کی اجازت نہیں۔"
    ),
    "Lot cannot be used (recalled, quarantined, expired or vial past discard): %(lots)s.": (
        "لاٹ \u2066%(lots)s\u2069 کا استعمال ممکن نہیں (ری کال شدہ، قرنطینہ میں، میعاد ختم، "
        "یا کھلی وائل کے ضائع کرنے کا وقت گزر چکا)۔"
    ),
    "Not enough left in lot: %(lots)s.": ("لاٹ \u2066%(lots)s\u2069 میں کافی مقدار باقی نہیں۔"),
    "The course is not active.": "علاج کا منصوبہ فعال نہیں۔",
    "Each volume must be more than 0 mL.": ("ہر مقدار \u20660 mL\u2069 سے زیادہ ہونی چاہیے۔"),
    "A volume that large cannot be right.": "اتنی زیادہ مقدار درست نہیں ہو سکتی۔",
    "Unknown zones: %(zones)s.": "حصے \u2066%(zones)s\u2069 نامعلوم ہیں۔",
    "Mark where each product went on the map.": (
        "نقشے پر نشان لگائیں کہ ہر پروڈکٹ کہاں لگائی گئی۔"
    ),
    "Count the injection points (at least 1).": (
        "انجیکشن پوائنٹس کی تعداد درج کریں (کم از کم \u20661\u2069)۔"
    ),
    "The session cannot end before it starts.": ("سیشن شروع ہونے سے پہلے ختم نہیں ہو سکتا۔"),
    "The end time is in the future.": "ختم ہونے کا وقت مستقبل کا ہے۔",
    "Plan a course": "علاج کا منصوبہ بنائیں",
    "Chart": "چارٹ",
    "Treatment plans": "علاج کے منصوبے",
    "Aftercare": "بعد کی دیکھ بھال",
    "Print": "پرنٹ کریں",
    "PDF": "PDF",
    "Treatment plan": "علاج کا منصوبہ",
    "Session %(number)s": "سیشن %(number)s",
    "Nothing recorded yet.": "ابھی کچھ درج نہیں۔",
    "Target date": "مقررہ تاریخ",
    "Charted": "چارٹ میں درج",
    "Maintenance due": "مینٹیننس کی تاریخ",
    "Chart the next session": "اگلا سیشن چارٹ کریں",
    "Plan": "منصوبہ",
    "Protocol version": "پروٹوکول کا ورژن",
    # A label for the interval between sessions ("Every: 14 days").
    "Every": "وقفہ",
    "override": "حد سے آگے جانے کی اجازت",
    (
        "No approved protocol for %(indication)s yet: a credentialed dermatologist approves one "
        "under Protocols."
    ): (
        "%(indication)s کے لیے ابھی کوئی منظور شدہ پروٹوکول نہیں: تصدیق شدہ ماہرِ امراضِ جلد "
        '"پروٹوکول" کے صفحے پر کسی پروٹوکول کی منظوری دیتے ہیں۔'
    ),
    "Protocol": "پروٹوکول",
    "Use this protocol": "یہ پروٹوکول استعمال کریں",
    (
        "This protocol allows %(smin)s–%(smax)s sessions, %(imin)s–%(imax)s days apart, and "
        "maintenance %(mmin)s–%(mmax)s days after the last."
    ): (
        "یہ پروٹوکول \u2066%(smin)s–%(smax)s\u2069 سیشنوں کی اجازت دیتا ہے، جن کے درمیان "
        "\u2066%(imin)s–%(imax)s\u2069 دن کا وقفہ ہو، اور آخری سیشن کے "
        "\u2066%(mmin)s–%(mmax)s\u2069 دن بعد مینٹیننس۔"
    ),
    "Save plan": "منصوبہ محفوظ کریں",
    "Zones of product <span data-zone-map-line>1</span>": (
        "پروڈکٹ <span data-zone-map-line>1</span> کے حصے"
    ),
    "Add a product to mark its zones.": "حصوں پر نشان لگانے کے لیے پروڈکٹ شامل کریں۔",
    "Marked:": "نشان زد:",
    "none yet": "ابھی کوئی نہیں",
    (
        "Tap a zone to mark it for the active product, tap it again to clear it. Tap inside "
        "another product to chart its zones."
    ): (
        "منتخب پروڈکٹ پر کسی حصے کا نشان لگانے کے لیے اسے چھوئیں، نشان ہٹانے کے لیے دوبارہ "
        "چھوئیں۔ کسی دوسری پروڈکٹ کے حصے درج کرنے کے لیے اس کے خانے کے اندر چھوئیں۔"
    ),
    "Body, front view": "جسم، سامنے کا منظر",
    "Front view": "سامنے کا منظر",
    "Patient's right": "مریض کا دایاں",
    "Patient's left": "مریض کا بایاں",
    "Face, front view": "چہرہ، سامنے کا منظر",
    "Scalp, seen from above, face at the top": "سر، اوپر سے منظر، چہرہ اوپر کی طرف",
    "Face": "چہرہ",
    "Seen from above": "اوپر سے منظر",
    "Session": "سیشن",
    "Products given": "دی گئی پروڈکٹس",
    "Time": "وقت",
    "Numbing cream": "سن کرنے والی کریم",
    "Safety gate": "حفاظتی جانچ",
    "passed": "کامیاب",
    "Aftercare instructions": "بعد کی دیکھ بھال کی ہدایات",
    "Aftercare PDF": "بعد کی دیکھ بھال کی PDF",
    "Back to the plan": "منصوبے پر واپس",
    "Chart a session": "سیشن چارٹ کریں",
    "The safety gate will refuse this session": "حفاظتی جانچ اس سیشن کو مسترد کر دے گی",
    "Put these right first; lots and today's answers are checked when you save.": (
        "پہلے انہیں درست کریں؛ لاٹ اور آج کے جوابات محفوظ کرنے پر جانچے جاتے ہیں۔"
    ),
    "Not charted; nothing was saved or drawn from stock": (
        "چارٹ نہیں ہوا؛ نہ کچھ محفوظ ہوا اور نہ اسٹاک سے کچھ نکالا گیا"
    ),
    "Asked today": "آج پوچھا گیا",
    "Product %(n)s": "پروڈکٹ %(n)s",
    "Add another product": "ایک اور پروڈکٹ شامل کریں",
    "Chart session": "سیشن چارٹ کریں",
    "Choose an approved protocol.": "کوئی منظور شدہ پروٹوکول چنیں۔",
    "Treatment plan saved.": "علاج کا منصوبہ محفوظ ہو گیا۔",
    "Session charted.": "سیشن چارٹ ہو گیا۔",
    "This course cannot move to that status.": "یہ کورس اس حالت میں نہیں جا سکتا۔",
    "Reason": "وجہ",
    "Pause the course": "کورس روکیں",
    "Resume the course": "کورس دوبارہ شروع کریں",
    "Cancel the course": "کورس منسوخ کریں",
    "Course status changed.": "کورس کی حالت بدل گئی۔",
    "%(lot)s is not part of this course's planned cocktail.": (
        "لاٹ \u2066%(lot)s\u2069 اس کورس کے طے شدہ مرکب میں شامل نہیں۔"
    ),
    "Count the injection points (1 to %(max)s).": ("انجیکشن پوائنٹس گنیں (\u20661–%(max)s\u2069)۔"),
    "Dermatologist only: the clinical reason to pass a protocol limit": (
        "صرف ڈرمیٹولوجسٹ: پروٹوکول کی حد سے آگے جانے کی طبی وجہ"
    ),
    "Leave empty unless a volume above is outside the protocol's limits.": (
        "خالی چھوڑیں، جب تک اوپر کوئی مقدار پروٹوکول کی حد سے باہر نہ ہو۔"
    ),
    "Only a credentialed dermatologist may pass a protocol limit.": (
        "پروٹوکول کی حد سے آگے صرف تصدیق شدہ ڈرمیٹولوجسٹ جا سکتا ہے۔"
    ),
    # Issue 7, after review: the start check before the needle.
    "Start a session": "سیشن شروع کریں",
    "Before the needle: ask today's questions, then the safety gate checks the screening, "
    "consent, patch tests, your credential and the course.": (
        "سوئی سے پہلے: آج کے سوال پوچھیں، پھر حفاظتی جانچ اسکریننگ، رضامندی، پیچ ٹیسٹ، آپ کی "
        "سند اور کورس کو جانچے گی۔"
    ),
    "Do not start: the safety gate refuses this session": (
        "شروع نہ کریں: حفاظتی جانچ اس سیشن کو مسترد کرتی ہے"
    ),
    "Nothing was saved.": "کچھ محفوظ نہیں ہوا۔",
    "Put these right first.": "پہلے انہیں درست کریں۔",
    "Please answer both questions.": "براہِ کرم دونوں سوالوں کے جواب دیں۔",
    "Start session": "سیشن شروع کریں",
    "Start the session": "سیشن شروع کریں",
    "Safety gate passed at %(time)s. Asked today: not pregnant, not breastfeeding.": (
        "حفاظتی جانچ %(time)s پر پاس ہوئی۔ آج پوچھا گیا: حاملہ نہیں، دودھ نہیں پلا رہیں۔"
    ),
    "Start the session first: the safety gate is checked before the needle.": (
        "پہلے سیشن شروع کریں: حفاظتی جانچ سوئی سے پہلے ہوتی ہے۔"
    ),
    "The patient is pregnant, may be, or is breastfeeding today: no session.": (
        "مریضہ آج حاملہ ہے، ہو سکتی ہے، یا دودھ پلا رہی ہے: کوئی سیشن نہیں۔"
    ),
    "Contraindicated today: %(reasons)s": "آج ممانعت: %(reasons)s",
    "Needs a dermatologist's recorded justification: %(reasons)s": (
        "ماہرِ امراضِ جلد کا درج شدہ جواز درکار ہے: %(reasons)s"
    ),
    "No valid consent for this course, signed before the session started.": (
        "اس کورس کے لیے سیشن شروع ہونے سے پہلے دستخط شدہ کوئی درست رضامندی نہیں۔"
    ),
    "The practitioner does not work at this clinic or their qualification is not allowed "
    "this procedure here.": (
        "معالج اس کلینک میں کام نہیں کرتا یا اس کی قابلیت کو یہاں یہ طریقہ کار کرنے کی اجازت نہیں۔"
    ),
    "Lot cannot be used: %(lots)s.": "یہ لاٹ استعمال نہیں ہو سکتا: %(lots)s۔",
    "The formulary lists no ingredients for lot %(lots)s: it cannot be screened.": (
        "فارمولری میں لاٹ %(lots)s کے اجزا درج نہیں: اس کی اسکریننگ نہیں ہو سکتی۔"
    ),
    "recalled": "واپس منگوایا گیا",
    "quarantined": "قرنطینہ میں",
    "expired": "میعاد ختم",
    "multi-dose vial not opened": "کثیر خوراک وائل کھولی نہیں گئی",
    "vial past its discard time": "وائل کا ضائع کرنے کا وقت گزر چکا",
    "vial opening time in the future": "وائل کھولنے کا وقت مستقبل میں",
    "A session started more than %(days)s days ago cannot be charted.": (
        "%(days)s دن سے پہلے شروع ہونے والا سیشن درج نہیں ہو سکتا۔"
    ),
    "The start time is in the future.": "شروع ہونے کا وقت مستقبل میں ہے۔",
    "The first session must fall between %(earliest)s and %(latest)s.": (
        "پہلا سیشن %(earliest)s اور %(latest)s کے درمیان ہونا چاہیے۔"
    ),
    "Change the plan": "منصوبہ تبدیل کریں",
    "Treatment plan changed.": "علاج کا منصوبہ تبدیل ہو گیا۔",
    "Save changes": "تبدیلیاں محفوظ کریں",
    "A completed or cancelled course cannot be changed.": (
        "مکمل یا منسوخ شدہ کورس تبدیل نہیں ہو سکتا۔"
    ),
    "%(count)s sessions are already charted.": "%(count)s سیشن پہلے ہی درج ہو چکے ہیں۔",
    "The first session is charted: its date stays.": (
        "پہلا سیشن درج ہو چکا ہے: اس کی تاریخ وہی رہے گی۔"
    ),
    "The plan as it stands": "منصوبہ اس وقت",
    "%(label)s: between %(low)s and %(high)s for this protocol.": (
        "%(label)s: اس پروٹوکول کے لیے %(low)s اور %(high)s کے درمیان۔"
    ),
    "Target dates": "مقررہ تاریخیں",
    "Fill in the schedule to see the dates.": "تاریخیں دیکھنے کے لیے شیڈول بھریں۔",
    "(a dermatologist may pass this limit with a reason)": (
        "(ماہرِ امراضِ جلد وجہ لکھ کر یہ حد پار کر سکتا ہے)"
    ),
    "This scale does not measure %(indication)s.": "یہ پیمانہ %(indication)s کو نہیں ناپتا۔",
    "Norwood–Hamilton stages men's hair loss; Ludwig stages women's.": (
        "نوروڈ–ہیملٹن مردوں کے بال گرنے کا درجہ بتاتا ہے؛ لڈوگ خواتین کا۔"
    ),
    "Describe the starting point for GAIS.": "GAIS کے لیے ابتدائی حالت بیان کریں۔",
    "An ingredient no screening rule covers: a dermatologist reviews it first.": (
        "ایسا جزو جس پر اسکریننگ کا کوئی قاعدہ لاگو نہیں: پہلے ماہرِ امراضِ جلد اس کا جائزہ لے۔"
    ),
    "The session started when the safety gate passed (%(time)s) or later.": (
        "سیشن حفاظتی جانچ پاس ہونے (%(time)s) پر یا اس کے بعد شروع ہوا۔"
    ),
    "This start was used already: start the session again.": (
        "یہ آغاز پہلے ہی استعمال ہو چکا ہے: سیشن دوبارہ شروع کریں۔"
    ),
    "%(count)s sessions are already charted: plan more, or cancel the course.": (
        "%(count)s سیشن پہلے ہی درج ہو چکے ہیں: مزید منصوبہ بنائیں، یا کورس منسوخ کریں۔"
    ),
    "That first session date cannot be right.": "پہلے سیشن کی یہ تاریخ درست نہیں ہو سکتی۔",
}

#: Entries with a plural form: (msgid, msgid_plural) -> one msgstr per plural form. Urdu's
#: Plural-Forms header is `nplurals=2; plural=(n != 1);`, so [0] is for 1 and [1] for the rest.
UR_PLURAL = {
    ("%(counter)s result", "%(counter)s results"): ("%(counter)s نتیجہ", "%(counter)s نتائج"),
    ("%(days)s day", "%(days)s days"): ("%(days)s دن", "%(days)s دن"),
    ("%(n)s condition checked.", "%(n)s conditions checked."): (
        "%(n)s شرط جانچی گئی۔",
        "%(n)s شرائط جانچی گئیں۔",
    ),
    (
        "%(counter)s session is charted: the first session's date stays, and the plan keeps at "
        "least that many.",
        "%(counter)s sessions are charted: the first session's date stays, and the plan keeps "
        "at least that many.",
    ): (
        "%(counter)s سیشن درج ہو چکا ہے: پہلے سیشن کی تاریخ وہی رہے گی، اور منصوبے میں کم از کم "
        "اتنے سیشن رہیں گے۔",
        "%(counter)s سیشن درج ہو چکے ہیں: پہلے سیشن کی تاریخ وہی رہے گی، اور منصوبے میں کم از کم "
        "اتنے سیشن رہیں گے۔",
    ),
}

_STRING_LINES = r'((?:"[^\n]*"\n)+)'
_COMMENTS = r"((?:#[^~\n][^\n]*\n|#\n)*)"
_SINGULAR = re.compile(_COMMENTS + r"msgid " + _STRING_LINES + r"msgstr " + _STRING_LINES)
_PLURAL = re.compile(
    _COMMENTS
    + r"msgid "
    + _STRING_LINES
    + r"msgid_plural "
    + _STRING_LINES
    + r"((?:msgstr\[\d+\] (?:\"[^\n]*\"\n)+)+)"
)
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def po_unescape(raw: str) -> str:
    """The text of one or more quoted PO string lines."""
    joined = "".join(re.findall(r'"(.*)"', raw))
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), joined)


def without_fuzzy(comments: str) -> str:
    """Drop the fuzzy flag (keeping python-format and the like) and the previous-msgid lines
    makemessages adds to fuzzy guesses: Django ignores fuzzy entries."""
    kept = []
    for line in comments.splitlines():
        if line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [flag.strip() for flag in line[2:].split(",")]
            flags = [flag for flag in flags if flag and flag != "fuzzy"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        kept.append(line + "\n")
    return "".join(kept)


def problems(text: str) -> list[str]:
    """Msgids still untranslated or fuzzy (the header and obsolete #~ entries excluded)."""
    found = []
    for block in text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        body = "\n".join(line for line in lines if not line.startswith("#")) + "\n"
        match = re.match(r"(?:msgctxt (?:\"[^\n]*\"\n)+)?msgid " + _STRING_LINES, body)
        if not match or not po_unescape(match.group(1)):
            continue
        msgid = po_unescape(match.group(1))
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            found.append(f"fuzzy: {msgid}")
        strings = re.findall(r"^msgstr(?:\[\d+\])? " + _STRING_LINES, body, re.M)
        if not strings or any(not po_unescape(s) for s in strings):
            found.append(f"untranslated: {msgid}")
    return found


def main(path: Path) -> None:
    text = path.read_text()

    def fill(match):
        comments, raw_id = match.group(1), match.group(2)
        msgid = po_unescape(raw_id)
        if msgid and msgid in UR:
            # Our translation wins over makemessages' fuzzy guesses.
            return f'{without_fuzzy(comments)}msgid {raw_id}msgstr "{po_escape(UR[msgid])}"\n'
        return match.group(0)

    def fill_plural(match):
        comments, raw_id, raw_plural = match.group(1), match.group(2), match.group(3)
        key = (po_unescape(raw_id), po_unescape(raw_plural))
        if key not in UR_PLURAL:
            return match.group(0)
        forms = "".join(
            f'msgstr[{n}] "{po_escape(form)}"\n' for n, form in enumerate(UR_PLURAL[key])
        )
        return f"{without_fuzzy(comments)}msgid {raw_id}msgid_plural {raw_plural}{forms}"

    text = _PLURAL.sub(fill_plural, text)
    text = _SINGULAR.sub(fill, text)
    path.write_text(text)
    left = problems(text)
    if left:
        print("\n".join(left), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
