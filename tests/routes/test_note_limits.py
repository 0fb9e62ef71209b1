"""Two kinds of note, one limit each, the same at every door: an update's note
(staff, partners, official statements) takes 2,000 characters, a traveller's
note 500, whether it comes through the service, the API or a form."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from routes.admin import BulkStatusForm, CrossingAdminForm
from routes.models import MAX_UPDATE_NOTE_LENGTH, CrossingUpdate
from routes.reports.forms import ReportForm
from routes.reports.models import MAX_REPORT_NOTE_LENGTH, TravellerReport
from routes.reports.services import report_validate
from routes.services import crossing_update_record
from tests.routes.reports.reporting import payload, post_report

pytestmark = pytest.mark.django_db


def test_the_limits_are_two_thousand_for_updates_and_five_hundred_for_travellers():
    assert (MAX_UPDATE_NOTE_LENGTH, MAX_REPORT_NOTE_LENGTH) == (2000, 500)


def test_an_update_note_at_the_limit_is_recorded_one_more_is_refused(crossing):
    crossing_update_record(
        crossing=crossing, source_kind="staff", note="x" * MAX_UPDATE_NOTE_LENGTH
    )
    with pytest.raises(ValidationError) as refused:
        crossing_update_record(
            crossing=crossing,
            source_kind="staff",
            note="x" * (MAX_UPDATE_NOTE_LENGTH + 1),
        )
    assert refused.value.message_dict["note"] == [
        "Note is longer than 2000 characters."
    ]
    assert CrossingUpdate.objects.count() == 1


def test_the_update_api_takes_the_same_update_note_limit(editor_api, crossing):
    url = "/api/v1/crossings/upper-lars/updates/"
    at_limit = {"status": "open", "note": "x" * MAX_UPDATE_NOTE_LENGTH}
    assert editor_api.post(url, at_limit, format="json").status_code == 201
    over = {"status": "open", "note": "x" * (MAX_UPDATE_NOTE_LENGTH + 1)}
    response = editor_api.post(url, over, format="json")
    assert response.status_code == 400
    assert "note" in response.json()


@pytest.mark.parametrize(
    "field",
    [
        CrossingAdminForm.base_fields["update_note"],
        BulkStatusForm.base_fields["note"],
    ],
)
def test_the_admin_forms_take_the_same_update_note_limit(field):
    assert field.clean("x" * MAX_UPDATE_NOTE_LENGTH)
    with pytest.raises(forms.ValidationError):
        field.clean("x" * (MAX_UPDATE_NOTE_LENGTH + 1))


def report_note_errors(note):
    return report_validate(
        direction="leaving",
        mode="car",
        status_seen="open",
        wait_minutes=60,
        queue_position=None,
        observed_at=timezone.now(),
        note=note,
        language="en",
    ).get("note")


def test_a_traveller_note_at_the_limit_is_taken_one_more_is_refused():
    assert report_note_errors("x" * MAX_REPORT_NOTE_LENGTH) is None
    assert report_note_errors("x" * (MAX_REPORT_NOTE_LENGTH + 1)) == [
        "The note is longer than 500 characters."
    ]


def test_the_report_api_and_form_take_the_same_traveller_note_limit(crossing, client):
    over = "x" * (MAX_REPORT_NOTE_LENGTH + 1)
    response = post_report(client, payload(note=over))
    assert response.status_code == 400
    assert "note" in response.json()
    assert TravellerReport.objects.count() == 0
    assert (
        post_report(client, payload(note="x" * MAX_REPORT_NOTE_LENGTH)).status_code
        == 201
    )

    field = ReportForm(language="en").fields["note"]
    assert field.widget.attrs["maxlength"] == str(MAX_REPORT_NOTE_LENGTH)
    with pytest.raises(forms.ValidationError):
        field.clean(over)
