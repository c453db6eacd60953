from datetime import timedelta

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from handlespor.calls.demo import demo_create
from handlespor.calls.models import Application
from handlespor.selection.instance import instance_for_call
from handlespor.selection.models import (
    Activity,
    Proposal,
    SelectionLock,
)
from tests.factories import StaffFactory

# Transactional: the engine run is enqueued after commit (and runs at once in tests).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_call():
    call = demo_create()
    Application.objects.filter(call=call).update(eligibility=Application.Eligibility.ELIGIBLE)
    return call


def _members(proposal: Proposal) -> dict[str, set[str]]:
    return {t["name"]: {m["applicant"] for m in t["members"]} for t in proposal.result["tracks"]}


def test_board_runs_locks_and_reruns_on_the_demo_data(client, secretariat, demo_call):
    board = reverse("selection:board", args=[demo_call.year])

    client.post(reverse("selection:run", args=[demo_call.year]))
    first = Proposal.objects.get()
    assert first.status == Proposal.Status.DONE
    page = client.get(board).content.decode()
    assert "Trivsel i musiklivet" in page
    assert first.result["status"] == "optimal"

    outsider = first.result["not_selected"][0]["applicant"]
    track = demo_call.tracks.get(name="Grønnere musik")
    client.post(
        reverse("selection:lock", args=[demo_call.year]),
        {"application": outsider, "kind": "in_track", "track": track.pk},
    )
    client.post(reverse("selection:run", args=[demo_call.year]))

    second = Proposal.objects.first()
    assert second.pk != first.pk
    assert outsider in _members(second)["Grønnere musik"]
    assert [a.text.split(":")[0] for a in Activity.objects.order_by("at", "id")][:1] == [
        f"Startede en sammensætning ({first.pk})"
    ]


def test_second_run_while_one_runs_is_refused_politely(client, secretariat, demo_call):
    Proposal.objects.create(
        call=demo_call, status=Proposal.Status.RUNNING, heartbeat_at=timezone.now()
    )

    response = client.post(reverse("selection:run", args=[demo_call.year]), follow=True)

    assert Proposal.objects.count() == 1
    assert "En sammensætning kører allerede" in response.content.decode()


def test_run_whose_worker_died_is_shown_as_failed_and_does_not_block(
    client, secretariat, demo_call
):
    Proposal.objects.create(
        call=demo_call,
        status=Proposal.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )

    page = client.get(reverse("selection:board", args=[demo_call.year])).content.decode()
    client.post(reverse("selection:run", args=[demo_call.year]))

    assert "arbejderen holdt op med at svare" in page
    assert Proposal.objects.filter(status=Proposal.Status.DONE).count() == 1


def test_excluded_person_is_not_proposed_and_release_brings_them_back(
    client, secretariat, demo_call
):
    client.post(reverse("selection:run", args=[demo_call.year]))
    member = Proposal.objects.get().result["tracks"][0]["members"][0]["applicant"]

    client.post(
        reverse("selection:lock", args=[demo_call.year]),
        {"application": member, "kind": "excluded"},
    )
    client.post(reverse("selection:run", args=[demo_call.year]))
    excluded_run = Proposal.objects.first()
    lock = SelectionLock.objects.get()
    client.post(reverse("selection:release", args=[demo_call.year, lock.pk]))

    assert all(member not in members for members in _members(excluded_run).values())
    reasons = {n["applicant"]: n["reason"] for n in excluded_run.result["not_selected"]}
    assert reasons[member] == "udelukket af udvalget"
    assert SelectionLock.objects.count() == 0


def test_lock_with_bad_input_stores_nothing(client, secretariat, demo_call):
    url = reverse("selection:lock", args=[demo_call.year])

    client.post(
        url, {"application": "999999", "kind": "in_track", "track": demo_call.tracks.first().pk}
    )
    client.post(url, {"application": Application.objects.first().pk, "kind": "in_track"})
    client.post(url, {"application": Application.objects.first().pk, "kind": "sideways"})

    assert SelectionLock.objects.count() == 0


def test_track_leader_sees_the_board_read_only_with_sensitive_data_only_in_own_track(
    client, secretariat, demo_call
):
    client.post(reverse("selection:run", args=[demo_call.year]))
    own = demo_call.tracks.get(slug="trivsel")
    leader = StaffFactory(is_staff=False, is_superuser=False)
    own.leaders.add(leader)
    client.force_login(leader)

    response = client.get(reverse("selection:board", args=[demo_call.year]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kør sammensætningen" not in html
    assert "Godkend dette forslag" not in html
    own_members = next(t for t in response.context["tracks"] if t["track"] == str(own.pk))
    assert html.count("<dt>Køn</dt>") == len(own_members["members"])
    assert all(
        {n["application"].first_choice_id, n["application"].second_choice_id} & {own.pk}
        for n in response.context["not_selected"]
    )
    for name, args in (
        ("selection:run", [demo_call.year]),
        ("selection:lock", [demo_call.year]),
        ("selection:send", [demo_call.year]),
    ):
        assert client.post(reverse(name, args=args)).status_code == 403


def test_user_without_a_role_cannot_see_the_board(client, demo_call):
    client.force_login(StaffFactory(is_staff=False, is_superuser=False))

    assert client.get(reverse("selection:board", args=[demo_call.year])).status_code == 403


def test_proposals_are_named_commented_and_compared(client, secretariat, demo_call):
    client.post(reverse("selection:run", args=[demo_call.year]))
    first = Proposal.objects.get()
    member = first.result["tracks"][0]["members"][0]["applicant"]
    client.post(
        reverse("selection:lock", args=[demo_call.year]),
        {"application": member, "kind": "excluded"},
    )
    client.post(reverse("selection:run", args=[demo_call.year]))
    second = Proposal.objects.first()

    client.post(reverse("selection:rename", args=[demo_call.year, first.pk]), {"name": "Uden låse"})
    client.post(reverse("selection:comment", args=[demo_call.year, second.pk]), {"text": "Bedre?"})
    client.post(reverse("selection:rename", args=[demo_call.year, first.pk]), {"name": "x" * 121})
    compared = client.get(
        reverse("selection:compare", args=[demo_call.year]), {"a": first.pk, "b": second.pk}
    )

    first.refresh_from_db()
    assert first.name == "Uden låse"
    assert second.comments.get().text == "Bedre?"
    rows = compared.context["rows"]
    removed = Application.objects.get(pk=int(member)).name
    assert removed in rows[0]["only_a"]
    moved = next(m for m in rows[0]["a"] if m["name"] == removed)
    assert (moved["moved"], moved["there"]) == (True, None)
    assert len(rows[0]["a"]) == len(first.result["tracks"][0]["members"])
    assert len(rows[0]["b"]) == len(second.result["tracks"][0]["members"])
    html = compared.content.decode()
    assert (
        f'<li class="moved">{removed} <span class="where">(ikke med i det andet)</span></li>'
        in html
    )
    labels = [t["label"] for t in rows[0]["targets"]]
    assert "Kvinde ≥ 40 %" in labels
    assert "Aktørtype: ingen over 33,3 %" in labels


def test_instance_for_call_takes_labels_reviews_and_locks(demo_call):
    instance = instance_for_call(call=demo_call)

    assert len(instance.applicants) == Application.objects.filter(state="submitted").count()
    assert sorted(instance.applicants[0].attributes) == sorted(
        ["Aktørtype", "Rolle", "Musikfelt", "Region", "Køn", "Anciennitet"]
    )
    assert {t.attribute for t in instance.targets} == {
        "Køn",
        "Region",
        "Anciennitet",
        "Aktørtype",
        "Musikfelt",
    }
    assert instance.rules.max_per_organisation == 1


def test_polling_reloads_the_page_once_the_run_has_ended(client, secretariat, demo_call):
    running = Proposal.objects.create(
        call=demo_call, status=Proposal.Status.RUNNING, heartbeat_at=timezone.now()
    )
    board = client.get(reverse("selection:board", args=[demo_call.year])).content.decode()
    url = reverse("selection:status", args=[demo_call.year])

    while_running = client.get(url, HTTP_HX_REQUEST="true")
    Proposal.objects.filter(pk=running.pk).update(status=Proposal.Status.DONE, result=None)
    after = client.get(url, HTTP_HX_REQUEST="true")

    assert f'hx-get="{url}" hx-trigger="every 2s"' in board
    assert "HX-Refresh" not in while_running
    assert 'hx-trigger="every 2s"' in while_running.content.decode()
    assert after["HX-Refresh"] == "true"


def test_polled_status_is_a_small_fragment_not_the_board(
    client, secretariat, demo_call, django_assert_max_num_queries
):
    client.post(reverse("selection:run", args=[demo_call.year]))
    Proposal.objects.create(
        call=demo_call, status=Proposal.Status.RUNNING, heartbeat_at=timezone.now()
    )
    url = reverse("selection:status", args=[demo_call.year])

    with django_assert_max_num_queries(8):
        response = client.get(url, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.strip().startswith('<section id="run-status"')
    assert "track-card" not in html
    assert len(html) < 2000


def test_board_query_count_does_not_grow_with_applications(client, secretariat, demo_call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ApplicationFactory

    url = reverse("selection:board", args=[demo_call.year])
    client.post(reverse("selection:run", args=[demo_call.year]))
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    tracks = list(demo_call.tracks.all())
    for index in range(30):
        ApplicationFactory(call=demo_call, first_choice=tracks[index % 4])
    client.post(reverse("selection:run", args=[demo_call.year]))
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_targets_are_edited_on_the_board_and_bad_input_stores_nothing(
    client, secretariat, demo_call
):
    from handlespor.calls.models import Target

    url = reverse("selection:targets", args=[demo_call.year])
    formset = client.get(url).context["formset"]
    data = {
        "form-TOTAL_FORMS": str(len(formset.forms)),
        "form-INITIAL_FORMS": str(len(formset.forms) - 1),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(formset.forms[:-1]):
        target = form.instance
        data |= {
            f"form-{index}-id": str(target.pk),
            f"form-{index}-track": "",
            f"form-{index}-attribute": target.attribute,
            f"form-{index}-kind": target.kind,
            f"form-{index}-values": ", ".join(target.values),
            f"form-{index}-amount": str(target.amount),
            f"form-{index}-weight": str(target.weight),
        }
    data[f"form-{len(formset.forms) - 1}-weight"] = (
        "1"  # the empty extra form, as a browser posts it
    )
    kvinde = next(i for i, f in enumerate(formset.forms[:-1]) if f.instance.values == ["Kvinde"])
    before = Target.objects.get(pk=formset.forms[kvinde].instance.pk).amount

    bad = client.post(url, data | {f"form-{kvinde}-values": "Kvinnde"})
    good = client.post(url, data | {f"form-{kvinde}-amount": "45"})

    assert bad.status_code == 200
    assert "Ukendt værdi: Kvinnde" in bad.content.decode()
    assert good.status_code == 302
    assert before == 40
    assert Target.objects.get(pk=formset.forms[kvinde].instance.pk).amount == 45
    assert instance_for_call(call=demo_call).targets[0].amount in {
        45.0,
        float(Target.objects.order_by("attribute", "kind", "id").first().amount),
    }


def test_lock_and_release_with_htmx_swap_the_list_of_locks(client, secretariat, demo_call):
    application = Application.objects.filter(call=demo_call).first()
    track = demo_call.tracks.first()

    locked = client.post(
        reverse("selection:lock", args=[demo_call.year]),
        {"application": application.pk, "kind": "in_track", "track": track.pk},
        HTTP_HX_REQUEST="true",
    )
    refused = client.post(
        reverse("selection:lock", args=[demo_call.year]),
        {"application": application.pk, "kind": "in_track"},
        HTTP_HX_REQUEST="true",
    )
    lock = SelectionLock.objects.get()
    released = client.post(
        reverse("selection:release", args=[demo_call.year, lock.pk]), HTTP_HX_REQUEST="true"
    )

    assert locked.content.decode().lstrip().startswith('<section id="locks"')
    assert f"{application.name}: låst til handlespor {track.name}" in locked.content.decode()
    assert refused.status_code == 422
    assert refused["Content-Type"] == "text/plain; charset=utf-8"
    assert refused.content.decode() == "Vælg et handlespor."
    assert SelectionLock.objects.count() == 0
    assert application.name not in released.content.decode()


def test_release_of_a_lock_already_released_says_so_to_htmx_and_404_to_a_page(
    client, secretariat, demo_call
):
    application = Application.objects.filter(call=demo_call).first()
    client.post(
        reverse("selection:lock", args=[demo_call.year]),
        {"application": application.pk, "kind": "excluded"},
    )
    url = reverse("selection:release", args=[demo_call.year, SelectionLock.objects.get().pk])
    client.post(url, HTTP_HX_REQUEST="true")

    again = client.post(url, HTTP_HX_REQUEST="true")
    without_htmx = client.post(url)

    assert (again.status_code, again["Content-Type"]) == (422, "text/plain; charset=utf-8")
    assert again.content.decode() == "Låsen er allerede frigivet. Genindlæs siden."
    assert without_htmx.status_code == 404


def test_board_draws_each_target_as_a_bar_with_its_marker(client, secretariat, demo_call):
    client.post(reverse("selection:run", args=[demo_call.year]))

    response = client.get(reverse("selection:board", args=[demo_call.year]))

    tracks = response.context["tracks"]
    outcomes = [o for t in tracks for o in t["representation"]]
    women = next(o for o in tracks[0]["representation"] if o["label"] == "Kvinde ≥ 40 %")
    bar = next(b for b in tracks[0]["bars"] if b.label == "Kvinde ≥ 40 %")
    assert response.content.decode().count('class="bar-svg"') == len(outcomes)
    assert bar.marker_xs == [96]  # 40 % of a 240-pixel bar
    assert bar.width == round(women["measure"] / women["size"] * 240)
    assert bar.met is women["met"]


def test_board_shows_each_members_choice_rank(client, secretariat, demo_call):
    client.post(reverse("selection:run", args=[demo_call.year]))

    html = client.get(reverse("selection:board", args=[demo_call.year])).content.decode()

    members = sum(len(t["members"]) for t in Proposal.objects.get().result["tracks"])
    assert html.count("<dt>Prioritet</dt>") == members
    assert "<dt>Prioritet</dt><dd>1.</dd>" in html


def _gender_words() -> tuple[str, ...]:
    return ("Kvinde", "Mand", "Nonbinær", "Køn")


def test_track_leader_reads_no_gender_of_applicants_outside_own_track(
    client, secretariat, demo_call
):
    client.post(reverse("selection:run", args=[demo_call.year]))
    result = Proposal.objects.get().result
    own = demo_call.tracks.get(slug="trivsel")
    chose_own = set(
        Application.objects.filter(call=demo_call)
        .filter(Q(first_choice=own) | Q(second_choice=own))
        .values_list("pk", flat=True)
    )
    hidden = [
        text
        for t in result["tracks"]
        for texts in (
            ["; ".join(m["adds"]) for m in t["members"] if int(m["applicant"]) not in chose_own]
            + [e["note"] for e in t["waiting_list"] if int(e["applicant"]) not in chose_own]
        )
        for text in [texts]
        if any(word in text for word in _gender_words())
    ]
    assert hidden, "the demo should have reasons naming gender outside the leader's track"
    leader = StaffFactory(is_staff=False, is_superuser=False)
    own.leaders.add(leader)
    client.force_login(leader)

    response = client.get(reverse("selection:board", args=[demo_call.year]))

    html = response.content.decode()
    shown = [
        text
        for t in response.context["tracks"]
        for texts in (
            ["; ".join(m["adds"]) for m in t["members"] if int(m["applicant"]) not in chose_own]
            + [e["note"] for e in t["waiting_list"] if int(e["applicant"]) not in chose_own]
        )
        for text in [texts]
        if any(word in text for word in _gender_words())
    ]
    assert shown == []
    assert "et mål for en følsom oplysning" in html


def test_track_leader_board_links_only_to_what_the_leader_may_open(client, demo_call):
    leader = StaffFactory(is_staff=False, is_superuser=False)
    demo_call.tracks.get(slug="trivsel").leaders.add(leader)
    client.force_login(leader)

    html = client.get(reverse("selection:board", args=[demo_call.year])).content.decode()

    assert reverse("backoffice:dashboard", args=[demo_call.year]) not in html
    assert reverse("selection:reviews", args=[demo_call.year]) in html


def test_worker_killed_mid_solve_shows_as_failed_and_a_new_run_starts(
    client, secretariat, demo_call
):
    killed = Proposal.objects.create(
        call=demo_call,
        status=Proposal.Status.RUNNING,
        progress="løser …",
        heartbeat_at=timezone.now() - timedelta(minutes=4),
    )

    page = client.get(reverse("selection:board", args=[demo_call.year])).content.decode()
    client.post(reverse("selection:run", args=[demo_call.year]))

    assert "fejlet: arbejderen holdt op med at svare" in page
    assert Proposal.objects.exclude(pk=killed.pk).get().status == Proposal.Status.DONE


def test_board_overview_shows_each_tracks_size_members_and_the_targets_matrix(
    client, secretariat, demo_call
):
    client.post(reverse("selection:run", args=[demo_call.year]))

    response = client.get(reverse("selection:board", args=[demo_call.year]))

    html = response.content.decode()
    tracks, matrix = response.context["tracks"], response.context["matrix"]
    assert [t["name"] for t in tracks] == [t.name for t in demo_call.tracks.order_by("position")]
    for track in tracks:
        size = len(track["members"])
        assert f"{size} deltagere af 8–12 ✓" in html
        assert all(f"<summary>{m['name']}</summary>" in html for m in track["members"])
    labels = {o["label"] for t in tracks for o in t["representation"]}
    assert {row["label"] for row in matrix} == labels
    assert all(len(row["cells"]) == 4 for row in matrix)
    cells = [(row["label"], c) for row in matrix for c in row["cells"] if c]
    short = [(label, c["deficit"]) for label, c in cells if not c["met"]]
    met = sum(1 for _label, c in cells if c["met"])
    assert html.count('<td class="met">✓ nået') == met
    assert html.count('<td class="unmet">✗ mangler') == len(short)
    for _label, deficit in short:
        assert f"✗ mangler {deficit} " in html
