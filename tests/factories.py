import io
from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import Workbook

from handlespor.calls.models import Application, Call, Target, Track
from handlespor.links import hash_token
from handlespor.partners.models import Organisation, Person, ReportingYear


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Spillested {n}")
    actor_type = "Spillested/koncertsted"
    postcode = "8000"
    is_active = True

    @factory.post_generation
    def reported(self, create: bool, extracted: list[int] | None, **kwargs) -> None:
        years = [2025] if extracted is None else extracted
        for year in years:
            ReportingYear.objects.create(organisation=self, year=year)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    year = 2027
    title = "Open call: handlespor 2027"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    required_reporting_year = 2025


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Handlespor {n}")
    slug = factory.Sequence(lambda n: f"spor-{n}")
    position = factory.Sequence(lambda n: n)
    description = "Et handlespor."


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    call = factory.SubFactory(CallFactory)
    attribute = "gender"
    kind = Target.Kind.MIN_SHARE
    values = factory.LazyFunction(lambda: ["Kvinde"])
    amount = Decimal(40)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    person = factory.SubFactory(PersonFactory)
    name = factory.LazyAttribute(lambda o: o.person.name)
    email = factory.LazyAttribute(lambda o: o.person.email)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation)
    first_choice = factory.SubFactory(TrackFactory, call=factory.SelfAttribute("..call"))
    motivation = "Jeg vil gerne bidrage."
    contribution = "Erfaring."
    actor_type = "Spillested/koncertsted"
    role = "Ledelse"
    music_fields = factory.LazyFunction(lambda: ["Rytmisk"])
    region = "Midtjylland"
    gender = "Kvinde"
    seniority = "11–20 år"
    confirms_attendance = True
    confirms_own_costs = True
    confirms_reporting = True
    confirms_mandate = True
    consent_at = factory.LazyFunction(timezone.now)
    eligibility = Application.Eligibility.ELIGIBLE
    token_hash = factory.Sequence(lambda n: hash_token(f"token-{n}"))


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    is_superuser = True
    password = factory.django.Password("secret-pass")


def at(text: str) -> datetime:
    """A moment in Copenhagen time, written as 'YYYY-MM-DD HH:MM:SS'."""
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Copenhagen"))


def xlsx_file(rows: list[list[object]]) -> bytes:
    """An XLSX file whose first sheet holds these rows."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
