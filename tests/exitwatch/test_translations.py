"""The Russian catalogs are complete, keep every placeholder, and are compiled.

The compiled .mo files are committed (a fresh machine needs no gettext), so a test
checks that they say what the .po files say.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\{ ?\w+ ?\}\}")


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr list, flags."""
    entries, entry, key = [], {}, None

    def flush():
        if entry.get("msgid"):
            entries.append(dict(entry))
        entry.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            flush()
            entry["flags"] = line[2:].strip()
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgctxt", "msgid ")) and "msgstr" in entry:
            flush()
        if line.startswith('"') and key:
            entry[key] = entry[key] + ast.literal_eval(line)
            continue
        match = re.match(
            r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line
        )
        if match:
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
            if key.startswith("msgstr"):
                entry.setdefault("msgstr", "")
    flush()
    return entries


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_message_is_translated_and_keeps_its_placeholders(domain):
    entries = read_po(LOCALE / f"{domain}.po")
    assert len(entries) > 40
    for e in entries:
        assert "fuzzy" not in e.get("flags", ""), e["msgid"]
        forms = [v for k, v in e.items() if k.startswith("msgstr[")] or [e["msgstr"]]
        for text in forms:
            assert text.strip(), f"untranslated: {e['msgid']!r}"
            source = e.get("msgid_plural", e["msgid"])
            assert sorted(set(PLACEHOLDER.findall(text))) == sorted(
                set(PLACEHOLDER.findall(source))
            ), e["msgid"]


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_mo_file_matches_the_po_file(domain):
    with (LOCALE / f"{domain}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for e in read_po(LOCALE / f"{domain}.po"):
        if "msgid_plural" in e:
            got = compiled.ngettext(e["msgid"], e["msgid_plural"], 5)
            assert got == e["msgstr[2]"], e["msgid"]
        elif e.get("msgctxt"):
            assert compiled.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"], e["msgid"]
