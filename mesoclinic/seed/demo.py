"""The demo chain: four clinics, staff of every role, a few dozen patients. Fictional people."""

DEMO_PASSWORD = "mesoclinic-demo"
# The authenticator-app key of every demo login whose role needs a second factor (hex; shown
# base32 by `seed_demo`, whose `--code` prints the current code). Public, like the password.
DEMO_TOTP_KEY = "6d65736f636c696e69632064656d6f206b657921"

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

# (first name, in Urdu, sex) and (family name, in Urdu): combined at random for the demo.
FIRST_NAMES = [
    ("Ayesha", "عائشہ", "female"),
    ("Fatima", "فاطمہ", "female"),
    ("Zainab", "زینب", "female"),
    ("Hira", "حرا", "female"),
    ("Sana", "ثنا", "female"),
    ("Maryam", "مریم", "female"),
    ("Iqra", "اقرا", "female"),
    ("Mahnoor", "ماہ نور", "female"),
    ("Amna", "آمنہ", "female"),
    ("Rabia", "رابعہ", "female"),
    ("Nimra", "نمرہ", "female"),
    ("Kiran", "کرن", "female"),
    ("Ali", "علی", "male"),
    ("Usman", "عثمان", "male"),
    ("Bilal", "بلال", "male"),
    ("Hamza", "حمزہ", "male"),
    ("Imran", "عمران", "male"),
    ("Fahad", "فہد", "male"),
    ("Saad", "سعد", "male"),
    ("Omar", "عمر", "male"),
]
LAST_NAMES = [
    ("Khan", "خان"),
    ("Malik", "ملک"),
    ("Qureshi", "قریشی"),
    ("Butt", "بٹ"),
    ("Sheikh", "شیخ"),
    ("Chaudhry", "چوہدری"),
    ("Javed", "جاوید"),
    ("Abbasi", "عباسی"),
    ("Siddiqui", "صدیقی"),
    ("Hussain", "حسین"),
    ("Aslam", "اسلم"),
    ("Raza", "رضا"),
    ("Ahmed", "احمد"),
    ("Tariq", "طارق"),
    ("Mirza", "مرزا"),
    ("Iqbal", "اقبال"),
    ("Shah", "شاہ"),
    ("Rehman", "رحمان"),
    ("Anwar", "انور"),
    ("Farooq", "فاروق"),
]

MOBILE_PREFIXES = ["300", "301", "303", "306", "311", "312", "321", "322", "333", "345"]

STAFF_NAMES = {
    "reception": ("Nadia", "Reception"),
    "manager": ("Kamran", "Manager"),
    "doctor": ("Dr Sadia", "Dermatologist"),
    "nurse": ("Saima", "Nurse"),
}
