"""The intake's move from the calls app to the inbox app keeps every stored e-mail."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from handlespor.inbox.models import InboundAttachment, InboundMessage

BEFORE = [("calls", "0007_application_anonymised_at_and_more"), ("inbox", None)]
OLD_TASK = "handlespor.calls.tasks.fetch_inbox"
RAW = "Subject: Trivsel\r\n\r\nJeg vil gerne være med.".encode()


def _migrate(targets: list[tuple[str, str | None]]):
    """Migrate to the targets; the models as the database now has them."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader  # reads what is applied now
    return loader.project_state(list(loader.applied_migrations)).apps


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old(transactional_db):
    """The models as they were with the intake inside calls; the database is brought back to
    its latest state afterwards, also when the test fails."""
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate(_latest())


def test_inbox_migration_keeps_messages_attachments_links_and_queued_rounds(old):
    # Arrange: the database as it was with the intake inside calls, holding intake rows
    now = timezone.now()
    call = old.get_model("calls", "Call").objects.create(
        year=2031,
        title="Open call 2031",
        opens_at=now,
        deadline=now,
        required_reporting_year=2030,
    )
    track = old.get_model("calls", "Track").objects.create(call=call, name="Trivsel", slug="t")
    application = old.get_model("calls", "Application").objects.create(
        call=call, name="Anne Jensen", email="anne@example.org", first_choice=track
    )
    message = old.get_model("calls", "InboundMessage").objects.create(
        dedupe_key="mid:1@example.org",
        message_id="1@example.org",
        content_hash="a" * 64,
        raw=RAW,
        source="upload",
        subject="Trivsel",
        status="application",
        application=application,
        call=call,
    )
    old.get_model("calls", "InboundAttachment").objects.create(
        message=message, filename="cv.txt", content_type="text/plain", size=3, status="text"
    )
    old_content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="calls", model="inboundmessage"
    )[0]
    old.get_model("contenttypes", "ContentType").objects.filter(
        app_label="inbox", model="inboundmessage"
    ).delete()
    old.get_model("django_tasks_database", "DBTaskResult").objects.create(
        task_path=OLD_TASK,
        status="READY",
        args_kwargs={"args": [], "kwargs": {"every": 60}},
        priority=0,
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
    )

    # Act
    _migrate(_latest())

    # Assert
    moved = InboundMessage.objects.get()
    assert (moved.pk, moved.subject, bytes(moved.raw)) == (
        message.pk,
        "Trivsel",
        RAW,
    )
    assert (moved.application_id, moved.call_id) == (application.pk, call.pk)
    assert list(InboundAttachment.objects.values_list("message_id", "filename")) == [
        (message.pk, "cv.txt")
    ]
    assert InboundMessage._meta.db_table == "inbox_inboundmessage"
    assert "calls_inboundmessage" not in connection.introspection.table_names()
    content_type = ContentType.objects.get(pk=old_content_type.pk)
    assert (content_type.app_label, content_type.model) == ("inbox", "inboundmessage")
    from django_tasks_db.models import DBTaskResult

    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "handlespor.inbox.tasks.fetch_inbox"
    ]
