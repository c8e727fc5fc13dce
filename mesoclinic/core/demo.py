"""The demo chain: four clinics, staff of every role, a few dozen patients. Fictional people."""

DEMO_PASSWORD = "mesoclinic-demo"

CLINICS = [
    {
        "code": "isb",
        "slug": "islamabad-f7",
        "name": "mesoclinic Islamabad F-7",
        "city": "Islamabad",
        "address": "Plot 12, Jinnah Super Market, F-7 Markaz, Islamabad",
        "phone": "+92512650100",
        "lat": "33.720800",
        "lng": "73.056900",
        "cnic_area": "61101",
        "services": ["consultation", "melasma", "skin-rejuvenation", "hair-loss"],
    },
    {
        "code": "rwp",
        "slug": "rawalpindi-saddar",
        "name": "mesoclinic Rawalpindi Saddar",
        "city": "Rawalpindi",
        "address": "45 Bank Road, Saddar, Rawalpindi Cantt",
        "phone": "+92515120200",
        "lat": "33.597700",
        "lng": "73.048200",
        "cnic_area": "37405",
        "services": ["consultation", "melasma", "hair-loss"],
    },
    {
        "code": "lhe",
        "slug": "lahore-gulberg",
        "name": "mesoclinic Lahore Gulberg",
        "city": "Lahore",
        "address": "88-E/1 Main Boulevard, Gulberg III, Lahore",
        "phone": "+92425750300",
        "lat": "31.510400",
        "lng": "74.343700",
        "cnic_area": "35202",
        "services": ["consultation", "melasma", "skin-rejuvenation", "hair-loss", "localized-fat"],
    },
    {
        "code": "khi",
        "slug": "karachi-clifton",
        "name": "mesoclinic Karachi Clifton",
        "city": "Karachi",
        "address": "Shop 7, Block 5, Clifton, Karachi",
        "phone": "+92213580400",
        "lat": "24.813800",
        "lng": "67.029900",
        "cnic_area": "42101",
        "services": ["consultation", "melasma", "skin-rejuvenation", "localized-fat"],
    },
]

# (first, last, Urdu, sex)
PEOPLE = [
    ("Ayesha", "Khan", "عائشہ خان", "female"),
    ("Fatima", "Malik", "فاطمہ ملک", "female"),
    ("Zainab", "Qureshi", "زینب قریشی", "female"),
    ("Hira", "Butt", "حرا بٹ", "female"),
    ("Sana", "Sheikh", "ثنا شیخ", "female"),
    ("Maryam", "Chaudhry", "مریم چوہدری", "female"),
    ("Iqra", "Javed", "اقرا جاوید", "female"),
    ("Mahnoor", "Abbasi", "ماہ نور عباسی", "female"),
    ("Amna", "Siddiqui", "آمنہ صدیقی", "female"),
    ("Rabia", "Hussain", "رابعہ حسین", "female"),
    ("Nimra", "Aslam", "نمرہ اسلم", "female"),
    ("Kiran", "Raza", "کرن رضا", "female"),
    ("Ali", "Ahmed", "علی احمد", "male"),
    ("Usman", "Tariq", "عثمان طارق", "male"),
    ("Bilal", "Mirza", "بلال مرزا", "male"),
    ("Hamza", "Iqbal", "حمزہ اقبال", "male"),
    ("Imran", "Shah", "عمران شاہ", "male"),
    ("Fahad", "Rehman", "فہد رحمان", "male"),
    ("Saad", "Anwar", "سعد انور", "male"),
    ("Omar", "Farooq", "عمر فاروق", "male"),
]

MOBILE_PREFIXES = ["300", "301", "303", "306", "311", "312", "321", "322", "333", "345"]

STAFF_NAMES = {
    "reception": ("Nadia", "Reception"),
    "manager": ("Kamran", "Manager"),
    "doctor": ("Dr Sadia", "Dermatologist"),
    "nurse": ("Saima", "Nurse"),
}
