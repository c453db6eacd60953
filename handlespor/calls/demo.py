"""Fictitious demo data: the open call of the seed, a partner register and applications with the
spreads of Danish music life (many from Hovedstaden, few from Nordjylland, gender skewed by
actor type). Deterministic for a given seed. Everything here is made up."""

import random
import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from handlespor.attributes import ACTOR_TYPES, MUSIC_FIELDS, ROLES, SENIORITY_BANDS, WOMEN_SHARE
from handlespor.calls.domain import call_create_with_defaults, eligibility_reassess
from handlespor.calls.models import Application, ApplicationEvent, Call
from handlespor.links import hash_token
from handlespor.partners.models import Organisation, Person, ReportingYear
from handlespor.reporting.demo import demo_reports_create, demo_rounds_create

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

TRACKS = [
    {
        "name": "Trivsel i musiklivet",
        "slug": "trivsel",
        "description": (
            "Et godt og sundt arbejdsmiljø på tværs af musiklivet: forebyggelse af stress, "
            "krænkelser og ensomhed, og fælles redskaber, som både små og store aktører kan bruge."
        ),
    },
    {
        "name": "Lige adgang i musiklivet",
        "slug": "lige-adgang",
        "description": (
            "Lige adgang til musiklivet som udøver, ansat og publikum, uanset køn, baggrund, "
            "funktionsevne og bopæl. Handlesporet arbejder med data, rekruttering og gode "
            "eksempler."
        ),
    },
    {
        "name": "Musiklivets infrastrukturer",
        "slug": "infrastrukturer",
        "description": (
            "Spillesteder, øvelokaler, uddannelse, turnénetværk og digitale platforme: de "
            "strukturer, musiklivet hviler på, og hvordan de kan hænge bedre sammen."
        ),
        "terms_of_reference": (
            "## Formål\n"
            "Handlesporet skal styrke samarbejdet om musiklivets fysiske og digitale "
            "infrastrukturer på tværs af genrer, sektorer og aktører.\n\n"
            "## Opgaver\n"
            "- kortlægge huller og overlap i den eksisterende infrastruktur\n"
            "- udvikle konkrete forslag, som partnerne kan handle på\n"
            "- dele viden med partnerkredsen på branchedagen\n\n"
            "## Organisering\n"
            "8–12 deltagere, 3–4 fysiske møder om året. Handlesporslederen og sekretariatet "
            "forbereder møderne; arbejdet fortsætter mellem møderne.\n"
        ),
    },
    {
        "name": "Grønnere musik",
        "slug": "groennere-musik",
        "description": (
            "Musiklivets klimaaftryk: transport, energi, materialer og publikums rejser. "
            "Handlesporet samler erfaringer og gør det lettere at vælge grønt."
        ),
    },
]
for _track in TRACKS:
    _track.setdefault(
        "terms_of_reference",
        f"## Formål\nHandlesporet {_track['name'].lower()} samler partnere om konkrete, "
        "tværgående løsninger.\n\n## Organisering\n8–12 deltagere, 3–4 møder om året.\n",
    )

INTRO = (
    "Med afsæt i partnerskabets strategi og input fra branchedagen åbner vi for deltagelse i "
    "fire handlespor. Handlesporene skal styrke samarbejde, netværk og handlekraft mellem "
    "musiklivets aktører og finde tværgående løsninger på konkrete problemstillinger."
)

# Region -> (weight among organisations, sample postcodes).
REGIONS = {
    "Hovedstaden": (40, ["1050", "1620", "2100", "2200", "2300", "2400", "2800", "3000", "3400"]),
    "Midtjylland": (20, ["8000", "8200", "8600", "7400", "8900", "8700"]),
    "Syddanmark": (15, ["5000", "6000", "6700", "7100", "6400", "5700"]),
    "Sjælland": (8, ["4000", "4200", "4700", "4800"]),
    "Nordjylland": (5, ["9000", "9800", "7700"]),
    "Landsdækkende": (12, []),
}
ORG_WORDS = {
    "Spillested/koncertsted": ["Spillestedet", "Musikhuset", "Koncertsalen", "Scenen"],
    "Festival": ["Festivalen", "Sommerfestival", "Jazzfestival", "Folkfestival"],
    "Orkester/ensemble/kor": ["Symfoniorkester", "Ensemble", "Kammerkor", "Bigband"],
    "Musik-/kulturskole": ["Musikskole", "Kulturskole"],
    "Konservatorium/uddannelse": ["Musikkonservatorium", "Musikakademi"],
    "Pladeselskab": ["Records", "Plader"],
    "Musikforlag": ["Musikforlag", "Edition"],
    "Booking/management": ["Booking", "Management"],
    "Rettighedsorganisation": ["Rettighedsforening"],
    "Fagforening/interesseorganisation": ["Musikerforening", "Brancheforening"],
    "Genreorganisation": ["Jazzforbund", "Rytmisk Netværk", "Kormusikforbund"],
    "Medie": ["Radio", "Musikmagasin"],
    "Kommune/offentlig": ["Kulturforvaltning", "Kommunes Musikråd"],
    "Fond": ["Musikfond", "Kulturfond"],
    "Skabende/udøvende kunstner": ["Kunstnerkollektiv", "Komponistværksted"],
    "Andet": ["Musiknetværk", "Videnscenter"],
}
PLACES = [
    "Nord",
    "Syd",
    "Øst",
    "Vest",
    "Fjord",
    "Bakke",
    "Havne",
    "Skov",
    "Å",
    "Lyng",
    "Klit",
    "Sø",
    "Bro",
    "Mølle",
    "Vestegn",
    "Kyst",
    "Dal",
    "Eng",
    "Mark",
    "By",
]
WOMEN = [
    "Anne",
    "Mette",
    "Louise",
    "Sofie",
    "Camilla",
    "Maria",
    "Ida",
    "Julie",
    "Line",
    "Signe",
    "Karen",
    "Nanna",
    "Freja",
    "Astrid",
    "Helle",
    "Birgitte",
]
MEN = [
    "Lars",
    "Jens",
    "Peter",
    "Mikkel",
    "Rasmus",
    "Søren",
    "Anders",
    "Thomas",
    "Jakob",
    "Martin",
    "Morten",
    "Kasper",
    "Henrik",
    "Frederik",
    "Mads",
    "Niels",
]
OTHERS = ["Alex", "Robin", "Kim", "Sam", "Charlie"]
SURNAMES = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Holm",
    "Lund",
    "Kjær",
    "Dahl",
]
TRACK_WEIGHTS = [38, 27, 20, 15]  # trivsel is popular, grønnere musik chosen by few
MOTIVATIONS = [
    "Vi oplever på nærmeste hold, hvordan {topic} påvirker vores medarbejdere og kunstnere, "
    "og vil gerne være med til at finde løsninger, der virker på tværs af musiklivet.",
    "Jeg arbejder med {topic} i min rolle ({role_l}, {actor_l}) og vil gerne dele mine "
    "erfaringer og lære af andre partnere.",
    "Vi har arbejdet med {topic} i flere år og kan bidrage med data og konkrete erfaringer.",
]
CONTRIBUTIONS = [
    "Erfaring med projektledelse, netværk i {region} og mulighed for at lægge lokaler til.",
    "Data fra vores egen rapportering og kontakt til mange udøvende musikere.",
    "Viden om finansiering, fonde og samarbejde med kommunerne.",
    "Praktisk erfaring fra produktion og drift, og lyst til at teste nye løsninger.",
]
TOPICS = ["trivsel", "lige adgang", "infrastruktur", "bæredygtighed"]


def demo_deadline(now: datetime) -> datetime:
    """12 December 23:59 Copenhagen time of this year, or of next year once it has passed."""
    local_now = timezone.localtime(now, COPENHAGEN)
    deadline = datetime(local_now.year, 12, 12, 23, 59, tzinfo=COPENHAGEN)
    if local_now >= deadline + timedelta(minutes=1):
        deadline = deadline.replace(year=local_now.year + 1)
    return deadline


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _organisations(rng: random.Random, count: int, report_year: int) -> list[Organisation]:
    region_weights = {region: weight for region, (weight, _codes) in REGIONS.items()}
    actor_weights = {
        a: 3.0
        if a
        in {
            "Spillested/koncertsted",
            "Festival",
            "Orkester/ensemble/kor",
            "Musik-/kulturskole",
            "Genreorganisation",
        }
        else 1.5
        for a in ACTOR_TYPES
    }
    # Names already in the register (e.g. of another demo call) are not made twice.
    names = {name.lower() for name in Organisation.objects.values_list("name", flat=True)}
    organisations = []
    while len(organisations) < count:
        actor_type = _weighted(rng, actor_weights)
        region = _weighted(rng, region_weights)
        prefix = rng.choice(PLACES) + rng.choice(["", "egnens ", "byens "])
        name = prefix + rng.choice(ORG_WORDS[actor_type])
        name = name[0].upper() + name[1:]
        if name.lower() in names:
            continue
        names.add(name.lower())
        codes = REGIONS[region][1]
        organisation = Organisation.objects.create(
            name=name,
            actor_type=actor_type,
            postcode=rng.choice(codes) if codes else "",
            region=region,
            partner_since=date(rng.randint(2019, report_year), rng.randint(1, 12), 1),
            is_active=rng.random() > 0.05,
        )
        years = list(range(organisation.partner_since.year, report_year + 1))
        if rng.random() < 0.1:
            years = years[:-1]  # last year's reporting is missing
        ReportingYear.objects.bulk_create(
            ReportingYear(organisation=organisation, year=y) for y in years
        )
        organisations.append(organisation)
    return organisations


def _applicant(rng: random.Random, organisation: Organisation | None, used: set[str]) -> dict:
    actor_type = organisation.actor_type if organisation else rng.choice(ACTOR_TYPES)
    women = WOMEN_SHARE.get(actor_type, 0.5)
    roll = rng.random()
    if roll < 0.04:
        gender, first = (
            rng.choice(["Nonbinær", "Andet", "Ønsker ikke at oplyse"]),
            rng.choice(OTHERS),
        )
    elif roll < 0.07:
        gender, first = "", rng.choice(OTHERS + WOMEN + MEN)
    elif roll < 0.07 + women * 0.93:
        gender, first = "Kvinde", rng.choice(WOMEN)
    else:
        gender, first = "Mand", rng.choice(MEN)
    name = f"{first} {rng.choice(SURNAMES)}"
    base = name.lower().replace(" ", ".").replace("ø", "oe").replace("æ", "ae").replace("å", "aa")
    email = f"{base}@example.org"
    suffix = 2
    while email in used:
        email = f"{base}{suffix}@example.org"
        suffix += 1
    used.add(email)
    return {"name": name, "email": email, "gender": gender, "actor_type": actor_type}


@transaction.atomic
def demo_create(
    *,
    seed: int = 2027,
    organisations: int = 80,
    applications: int = 150,
    now: datetime | None = None,
    reporting: bool = True,
) -> Call | None:
    """Create the demo call, register and applications; None when the call exists already.
    With `reporting`, the yearly reporting too: the eligibility then follows from it.

    Side effects: stores a Call with four Tracks and default Targets, Organisations with their
    ReportingYears, People, Applications and their "submitted" events; with `reporting`, last
    year's closed round and this year's open one with the register's answers (see
    `reporting.demo`) and a contact person for each organisation. Sends no e-mail.
    """
    now = now or timezone.now()
    deadline = demo_deadline(now)
    if Call.objects.filter(year=deadline.year + 1).exists():
        return None
    rng = random.Random(seed)
    rounds = demo_rounds_create(today=timezone.localdate(now)) if reporting else None
    opens_at = min(
        datetime(deadline.year, 11, 24, 9, 0, tzinfo=COPENHAGEN), now - timedelta(days=1)
    )
    call = call_create_with_defaults(
        year=deadline.year + 1,
        title=f"Open call: handlespor {deadline.year + 1}",
        intro=INTRO,
        opens_at=opens_at,
        deadline=deadline,
        tracks=TRACKS,
    )
    # The register records the reporting years up to the year before the call opens (the
    # years before the rounds, when there are rounds).
    register = _organisations(rng, organisations, timezone.localtime(opens_at).year - 1)
    tracks = list(call.tracks.order_by("position"))
    used: set[str] = set(Person.objects.values_list("email", flat=True))
    window = max(now - opens_at, timedelta(minutes=1))
    for index in range(applications):
        submitted_at = opens_at + window * (index / applications)
        organisation = None if rng.random() < 0.06 else rng.choice(register)
        person_data = _applicant(rng, organisation, used)
        person = Person.objects.create(
            name=person_data["name"], email=person_data["email"], organisation=organisation
        )
        first = rng.choices(tracks, weights=TRACK_WEIGHTS)[0]
        others = [t for t in tracks if t != first]
        second = rng.choice(others) if rng.random() < 0.6 else None
        region = organisation.region if organisation else rng.choice(list(REGIONS))
        role = rng.choices(ROLES, weights=[20, 30, 30, 8, 12])[0]
        seniority = rng.choices(SENIORITY_BANDS, weights=[15, 25, 35, 25])[0]
        fields = rng.sample(MUSIC_FIELDS, k=rng.choices([1, 2, 3], weights=[55, 35, 10])[0])
        topic = TOPICS[tracks.index(first)]
        application = Application(
            call=call,
            person=person,
            name=person.name,
            email=person.email,
            job_title=rng.choice(["Direktør", "Leder", "Projektleder", "Konsulent", "Musiker", ""]),
            organisation=organisation,
            organisation_name="" if organisation else f"{rng.choice(PLACES)} Musikforening",
            first_choice=first,
            second_choice=second,
            motivation=rng.choice(MOTIVATIONS).format(
                topic=topic, role_l=role.lower(), actor_l=person_data["actor_type"].lower()
            ),
            contribution=rng.choice(CONTRIBUTIONS).format(region=region),
            actor_type=person_data["actor_type"],
            role=role,
            music_fields=fields,
            postcode=organisation.postcode if organisation else "",
            region=region,
            gender=person_data["gender"],
            seniority=seniority,
            confirms_attendance=True,
            confirms_own_costs=True,
            confirms_reporting=True,
            confirms_mandate=True,
            consent_at=submitted_at,
            submitted_at=submitted_at,
            state=Application.State.WITHDRAWN
            if rng.random() < 0.03
            else Application.State.SUBMITTED,
            token_hash=hash_token(secrets.token_urlsafe(32)),
        )
        eligibility_reassess(application=application)
        application.save()
        ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.SUBMITTED,
            by_applicant=True,
            at=application.submitted_at,
        )
    if rounds:
        _demo_reporting(call=call, rounds=rounds, rng=random.Random(seed + 1), used=used, now=now)
    return call


def _demo_reporting(
    *, call: Call, rounds: tuple, rng: random.Random, used: set[str], now: datetime
) -> None:
    """The reporting of the whole register (a contact person for each organisation that has
    none), then the call's eligibility assessed again from it."""
    everyone = list(Organisation.objects.order_by("pk"))
    for organisation in everyone:
        if not organisation.people.filter(contact=True).exists():
            contact = _applicant(rng, organisation, used)
            Person.objects.create(
                name=contact["name"], email=contact["email"], organisation=organisation
            )
    closed, open_round = rounds
    demo_reports_create(
        rng=rng, organisations=everyone, closed=closed, open_round=open_round, now=now
    )
    applications = list(call.applications.select_related("call", "organisation"))
    for application in applications:
        eligibility_reassess(application=application)
    Application.objects.bulk_update(applications, ["eligibility", "eligibility_reasons"])
