from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from handlespor.partners.domain import partners_import
from handlespor.tables import TableError


class Command(BaseCommand):
    help = (
        "Import the partner register from a CSV or XLSX file. A file with any error imports "
        "nothing; every error is reported with its row and column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: filen findes ikke.")
        try:
            report = partners_import(name=file.name, content=file.read_bytes())
        except TableError as error:
            raise CommandError(str(error)) from error
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"{file.name}, {error}")
            raise CommandError(f"{len(report.errors)} fejl; intet er importeret.")
        self.stdout.write(
            f"Organisationer: {report.organisations_created} nye, "
            f"{report.organisations_updated} opdateret. "
            f"Personer: {report.people_created} nye, {report.people_updated} opdateret."
        )
