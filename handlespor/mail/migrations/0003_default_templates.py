from django.db import migrations

# The decision e-mails as first shipped, frozen here: (key, language, subject, body).
TEMPLATES = [
    (
        "decision_selected",
        "da",
        "Du er udvalgt til {{ track }}",
        (
            "Kære {{ name }}\n\nTak for din ansøgning til {{ call }}. Vi er glade for at "
            "kunne fortælle, at du er udvalgt til handlesporet {{ track }}.\n\n{% if "
            "meeting_plan %}Mødeplan:\n{{ meeting_plan }}\n\n{% endif %}Har du spørgsmål, "
            "så skriv til {{ contact }}.\n\nVenlig hilsen\nSekretariatet for Musiklivets "
            "Partnerskab"
        ),
    ),
    (
        "decision_waiting",
        "da",
        "Du er på ventelisten til {{ track }}",
        (
            "Kære {{ name }}\n\nTak for din ansøgning til {{ call }}. Der var flere gode "
            "ansøgere end pladser, og du er på ventelisten til handlesporet {{ track }} som"
            " nummer {{ place }}. Bliver en plads ledig, kontakter vi dig.\n\nHar du "
            "spørgsmål, så skriv til {{ contact }}.\n\nVenlig hilsen\nSekretariatet for "
            "Musiklivets Partnerskab"
        ),
    ),
    (
        "decision_not_selected",
        "da",
        "Svar på din ansøgning til {{ call }}",
        (
            "Kære {{ name }}\n\nTak for din ansøgning til {{ call }}. Der var flere gode "
            "ansøgere end pladser, og vi har desværre ikke kunnet give dig en plads i år. "
            "Handlesporene er sammensat med bred repræsentation på tværs af musiklivet for "
            "øje.\n\nHar du spørgsmål, så skriv til {{ contact }}.\n\nVenlig "
            "hilsen\nSekretariatet for Musiklivets Partnerskab"
        ),
    ),
    (
        "decision_selected",
        "en",
        "You have been selected for {{ track }}",
        (
            "Dear {{ name }}\n\nThank you for your application to {{ call }}. We are "
            "pleased to tell you that you have been selected for the track {{ track "
            "}}.\n\n{% if meeting_plan %}Meeting plan:\n{{ meeting_plan }}\n\n{% endif %}If"
            " you have questions, write to {{ contact }}.\n\nKind regards\nThe secretariat "
            "of Musiklivets Partnerskab"
        ),
    ),
    (
        "decision_waiting",
        "en",
        "You are on the waiting list for {{ track }}",
        (
            "Dear {{ name }}\n\nThank you for your application to {{ call }}. There were "
            "more good applicants than seats, and you are number {{ place }} on the waiting"
            " list for the track {{ track }}. If a seat becomes free, we will contact "
            "you.\n\nIf you have questions, write to {{ contact }}.\n\nKind regards\nThe "
            "secretariat of Musiklivets Partnerskab"
        ),
    ),
    (
        "decision_not_selected",
        "en",
        "About your application to {{ call }}",
        (
            "Dear {{ name }}\n\nThank you for your application to {{ call }}. There were "
            "more good applicants than seats, and unfortunately we could not offer you a "
            "seat this year. The tracks were composed for broad representation across music"
            " life.\n\nIf you have questions, write to {{ contact }}.\n\nKind regards\nThe "
            "secretariat of Musiklivets Partnerskab"
        ),
    ),
    (
        "seat_offer",
        "da",
        "En plads er blevet ledig i {{ track }}",
        (
            "Kære {{ name }}\n\nDer er blevet en plads ledig i handlesporet {{ track }} i "
            "{{ call }}, og vi vil gerne tilbyde dig den.\n\n{% if meeting_plan %}Mødeplan:\n"
            "{{ meeting_plan }}\n\n{% endif %}Svar venligst {{ contact }}, om du tager imod "
            "pladsen.\n\nVenlig hilsen\nSekretariatet for Musiklivets Partnerskab"
        ),
    ),
    (
        "seat_offer",
        "en",
        "A seat has become free in {{ track }}",
        (
            "Dear {{ name }}\n\nA seat has become free in the track {{ track }} of {{ call }}, "
            "and we would like to offer it to you.\n\n{% if meeting_plan %}Meeting plan:\n"
            "{{ meeting_plan }}\n\n{% endif %}Please tell {{ contact }} whether you accept "
            "the seat.\n\nKind regards\nThe secretariat of Musiklivets Partnerskab"
        ),
    ),
]


def create(apps, schema_editor):
    MessageTemplate = apps.get_model("mail", "MessageTemplate")
    for key, language, subject, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            key=key, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("mail", "0002_deliveryattempt_messagetemplate")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
