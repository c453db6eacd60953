"""The published citizens'-assembly instances: the engine finds a panel meeting every quota."""

from pathlib import Path

import pytest

from bench.sortition import DEFAULT_DATA, INSTANCES, engine, load

FOLDER = DEFAULT_DATA / "converted-for-sortition-algorithms"


@pytest.mark.skipif(not FOLDER.is_dir(), reason="the shared benchmark data is not beside the repo")
@pytest.mark.parametrize("name", INSTANCES)
def test_engine_meets_every_quota_of_the_published_instances(name: str):
    instance, panel = load(Path(FOLDER / name))

    outcome, _seconds = engine(instance)

    assert outcome == "panel meets every quota"
    assert instance.tracks[0].min_seats == panel
