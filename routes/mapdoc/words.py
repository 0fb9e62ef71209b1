"""Words from the map document for a page in one language: /lite/, the lean
document and the text crossing page share these (and import nothing of the
map's, so the document's builder can use them too)."""

from __future__ import annotations

from typing import Any


def word(item: dict[str, Any], field: str, lang: str) -> str:
    """A map document item's `field` in `lang`, English when that one is empty."""
    if lang == "ru" and item.get(f"{field}_ru"):
        return item[f"{field}_ru"]
    return item.get(f"{field}_en") or ""


def choice_label(choices: type, value: str) -> str:
    """`value`'s label among `choices`; the value itself when it is not one."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
