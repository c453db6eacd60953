"""View by view: each role sees exactly what it may, and gets 403 (or the login page)
elsewhere."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from handlespor.roles import SECRETARIAT, STEERING_GROUP
from tests.factories import ApplicationFactory, StaffFactory

pytestmark = pytest.mark.django_db

# (url name, method, needs the application's pk, what a track leader gets)
VIEWS = [
    ("selection:board", "get", False, 200),
    ("selection:reviews", "get", False, 200),
    ("selection:review", "get", True, 200),
    ("selection:compare", "get", False, 403),
    ("selection:targets", "get", False, 403),
    ("selection:outbox", "get", False, 403),
    ("selection:groups_export", "get", "xlsx", 403),
    ("selection:run", "post", False, 403),
    ("selection:lock", "post", False, 403),
    ("selection:send", "post", False, 403),
]


def _user(role=None, leads=None):
    user = StaffFactory(is_staff=False, is_superuser=False)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if leads is not None:
        leads.leaders.add(user)
    return user


def _request(client, call, application, name, method, extra):
    args = [call.year]
    if extra is True:
        args.append(application.pk)
    elif extra:
        args.append(extra)
    if method == "post":  # confirmed where the call is still open (approve, send)
        return client.post(reverse(name, args=args), {"before_deadline": "on"})
    return client.get(reverse(name, args=args))


@pytest.mark.parametrize(("name", "method", "extra", "leader_status"), VIEWS)
def test_each_role_per_view(client, call, name, method, extra, leader_status):
    track = call.tracks.first()
    application = ApplicationFactory(call=call, first_choice=track)
    expected = {
        SECRETARIAT: 302 if method == "post" else 200,
        STEERING_GROUP: 302 if method == "post" else 200,
    }
    for role, status in expected.items():
        client.force_login(_user(role))
        assert _request(client, call, application, name, method, extra).status_code == status, role

    client.force_login(_user(leads=track))
    assert _request(client, call, application, name, method, extra).status_code == leader_status

    client.force_login(_user())
    assert _request(client, call, application, name, method, extra).status_code == 403

    client.logout()
    response = _request(client, call, application, name, method, extra)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
