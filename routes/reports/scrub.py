"""Remove contact details and vehicle plates from a traveller's note before storage.

Scrubbing errs towards removing too much: a note that loses a number is a small
loss, a published plate or phone number can get someone stopped at the border.
What is removed is replaced by a marker, so moderators see that something was.

The note is first read as a person reads it: compatibility forms folded (NFKC:
full-width "＋７", "＠", circled digits become the plain characters) and invisible
characters dropped (zero-width spaces and joiners, direction overrides, soft
hyphens, fillers). Otherwise "+7\u200b999…" shows a phone number to every reader
and none to the patterns below. What is stored is that normalised text.
"""

from __future__ import annotations

import re
import unicodedata

EMAIL = "[e-mail]"
PHONE = "[phone]"
PLATE = "[plate]"
CONTACT = "[contact]"

_EMAIL = re.compile(r"[\w.+-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)+", re.I)
# Messenger handles and links identify as well as a phone number does.
_CONTACT = re.compile(
    r"(?:https?://)?(?:t\.me|telegram\.me|wa\.me|vk\.com)/[\w+/-]+|(?<![\w@])@[A-Za-z]\w{3,}",
    re.I,
)

# Russian plates use only the Cyrillic letters that look Latin; people type
# either alphabet, in either case, with or without spaces, and the region
# (2-3 digits) after a space, a bar or "RUS".
_RU = "АВЕКМНОРСТУХABEKMHOPCTYX"
_REGION = r"[\s|/-]?(?:RUS\s?|РУС\s?)?\d{2,3}(?:\s?(?:RUS|РУС))?"
_RUSSIAN_PLATES = [
    rf"[{_RU}]\s?\d{{3}}\s?[{_RU}]{{2}}{_REGION}",  # А123ВС 77 (cars)
    rf"[{_RU}]{{2}}\s?\d{{3,4}}{_REGION}",  # АВ123 77 (taxis), АВ1234 77 (trailers)
    rf"\d{{4}}\s?[{_RU}]{{2}}{_REGION}",  # 1234 АВ 77 (motorcycles)
]
# Other countries' plates, in their usual written forms (upper case only, so
# ordinary words such as "350 cars" survive): Ukraine AA 1234 BB, Georgia
# AA-123-BB, Kazakhstan
# 123 ABC 02, Finland ABC-123, Estonia 123 ABC, Latvia AB-1234, Lithuania
# ABC 123, Belarus 1234 AB-7, Armenia 12 AB 123, Norway AB 12345, Poland
# WA 12345, Mongolia 1234 УБА, and any letter/digit blend like "KA1234AB".
_FOREIGN_PLATES = [
    r"[A-Z]{2}[\s-]?\d{4}[\s-]?[A-Z]{2}",
    r"[A-Z]{2}[\s-]?\d{3}[\s-]?[A-Z]{2}",
    r"\d{2,3}[\s-]?[A-Z]{2,3}[\s-]?\d{2,3}",
    r"\d{2,4}[\s-]?[A-ZА-Я]{2,3}(?:-\d)?",
    r"[A-Z]{2,3}[\s-]?\d{3,5}[A-Z]?",
    r"(?=[A-Z0-9]*\d[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z])[A-Z0-9]{5,10}",
]
# Amounts of money look like plates ("100 EUR", "USD 500"): leave them.
_MONEY = r"(?!\d*\s?(?:EUR|USD|GEL|RUB|KZT|AMD|AZN|TRY|MNT|BYN|NOK|PLN|CNY)\b)"
_PLATES = [
    re.compile(rf"(?<![\w]){_MONEY}(?:{pattern})(?![\w])", flags)
    for pattern, flags in [
        *((p, re.IGNORECASE) for p in _RUSSIAN_PLATES),
        *((p, 0) for p in _FOREIGN_PLATES),
    ]
]

_PHONE = re.compile(r"(?<![\w+])(?:\+\s?)?\(?\d(?:[\s.()\-–]{0,3}\d){6,16}(?![\w])")
_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}")
_RANGE = re.compile(r"\d{1,5}\s?[-–]\s?\d{1,5}")


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    if _DATE.fullmatch(text.strip()) or _RANGE.fullmatch(text.strip()):
        return text  # "24.09.2022", "3000-4000 cars" are not phone numbers
    return PHONE


def _without_plates(text: str) -> str:
    # Formats overlap ("KZ 123 ABC 02" holds a match of two of them): replace
    # the union of every format's matches, not whichever matched first.
    spans = sorted(m.span() for pattern in _PLATES for m in pattern.finditer(text))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + PLATE + text[end:]
    return text


# Characters that render as nothing but are not of the "format" category (Cf):
# the combining grapheme joiner, Hangul and Khmer fillers, Mongolian free
# variation selectors and the variation selectors.
_INVISIBLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\uffa0"
    "\ufe00-\ufe0f\U000e0100-\U000e01ef]"
)


# NFKC would spell the numero sign "No", which Russian notes use ("очередь № 2").
_KEEP = "№"


def normalise_note(text: str) -> str:
    """The note as it reads: NFKC, without format or other invisible characters."""
    text = _KEEP.join(unicodedata.normalize("NFKC", part) for part in text.split(_KEEP))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return _INVISIBLE.sub("", text)


def scrub_note(text: str) -> str:
    """The note without e-mail addresses, messenger handles, phones and plates."""
    text = normalise_note(text)
    text = _EMAIL.sub(EMAIL, text)
    text = _CONTACT.sub(CONTACT, text)
    text = _without_plates(text)
    text = _PHONE.sub(_phone, text)
    return text.strip()
