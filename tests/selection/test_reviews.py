import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from handlespor.roles import SECRETARIAT, STEERING_GROUP
from handlespor.selection import domain
from handlespor.selection.models import Conflict, Review
from tests.factories import ApplicationFactory, OrganisationFactory, PersonFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _user(role: str | None = None, organisation=None, leads=None):
    user = StaffFactory(is_staff=False, is_superuser=False)
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    if organisation is not None:
        PersonFactory(user=user, organisation=organisation)
    if leads is not None:
        leads.leaders.add(user)
    return user


@pytest.fixture
def tracks(call):
    return list(call.tracks.order_by("position"))


@pytest.fixture
def applications(call, tracks):
    return [
        ApplicationFactory(call=call, first_choice=tracks[0], second_choice=tracks[1]),
        ApplicationFactory(call=call, first_choice=tracks[2]),
    ]


def _list(client, user, call):
    client.force_login(user)
    return client.get(reverse("selection:reviews", args=[call.year]))


def _detail(client, user, call, application):
    client.force_login(user)
    return client.get(reverse("selection:review", args=[call.year, application.pk]))


def test_secretariat_and_steering_group_see_every_application(client, call, applications):
    for role in (SECRETARIAT, STEERING_GROUP):
        response = _list(client, _user(role), call)

        assert sorted(a.pk for a in response.context["applications"]) == sorted(
            a.pk for a in applications
        )


def test_track_leader_sees_only_applications_that_chose_their_track(
    client, call, tracks, applications
):
    leader = _user(leads=tracks[1])

    listed = _list(client, leader, call)
    own = _detail(client, leader, call, applications[0])
    other = _detail(client, leader, call, applications[1])

    assert [a.pk for a in listed.context["applications"]] == [applications[0].pk]
    assert own.status_code == 200
    assert [t.pk for t in own.context["form"].fields["track"].queryset] == [tracks[1].pk]
    assert other.status_code == 403


def test_user_without_a_role_gets_403_and_anonymous_is_sent_to_login(client, call, applications):
    assert _list(client, _user(), call).status_code == 403
    client.logout()

    response = client.get(reverse("selection:reviews", args=[call.year]))

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_application_of_another_call_is_404(client, call, applications):
    from tests.factories import CallFactory

    other = ApplicationFactory(call=CallFactory(year=2031))

    assert _detail(client, _user(SECRETARIAT), call, other).status_code == 404


def test_nobody_reviews_an_application_from_their_own_organisation(
    client, call, tracks, applications
):
    reviewer = _user(STEERING_GROUP, organisation=applications[0].organisation)

    listed = _list(client, reviewer, call)
    detail = _detail(client, reviewer, call, applications[0])

    assert [a.pk for a in listed.context["applications"]] == [applications[1].pk]
    assert detail.status_code == 403
    with pytest.raises(PermissionDenied):
        domain.review_save(
            reviewer=reviewer, application=applications[0], track=tracks[0], score=5, comment=""
        )
    assert Review.objects.count() == 0


def test_review_is_saved_logged_and_averaged(client, call, tracks, applications):
    first, second = _user(SECRETARIAT), _user(STEERING_GROUP)
    url = reverse("selection:review", args=[call.year, applications[0].pk])
    client.force_login(first)
    client.post(url, {"action": "review", "track": tracks[0].pk, "score": 4, "comment": "God"})
    client.force_login(second)
    client.post(url, {"action": "review", "track": tracks[0].pk, "score": 5, "comment": ""})

    averages = domain.review_averages(call=call)

    assert averages == {(applications[0].pk, tracks[0].pk): 4.5}
    assert applications[0].events.filter(kind="reviewed").count() == 2


def test_review_with_bad_input_stores_nothing(client, call, tracks, applications):
    client.force_login(_user(SECRETARIAT))
    url = reverse("selection:review", args=[call.year, applications[0].pk])

    for data in (
        {"action": "review", "track": tracks[0].pk, "score": 6},
        {"action": "review", "track": tracks[3].pk, "score": 3},
        {"action": "review", "track": tracks[0].pk, "score": 3, "comment": "x" * 2001},
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors

    assert Review.objects.count() == 0


def test_declared_conflict_hides_the_application_and_removes_own_reviews(
    client, call, tracks, applications
):
    reviewer = _user(SECRETARIAT)
    domain.review_save(
        reviewer=reviewer, application=applications[0], track=tracks[0], score=2, comment=""
    )
    client.force_login(reviewer)

    client.post(
        reverse("selection:review", args=[call.year, applications[0].pk]),
        {"action": "conflict", "reason": "Min søster"},
    )

    assert Conflict.objects.get().reason == "Min søster"
    assert Review.objects.count() == 0
    assert _detail(client, reviewer, call, applications[0]).status_code == 403
    assert [a.pk for a in _list(client, reviewer, call).context["applications"]] == [
        applications[1].pk
    ]


def test_review_list_query_count_does_not_grow(client, call, tracks):
    reviewer = _user(SECRETARIAT, organisation=OrganisationFactory())
    for _ in range(3):
        ApplicationFactory(call=call, first_choice=tracks[0])
    client.force_login(reviewer)
    url = reverse("selection:reviews", args=[call.year])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    for _ in range(20):
        application = ApplicationFactory(call=call, first_choice=tracks[0])
        domain.review_save(
            reviewer=reviewer, application=application, track=tracks[0], score=3, comment=""
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)
