"""The whole intake against a real IMAP server (dovecot) on loopback."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models.signals import post_save
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from handlespor.calls.models import Application
from handlespor.inbox import domain as intake
from handlespor.inbox.imap import ImapConfig, InboxError
from handlespor.inbox.models import InboundMessage
from handlespor.inbox.tasks import fetch_inbox
from handlespor.mail.models import OutboxMessage
from tests.dovecot import Dovecot
from tests.inbox.test_domain import EXPECTED, Crash, fault_before_marking

CORPUS = sorted((Path(__file__).parent / "mail_corpus").glob("*.eml"))
STORED = len(CORPUS) - 1  # one is a second delivery of another
OUTCOMES = [e.outcome for e in EXPECTED.values()]
APPLICATIONS, ATTACHED, UNSORTED = (
    OUTCOMES.count(o) for o in ("application", "attached", "unsorted")
)
EVERY_OUTCOME = {"application": APPLICATIONS, "attached": ATTACHED, "unsorted": UNSORTED}


@pytest.fixture
def dovecot():
    server = Dovecot()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def mailbox(dovecot):
    for path in CORPUS:
        dovecot.append(path.read_bytes())
    return ImapConfig(
        host="127.0.0.1",
        port=dovecot.port,
        user=dovecot.user,
        password=dovecot.password,
        folder="INBOX",
        ssl=False,
    )


def _outcomes() -> dict[str, int]:
    statuses = InboundMessage.objects.values_list("status", flat=True)
    return {status: list(statuses).count(status) for status in sorted(set(statuses))}


@pytest.mark.django_db(transaction=True)
def test_fetch_takes_in_the_mailbox_and_a_second_run_adds_nothing(mailbox, dovecot, partners):
    first = intake.inbox_fetch(config=mailbox)

    assert (first.stored, first.duplicates, first.failed) == (STORED, 1, 0)
    assert _outcomes() == EVERY_OUTCOME
    assert OutboxMessage.objects.count() == APPLICATIONS
    assert set(dovecot.keywords().values()) == {True}

    second = intake.inbox_fetch(config=mailbox)

    assert (second.stored, second.duplicates, sum(second.outcomes.values())) == (0, 0, 0)
    assert InboundMessage.objects.count() == STORED
    assert Application.objects.filter(channel="email").count() == APPLICATIONS
    assert OutboxMessage.objects.count() == APPLICATIONS


@pytest.mark.django_db(transaction=True)
def test_fetch_crash_after_n_messages_then_rerun_processes_each_exactly_once(mailbox, partners):
    processed = []

    def crash_after_seven(message: InboundMessage) -> None:
        if len(processed) == 7:
            raise Crash
        processed.append(message.pk)

    with pytest.raises(Crash), fault_before_marking(crash_after_seven):
        intake.inbox_fetch(config=mailbox)
    assert InboundMessage.objects.count() == STORED
    assert InboundMessage.objects.filter(processed_at__isnull=False).count() == 7

    rerun = intake.inbox_fetch(config=mailbox)

    assert (rerun.stored, sum(rerun.outcomes.values())) == (0, STORED - 7)
    assert InboundMessage.objects.filter(processed_at__isnull=True).count() == 0
    assert _outcomes() == EVERY_OUTCOME
    emails = list(Application.objects.filter(channel="email").values_list("email", flat=True))
    assert sorted(emails) == sorted(set(emails))
    assert OutboxMessage.objects.count() == APPLICATIONS


@pytest.mark.django_db(transaction=True)
def test_fetch_server_gone_midway_keeps_what_was_stored_and_rerun_completes(
    mailbox, dovecot, partners
):
    stored = []

    def stop_server_after_five(sender, instance: InboundMessage, created: bool, **kwargs) -> None:
        if created:
            stored.append(instance.pk)
            if len(stored) == 5:
                dovecot.stop()

    # The test's own seam: Django's post_save signal as each message is stored.
    post_save.connect(stop_server_after_five, sender=InboundMessage, dispatch_uid="stop-after-5")
    try:
        with pytest.raises(InboxError):
            intake.inbox_fetch(config=mailbox)
    finally:
        post_save.disconnect(sender=InboundMessage, dispatch_uid="stop-after-5")
    assert InboundMessage.objects.count() == 5
    assert InboundMessage.objects.filter(processed_at__isnull=False).count() == 0

    dovecot.start()
    rerun = intake.inbox_fetch(config=mailbox)

    assert rerun.stored == STORED - 5
    assert InboundMessage.objects.count() == STORED
    assert InboundMessage.objects.filter(processed_at__isnull=True).count() == 0
    assert _outcomes() == EVERY_OUTCOME
    assert OutboxMessage.objects.count() == APPLICATIONS


@pytest.mark.django_db(transaction=True)
def test_fetch_with_a_wrong_password_is_a_clear_error(mailbox, partners):
    wrong = ImapConfig(
        host=mailbox.host, port=mailbox.port, user=mailbox.user, password="forkert", ssl=False
    )

    with pytest.raises(InboxError, match="Indbakken kunne ikke åbnes"):
        intake.inbox_fetch(config=wrong)

    assert InboundMessage.objects.count() == 0


def _settings_for(config: ImapConfig) -> dict:
    return {
        "host": config.host,
        "port": config.port,
        "user": config.user,
        "password": config.password,
        "folder": config.folder,
        "ssl": False,
    }


@pytest.mark.django_db(transaction=True)
def test_fetchmail_command_takes_in_the_mailbox(mailbox, partners, settings):
    settings.IMAP = _settings_for(mailbox)
    out = StringIO()

    call_command("fetchmail", stdout=out)

    assert out.getvalue() == (
        f"{STORED} nye e-mails, 1 allerede modtaget; {APPLICATIONS} ansøgninger, "
        f"{ATTACHED} føjet til ansøgninger, {UNSORTED} usorterede\n"
    )


@pytest.mark.django_db(transaction=True)
def test_fetch_inbox_task_takes_in_the_mailbox(mailbox, partners, settings):
    settings.IMAP = _settings_for(mailbox)

    result = fetch_inbox.enqueue()

    assert result.return_value.startswith(f"{STORED} nye e-mails, 1 allerede modtaget;")
    assert InboundMessage.objects.count() == STORED


@pytest.mark.django_db
def test_fetchmail_command_without_imap_host_says_what_is_missing(settings):
    settings.IMAP = {**settings.IMAP, "host": ""}

    with pytest.raises(CommandError, match="IMAP_HOST is not set"):
        call_command("fetchmail")


@pytest.mark.django_db
def test_fetchmail_command_reads_eml_files(partners):
    out = StringIO()

    call_command("fetchmail", "--file", str(CORPUS[0]), str(CORPUS[16]), stdout=out)

    assert out.getvalue().splitlines() == [
        f"{CORPUS[0]}: 1 ny e-mail; 1 ansøgning",
        f"{CORPUS[16]}: 1 ny e-mail; 1 usorteret",
    ]


@pytest.fixture
def database_tasks(settings):
    """The task backend of production: a queue in the database, run by `db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_fetchmail_schedule_queues_one_periodic_round(settings, database_tasks):
    settings.IMAP = {**settings.IMAP, "host": "127.0.0.1"}
    out = StringIO()

    call_command("fetchmail", "--schedule", "300", stdout=out)
    call_command("fetchmail", "--schedule", "300", stdout=out)

    assert out.getvalue().splitlines() == [
        "The worker reads the mailbox every 300 s.",
        "A periodic round is queued already.",
    ]
    queued = DBTaskResult.objects.get()
    assert queued.task_path == fetch_inbox.module_path
    assert queued.args_kwargs["kwargs"] == {"every": 300}
    assert 295 <= (queued.run_after - timezone.now()).total_seconds() <= 300


@pytest.mark.django_db(transaction=True)
def test_fetch_inbox_round_reads_the_mailbox_and_queues_the_next(
    mailbox, partners, settings, database_tasks
):
    settings.IMAP = _settings_for(mailbox)

    summary = fetch_inbox.call(every=60)

    assert summary.startswith(f"{STORED} nye e-mails, 1 allerede modtaget;")
    queued = DBTaskResult.objects.get(task_path=fetch_inbox.module_path)
    assert queued.args_kwargs["kwargs"] == {"every": 60}


@pytest.mark.django_db(transaction=True)
def test_fetch_inbox_round_with_the_server_down_still_queues_the_next(
    mailbox, dovecot, settings, database_tasks
):
    settings.IMAP = _settings_for(mailbox)
    dovecot.stop()

    summary = fetch_inbox.call(every=60)

    assert summary.startswith("Indbakken er ikke læst: Indbakken kunne ikke åbnes:")
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_fetchmail_schedule_without_a_deferring_backend_says_so(settings):
    settings.IMAP = {**settings.IMAP, "host": "127.0.0.1"}

    with pytest.raises(CommandError, match=r"Opgavekøen kan ikke køre opgaver senere\."):
        call_command("fetchmail", "--schedule", "300")
