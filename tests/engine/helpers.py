from handlespor.engine import Applicant, Instance, Rules, Settings, Target, Track

TRACKS = (
    Track(id="a", name="Spor A", min_seats=0, max_seats=3),
    Track(id="b", name="Spor B", min_seats=0, max_seats=3),
)


def person(
    id: str,
    prefs: str = "a",
    gender: str = "Kvinde",
    region: str = "Hovedstaden",
    organisation: str = "",
    eligible: bool = True,
    scores: dict[str, float] | None = None,
) -> Applicant:
    return Applicant(
        id=id,
        name=id.capitalize(),
        organisation=organisation or f"org-{id}",
        attributes={"gender": gender, "region": region},
        eligible=eligible,
        preferences=tuple(prefs),
        scores=scores or {},
    )


def instance(
    applicants,
    tracks=TRACKS,
    targets=(),
    locks=(),
    rules: Rules | None = None,
    **settings,
) -> Instance:
    return Instance(
        applicants=tuple(applicants),
        tracks=tuple(tracks),
        targets=tuple(targets),
        locks=tuple(locks),
        rules=rules or Rules(),
        settings=Settings(time_limit=10, **settings),
    )


def target(kind: str, amount: float, *values: str, attribute: str = "gender", **extra) -> Target:
    return Target(attribute=attribute, kind=kind, amount=amount, values=values, **extra)
