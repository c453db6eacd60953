from datetime import timedelta

import pytest
from django.utils import timezone

from handlespor.reporting.domain import round_create
from tests.factories import OrganisationFactory, PersonFactory


@pytest.fixture
def open_round(db):
    """The 2026 round with the example questionnaire, open since yesterday for 20 more days."""
    today = timezone.localdate()
    return round_create(
        year=2026, opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=20)
    )


@pytest.fixture
def partner(db):
    """An organisation with two contact people."""
    organisation = OrganisationFactory(name="Spillestedet Tinghallen")
    PersonFactory(name="Anna Kontakt", email="anna@tinghallen.dk", organisation=organisation)
    PersonFactory(name="Bo Kollega", email="bo@tinghallen.dk", organisation=organisation)
    return organisation


# Answers to every required question of the example questionnaire.
COMPLETE = {
    "koen_bestyrelse": {
        "total": 7,
        "Kvinde": 3,
        "Mand": 4,
        "Nonbinær": 0,
        "Andet": 0,
        "Ønsker ikke at oplyse": 0,
    },
    "koen_ledelse": {
        "total": 2,
        "Kvinde": 1,
        "Mand": 1,
        "Nonbinær": 0,
        "Andet": 0,
        "Ønsker ikke at oplyse": 0,
    },
    "koen_ansatte": {
        "total": 10,
        "Kvinde": 5,
        "Mand": 4,
        "Nonbinær": 1,
        "Andet": 0,
        "Ønsker ikke at oplyse": 0,
    },
    "politik_kraenkelser": True,
    "kontaktperson_kraenkelser": True,
    "trivsel_maalt": False,
    "trinfri_adgang": "Delvist",
    "ansatte_i_alt": 10,
}


def complete_post(action: str = "submit") -> dict[str, str]:
    """The answer form filled in as COMPLETE, as a browser posts it."""
    data = {"action": action}
    for key in ("koen_bestyrelse", "koen_ledelse", "koen_ansatte"):
        value = COMPLETE[key]
        data[key] = str(value["total"])
        for index, gender in enumerate(
            ("Kvinde", "Mand", "Nonbinær", "Andet", "Ønsker ikke at oplyse")
        ):
            data[f"{key}__{index}"] = str(value[gender])
    data.update(
        politik_kraenkelser="ja",
        kontaktperson_kraenkelser="ja",
        trivsel_maalt="nej",
        trinfri_adgang="Delvist",
        ansatte_i_alt="10",
    )
    return data
