"""The e-mail intake's models moved to the inbox app: removed from this app's state only. Their
tables stay as they are; the inbox's first migration takes them over and its second renames them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0007_application_anonymised_at_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="inboundattachment",
                    name="message",
                ),
                migrations.RemoveIndex(
                    model_name="inboundmessage",
                    name="calls_inbou_status_4c46b9_idx",
                ),
                migrations.RemoveIndex(
                    model_name="inboundmessage",
                    name="calls_inbou_process_6eeb0a_idx",
                ),
                migrations.DeleteModel(
                    name="InboundAttachment",
                ),
                migrations.DeleteModel(
                    name="InboundMessage",
                ),
            ],
        ),
    ]
