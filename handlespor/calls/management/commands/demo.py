import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from handlespor.calls.demo import demo_create

DEMO_USERNAME = "sekretariat"


class Command(BaseCommand):
    help = "Set up the fictitious demo: a staff login, the open call, a register, applications."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2027)

    def handle(self, *args, seed: int, **options) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("The demo data is fictitious; it is not loaded in production.")
        password = os.environ.get("DEMO_PASSWORD", "handlespor-demo")
        user, _created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "sekretariat@example.org"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        call = demo_create(seed=seed)
        if call is None:
            self.stdout.write("The demo call exists already; nothing added.")
        else:
            self.stdout.write(
                f"Created {call.title}: {call.tracks.count()} tracks, "
                f"{call.applications.count()} applications."
            )
        site = settings.SITE_URL
        self.stdout.write(
            f"\nStaff login: {site}{reverse('admin:login')}  "
            f"user “{DEMO_USERNAME}”, password “{password}”\n"
            f"Dashboard:   {site}{reverse('backoffice:home')}\n"
            f"The call:    {site}/\n"
            f"E-mails are written as files to {settings.MAIL_FILE_DIR}\n"
        )
