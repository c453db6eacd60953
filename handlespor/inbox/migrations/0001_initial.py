"""The e-mail intake's models, taken over from the calls app with their tables and data: the state
is created here, the database is left as it is. The content types (and so the permissions and
the admin's history) move with them."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


MOVED = ["inboundmessage", "inboundattachment"]


def move_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="calls", model__in=MOVED).update(app_label="inbox")


def move_content_types_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="inbox", model__in=MOVED).update(app_label="calls")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("calls", "0008_inbound_moved_to_inbox"),
        ("partners", "0003_person_contact"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="InboundMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "dedupe_key",
                            models.CharField(editable=False, max_length=68, unique=True),
                        ),
                        (
                            "message_id",
                            models.CharField(blank=True, max_length=998, verbose_name="Message-ID"),
                        ),
                        (
                            "content_hash",
                            models.CharField(db_index=True, editable=False, max_length=64),
                        ),
                        ("raw", models.BinaryField(verbose_name="rå e-mail")),
                        (
                            "size",
                            models.PositiveIntegerField(
                                default=0, verbose_name="størrelse (bytes)"
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[("imap", "indbakke (IMAP)"), ("upload", "uploadet fil")],
                                max_length=10,
                                verbose_name="kilde",
                            ),
                        ),
                        (
                            "source_detail",
                            models.CharField(blank=True, max_length=300, verbose_name="fra"),
                        ),
                        (
                            "received_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="modtaget"
                            ),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="afsendt"),
                        ),
                        (
                            "sender_email",
                            models.CharField(blank=True, max_length=254, verbose_name="afsender"),
                        ),
                        (
                            "sender_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="afsenders navn"
                            ),
                        ),
                        (
                            "subject",
                            models.CharField(blank=True, max_length=500, verbose_name="emne"),
                        ),
                        ("in_reply_to", models.CharField(blank=True, max_length=998)),
                        ("references", models.TextField(blank=True)),
                        ("body_text", models.TextField(blank=True, verbose_name="tekst")),
                        (
                            "track_slugs",
                            models.JSONField(
                                blank=True, default=list, verbose_name="genkendte handlespor"
                            ),
                        ),
                        (
                            "tracks_ranked",
                            models.BooleanField(
                                default=False, verbose_name="rækkefølge angivet i teksten"
                            ),
                        ),
                        (
                            "sender_match",
                            models.CharField(
                                choices=[
                                    ("person", "kendt person"),
                                    ("domain", "organisationens domæne"),
                                    ("none", "ikke genkendt"),
                                    ("staff", "valgt af sekretariatet"),
                                ],
                                default="none",
                                max_length=10,
                                verbose_name="afsender genkendt som",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("new", "ikke behandlet"),
                                    ("application", "blev til ansøgning"),
                                    ("attached", "knyttet til ansøgning"),
                                    ("unsorted", "usorteret"),
                                    ("dismissed", "lagt til side"),
                                ],
                                default="new",
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("auto_reply", "autosvar"),
                                    ("bounce", "returmail"),
                                    ("no_track", "nævner intet handlespor"),
                                    ("reply_unmatched", "svar i en tråd uden kendt ansøgning"),
                                    ("no_sender", "afsenderen kan ikke læses"),
                                    ("own_domain", "fra sekretariatet selv"),
                                    ("no_open_call", "modtaget uden for ansøgningsperioden"),
                                    ("failed", "kunne ikke behandles"),
                                ],
                                max_length=20,
                                verbose_name="hvorfor usorteret",
                            ),
                        ),
                        ("notes", models.JSONField(blank=True, default=list, verbose_name="noter")),
                        ("reply_message_id", models.CharField(blank=True, max_length=998)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        (
                            "processed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="behandlet"),
                        ),
                        (
                            "application",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="inbound_messages",
                                to="calls.application",
                                verbose_name="ansøgning",
                            ),
                        ),
                        (
                            "call",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="inbound_messages",
                                to="calls.call",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="inbound_messages",
                                to="partners.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "indkommen e-mail",
                        "verbose_name_plural": "indkomne e-mails",
                        "db_table": "calls_inboundmessage",
                        "ordering": ["-received_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="InboundAttachment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("filename", models.CharField(max_length=255, verbose_name="filnavn")),
                        ("content_type", models.CharField(max_length=100, verbose_name="type")),
                        ("size", models.PositiveIntegerField(verbose_name="størrelse (bytes)")),
                        (
                            "content",
                            models.BinaryField(blank=True, null=True, verbose_name="indhold"),
                        ),
                        ("text", models.TextField(blank=True, verbose_name="udtrukket tekst")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("text", "tekst udtrukket"),
                                    ("kept", "gemt, ingen tekst"),
                                    ("too_large", "for stor"),
                                    ("unreadable", "kunne ikke læses"),
                                ],
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                        (
                            "message",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="inbox.inboundmessage",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "vedhæftet fil",
                        "verbose_name_plural": "vedhæftede filer",
                        "db_table": "calls_inboundattachment",
                        "ordering": ["message", "id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="inboundmessage",
                    index=models.Index(
                        fields=["status", "received_at"], name="calls_inbou_status_4c46b9_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="inboundmessage",
                    index=models.Index(
                        fields=["processed_at"], name="calls_inbou_process_6eeb0a_idx"
                    ),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
