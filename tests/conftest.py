import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import caches
from django.utils import translation

from handlespor.roles import SECRETARIAT
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    OrganisationFactory,
    PersonFactory,
    StaffFactory,
    TrackFactory,
)
from tests.smtp import Inbox, Server


@pytest.fixture
def call(db):
    call = CallFactory()
    for position, (name, slug) in enumerate(
        [
            ("Trivsel i musiklivet", "trivsel"),
            ("Lige adgang i musiklivet", "lige-adgang"),
            ("Musiklivets infrastrukturer", "infrastrukturer"),
            ("Grønnere musik", "groennere-musik"),
        ]
    ):
        TrackFactory(call=call, name=name, slug=slug, position=position)
    return call


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Musikhuset Nord", reported=[2024, 2025])


@pytest.fixture
def form_data(call, organisation):
    tracks = list(call.tracks.order_by("position"))
    return {
        "name": "Anne Jensen",
        "email": "Anne.Jensen@Example.org",
        "job_title": "Direktør",
        "organisation": str(organisation.pk),
        "organisation_name": "",
        "first_choice": str(tracks[0].pk),
        "second_choice": str(tracks[1].pk),
        "motivation": "Vi vil gerne styrke trivslen.",
        "contribution": "Erfaring med arbejdsmiljø.",
        "actor_type": "Spillested/koncertsted",
        "role": "Direktion",
        "music_fields": ["Rytmisk", "Jazz"],
        "postcode": "8000",
        "region": "",
        "gender": "Kvinde",
        "seniority": "Over 20 år",
        "confirms_attendance": "on",
        "confirms_own_costs": "on",
        "confirms_reporting": "on",
        "confirms_mandate": "on",
        "consent": "on",
    }


@pytest.fixture(autouse=True)
def _clear_outbox():
    mail.outbox = []


@pytest.fixture(autouse=True)
def _clear_page_cache():
    """The process's own cache (the blank form's fields): each test starts without it."""
    caches["default"].clear()


@pytest.fixture
def partners(call):
    """The register the e-mail corpus is written against, and one applicant who used the web
    form."""
    nord = OrganisationFactory(name="Musikhuset Nord")
    PersonFactory(name="Anne Jensen", email="anne@musikhusetnord.dk", organisation=nord)
    jazz = OrganisationFactory(name="Jazzorkestret")
    web = PersonFactory(name="Web Ansøger", email="web@jazzorkestret.dk", organisation=jazz)
    ApplicationFactory(call=call, person=web, first_choice=call.tracks.get(slug="lige-adgang"))
    return call


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, as the worker and the commands do: a request
    in English earlier in the run must not leave its language active in this test's thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, with Django's mailer pointed at it: (server, inbox)."""
    inbox = Inbox()
    server = Server(inbox)
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server, inbox
    server.stop()


@pytest.fixture
def secretariat(client):
    """The secretariat, logged in."""
    user = StaffFactory(is_staff=False, is_superuser=False, username="sek")
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    client.force_login(user)
    return user
