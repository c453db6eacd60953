"""The role matrix: every URL pattern of the project, asked by every role.

A URL that is not in the matrix fails the test, so no future view can skip the rules.
"Allowed" means the view itself answered (a page, a redirect other than to the login page, a
form error, or 404 for an object that is not there, which the rules are asked before);
"denied" is 403 for a logged-in user without the permission and a redirect to the login page
for an anonymous visitor.
"""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from handlespor.calls.models import Application
from handlespor.reporting.domain import round_create
from handlespor.reporting.models import Report, ReportLink
from handlespor.roles import SECRETARIAT, STEERING_GROUP
from handlespor.selection.models import Decision, Proposal
from tests.factories import ApplicationFactory, StaffFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "applicant",
    "no_role",
    "leader_own",
    "leader_other",
    "steering",
    "secretariat",
)
EVERYONE = frozenset(ROLES)
LOGGED_IN = frozenset(ROLES) - {"anonymous", "applicant"}
COMPOSERS = frozenset({"steering", "secretariat"})
LEADERS_AND_COMPOSERS = COMPOSERS | {"leader_own", "leader_other"}
SECRETARIAT_ONLY = frozenset({"secretariat"})
MISSING = 999_999  # the pk of an object that is not there

# name: (method, path arguments, who is allowed). "{year}", "{token}" and "{slug}" are filled
# in; a private link is allowed to the applicant who holds it and is a 404 to anyone else.
MATRIX = {
    "set_language": ("post", [], EVERYONE),
    "login": ("get", [], EVERYONE),
    "logout": ("post", [], EVERYONE),
    "password_change": ("get", [], LOGGED_IN),
    "password_change_done": ("get", [], LOGGED_IN),
    "accounts:home": ("get", [], LOGGED_IN),
    "accounts:landing": ("get", [], LOGGED_IN),
    "accounts:two_factor": ("get", [], LOGGED_IN),
    "accounts:two_factor_setup": ("get", [], LOGGED_IN),
    "calls:current": ("get", [], EVERYONE),
    "calls:call": ("get", ["{year}"], EVERYONE),
    "calls:apply": ("get", ["{year}"], EVERYONE),
    "calls:received": ("get", ["{year}"], EVERYONE),
    "calls:terms_pdf": ("get", ["{year}", "{slug}"], EVERYONE),
    "calls:region_hint": ("get", [], EVERYONE),
    "calls:application": ("get", ["{token}"], "private"),
    "calls:edit": ("get", ["{token}"], "private"),
    "calls:complete": ("get", ["{token}"], "private"),
    "calls:withdraw": ("get", ["{token}"], "private"),
    "calls:reinstate": ("post", ["{token}"], "private"),
    "calls:export": ("get", ["{token}"], "private"),
    "trackyear:member": ("get", ["{seat}"], "private"),
    "trackyear:new_link": ("get", [], EVERYONE),
    "trackyear:member_feed": ("get", ["{seat}"], "private"),
    "trackyear:overview": ("get", ["{year}"], SECRETARIAT_ONLY),
    "trackyear:members_export": ("get", ["{year}", "xlsx"], SECRETARIAT_ONLY),
    "trackyear:staff_feed": ("get", ["{year}"], SECRETARIAT_ONLY),
    "trackyear:track": ("get", ["{year}", "{slug}"], SECRETARIAT_ONLY | {"leader_own"}),
    "trackyear:meeting": ("get", ["{year}", "{slug}", MISSING], SECRETARIAT_ONLY | {"leader_own"}),
    "trackyear:document": ("get", ["{year}", "{slug}", MISSING], SECRETARIAT_ONLY | {"leader_own"}),
    "trackyear:member_document": ("get", ["{seat}", MISSING], "private_missing"),
    "reporting:answer": ("get", ["{report}"], "private"),
    "reporting:new_link": ("get", [], EVERYONE),
    "reporting:rounds": ("get", [], COMPOSERS),
    "reporting:status": ("get", ["{year}"], SECRETARIAT_ONLY),
    "reporting:invite": ("post", ["{year}"], SECRETARIAT_ONLY),
    "reporting:remind": ("post", ["{year}", MISSING], SECRETARIAT_ONLY),
    "reporting:results": ("get", ["{year}"], COMPOSERS),
    "reporting:rows_export": ("get", ["{year}", "csv"], SECRETARIAT_ONLY),
    "reporting:aggregate_export": ("get", ["{year}"], COMPOSERS),
    "reporting:import": ("post", ["{year}"], SECRETARIAT_ONLY),
    "privacy:notice": ("get", [], EVERYONE),
    "privacy:erase": ("get", ["{token}"], "private"),
    "privacy:erasures": ("get", [], SECRETARIAT_ONLY),
    "privacy:erasure_confirm": ("post", [MISSING], SECRETARIAT_ONLY),
    "backoffice:home": ("get", [], COMPOSERS),
    "backoffice:dashboard": ("get", ["{year}"], COMPOSERS),
    "backoffice:export": ("get", ["{year}", "csv"], COMPOSERS),
    "inbox:list": ("get", [], SECRETARIAT_ONLY),
    "inbox:upload": ("post", [], SECRETARIAT_ONLY),
    "inbox:fetch": ("post", [], SECRETARIAT_ONLY),
    "inbox:message": ("get", [MISSING], SECRETARIAT_ONLY),
    "inbox:make": ("post", [MISSING], SECRETARIAT_ONLY),
    "inbox:attach": ("post", [MISSING], SECRETARIAT_ONLY),
    "inbox:dismiss": ("post", [MISSING], SECRETARIAT_ONLY),
    "inbox:correct": ("post", [MISSING], SECRETARIAT_ONLY),
    "inbox:merge": ("post", [MISSING], SECRETARIAT_ONLY),
    "inbox:raw": ("get", [MISSING], SECRETARIAT_ONLY),
    "inbox:attachment": ("get", [MISSING], SECRETARIAT_ONLY),
    "selection:board": ("get", ["{year}"], LEADERS_AND_COMPOSERS),
    "selection:status": ("get", ["{year}"], LEADERS_AND_COMPOSERS),
    "selection:run": ("post", ["{year}"], COMPOSERS),
    "selection:lock": ("post", ["{year}"], COMPOSERS),
    "selection:release": ("post", ["{year}", MISSING], COMPOSERS),
    "selection:approve": ("post", ["{year}", MISSING], COMPOSERS),
    "selection:outbox": ("get", ["{year}"], COMPOSERS),
    "selection:send": ("post", ["{year}"], COMPOSERS),
    "selection:groups_export": ("get", ["{year}", "xlsx"], COMPOSERS),
    "selection:report": ("get", ["{year}"], COMPOSERS),
    "selection:leave": ("post", ["{year}", MISSING], COMPOSERS),
    "selection:offer": ("post", ["{year}", MISSING], COMPOSERS),
    "selection:rename": ("post", ["{year}", MISSING], COMPOSERS),
    "selection:comment": ("post", ["{year}", MISSING], LEADERS_AND_COMPOSERS),
    "selection:compare": ("get", ["{year}"], COMPOSERS),
    "selection:targets": ("get", ["{year}"], COMPOSERS),
    "selection:lottery": ("get", ["{year}"], COMPOSERS),
    "selection:lottery_status": ("get", ["{year}"], COMPOSERS),
    "selection:lottery_run": ("post", ["{year}"], COMPOSERS),
    "selection:lottery_draw": ("post", ["{year}", MISSING], COMPOSERS),
    "selection:lottery_public": ("get", ["{year}", MISSING], COMPOSERS),
    "selection:lottery_table": ("get", ["{year}", MISSING], COMPOSERS),
    "selection:reviews": ("get", ["{year}"], LEADERS_AND_COMPOSERS),
    # The application chose the own leader's track only.
    "selection:review": ("get", ["{year}", "{application}"], COMPOSERS | {"leader_own"}),
}


def _names(patterns, namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else str(pattern.name)


def test_role_matrix_names_every_url_of_the_project():
    names = set(_names(get_resolver().url_patterns))

    missing = {n for n in names if not n.startswith("admin:")} - set(MATRIX)

    assert missing == set()
    assert set(MATRIX) - names == set()


def _user(role: str, call):
    user = StaffFactory(is_staff=False, is_superuser=False)
    if role == "steering":
        user.groups.add(Group.objects.get_or_create(name=STEERING_GROUP)[0])
    elif role == "secretariat":
        user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    elif role == "leader_own":
        call.tracks.get(slug="trivsel").leaders.add(user)
    elif role == "leader_other":
        call.tracks.get(slug="groennere-musik").leaders.add(user)
    return user


@pytest.fixture
def world(call):
    application = ApplicationFactory(call=call, first_choice=call.tracks.get(slug="trivsel"))
    token = application.new_token()
    application.save()
    seat = Decision(
        application=application,
        proposal=Proposal.objects.create(call=call, status=Proposal.Status.DONE),
        outcome=Decision.Outcome.SELECTED,
        track=application.first_choice,
        released_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    seat_token = seat.new_seat_token()
    seat.save()
    # The applicant is also their organisation's contact person in this year's reporting.
    today = timezone.localdate()
    reporting_round = round_create(
        year=call.year, opens_on=today, closes_on=today + timedelta(days=30)
    )
    report = Report.objects.create(round=reporting_round, organisation=application.organisation)
    link = ReportLink(report=report, person=application.person)
    report_token = link.new_token()
    link.save()
    return {
        "call": call,
        "application": application,
        "token": token,
        "seat": seat_token,
        "report": report_token,
    }


def _url(
    name: str,
    args: list,
    world: dict,
    token: str,
    seat: str | None = None,
    report: str | None = None,
) -> str:
    values = {
        "{year}": world["call"].year,
        "{slug}": "trivsel",
        "{token}": token,
        "{seat}": seat or world["seat"],
        "{report}": report or world["report"],
        "{application}": world["application"].pk,
    }
    return reverse(name, args=[values.get(a, a) if isinstance(a, str) else a for a in args])


def _to_login(response) -> bool:
    """Sent to log in first (with the page asked for as `next`)."""
    return response.status_code == 302 and response["Location"].startswith(
        reverse("login") + "?next="
    )


def _allowed(response) -> bool:
    return not _to_login(response) and response.status_code not in {403, 405, 429, 500}


def _denied(response, role: str) -> bool:
    if role in {"anonymous", "applicant"}:
        return _to_login(response)
    return response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_each_role_gets_exactly_what_it_may(client, world, role):
    if role not in {"anonymous", "applicant"}:
        client.force_login(_user(role, world["call"]))
    wrong = []

    for name, (method, args, allowed) in MATRIX.items():
        if allowed == "private_missing":
            # A private link to an object that is not there: 404 for everyone, never 403 or
            # a login page (the link is the key).
            seat = world["seat"] if role == "applicant" else "x" * 43
            response = getattr(client, method)(_url(name, args, world, "x", seat))
            ok = response.status_code == 404
        elif allowed == "private":
            token = world["token"] if role == "applicant" else "x" * 43
            seat = world["seat"] if role == "applicant" else "x" * 43
            report = world["report"] if role == "applicant" else "x" * 43
            response = getattr(client, method)(_url(name, args, world, token, seat, report))
            ok = response.status_code < 400 if role == "applicant" else response.status_code == 404
        else:
            response = getattr(client, method)(_url(name, args, world, world["token"]))
            ok = _allowed(response) if role in allowed else _denied(response, role)
        if not ok:
            wrong.append((name, response.status_code))
        if name == "logout" and role not in {"anonymous", "applicant"}:
            client.force_login(_user(role, world["call"]))

    assert wrong == []


def _admin_urls() -> list[str]:
    from django.contrib import admin

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_admin_is_the_secretariats(client, world, role):
    if role not in {"anonymous", "applicant"}:
        client.force_login(_user(role, world["call"]))

    statuses = {url: client.get(url).status_code for url in _admin_urls()}

    expected = 200 if role == "secretariat" else 302
    assert {url: s for url, s in statuses.items() if s != expected} == {}


def test_role_matrix_leader_sees_sensitive_data_only_of_applications_to_own_track(world):
    own = _user("leader_own", world["call"])
    other = _user("leader_other", world["call"])
    application = Application.objects.get()

    assert own.has_perm("selection.see_sensitive", application) is True
    assert other.has_perm("selection.see_sensitive", application) is False
    assert _user("steering", world["call"]).has_perm("selection.see_sensitive", application)
    assert not _user("no_role", world["call"]).has_perm("selection.see_sensitive", application)


def test_every_page_answers_head_as_it_answers_get(client, world):
    """`curl -I` and link checkers ask HEAD: every page that answers GET answers HEAD the same."""
    client.force_login(_user("secretariat", world["call"]))
    different = []

    for name, (method, args, _allowed_roles) in MATRIX.items():
        if method != "get":
            continue
        url = _url(name, args, world, world["token"])
        get, head = client.get(url), client.head(url)
        if head.status_code != get.status_code:
            different.append((name, get.status_code, head.status_code))

    assert different == []


def test_admin_pages_have_no_empty_links_and_danish_sections(client, world):
    """axe's link-name: a filter on a field some rows leave blank listed a link with no text."""
    ApplicationFactory(call=world["call"], first_choice=world["call"].tracks.first(), role="")
    client.force_login(_user("secretariat", world["call"]))
    empty = []

    for url in _admin_urls():
        html = client.get(url).content.decode()
        empty += [
            (url, a)
            for a in re.findall(r"<a [^>]*>\s*</a>", html)
            if "title=" not in a and "aria-label=" not in a
        ]
    index = client.get(reverse("admin:index")).content.decode()

    assert empty == []
    sections = re.findall(r'class="section"[^>]*>([^<]+)</a>', index)
    assert sorted(sections) == [
        "Baggrundsopgaver",
        "E-mail",
        "Godkendelse og autorisation",
        "Handlesporenes år",
        "Login-spærring",
        "Open call og ansøgninger",
        "Partnerregister",
        "Persondata",
        "To-trins-login",
        "Udvælgelse",
        "Årlig rapportering",
    ]
