"""Entry rules: a visa table as the floor, curated rules over it, any date."""

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction

from routes.entry.models import EntryRule
from routes.entry.seeding import EntryLoadError, entry_rules_load
from routes.entry.selectors import entry_rule_at, entry_rules_at
from routes.entry.services import RuleTerms, entry_rule_record, entry_table_record
from routes.entry.sources.passport_index import VisaTableError, parse
from routes.seeding import SEED_DIR

pytestmark = pytest.mark.django_db
MONTHLY = SEED_DIR / "entry" / "ru-passport-monthly-2022-08-to-2025-01.csv"
SOURCE = "https://example.org/rule"


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+00:00")


def test_the_monthly_table_parses_without_own_country_rows():
    rows = parse(MONTHLY.read_bytes())
    assert {r.passport for r in rows} == {"RU"}
    assert "RU" not in {r.destination for r in rows}
    serbia = [r for r in rows if r.destination == "RS"]
    assert serbia[0].snapshot == date(2022, 8, 3)
    assert (serbia[0].visa, serbia[0].free_days) == ("free", 90)
    assert (serbia[-1].visa, serbia[-1].free_days) == ("free", 30)


@pytest.mark.parametrize(
    "body, message",
    [
        (b"a,b,c\n", "unexpected columns"),
        (b"snapshot,passport,destination,requirement\n2022-01-01,RU,RS,maybe\n",
         "unknown requirement"),
        (b"snapshot,passport,destination,requirement\nyesterday,RU,RS,30\n",
         "bad date"),
        (b"Passport,Destination,Requirement\nRU,RS,30\n", "needs its date"),
    ],
)  # fmt: skip
def test_anything_else_is_refused_with_a_reason(body, message):
    with pytest.raises(VisaTableError, match=message):
        parse(body)


def test_a_table_records_only_its_changes_and_once():
    rows = parse(MONTHLY.read_bytes())
    first = entry_table_record(rows)
    serbia = EntryRule.objects.filter(destination="RS").order_by("valid_from")
    assert [(r.free_days, r.valid_from.date()) for r in serbia] == [
        (90, date(2022, 8, 3)),
        (30, serbia[1].valid_from.date()),
    ]
    assert first.recorded == EntryRule.objects.count() < len(rows) / 10
    again = entry_table_record(rows)
    assert again.recorded == 0
    # An older table after a newer one adds nothing the timeline already says.
    august = [r for r in rows if r.snapshot == date(2022, 8, 3)]
    assert entry_table_record(august).recorded == 0


def test_serbia_on_a_date():
    entry_table_record(parse(MONTHLY.read_bytes()))
    assert entry_rule_at("RS", at("2022-09-25")).terms.free_days == 90
    assert entry_rule_at("RS", at("2024-06-01")).terms.free_days == 30
    assert entry_rule_at("RS", at("2022-01-01")) is None  # nothing known yet


def test_curated_rules_speak_where_the_table_is_silent_and_yield_to_later_changes():
    entry_table_record(parse(MONTHLY.read_bytes()))
    entry_rule_record(
        destination="KZ",
        valid_from=datetime(2023, 1, 27, tzinfo=UTC),
        terms=RuleTerms(
            visa="free", free_days=90, period_days=180, internal_passport_ok=True
        ),
        source_kind="staff",
        source_url=SOURCE,
        note_en="90 days in 180, internal passport accepted",
    )
    entry_rule_record(
        destination="FI",
        valid_from=datetime(2022, 9, 30, tzinfo=UTC),
        terms=RuleTerms(visa="required", schengen_visa_holders_refused=True),
        source_kind="staff",
        source_url=SOURCE,
    )
    kazakhstan = entry_rule_at("KZ", at("2024-06-01"))
    assert kazakhstan.terms.internal_passport_ok is True
    assert (kazakhstan.terms.free_days, kazakhstan.terms.period_days) == (90, 180)
    assert {b.source_kind for b in kazakhstan.basis} == {"staff", "baseline"}
    before = entry_rule_at("KZ", at("2022-09-25"))
    assert before.terms.internal_passport_ok is None  # the table cannot say
    assert (
        entry_rule_at("FI", at("2022-09-25")).terms.schengen_visa_holders_refused
        is None
    )
    assert entry_rule_at("FI", at("2022-10-01")).terms.schengen_visa_holders_refused
    # A curated rule older than a table change: the change is newer news.
    entry_rule_record(
        destination="RS",
        valid_from=datetime(2022, 9, 1, tzinfo=UTC),
        terms=RuleTerms(visa="free", free_days=90, registration_days=1),
        source_kind="staff",
        source_url=SOURCE,
    )
    serbia = entry_rule_at("RS", at("2024-06-01")).terms
    assert (serbia.free_days, serbia.registration_days) == (30, 1)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"destination": "QQ"}, "destination"),
        ({"terms": RuleTerms(visa="maybe")}, "visa"),
        ({"terms": RuleTerms(visa="required", free_days=30)}, "free_days"),
        (
            {"terms": RuleTerms(visa="free", free_days=90, period_days=30)},
            "period_days",
        ),
        ({"terms": RuleTerms(visa="free", free_days=40000)}, "free_days"),
        ({"source_url": ""}, "source_url"),
        ({"valid_from": datetime(3000, 1, 1, tzinfo=UTC)}, "valid_from"),
        ({"valid_from": datetime(2023, 1, 1)}, "valid_from"),
    ],
)
def test_a_bad_rule_is_refused_by_field_and_nothing_written(changes, field):
    values = {
        "destination": "GE",
        "valid_from": datetime(2023, 1, 1, tzinfo=UTC),
        "terms": RuleTerms(visa="free", free_days=365),
        "source_kind": "staff",
        "source_url": SOURCE,
        **changes,
    }
    with pytest.raises(ValidationError) as exc:
        entry_rule_record(**values)
    assert field in exc.value.message_dict
    assert not EntryRule.objects.exists()


def test_rules_are_append_only_and_recorded_once():
    values = dict(
        destination="GE",
        valid_from=datetime(2023, 1, 1, tzinfo=UTC),
        terms=RuleTerms(visa="free", free_days=365),
        source_kind="staff",
        source_url=SOURCE,
    )
    rule, created = entry_rule_record(**values)
    again, created_again = entry_rule_record(**values)
    assert created and not created_again and again.pk == rule.pk
    with pytest.raises(DatabaseError), transaction.atomic():
        EntryRule.objects.filter(pk=rule.pk).update(free_days=30)


def test_the_command_loads_the_shipped_rules_and_refuses_a_bad_file(tmp_path):
    out = StringIO()
    call_command("load_entry_rules", "--from", str(MONTHLY.parent), stdout=out)
    assert "recorded" in out.getvalue()
    assert entry_rules_at(at("2024-06-01"))["RS"].terms.free_days == 30
    count = EntryRule.objects.count()

    bad = tmp_path / "rules.json"
    bad.write_text(json.dumps([{"destination": "GE", "valid_from": "2023-01-01"}]))
    with pytest.raises(CommandError) as exc:
        call_command("load_entry_rules", "--from", str(bad), stdout=StringIO())
    assert "\n" not in str(exc.value) and "rules.json" in str(exc.value)
    assert EntryRule.objects.count() == count
    with pytest.raises(EntryLoadError, match="no such file"):
        entry_rules_load(tmp_path / "missing")


def test_a_curated_rule_older_than_the_table_beats_the_tables_first_row():
    # The table is first read in August 2022; a rule sourced from 2009 says
    # Serbia always allowed 30 days. The table's first row is no change.
    entry_table_record(parse(MONTHLY.read_bytes()))
    entry_rule_record(
        destination="RS",
        valid_from=datetime(2009, 6, 10, tzinfo=UTC),
        terms=RuleTerms(visa="free", free_days=30),
        source_kind="staff",
        source_url=SOURCE,
    )
    assert entry_rule_at("RS", at("2022-09-25")).terms.free_days == 30


def test_the_api_lists_rules_at_a_moment_with_their_basis(client):
    call_command("load_entry_rules", "--from", str(MONTHLY.parent), stdout=StringIO())
    response = client.get(
        "/api/v1/entry-rules/", {"destination": "KZ,FI", "at": "2026-06-01"}
    )
    assert response.status_code == 200
    rules = {r["destination"]: r for r in response.json()}
    assert set(rules) == {"KZ", "FI"}
    assert rules["KZ"]["internal_passport_ok"] is True
    assert rules["FI"]["schengen_visa_holders_refused"] is True
    assert all(b["source_url"].startswith("http") for b in rules["KZ"]["basis"])
    assert client.get("/api/v1/entry-rules/", {"at": "tomorrow"}).status_code == 400
    assert client.get("/api/v1/entry-rules/", {"country": "KZ"}).status_code == 400


def test_staff_add_a_rule_in_the_admin_through_the_write_path(client, superuser):
    client.force_login(superuser)
    url = "/admin/entry/entryrule/add/"
    data = {
        "destination": "ge",
        "valid_from_0": "2026-01-01",
        "valid_from_1": "00:00:00",
        "visa": "free",
        "free_days": "365",
        "source_kind": "staff",
        "source_url": SOURCE,
        "note_en": "A year without a visa",
    }
    refused = client.post(url, {**data, "visa": "required"})
    assert refused.status_code == 200  # the form again, with the message
    assert "free_days" in refused.context["adminform"].form.errors
    assert not EntryRule.objects.exists()
    saved = client.post(url, data)
    assert saved.status_code == 302
    rule = EntryRule.objects.get()
    assert (rule.destination, rule.free_days, rule.actor_label) == ("GE", 365, "boss")
    change = client.get(f"/admin/entry/entryrule/{rule.pk}/change/")
    assert b'name="free_days"' not in change.content  # never edited
