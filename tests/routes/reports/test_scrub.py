"""Notes lose contact details and plates before they are stored; the rest stays."""

import pytest

from routes.reports.scrub import scrub_note


@pytest.mark.parametrize(
    ("note", "scrubbed"),
    [
        ("call +7 (912) 345-67-89", "call [phone]"),
        ("тел 89123456789", "тел [phone]"),
        ("звоните 8 912 345 67 89!", "звоните [phone]!"),
        ("Georgian number +995 555 12 34 56", "Georgian number [phone]"),
        ("pavel.k@mail.ru wrote", "[e-mail] wrote"),
        ("pavel (at) example.org", "[e-mail]"),
        ("write @pavel_k or t.me/pavel_k", "write [contact] or [contact]"),
        ("car А123ВС 77 in lane 2", "car [plate] in lane 2"),
        ("car a123bc777", "car [plate]"),
        ("машина а 123 вс 777 rus", "машина [plate]"),
        ("taxi АВ123 77, moto 1234 АВ 77", "taxi [plate], moto [plate]"),
        ("trailer АВ1234 77", "trailer [plate]"),
        ("Georgia GE-123-AB", "Georgia [plate]"),
        ("Kazakhstan 123 ABC 02", "Kazakhstan [plate]"),
        ("Finland ABC-123", "Finland [plate]"),
        ("Latvia AB-1234", "Latvia [plate]"),
        ("Lithuania ABC 123", "Lithuania [plate]"),
        ("Ukraine AA 1234 BB", "Ukraine [plate]"),
        ("Belarus 1234 AB-7", "Belarus [plate]"),
        ("Armenia 12 AB 123", "Armenia [plate]"),
        ("Poland WA 12345", "Poland [plate]"),
    ],
)
def test_contacts_and_plates_are_removed(note, scrubbed):
    assert scrub_note(note) == scrubbed


@pytest.mark.parametrize(
    "note",
    [
        "Стоим 6 часов, очередь 300 машин, пропускают по 5 машин в час",
        "queue 3000-4000 cars, 350 cars, moving 2 km/h since 14:30",
        "Paid 100 EUR and USD 500 insurance on 24.09.2022",
        "Take the A-161 then the E117, M4 is closed",
        "Waited 6 h, queue position 250, km 1234",
        "Прошли за 40 минут, на грузинской стороне быстро",
    ],
)
def test_ordinary_queue_talk_survives(note):
    assert scrub_note(note) == note


@pytest.mark.parametrize(
    ("note", "scrubbed"),
    [
        # Zero-width and other invisible format characters split a contact so
        # that no pattern sees it whole; the note is read without them.
        ("call +7\u200b999\u200b123\u200b45\u200b67", "call [phone]"),
        ("тел 8\u200d912\u2060345\ufeff67\u00ad89", "тел [phone]"),
        ("pavel\u200b.k@mail\u200c.ru wrote", "[e-mail] wrote"),
        ("write @\u200bpavel_k or t\u200b.me/pavel_k", "write [contact] or [contact]"),
        ("car А\u200b123\u200bВС\u200b77 in lane 2", "car [plate] in lane 2"),
        ("Ukraine AA\u200b1234\u200bBB", "Ukraine [plate]"),
        # Compatibility forms look like digits and letters but are other
        # characters: full-width, circled, mathematical, a no-break space.
        ("call ＋７ ９１２ ３４５ ６７ ８９", "call [phone]"),
        (
            "call \U0001d7d5\U0001d7cf\U0001d7d0\U0001d7d1\U0001d7d2\U0001d7d3"
            "\U0001d7d4\U0001d7d5\U0001d7d6\U0001d7d7\U0001d7d8",
            "call [phone]",
        ),
        ("pavel＠mail．ru", "[e-mail]"),
        ("car А123ВС\u00a077", "car [plate]"),
        # Right-to-left overrides hide the order the characters are stored in.
        ("call \u202e+7 912 345 67 89\u202c now", "call [phone] now"),
    ],
)
def test_invisible_and_lookalike_characters_do_not_hide_contacts(note, scrubbed):
    assert scrub_note(note) == scrubbed


def test_the_stored_note_keeps_no_invisible_characters():
    assert scrub_note("slow\u200b on the\u2063 Georgian\u00a0side") == (
        "slow on the Georgian side"
    )


def test_normalising_keeps_the_numero_sign():
    assert scrub_note("Очередь № 2, ждём") == "Очередь № 2, ждём"
