"""Staff logins: one login page, each role's landing page, throttling, two-factor."""

import time

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from handlespor.roles import SECRETARIAT, STEERING_GROUP
from tests.factories import CallFactory, StaffFactory, TrackFactory

pytestmark = pytest.mark.django_db


def _user(role=None, username=None, **extra):
    user = StaffFactory(is_staff=False, is_superuser=False, **extra)
    if username:
        user.username = username
        user.save()
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _login(client, username, password="secret-pass"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_twenty_wrong_passwords_lock_the_user_out_for_that_address(client):
    _user(SECRETARIAT, username="sekretariat")

    statuses = [_login(client, "sekretariat", "forkert").status_code for _ in range(20)]
    right = _login(client, "sekretariat")

    assert statuses[:4] == [200] * 4
    assert set(statuses[5:]) == {429}
    assert right.status_code == 429
    assert "Log ind er midlertidigt spærret" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_lock_out_is_lifted_when_the_secretariat_deletes_the_attempts(client):
    from axes.models import AccessAttempt

    _user(SECRETARIAT, username="sekretariat")
    for _ in range(6):
        _login(client, "sekretariat", "forkert")

    AccessAttempt.objects.all().delete()

    assert _login(client, "sekretariat").status_code == 302


def test_login_lands_each_role_on_its_page(client):
    call = CallFactory()
    track = TrackFactory(call=call)
    leader = _user(username="leder")
    track.leaders.add(leader)
    cases = {
        _user(SECRETARIAT).username: reverse("backoffice:home"),
        _user(STEERING_GROUP).username: reverse("backoffice:home"),
        "leder": reverse("selection:reviews", args=[call.year]),
        _user().username: reverse("accounts:home"),
    }

    landed = {}
    for username in cases:
        client.logout()
        response = _login(client, username)
        landed[username] = client.get(response["Location"])["Location"]

    assert landed == cases


def test_admin_login_goes_to_the_one_login_page(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1] == (reverse("login") + "?next=/admin/", 302)
    assert response.status_code == 200
    assert client.get(reverse("admin:login"))["Location"].startswith(reverse("login"))


def test_admin_is_for_the_secretariat_only(client):
    client.force_login(_user(STEERING_GROUP))
    assert client.get(reverse("admin:index")).status_code == 302

    client.force_login(_user(SECRETARIAT))
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:calls_application_changelist")).status_code == 200


def test_every_staff_page_says_who_is_logged_in_with_a_log_out(client):
    client.force_login(_user(SECRETARIAT, username="hanne"))

    html = client.get(reverse("accounts:home")).content.decode()

    assert "Logget ind som hanne" in html
    assert f'action="{reverse("logout")}"' in html


def test_user_without_a_role_is_told_so(client):
    client.force_login(_user())

    html = client.get(reverse("accounts:home")).content.decode()

    assert "ingen rolle" in html


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The app's code now, or a time step later (a code is never accepted twice)."""
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    clock.time = time.time() + steps_ahead * device.step
    return f"{clock.token():06d}"


def test_two_factor_set_up_then_asked_at_every_login(client):
    user = _user(STEERING_GROUP, username="styr")
    _login(client, "styr")
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)

    client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    device.refresh_from_db()
    assert device.confirmed is True
    client.logout()

    _login(client, "styr")
    blocked = client.get(reverse("backoffice:home"))
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(reverse("accounts:two_factor"))
    wrong = client.post(reverse("accounts:two_factor"), {"token": "000000"})
    assert "Koden passer ikke" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    passed = client.post(
        reverse("accounts:two_factor") + "?next=/backoffice/", {"token": _code(device, 1)}
    )
    assert passed["Location"] == "/backoffice/"


@override_settings(STAFF_REQUIRE_2FA=True)
def test_two_factor_required_for_the_secretariat_sends_it_to_set_up(client):
    _user(SECRETARIAT, username="sek")
    _user(STEERING_GROUP, username="styr")

    _login(client, "sek")
    response = client.get(reverse("backoffice:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    client.logout()
    _login(client, "styr")
    assert client.get(reverse("accounts:home")).status_code == 200
