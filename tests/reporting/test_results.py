import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from handlespor.reporting import domain
from handlespor.reporting.models import Report, ReportVersion
from handlespor.reporting.results import round_results
from handlespor.roles import SECRETARIAT, STEERING_GROUP
from tests.factories import OrganisationFactory, StaffFactory, xlsx_file
from tests.reporting.conftest import COMPLETE

pytestmark = pytest.mark.django_db


def _submitted(reporting_round, count: int, **organisation) -> None:
    for number in range(count):
        org = OrganisationFactory(
            name=f"{organisation.get('actor_type', 'Org')} {number}", **organisation
        )
        report = Report.objects.create(round=reporting_round, organisation=org)
        domain.report_save(
            report=report,
            values={**COMPLETE, "politik_kraenkelser": number % 2 == 0},
            by="K",
            submit=True,
        )


def _figure(results, key):
    return next(r for r in results if r.question.key == key).figures


def test_results_hide_a_figure_from_four_organisations_and_show_it_from_five(open_round):
    _submitted(open_round, 4)
    hidden = _figure(round_results(open_round), "politik_kraenkelser")[0]
    _submitted(open_round, 1, actor_type="Festival")

    shown = _figure(round_results(open_round), "politik_kraenkelser")[0]

    assert (hidden.answered, hidden.hidden, hidden.bars) == (4, True, [])
    assert (shown.answered, shown.hidden) == (5, False)
    assert [(bar.label, bar.text) for bar in shown.bars] == [
        ("Ja", "3 · 60 %"),
        ("Nej", "2 · 40 %"),
    ]


def test_results_by_actor_type_hide_each_small_group(open_round):
    _submitted(open_round, 5, actor_type="Festival")
    _submitted(open_round, 2, actor_type="Fond")

    figures = _figure(round_results(open_round, grouping="aktoertype"), "politik_kraenkelser")

    assert [(f.label, f.answered, f.hidden) for f in figures] == [
        ("Festival", 5, False),
        ("Fond", 2, True),
    ]


def test_results_gender_split_is_a_stacked_bar_of_the_summed_counts(open_round):
    _submitted(open_round, 5)

    figure = _figure(round_results(open_round), "koen_ansatte")[0]

    assert [(s.label, s.count) for s in figure.segments] == [
        ("Kvinde", 25),
        ("Mand", 20),
        ("Nonbinær", 5),
        ("Andet", 0),
        ("Ønsker ikke at oplyse", 0),
    ]
    assert figure.summary == "50 personer i alt"


def test_results_compare_with_the_previous_round_where_the_question_is_the_same(open_round):
    earlier = domain.round_create(
        year=2025,
        opens_on=open_round.opens_on - timedelta(days=365),
        closes_on=open_round.closes_on - timedelta(days=365),
    )
    for number in range(6):
        org = OrganisationFactory(name=f"Tidligere {number}")
        Report.objects.create(
            round=earlier, organisation=org, status="submitted", values={"trivsel_maalt": True}
        )
    _submitted(open_round, 5)

    result = next(r for r in round_results(open_round) if r.question.key == "trivsel_maalt")

    assert result.previous.label == "2025"
    assert [(bar.label, bar.text) for bar in result.previous.bars] == [
        ("Ja", "6 · 100 %"),
        ("Nej", "0 · 0 %"),
    ]


@pytest.fixture
def steering(client):
    user = StaffFactory(is_staff=False, is_superuser=False)
    user.groups.add(Group.objects.get_or_create(name=STEERING_GROUP)[0])
    client.force_login(user)
    return user


def test_results_page_shows_charts_and_says_what_is_hidden(client, steering, open_round):
    _submitted(open_round, 5, actor_type="Festival")
    _submitted(open_round, 1, actor_type="Fond")

    whole = client.get(reverse("reporting:results", args=[2026])).content.decode()
    split = client.get(reverse("reporting:results", args=[2026]) + "?opdelt=aktoertype")

    policy = _section(whole, "politik_kraenkelser")
    policy_split = _section(split.content.decode(), "politik_kraenkelser")
    assert "6 organisationer har indsendt." in whole
    assert 'class="bars"' in policy and "4 · 67 %" in policy
    assert 'class="stacked-svg"' in _section(whole, "koen_ansatte")
    assert "Ingen har svaret." in _section(whole, "koen_kunstnere")
    assert "Færre end 5" not in policy
    assert "Festival <small>5 svar</small>" in policy_split
    assert "Fond <small>1 svar</small>" in policy_split
    assert policy_split.count("Færre end 5 organisationer har svaret; tallet vises ikke.") == 1


def _section(page: str, key: str) -> str:
    start = page.index(f'aria-labelledby="q-{key}"')
    return page[start : page.index("</section>", start)]


def test_aggregate_export_hides_small_groups(client, steering, open_round):
    _submitted(open_round, 5, actor_type="Festival")
    _submitted(open_round, 1, actor_type="Fond")

    response = client.get(reverse("reporting:aggregate_export", args=[2026]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    policy = [r for r in rows if r[0] == "politik_kraenkelser"]
    assert [
        "politik_kraenkelser",
        "Har organisationen en politik mod krænkelser?",
        "i alt",
        "2026",
        "6",
        "Ja",
        "4",
        "67 %",
    ] in policy
    assert [
        "politik_kraenkelser",
        "Har organisationen en politik mod krænkelser?",
        "aktørtype",
        "Fond",
        "færre end 5",
        "",
        "",
        "",
    ] in policy
    assert not any("Fond 0" in str(cell) for row in rows for cell in row)


def test_rows_export_is_the_secretariats_and_holds_every_answer(client, open_round):
    _submitted(open_round, 1, actor_type="Festival")
    user = StaffFactory(is_staff=False, is_superuser=False)
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    client.force_login(user)

    response = client.get(reverse("reporting:rows_export", args=[2026, "csv"]))

    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    row = dict(zip(header, lines[1].split(";"), strict=True))
    assert header[:5] == ["organisation", "aktørtype", "region", "status", "indsendt"]
    assert row["organisation"] == "Festival 0"
    assert row["koen_ansatte"] == "10"
    assert row["koen_ansatte.Nonbinær"] == "1"
    assert row["politik_kraenkelser"] == "ja"
    assert row["trinfri_adgang"] == "Delvist"


def test_import_of_an_earlier_year_stores_submitted_reports(open_round):
    earlier = domain.round_create(
        year=2024,
        opens_on=timezone.localdate() - timedelta(days=800),
        closes_on=timezone.localdate() - timedelta(days=700),
    )
    OrganisationFactory(name="Tinghallen")
    content = xlsx_file(
        [
            [
                "organisation",
                "politik_kraenkelser",
                "koen_ledelse",
                "koen_ledelse.Kvinde",
                "koen_ledelse.Mand",
                "adgangstiltag",
            ],
            ["tinghallen", "ja", 3, 2, 1, "Teleslynge; Tegnsprogstolkning"],
        ]
    )

    result = domain.reports_import(reporting_round=earlier, name="2024.xlsx", content=content)

    report = Report.objects.get(round=earlier)
    assert (result.ok, result.imported) == (True, 1)
    assert report.status == Report.Status.SUBMITTED
    assert report.imported is True
    assert report.values == {
        "koen_ledelse": {
            "total": 3,
            "Kvinde": 2,
            "Mand": 1,
            "Nonbinær": 0,
            "Andet": 0,
            "Ønsker ikke at oplyse": 0,
        },
        "politik_kraenkelser": True,
        "adgangstiltag": ["Teleslynge", "Tegnsprogstolkning"],
    }
    assert report.organisation.reported_for(2024) is True
    assert [v.kind for v in report.versions.all()] == [ReportVersion.Kind.IMPORTED]


def test_import_names_the_row_and_column_of_each_error_and_imports_nothing(open_round):
    OrganisationFactory(name="Tinghallen")
    OrganisationFactory(name="Festivalen")
    content = xlsx_file(
        [
            ["organisation", "trivsel_svarprocent", "koen_ledelse", "koen_ledelse.Kvinde", "farve"],
            ["Tinghallen", 50, 2, 2, ""],
            ["Festivalen", 150, 3, 1, ""],
            ["Ukendt", "", "", "", ""],
        ]
    )

    first = domain.reports_import(reporting_round=open_round, name="x.xlsx", content=content)
    content = xlsx_file(
        [
            row[:4]
            for row in [
                ["organisation", "trivsel_svarprocent", "koen_ledelse", "koen_ledelse.Kvinde"],
                ["Tinghallen", 50, 2, 2],
                ["Festivalen", 150, 3, 1],
                ["Ukendt", "", "", ""],
            ]
        ]
    )
    second = domain.reports_import(reporting_round=open_round, name="x.xlsx", content=content)

    assert [str(e) for e in first.errors] == [
        "række 1, kolonne “farve”: ukendt kolonne; brug spørgsmålenes nøgler"
    ]
    assert [str(e) for e in second.errors] == [
        "række 3, kolonne “koen_ledelse”: delene giver 1, men det samlede antal er 3",
        "række 3, kolonne “trivsel_svarprocent”: skal være mellem 0 og 100",
        "række 4, kolonne “organisation”: “Ukendt” er ikke i partnerregistret",
    ]
    assert Report.objects.count() == 0
