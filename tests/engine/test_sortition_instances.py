"""The published citizens' assembly instances: the engine finds a panel meeting every quota,
and the lottery's two ways to leximin agree."""

from pathlib import Path

import pytest

from bench.lottery import load as load_types
from bench.sortition import DEFAULT_DATA, INSTANCES, engine, load
from handlespor.engine.leximin import leximin

FOLDER = DEFAULT_DATA / "converted-for-sortition-algorithms"


@pytest.mark.skipif(not FOLDER.is_dir(), reason="the shared benchmark data is not beside the repo")
@pytest.mark.parametrize("name", INSTANCES)
def test_engine_meets_every_quota_of_the_published_instances(name: str):
    instance, panel = load(Path(FOLDER / name))

    outcome, _seconds = engine(instance)

    assert outcome == "panel meets every quota"
    assert instance.tracks[0].min_seats == panel


@pytest.mark.skipif(not FOLDER.is_dir(), reason="the shared benchmark data is not beside the repo")
def test_leximin_through_the_relaxation_equals_level_by_level_on_dk_toy_10():
    # Seen: once every type was fixed, the relaxation's last solve ended "Unknown" and the
    # relaxation's way was given up.
    problem, _n, _k = load_types(FOLDER / "dk_toy_10")

    through = leximin(problem, relaxation_first=True)
    by_level = leximin(problem, relaxation_first=False)

    assert through.relaxation is True
    assert sorted(through.chance) == pytest.approx(sorted(by_level.chance), abs=1e-5)
    assert min(through.chance) == pytest.approx(0.125, abs=1e-6)
