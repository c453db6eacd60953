"""Erasure, anonymisation and retention."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from handlespor.calls.models import Application, ApplicationEvent
from handlespor.inbox.models import InboundMessage
from handlespor.mail.models import OutboxMessage
from handlespor.partners.models import Person
from handlespor.privacy import domain
from handlespor.privacy.models import RetentionRun
from handlespor.privacy.tasks import retention
from handlespor.selection.models import Activity, Decision, Proposal, Review
from tests.factories import ApplicationFactory, PersonFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _applied(call, name="Anne Jensen", email="anne@example.org", contact=False):
    person = PersonFactory(name=name, email=email, contact=contact)
    application = ApplicationFactory(
        call=call, person=person, first_choice=call.tracks.get(slug="trivsel"), gender="Kvinde"
    )
    ApplicationEvent.objects.create(application=application, kind="submitted", by_applicant=True)
    OutboxMessage.objects.create(to=email, subject="Kvittering", body=f"Kære {name}")
    return application


def _released(call, application, months_ago):
    proposal = Proposal.objects.create(
        call=call,
        status=Proposal.Status.DONE,
        result={
            "tracks": [{"members": [{"applicant": str(application.pk), "name": application.name}]}],
            "not_selected": [{"name": "Bo", "reason": f"at tage {application.name} med …"}],
        },
    )
    Decision.objects.create(
        application=application,
        proposal=proposal,
        outcome=Decision.Outcome.SELECTED,
        track=application.first_choice,
        released_at=timezone.now() - timedelta(days=31 * months_ago),
    )
    Activity.objects.create(call=call, text=f"Låste {application.name} i Trivsel")
    return proposal


def test_erasure_before_the_deadline_deletes_everything_at_once(call):
    application = _applied(call)

    erased = domain.erasure_request(application=application)

    assert erased is True
    assert Application.objects.count() == 0
    assert Person.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_erasure_keeps_a_person_of_the_partner_register(call):
    application = _applied(call, contact=True)

    domain.erasure_request(application=application)

    assert Person.objects.get().email == "anne@example.org"


def test_erasure_after_the_deadline_waits_and_the_secretariat_anonymises(call):
    application = _applied(call)
    call.deadline = timezone.now() - timedelta(days=1)
    call.save()

    erased = domain.erasure_request(application=application)
    application.refresh_from_db()
    assert erased is False
    assert application.erasure_requested_at is not None

    domain.erasure_confirm(application=application, actor=StaffFactory())

    application.refresh_from_db()
    assert application.name == domain.ANONYMOUS
    assert (application.email, application.motivation, application.person) == ("", "", None)
    assert application.gender == "Kvinde"
    assert application.first_choice.slug == "trivsel"
    assert list(application.events.values_list("kind", flat=True)) == ["anonymised"]
    assert Person.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_retention_dry_run_changes_nothing_and_is_logged(call):
    application = _applied(call)
    _released(call, application, months_ago=25)

    run = domain.retention_run(apply=False)

    assert run.counts["applications"] == 1
    assert run.applied is False
    assert Application.objects.get().name == "Anne Jensen"


def test_retention_anonymises_after_the_months_and_keeps_the_statistics(call):
    old = _applied(call)
    proposal = _released(call, old, months_ago=25)
    Review.objects.create(
        application=old, track=old.first_choice, reviewer=StaffFactory(), score=4, comment="Anne!"
    )

    run = domain.retention_run(apply=True)

    old.refresh_from_db()
    proposal.refresh_from_db()
    assert run.counts["applications"] == 1
    assert old.anonymised_at is not None
    assert old.decision.outcome == Decision.Outcome.SELECTED
    assert Review.objects.get().score == 4
    assert Review.objects.get().comment == ""
    assert "Anne Jensen" not in str(proposal.result)
    assert proposal.result["tracks"][0]["members"][0]["name"] == domain.ANONYMOUS
    assert Activity.objects.get().text == f"Låste {domain.ANONYMOUS} i Trivsel"
    assert RetentionRun.objects.get().applied is True


def test_retention_leaves_a_call_decided_more_recently(call):
    application = _applied(call)
    _released(call, application, months_ago=23)

    assert domain.retention_run(apply=True).counts["applications"] == 0
    assert Application.objects.get().anonymised_at is None


def test_retention_follows_a_call_of_its_own(call):
    application = _applied(call)
    _released(call, application, months_ago=7)
    call.retention_months = 6
    call.save()

    assert domain.retention_run(apply=True).counts["applications"] == 1


def test_retention_deletes_raw_and_sent_emails_after_their_months(call):
    old = InboundMessage.objects.create(
        dedupe_key="sha:old",
        content_hash="old",
        raw=b"From: a@b.dk",
        source="upload",
        received_at=timezone.now() - timedelta(days=370),
    )
    InboundMessage.objects.create(
        dedupe_key="sha:new", content_hash="new", raw=b"From: c@d.dk", source="upload"
    )
    OutboxMessage.objects.create(
        to="x@y.dk", subject="s", body="b", sent_at=timezone.now() - timedelta(days=370)
    )

    counts = domain.retention_run(apply=True).counts

    assert (counts["raw_emails"], counts["sent_emails"]) == (1, 1)
    assert list(InboundMessage.objects.values_list("dedupe_key", flat=True)) == ["sha:new"]
    assert not InboundMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.count() == 0


def test_retention_command_is_a_dry_run_unless_told(call):
    application = _applied(call)
    _released(call, application, months_ago=30)
    out = StringIO()

    call_command("retention", stdout=out)
    assert Application.objects.get().anonymised_at is None
    assert "Dry run" in out.getvalue()

    call_command("retention", "--apply", stdout=out)
    assert Application.objects.get().anonymised_at is not None


@pytest.mark.django_db(transaction=True)
def test_retention_schedule_queues_one_daily_run(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = StringIO()

    call_command("retention", "--schedule", stdout=out)
    call_command("retention", "--schedule", stdout=out)

    assert DBTaskResult.objects.count() == 1
    assert "A daily run is queued already." in out.getvalue()


def test_retention_task_applies_it(call):
    application = _applied(call)
    _released(call, application, months_ago=30)

    counts = retention.call(every=0)

    assert counts["applications"] == 1


def test_every_email_links_to_the_privacy_notice(client, call):
    _applied(call)
    from handlespor.mail.domain import outbox_enqueue

    outbox_enqueue(to="a@b.dk", subject="s", body="Hej", send_now=False)

    body = OutboxMessage.objects.get(to="a@b.dk").body
    assert body.endswith("/privatliv/\n")
    path = body.rsplit("http://127.0.0.1:8000", 1)[1].strip()
    assert path == reverse("privacy:notice")
    assert mail.outbox == []
