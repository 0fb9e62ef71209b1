"""Russian names in Latin letters, for the English name and the slug of a
crossing first met on the official list (staff may correct the name later).

A plain letter-for-letter table close to BGN/PCGN, without its diacritics:
"Верхний Ларс" → "Verkhniy Lars", "Тёткино" → "Tyotkino".
"""

from __future__ import annotations

from django.utils.text import slugify

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def transliterate(text: str) -> str:
    """`text` with every Russian letter in Latin ones, capitals kept."""
    out = []
    for char in text:
        latin = _LETTERS.get(char.lower())
        if latin is None:
            out.append(char)
        elif char.isupper():
            out.append(latin[:1].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def slug_for(name_ru: str) -> str:
    """A slug from a Russian name ("Верхний Ларс" → "verkhniy-lars")."""
    return slugify(transliterate(name_ru))
