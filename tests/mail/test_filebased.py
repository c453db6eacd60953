"""The demo's mail backend: one readable .eml file per message."""

from email import message_from_bytes
from email.policy import default

from django.core.mail import EmailMessage

from handlespor.mail.filebased import EmailBackend


def test_filebased_backend_writes_each_message_to_its_own_readable_file(tmp_path):
    backend = EmailBackend(file_path=str(tmp_path))
    messages = [
        EmailMessage(subject="Kvittering for din ansøgning", body="Kære Åse", to=["a@b.dk"]),
        EmailMessage(subject="Æblegrød og trivsel", body="Hej Søren", to=["c@d.dk"]),
    ]

    sent = backend.send_messages(messages)

    files = sorted(tmp_path.glob("*.eml"))
    assert sent == 2
    assert len(files) == 2
    read = [message_from_bytes(f.read_bytes(), policy=default) for f in files]
    assert sorted(m["Subject"] for m in read) == [
        "Kvittering for din ansøgning",
        "Æblegrød og trivsel",
    ]
    assert sorted(m.get_content().strip() for m in read) == ["Hej Søren", "Kære Åse"]
    assert list(tmp_path.glob("*.log")) == []
