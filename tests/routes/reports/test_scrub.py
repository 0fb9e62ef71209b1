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
