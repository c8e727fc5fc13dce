"""Small text normalizers shared by identifiers typed in English or Urdu keyboards.

Pure functions, no Django: clerks type digits as 0-9, as Urdu/Persian ۰-۹ or as Arabic ٠-٩,
and separate groups with hyphens, dashes or spaces. Everything is folded to ASCII here.
"""

import unicodedata

#: Characters people use between digit groups: hyphen-minus, the Unicode dashes, minus sign,
#: Arabic tatweel, dots, slashes and any kind of space.
#: The largest value an id column holds (a 64-bit signed integer, on SQLite and PostgreSQL):
#: past it SQLite raises OverflowError, a 500 instead of "no such record".
MAX_DATABASE_ID = 2**63 - 1

SEPARATORS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u0640./ \t\u00a0\u200f\u200e")


def fold_digits(text: str) -> str:
    """Replace every Unicode decimal digit (Urdu ۳, Arabic ٣, full-width ３) with ASCII."""
    out = []
    for char in text:
        if char.isdecimal():
            out.append(str(unicodedata.decimal(char)))
        else:
            out.append(char)
    return "".join(out)


def squash_spaces(text: str) -> str:
    """NFC-normalize, trim, and collapse runs of whitespace to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


class InvalidIdentifier(ValueError):
    """Typed text cannot be read as an identifier (CNIC, phone …); the message says why.

    `code` and `params` let the form layer show the same message in Urdu.
    """

    def __init__(self, message: str, code: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.code, self.params = message, code, params


def is_database_id(value) -> bool:
    """A whole number the database's id column can hold (SQLite raises OverflowError past it,
    which would be a 500 rather than "not one of the choices")."""
    text = str(value)
    # isdigit() alone admits "²" and other digits int() refuses.
    return text.isascii() and text.isdigit() and int(text) <= MAX_DATABASE_ID
