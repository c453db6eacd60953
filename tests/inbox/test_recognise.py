import pytest

from handlespor.inbox.recognise import Recognition, recognise_tracks

TRACKS = [
    ("Trivsel i musiklivet", "trivsel"),
    ("Lige adgang i musiklivet", "lige-adgang"),
    ("Musiklivets infrastrukturer", "infrastrukturer"),
    ("Grønnere musik", "groennere-musik"),
]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Jeg søger trivsel", "trivsel"),
        ("trivselssporet", "trivsel"),
        ("Trisvel", "trivsel"),
        ("grøn musik", "groennere-musik"),
        ("grønnere", "groennere-musik"),
        ("GROENNERE", "groennere-musik"),
        ("grønere", "groennere-musik"),
        ("infrastruktur", "infrastrukturer"),
        ("infrastuktur", "infrastrukturer"),
        ("lige adgang", "lige-adgang"),
        ("ligeadgang", "lige-adgang"),
        ("Lige-adgang", "lige-adgang"),
        ("the wellbeing track", "trivsel"),
    ],
)
def test_recognise_tracks_knows_the_usual_variants(text, slug):
    assert recognise_tracks("", text, TRACKS) == Recognition(slugs=[slug], ranked=True)


@pytest.mark.parametrize(
    "text",
    [
        "Hvornår er fristen?",
        "Vi er en bæredygtig organisation i musiklivet",
        "Vi bidrager til rapporteringen om lige adgang og trivsel.",
        "adgang til musik",
    ],
)
def test_recognise_tracks_names_none_where_none_is_meant(text):
    assert recognise_tracks("", text, TRACKS) == Recognition(slugs=[], ranked=False)


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("Primært lige adgang, sekundært trivsel.", ["lige-adgang", "trivsel"]),
        ("1. prioritet: grøn musik\n2. prioritet: trivsel", ["groennere-musik", "trivsel"]),
        ("Trivsel (2. prioritet) og grøn musik (1. prioritet)", ["groennere-musik", "trivsel"]),
        ("1. Lige adgang\n2. Infrastruktur", ["lige-adgang", "infrastrukturer"]),
        ("Grøn musik, alternativt trivsel", ["groennere-musik", "trivsel"]),
        ("Andenprioritet trivsel, førsteprioritet infrastruktur", ["infrastrukturer", "trivsel"]),
    ],
)
def test_recognise_tracks_follows_the_writers_ranking(text, slugs):
    assert recognise_tracks("", text, TRACKS) == Recognition(slugs=slugs, ranked=True)


def test_recognise_tracks_without_ranking_keeps_the_order_of_mention():
    found = recognise_tracks("Trivsel", "og også lige adgang", TRACKS)

    assert found == Recognition(slugs=["trivsel", "lige-adgang"], ranked=False)


def test_recognise_tracks_of_a_call_with_other_tracks_uses_their_names():
    tracks = [("Musik i skolen", "skole"), ("Talentudvikling", "talent")]

    assert recognise_tracks("", "Jeg søger talentudvikling", tracks).slugs == ["talent"]
