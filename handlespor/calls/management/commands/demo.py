import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from handlespor.calls.demo import demo_create
from handlespor.calls.models import Call, Track
from handlespor.inbox.domain import inbound_upload
from handlespor.roles import SECRETARIAT, STEERING_GROUP
from handlespor.trackyear.demo import demo_year_create

DEMO_USERNAME = "sekretariat"


class Command(BaseCommand):
    def _selection_users(self, password: str) -> None:
        """A steering-group member and a leader for each track (of both demo calls)."""
        User = get_user_model()
        steering, _ = Group.objects.get_or_create(name=STEERING_GROUP)
        Group.objects.get_or_create(name=SECRETARIAT)[0].user_set.add(
            User.objects.get(username=DEMO_USERNAME)
        )
        member, _ = User.objects.get_or_create(username="styregruppe")
        member.set_password(password)
        member.save()
        member.groups.add(steering)
        for track in Track.objects.all():
            leader, _ = User.objects.get_or_create(username=f"leder-{track.slug}")
            leader.set_password(password)
            leader.save()
            track.leaders.add(leader)

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
        last_year = demo_year_create(user=user)
        call = demo_create(seed=seed)
        self._selection_users(password)
        for path in sorted((settings.BASE_DIR / "examples" / "mail").glob("*.eml")):
            report = inbound_upload(filename=path.name, data=path.read_bytes())
            self.stdout.write(f"E-mail {path.name}: {report.summary()}")
        if last_year is not None:
            self.stdout.write(f"Created {last_year.title}: released, its year under way.")
        if call is None:
            self.stdout.write("The demo call exists already; nothing added.")
        else:
            self.stdout.write(
                f"Created {call.title}: {call.tracks.count()} tracks, "
                f"{call.applications.count()} applications."
            )
        site = settings.SITE_URL
        year = Call.objects.order_by("-year").values_list("year", flat=True).first()
        self.stdout.write(
            f"\nLog in:      {site}{reverse('login')}  password “{password}” for every user:\n"
            f"             “{DEMO_USERNAME}” and “styregruppe” land on "
            f"{site}{reverse('backoffice:home')}\n"
            f"             “leder-trivsel” (one per track) lands on "
            f"{site}{reverse('selection:reviews', args=[year])}\n"
            f"Inbox:       {site}{reverse('inbox:list')}  (e-mails taken in)\n"
            f"Last year:   {site}{reverse('trackyear:overview', args=[year - 1])}  (the tracks' "
            f"year under way; “leder-trivsel” has a poll open and a meeting held)\n"
            f"The call:    {site}/\n"
            f"E-mails are written as files to {settings.MAIL_FILE_DIR}\n"
        )
