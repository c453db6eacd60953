"""Single-track instances are citizens'-assembly panel selection: the published instances in
the shared benchmark data, with hard quotas per feature value and a fixed panel size.

    uv run --group bench python -m bench.sortition [BENCHDATA]

For each instance it prints whether the engine finds a panel meeting every quota and how long
it takes, beside the same figures for the PyPI package sortition-algorithms (GPL-3.0, a
benchmark-only peer, installed by `--group bench`; skipped when absent) from the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import logging
import time
from pathlib import Path

from handlespor.engine import (
    Applicant,
    Instance,
    Rules,
    Settings,
    Target,
    Track,
    compose,
    violations,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "benchdata" / "sortition"
SLOW_PEER_ABOVE = 1000  # the peer's optimising algorithms do not finish on 2,000 applicants
INSTANCES = ("dk_toy_10", "example_small_20", "sf_fixture_22", "example_large_200")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load(folder: Path) -> tuple[Instance, int]:
    """The instance of a folder in the converted-for-sortition-algorithms layout."""
    panel = int(folder.name.rsplit("_", 1)[1])
    features = _rows(folder / "features.csv")
    names = sorted({row["feature"] for row in features})
    people = _rows(folder / "people.csv")
    applicants = tuple(
        Applicant(id=row["id"], attributes={f: row[f] for f in names}, preferences=("panel",))
        for row in people
    )
    targets = []
    for row in features:
        value = (row["value"],)
        targets.append(
            Target(
                attribute=row["feature"],
                kind="min_count",
                values=value,
                amount=int(row["min"]),
                hard=True,
            )
        )
        targets.append(
            Target(
                attribute=row["feature"],
                kind="max_count",
                values=value,
                amount=int(row["max"]),
                hard=True,
            )
        )
    instance = Instance(
        applicants=applicants,
        tracks=(Track(id="panel", name=folder.name, min_seats=panel, max_seats=panel),),
        targets=tuple(targets),
        rules=Rules(max_per_organisation=None, min_seats_hard=True),
        settings=Settings(time_limit=120, explain=False, seed=1),
    )
    return instance, panel


def engine(instance: Instance) -> tuple[str, float]:
    started = time.perf_counter()
    result = compose(instance)
    seconds = time.perf_counter() - started
    if result.status == "infeasible":
        return "no panel", seconds
    assert violations(instance, result.assignment) == []
    return "panel meets every quota", seconds


def peer(folder: Path, panel: int, algorithm: str, seconds: int) -> tuple[str, float] | None:
    try:
        import sortition_algorithms as sa
    except ImportError:
        return None
    logging.disable(logging.INFO)  # the peer logs its progress line by line
    features_rows = _rows(folder / "features.csv")
    features, _, _ = sa.read_in_features(
        list(features_rows[0]), features_rows, number_to_select=panel
    )
    people_rows = _rows(folder / "people.csv")
    settings = sa.Settings(
        id_column="id", columns_to_keep=[], selection_algorithm=algorithm, random_number_seed=1
    )
    people, _ = sa.read_in_people(list(people_rows[0]), people_rows, features, settings)
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the peer prints its progress
            success, panels, _report = sa.run_stratification(
                features, people, panel, settings, max_seconds=seconds
            )
    except sa.SortitionBaseError as error:
        return f"error: {type(error).__name__}", time.perf_counter() - started
    elapsed = time.perf_counter() - started
    return ("panel meets every quota" if success and panels else "no panel"), elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--peer-algorithms", default="legacy,maximin")
    parser.add_argument("--peer-seconds", type=int, default=120)
    args = parser.parse_args()
    folder_root = args.data / "converted-for-sortition-algorithms"
    print(f"{'instance':<20} {'n':>5} {'k':>4}  {'engine':<26} {'s':>7}  peer")
    for name in INSTANCES:
        folder = folder_root / name
        instance, panel = load(folder)
        outcome, seconds = engine(instance)
        peers = []
        for algorithm in args.peer_algorithms.split(","):
            if algorithm != "legacy" and len(instance.applicants) > SLOW_PEER_ABOVE:
                peers.append(f"{algorithm}: skipped (measured not finishing in 1450 s)")
                continue
            result = peer(folder, panel, algorithm, args.peer_seconds)
            peers.append(
                "sortition-algorithms not installed"
                if result is None
                else f"{algorithm}: {result[0]} in {result[1]:.2f} s"
            )
        print(
            f"{name:<20} {len(instance.applicants):>5} {panel:>4}  {outcome:<26} {seconds:>7.3f}  "
            + "; ".join(peers),
            flush=True,
        )


if __name__ == "__main__":
    main()
