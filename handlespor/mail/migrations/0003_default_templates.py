from django.db import migrations

from handlespor.mail.defaults import TEMPLATES


def create(apps, schema_editor):
    MessageTemplate = apps.get_model("mail", "MessageTemplate")
    for key, language, subject, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            key=key, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("mail", "0002_deliveryattempt_messagetemplate")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
