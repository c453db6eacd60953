import pytest
from django.core import mail

from handlespor.calls import domain
from handlespor.calls.forms import ApplicationForm
from handlespor.calls.models import Application, ApplicationEvent
from handlespor.mail.models import OutboxMessage
from handlespor.partners.models import Person
from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=False)


def _cleaned(call, data):
    form = ApplicationForm(data, call=call)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_application_submit_stores_application_person_and_receipt(
    call, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = domain.application_submit(call=call, data=_cleaned(call, form_data), language="da")

    application = Application.objects.get()
    assert result.created is True
    assert application.email == "anne.jensen@example.org"
    assert application.person == Person.objects.get(email="anne.jensen@example.org")
    assert application.region == "Midtjylland"
    assert application.eligibility == Application.Eligibility.ELIGIBLE
    assert application.music_fields == ["Rytmisk", "Jazz"]
    assert len(application.token_hash) == 64
    assert list(application.events.values_list("kind", flat=True)) == ["submitted"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anne.jensen@example.org"]
    assert mail.outbox[0].subject == "Kvittering: din ansøgning til Open call: handlespor 2027"
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT


def test_application_submit_twice_creates_no_duplicate_and_mails_the_same_link(
    call, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        domain.application_submit(call=call, data=_cleaned(call, form_data), language="da")
    first_hash = Application.objects.get().token_hash
    again = {**form_data, "email": "ANNE.jensen@example.org", "motivation": "Anden tekst"}

    with django_capture_on_commit_callbacks(execute=True):
        result = domain.application_submit(call=call, data=_cleaned(call, again), language="da")

    application = Application.objects.get()
    assert result.created is False
    assert application.motivation == "Vi vil gerne styrke trivslen."
    assert application.token_hash == first_hash
    assert len(mail.outbox) == 2
    assert (
        mail.outbox[0].body.split("/ansoegning/")[1].split("/")[0]
        == (mail.outbox[1].body.split("/ansoegning/")[1].split("/")[0])
    )
    assert "det virker som før" in mail.outbox[1].body
    assert list(application.events.values_list("kind", flat=True)) == [
        "submitted",
        "resubmitted",
    ]


def test_application_submit_of_the_same_form_again_stores_and_sends_nothing_more(
    call, form_data, django_capture_on_commit_callbacks
):
    data = _cleaned(call, {**form_data, "submission": "a" * 32})
    with django_capture_on_commit_callbacks(execute=True):
        domain.application_submit(call=call, data=data, language="da", submission="a" * 32)

    with django_capture_on_commit_callbacks(execute=True):
        result = domain.application_submit(call=call, data=data, language="da", submission="a" * 32)

    assert result.created is False
    assert Application.objects.count() == 1
    assert len(mail.outbox) == 1
    assert list(Application.objects.get().events.values_list("kind", flat=True)) == ["submitted"]


def test_application_submit_mails_the_owner_at_most_once_in_ten_minutes(
    call, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        domain.application_submit(call=call, data=_cleaned(call, form_data), language="da")

    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            domain.application_submit(call=call, data=_cleaned(call, form_data), language="da")

    assert len(mail.outbox) == 2
    assert Application.objects.get().events.filter(kind="resubmitted").count() == 3


def test_application_submit_after_deadline_stores_nothing(call, form_data):
    data = _cleaned(call, form_data)
    call.deadline = call.opens_at
    call.save()

    with pytest.raises(domain.CallClosedError):
        domain.application_submit(call=call, data=data, language="da")

    assert Application.objects.count() == 0
    assert Person.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("active", "reported", "reasons"),
    [
        (True, [2025], []),
        (False, [2025], ["Organisationen er ikke aktiv partner."]),
        (True, [2024], ["Organisationen har ikke indsendt rapporteringen for 2025."]),
        (
            False,
            [],
            [
                "Organisationen er ikke aktiv partner.",
                "Organisationen har ikke indsendt rapporteringen for 2025.",
            ],
        ),
    ],
)
def test_eligibility_assess_names_each_reason(active, reported, reasons):
    call = CallFactory(required_reporting_year=2025)
    organisation = OrganisationFactory(is_active=active, reported=reported)

    status, found = domain.eligibility_assess(call=call, organisation=organisation)

    assert found == reasons
    assert status == ("eligible" if not reasons else "needs_check")


def test_eligibility_assess_unregistered_organisation_needs_check():
    call = CallFactory()

    status, reasons = domain.eligibility_assess(
        call=call, organisation=None, organisation_name="Ukendt Forening"
    )

    assert status == Application.Eligibility.NEEDS_CHECK
    assert reasons == ["Organisationen “Ukendt Forening” er ikke i partnerregistret."]


def test_eligibility_assess_without_any_organisation_needs_check():
    call = CallFactory()

    status, reasons = domain.eligibility_assess(call=call, organisation=None)

    assert status == Application.Eligibility.NEEDS_CHECK
    assert reasons == ["Ansøgningen er ikke koblet til en organisation i partnerregistret."]


def test_application_update_logs_changed_fields_only(call, form_data):
    application = domain.application_submit(
        call=call, data=_cleaned(call, form_data), language="da"
    ).application
    edited = _cleaned(call, {**form_data, "motivation": "Ny motivation", "postcode": "9000"})

    changed = domain.application_update(application=application, data=edited)

    application.refresh_from_db()
    assert changed == ["motivation", "postcode", "region"]
    assert application.region == "Nordjylland"
    assert application.events.last().detail == {"fields": ["motivation", "postcode", "region"]}


def test_application_withdraw_and_reinstate(call):
    application = ApplicationFactory(call=call, first_choice=call.tracks.first())

    domain.application_withdraw(application=application)
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN
    assert application.withdrawn_at is not None

    domain.application_reinstate(application=application)
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    assert application.withdrawn_at is None


def test_application_withdraw_after_deadline_changes_nothing(call):
    application = ApplicationFactory(call=call, first_choice=call.tracks.first())
    call.deadline = call.opens_at
    call.save()

    with pytest.raises(domain.CallClosedError):
        domain.application_withdraw(application=application)

    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    assert ApplicationEvent.objects.count() == 0


def test_application_export_holds_all_fields_and_logs(call):
    application = ApplicationFactory(call=call, first_choice=call.tracks.first())

    data = domain.application_export(application=application)

    assert data["application"]["name"] == application.name
    assert data["application"]["first_choice"] == "Trivsel i musiklivet"
    assert data["person"]["email"] == application.email
    assert [event["kind"] for event in data["events"]] == ["exported"]
    assert ApplicationEvent.objects.get().kind == "exported"


def test_call_create_with_defaults_creates_tracks_and_targets():
    from tests.factories import at

    call = domain.call_create_with_defaults(
        year=2027,
        title="Open call",
        opens_at=at("2026-11-24 09:00:00"),
        deadline=at("2026-12-12 23:59:00"),
        tracks=[{"name": "Trivsel i musiklivet", "slug": "trivsel", "description": "x"}],
    )

    assert call.required_reporting_year == 2025
    assert [t.name for t in call.tracks.all()] == ["Trivsel i musiklivet"]
    assert call.targets.count() == len(domain.DEFAULT_TARGETS)
    assert [t.describe() for t in call.targets.filter(attribute="gender")] == [
        "Kvinde ≥ 40 %",
        "Mand ≥ 40 %",
    ]


def test_application_submit_keeps_the_registers_organisation_of_a_known_person(call, form_data):
    from tests.factories import PersonFactory

    known = PersonFactory(email="anne.jensen@example.org")
    data = {**form_data, "organisation": "", "organisation_name": "Ny Forening"}

    domain.application_submit(call=call, data=_cleaned(call, data), language="da")

    known.refresh_from_db()
    assert known.organisation is not None
    assert Application.objects.get().organisation_name == "Ny Forening"


def test_application_export_shows_the_name_and_title_last_given(call, form_data):
    application = domain.application_submit(
        call=call, data=_cleaned(call, {**form_data, "job_title": "Leder"}), language="da"
    ).application
    edited = _cleaned(call, {**form_data, "name": "Ny Navnesen", "job_title": "Direktør"})
    domain.application_update(application=application, data=edited)

    data = domain.application_export(application=application)

    assert data["person"]["title"] == "Direktør"
    assert data["person"]["name"] == "Ny Navnesen"
    assert data["application"]["job_title"] == "Direktør"
