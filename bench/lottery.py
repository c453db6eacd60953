"""The fair lottery's leximin probabilities on the published sortition instances.

    uv run --group bench python -m bench.lottery [BENCHDATA] [--peer-seconds N]

For each instance it prints our engine's leximin (`handlespor.engine.leximin`: column generation
on HiGHS and CP-SAT, over types): the smallest selection probability, the time, the number of
types and of compositions in the support, and the rounding to 1,000 equally likely compositions
with its largest change. Beside it, from the same run, the PyPI package sortition-algorithms
(GPL-3.0, a benchmark-only peer installed by `--group bench`): its maximin on HiGHS and, where
gurobipy is installed, its leximin. The published leximin minima (the paper's, where
published) are printed for comparison. Last, our own case: a demo-like pool for the four
tracks at once.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import logging
import time
from collections import Counter
from pathlib import Path

from bench.generate import generate
from bench.sortition import DEFAULT_DATA, INSTANCES, SLOW_PEER_ABOVE
from handlespor.engine.leximin import Quota, TypeProblem, leximin
from handlespor.engine.lottery import problem_from_instance, table_problems, table_round

# The leximin minimum the issue names for each instance (the peer's with Gurobi, the paper's).
PUBLISHED = {
    "dk_toy_10": 0.125,
    "example_small_20": 0.100,
    "sf_fixture_22": 1 / 11,
    "example_large_200": 0.100,
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load(folder: Path) -> tuple[TypeProblem, int, int]:
    """(the problem in types, n, k) of a folder in the converted layout: one panel of k seats,
    a quota per feature value; applicants with the same values are one type."""
    panel = int(folder.name.rsplit("_", 1)[1])
    features = _rows(folder / "features.csv")
    names = sorted({row["feature"] for row in features})
    people = _rows(folder / "people.csv")
    sizes = Counter(tuple(person[name] for name in names) for person in people)
    types = sorted(sizes)
    quotas = tuple(
        Quota(
            track=0,
            types=frozenset(
                t for t, key in enumerate(types) if key[names.index(row["feature"])] == row["value"]
            ),
            low=int(row["min"]),
            high=int(row["max"]),
        )
        for row in features
    )
    problem = TypeProblem(
        sizes=tuple(sizes[key] for key in types),
        tracks=tuple((0,) for _ in types),
        seats=(panel,),
        quotas=quotas,
    )
    return problem, len(people), panel


def peer(folder: Path, panel: int, algorithm: str) -> tuple[list[float], float] | str:
    """(every person's probability, sorted; seconds) of the peer's algorithm, or why not."""
    try:
        import sortition_algorithms as sa
        from sortition_algorithms.committee_generation import leximin as peer_leximin
        from sortition_algorithms.committee_generation import maximin as peer_maximin
    except ImportError:
        return "sortition-algorithms not installed"
    if algorithm == "leximin" and not peer_leximin.GUROBI_AVAILABLE:
        return "needs gurobipy (not installed)"
    logging.disable(logging.INFO)
    features_rows = _rows(folder / "features.csv")
    features, _, _ = sa.read_in_features(
        list(features_rows[0]), features_rows, number_to_select=panel
    )
    people_rows = _rows(folder / "people.csv")
    settings = sa.Settings(id_column="id", columns_to_keep=[], random_number_seed=1)
    people, _ = sa.read_in_people(list(people_rows[0]), people_rows, features, settings)
    find = (
        peer_maximin.find_distribution_maximin
        if algorithm == "maximin"
        else peer_leximin.find_distribution_leximin
    )
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        committees, probabilities, _report = find(features, people, panel, [])
    seconds = time.perf_counter() - started
    chance = Counter()
    for committee, probability in zip(committees, probabilities, strict=True):
        for person in committee:
            chance[person] += probability
    return sorted(chance.get(row["id"], 0.0) for row in people_rows), seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--peer", default="maximin,leximin")
    args = parser.parse_args()
    root = args.data / "converted-for-sortition-algorithms"
    print(
        f"{'instance':<18} {'n':>5} {'k':>4} {'types':>5}  {'min (ours)':>10} {'published':>9} "
        f"{'s':>7} {'support':>7} {'m=1000 Δ':>9}  peer (same run)"
    )
    for name in INSTANCES:
        folder = root / name
        problem, n, k = load(folder)
        started = time.perf_counter()
        distribution = leximin(problem)
        seconds = time.perf_counter() - started
        table = table_round(problem, distribution)
        assert table_problems(problem, table.rows) == []
        peers = []
        for algorithm in args.peer.split(","):
            if n > SLOW_PEER_ABOVE:
                peers.append(f"{algorithm}: skipped (measured not finishing in 1450 s)")
                continue
            result = peer(folder, k, algorithm)
            if isinstance(result, str):
                peers.append(f"{algorithm}: {result}")
                continue
            theirs, peer_seconds = result
            ours = sorted(
                chance
                for chance, size in zip(distribution.chance, problem.sizes, strict=True)
                for _ in range(size)
            )
            apart = max(abs(a - b) for a, b in zip(ours, theirs, strict=True))
            peers.append(
                f"{algorithm}: min {theirs[0]:.4f} in {peer_seconds:.2f} s "
                f"(sorted vectors apart by {apart:.1e})"
            )
        print(
            f"{name:<18} {n:>5} {k:>4} {len(problem.sizes):>5}  {min(distribution.chance):>10.4f} "
            f"{PUBLISHED[name]:>9.4f} {seconds:>7.2f} {len(distribution.compositions):>7} "
            f"{table.largest_change:>9.5f}  " + "; ".join(peers),
            flush=True,
        )
    four_tracks()


def four_tracks() -> None:
    """Our own case: a demo-like pool of 150 for the four tracks at once, every target hard."""
    instance = generate(150, 4, seed=1)
    started = time.perf_counter()
    source = problem_from_instance(instance)
    distribution = leximin(source.problem)
    seconds = time.perf_counter() - started
    print(
        f"\nfour tracks at once: {len(instance.applicants)} applicants, "
        f"{len(source.problem.sizes)} types, {sum(source.problem.seats)} seats: smallest chance "
        f"{min(distribution.chance):.4f} in {seconds:.2f} s, "
        f"{len(distribution.compositions)} compositions in the support",
        flush=True,
    )


if __name__ == "__main__":
    main()
