"""Workflows of the partner register."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Lower

from handlespor.partners.importing import PartnerRow, parse_partner_file
from handlespor.partners.models import Organisation, Person, ReportingYear
from handlespor.tables import RowError


@dataclass(frozen=True)
class ImportReport:
    errors: list[RowError]
    organisations_created: int = 0
    organisations_updated: int = 0
    people_created: int = 0
    people_updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _upsert_organisation(row: PartnerRow, known: dict[str, Organisation]) -> bool:
    key = row.organisation.lower()
    organisation = known.get(key) or Organisation(name=row.organisation)
    created = organisation.pk is None
    organisation.actor_type = row.actor_type
    organisation.is_active = row.is_active
    if row.postcode:
        organisation.postcode = row.postcode
        organisation.region = row.region
    elif row.region:
        organisation.region = row.region
    if row.partner_since:
        organisation.partner_since = row.partner_since
    organisation.save()
    known[key] = organisation
    ReportingYear.objects.bulk_create(
        [ReportingYear(organisation=organisation, year=year) for year in row.reporting_years],
        ignore_conflicts=True,
    )
    return created


def partners_import(*, name: str, content: bytes) -> ImportReport:
    """Import a register file: all rows or, when any row has an error, none.

    Side effects: creates or updates Organisations (matched by name, ignoring case), adds their
    ReportingYears (never removes one), creates or updates People (matched by e-mail).
    Raises TableError when the file cannot be read at all.
    """
    parsed = parse_partner_file(name, content)
    if parsed.errors:
        return ImportReport(errors=parsed.errors)
    created_orgs: set[str] = set()
    touched_orgs: set[str] = set()
    people_created = people_updated = 0
    with transaction.atomic():
        names = {row.organisation.lower() for row in parsed.rows}
        known = {
            org.name.lower(): org
            for org in Organisation.objects.annotate(lname=Lower("name")).filter(lname__in=names)
        }
        for row in parsed.rows:
            key = row.organisation.lower()
            if key not in touched_orgs:
                if _upsert_organisation(row, known):
                    created_orgs.add(key)
                touched_orgs.add(key)
            if row.person_email:
                _person, created = Person.objects.update_or_create(
                    email=row.person_email,
                    defaults={
                        "name": row.person_name,
                        "title": row.person_title,
                        "organisation": known[key],
                    },
                )
                people_created += created
                people_updated += not created
    return ImportReport(
        errors=[],
        organisations_created=len(created_orgs),
        organisations_updated=len(touched_orgs - created_orgs),
        people_created=people_created,
        people_updated=people_updated,
    )
