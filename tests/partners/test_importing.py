import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from handlespor.partners.domain import partners_import
from handlespor.partners.models import Organisation, Person, ReportingYear
from handlespor.tables import TableError
from tests.factories import OrganisationFactory, StaffFactory, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = (
    "Organisation;Aktørtype;Postnummer;Region;Partner siden;Aktiv;Rapportering;"
    "Kontaktperson;E-mail;Titel"
)
GOOD_CSV = "\n".join(
    [
        HEADER,
        "Musikhuset Nord;Spillested/koncertsted;9000;;2021-03-01;ja;2024, 2025;"
        "Anne Jensen;anne@nord.dk;Leder",
        "Musikhuset Nord;Spillested/koncertsted;9000;;;ja;;Lars Holm;LARS@nord.dk;",
        "Dansk Jazzforbund;Genreorganisation;;Landsdækkende;2019;nej;2023;;;",
    ]
)


def test_partners_import_csv_creates_organisations_people_and_reports():
    report = partners_import(name="register.csv", content=GOOD_CSV.encode())

    assert report.ok
    assert (report.organisations_created, report.people_created) == (2, 2)
    nord = Organisation.objects.get(name="Musikhuset Nord")
    assert nord.region == "Nordjylland"
    assert sorted(nord.reports.values_list("year", flat=True)) == [2024, 2025]
    assert sorted(nord.people.values_list("email", flat=True)) == ["anne@nord.dk", "lars@nord.dk"]
    jazz = Organisation.objects.get(name="Dansk Jazzforbund")
    assert (jazz.is_active, jazz.region, str(jazz.partner_since)) == (
        False,
        "Landsdækkende",
        "2019-01-01",
    )


def test_partners_import_updates_by_name_ignoring_case():
    OrganisationFactory(name="MUSIKHUSET NORD", actor_type="Festival", reported=[2022])

    report = partners_import(name="register.csv", content=GOOD_CSV.encode())

    assert (report.organisations_created, report.organisations_updated) == (1, 1)
    nord = Organisation.objects.get(name__iexact="musikhuset nord")
    assert nord.actor_type == "Spillested/koncertsted"
    assert sorted(nord.reports.values_list("year", flat=True)) == [2022, 2024, 2025]


def test_partners_importxlsx_file():
    content = xlsx_file(
        [
            ["Organisation", "Aktørtype", "Postnummer", "Rapportering"],
            ["Vestegnens Festival", "festival", 2650, 2025],
        ]
    )

    report = partners_import(name="register.xlsx", content=content)

    assert report.ok
    organisation = Organisation.objects.get()
    assert (organisation.actor_type, organisation.postcode, organisation.region) == (
        "Festival",
        "2650",
        "Hovedstaden",
    )


def test_partners_import_cp1252_csv():
    content = (HEADER + "\nSønderborg Musikskole;Musik-/kulturskole;6400").encode("cp1252")

    report = partners_import(name="register.csv", content=content)

    assert report.ok
    assert Organisation.objects.get().name == "Sønderborg Musikskole"


def test_partners_import_with_errors_reports_row_and_column_and_stores_nothing():
    bad = "\n".join(
        [
            HEADER,
            "Musikhuset Nord;Spillested/koncertsted;9000;;;ja;2025;;;",
            ";Hackere;12;Mars;i går;måske;20x5;;ikke-en-mail;",
        ]
    )

    report = partners_import(name="register.csv", content=bad.encode())

    assert [str(e) for e in report.errors] == [
        "række 3, kolonne “organisation”: mangler navn",
        "række 3, kolonne “aktørtype”: “Hackere” er ikke en kendt aktørtype",
        "række 3, kolonne “postnummer”: “12” er ikke et dansk postnummer",
        "række 3, kolonne “region”: “Mars” er ikke en kendt region",
        "række 3, kolonne “partner siden”: “i går” er ikke en dato (brug ÅÅÅÅ-MM-DD)",
        "række 3, kolonne “aktiv”: “måske” er hverken ja eller nej",
        "række 3, kolonne “rapportering”: “20x5” er ikke et årstal",
        "række 3, kolonne “e-mail”: “ikke-en-mail” er ikke en gyldig e-mailadresse",
        "række 3, kolonne “kontaktperson”: en person med e-mail skal have et navn",
    ]
    assert Organisation.objects.count() == 0
    assert ReportingYear.objects.count() == 0
    assert Person.objects.count() == 0


def test_partners_import_missing_column_is_reported():
    report = partners_import(name="register.csv", content=b"Navn;Postnummer\nX;8000\n")

    assert [str(e) for e in report.errors] == ["række 1, kolonne “aktørtype”: kolonnen mangler"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("register.pdf", b"%PDF", "register.pdf: kun .csv og .xlsx kan læses."),
        ("register.csv", b"", "register.csv: filen er tom."),
        ("register.xlsx", b"not a zip", "register.xlsx: ikke en læsbar XLSX-fil"),
    ],
)
def test_partners_import_unreadable_file_raises_a_clear_error(name, content, message):
    with pytest.raises(TableError) as error:
        partners_import(name=name, content=content)

    assert str(error.value).startswith(message)


def test_import_partners_command(tmp_path: Path, capsys):
    path = tmp_path / "register.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")

    call_command("import_partners", str(path))

    assert "Organisationer: 2 nye, 0 opdateret. Personer: 2 nye, 0 opdateret." in (
        capsys.readouterr().out
    )


def test_import_partners_command_with_errors_fails(tmp_path: Path):
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "\nX;Ukendt", encoding="utf-8")

    with pytest.raises(CommandError, match=r"1 fejl; intet er importeret\."):
        call_command("import_partners", str(path))

    assert Organisation.objects.count() == 0


def test_admin_import_view_imports_a_file(client):
    client.force_login(StaffFactory())
    upload = io.BytesIO(GOOD_CSV.encode())
    upload.name = "register.csv"

    response = client.post(reverse("admin:partners_organisation_import"), {"file": upload})

    assert response.status_code == 302
    assert Organisation.objects.count() == 2


def test_admin_import_view_shows_row_errors_and_stores_nothing(client):
    client.force_login(StaffFactory())
    upload = io.BytesIO((HEADER + "\nX;Ukendt").encode())
    upload.name = "register.csv"

    response = client.post(reverse("admin:partners_organisation_import"), {"file": upload})

    assert response.status_code == 200
    assert "række 2, kolonne “aktørtype”: “Ukendt” er ikke en kendt aktørtype" in (
        response.content.decode()
    )
    assert Organisation.objects.count() == 0


def test_admin_organisation_list_query_count(client, django_assert_max_num_queries):
    client.force_login(StaffFactory())
    for _ in range(20):
        OrganisationFactory()

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:partners_organisation_changelist"))

    assert response.status_code == 200
