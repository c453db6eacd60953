"""The inbox's tables and indexes take the inbox's names; a mailbox round already queued under the
task's old path is queued under its new one, so the periodic reading goes on."""

from django.db import migrations


OLD_TASK = "handlespor.calls.tasks.fetch_inbox"
NEW_TASK = "handlespor.inbox.tasks.fetch_inbox"


def requeue_under(old: str, new: str):
    def requeue(apps, schema_editor):
        results = apps.get_model("django_tasks_database", "DBTaskResult")
        results.objects.filter(task_path=old, status="READY").update(task_path=new)

    return requeue


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RenameIndex(
            model_name="inboundmessage",
            new_name="inbox_inbou_status_04484a_idx",
            old_name="calls_inbou_status_4c46b9_idx",
        ),
        migrations.RenameIndex(
            model_name="inboundmessage",
            new_name="inbox_inbou_process_f3ee1e_idx",
            old_name="calls_inbou_process_6eeb0a_idx",
        ),
        migrations.AlterModelTable(
            name="inboundattachment",
            table=None,
        ),
        migrations.AlterModelTable(
            name="inboundmessage",
            table=None,
        ),
        migrations.RunPython(requeue_under(OLD_TASK, NEW_TASK), requeue_under(NEW_TASK, OLD_TASK)),
    ]
