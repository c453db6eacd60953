"""The privacy notice and erasure through the private link and the back office."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from handlespor.calls.models import Application
from handlespor.roles import SECRETARIAT
from tests.factories import ApplicationFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(call):
    application = ApplicationFactory(call=call, first_choice=call.tracks.first())
    token = application.new_token()
    application.save()
    return reverse("calls:application", args=[token]), token


def test_privacy_notice_says_what_why_how_long_and_who(client, call):
    html = client.get(reverse("privacy:notice")).content.decode()

    for heading in ("Hvad vi gemmer", "Hvorfor", "Hvem der ser dem", "Hvor længe"):
        assert heading in html
    assert "anonymiseres 24 måneder efter" in html


def test_privacy_notice_is_linked_from_the_form_and_the_private_page(client, call, link):
    notice = f'href="{reverse("privacy:notice")}"'

    assert notice in client.get(reverse("calls:apply", args=[call.year])).content.decode()
    assert notice in client.get(link[0]).content.decode()


def test_erase_before_the_deadline_from_the_private_link(client, call, link):
    url, token = link

    response = client.post(reverse("privacy:erase", args=[token]), {"confirm": "on"})

    assert response.status_code == 200
    assert "Din ansøgning er slettet" in response.content.decode()
    assert Application.objects.count() == 0
    assert client.get(url).status_code == 404


def test_erase_without_the_tick_deletes_nothing(client, call, link):
    response = client.post(reverse("privacy:erase", args=[link[1]]), {})

    assert response.status_code == 200
    assert Application.objects.count() == 1


def test_erase_after_the_deadline_is_confirmed_by_the_secretariat(client, call, link):
    url, token = link
    call.deadline = timezone.now() - timedelta(days=2)
    call.save()
    client.post(reverse("privacy:erase", args=[token]), {"confirm": "on"})
    assert "Du bad om sletning" in client.get(url).content.decode()

    staff = StaffFactory(is_staff=False, is_superuser=False)
    staff.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    client.force_login(staff)
    listing = client.get(reverse("privacy:erasures")).content.decode()
    application = Application.objects.get()
    assert application.name in listing
    client.post(reverse("privacy:erasure_confirm", args=[application.pk]))

    application.refresh_from_db()
    assert application.anonymised_at is not None
    client.logout()
    assert client.get(url).status_code == 404
