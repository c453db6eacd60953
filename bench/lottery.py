"""The fair lottery's leximin probabilities on the published sortition instances.

    uv run --group bench python -m bench.lottery [BENCHDATA] [--only published|four|large]
        [--large-minutes N]

For each instance it prints our engine's leximin (`handlespor.engine.leximin`: column generation on
HiGHS and CP-SAT, over types): the smallest selection probability, the time, the number of types
and of compositions in the support, and the rounding to 1,000 equally likely compositions with its
largest change, and how far its sorted vector lies from the linear relaxation's leximin ("to
bound"), which no lottery beats in leximin order: a lottery that close to it is the leximin,
whoever computed it. Beside it, from the same run, the PyPI package sortition-algorithms (GPL-3.0,
a benchmark-only peer installed by `--group bench`): its maximin on HiGHS and, where gurobipy is
installed, its leximin. The published leximin minima (the paper's, where published) are printed for
comparison; where the sorted vectors part by more than 1e-4, where and which is higher. Then our
own case, the demo's pool for the four tracks at once, and a generated pool of the paper's hardest
size (n = 1,700, k = 110, 7 categories).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.sortition import DEFAULT_DATA, INSTANCES, SLOW_PEER_ABOVE
from handlespor.engine import Instance
from handlespor.engine.leximin import (
    OutOfTime,
    Quota,
    TypeProblem,
    leximin,
    relaxation_leximin,
)
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
        from sortition_algorithms.utils import set_random_provider
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
    # The peer draws its first compositions' weights at random, from the system's randomness
    # unless seeded (as its own entry point does from the settings' seed): seeded, each run
    # gives the same result.
    set_random_provider(settings.random_number_seed)
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


def _leximin_better(ours: list[float], theirs: list[float]) -> str:
    """Where two sorted vectors part by more than 1e-4: the first such place and which is
    larger there (the leximin-better one: the other cannot be leximin)."""
    for place, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        if abs(a - b) > 1e-4:
            better = "ours" if a > b else "theirs"
            return f"; first apart at the {place}. smallest, {a:.4f} vs {b:.4f}: {better} higher"
    return ""


def per_applicant(problem: TypeProblem, chance: list[float]) -> list[float]:
    """Each applicant's chance, sorted: the vector that leximin compares."""
    return sorted(c for c, size in zip(chance, problem.sizes, strict=True) for _ in range(size))


def _bound(problem: TypeProblem) -> list[float]:
    """The sorted per-applicant vector of the linear relaxation's leximin, which no lottery
    beats in leximin order: a lottery this close to it is the leximin, whoever computed it."""
    return per_applicant(problem, relaxation_leximin(problem))


def _apart(ours: list[float], theirs: list[float]) -> float:
    return max(abs(a - b) for a, b in zip(ours, theirs, strict=True))


def hard_pool(n: int = 1700, k: int = 110, seed: int = 7) -> TypeProblem:
    """A generated pool the size of the paper's hardest instance: n volunteers, a panel of k,
    7 quota categories with 2 to 5 values. The pool leans away from the population as
    volunteers do (each category's first value over-represented, its last under-represented),
    and the quotas are the population's shares of k, give or take 2 seats, so they bind."""
    rng = random.Random(seed)
    categories = [2, 5, 5, 4, 3, 4, 3]
    people = []
    for _ in range(n):
        person = []
        for values in categories:
            lean = [2.0 if v == 0 else 0.5 if v == values - 1 else 1.0 for v in range(values)]
            person.append(rng.choices(range(values), weights=lean)[0])
        people.append(tuple(person))
    sizes = Counter(people)
    types = sorted(sizes)
    quotas = []
    for c, values in enumerate(categories):
        for v in range(values):
            share = round(k / values)
            quotas.append(
                Quota(
                    track=0,
                    types=frozenset(t for t, key in enumerate(types) if key[c] == v),
                    low=max(0, share - 2),
                    high=share + 2,
                )
            )
    return TypeProblem(
        sizes=tuple(sizes[key] for key in types),
        tracks=tuple((0,) for _ in types),
        seats=(k,),
        quotas=tuple(quotas),
    )


# The generated pools: n, k, seed. The first is the size of the paper's hardest instance; the
# others differ in size, panel and draw, so that the figures do not rest on one pool.
LARGE_POOLS = ((1700, 110, 7), (2000, 150, 11), (1200, 60, 3))


def large(minutes: float) -> None:
    """The generated pools (the first of the paper's hardest size), each to leximin or as far
    as it comes in the minutes given."""
    for n, k, seed in LARGE_POOLS:
        problem = hard_pool(n=n, k=k, seed=seed)
        pool = (
            f"generated pool (seed {seed}): n {n}, k {k}, 7 categories, {len(problem.sizes)} types"
        )
        started = time.perf_counter()
        try:
            distribution = leximin(problem, seconds=60 * minutes)
        except OutOfTime as stopped:
            print(
                f"{pool}: not leximin in {minutes:g} minutes: {stopped} (the leximin minimum "
                f"is at most {k / n:.4f})",
                flush=True,
            )
            continue
        seconds = time.perf_counter() - started
        to_bound = _apart(per_applicant(problem, distribution.chance), _bound(problem))
        table = table_round(problem, distribution)
        way = "through the relaxation" if distribution.relaxation else "level by level"
        print(
            f"{pool}: smallest chance {min(distribution.chance):.4f} in {seconds:.1f} s "
            f"({way}; apart from the linear relaxation's leximin, which no lottery beats, by "
            f"{to_bound:.1e}), {distribution.levels} levels, {distribution.generated} "
            f"compositions generated, {len(distribution.compositions)} in the support; rounded "
            f"to 1,000 equally likely compositions, every one checked: largest change "
            f"{table.largest_change:.5f}, problems {len(table_problems(problem, table.rows))}",
            flush=True,
        )
    print("(the paper: 67 minutes with Gurobi on its hardest instance, n about 1,700, k 110)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--peer", default="maximin,leximin")
    parser.add_argument("--only", choices=["published", "four", "large"], default=None)
    parser.add_argument("--large-minutes", type=float, default=30.0)
    args = parser.parse_args()
    if args.only == "four":
        return four_tracks()
    if args.only == "large":
        return large(args.large_minutes)
    root = args.data / "converted-for-sortition-algorithms"
    print(
        f"{'instance':<18} {'n':>5} {'k':>4} {'types':>5}  {'min (ours)':>10} {'published':>9} "
        f"{'s':>7} {'support':>7} {'m=1000 Δ':>9} {'to bound':>8}  peer (same run)"
    )
    for name in INSTANCES:
        folder = root / name
        problem, n, k = load(folder)
        started = time.perf_counter()
        distribution = leximin(problem)
        seconds = time.perf_counter() - started
        table = table_round(problem, distribution)
        assert table_problems(problem, table.rows) == []
        ours, bound = per_applicant(problem, distribution.chance), _bound(problem)
        to_bound = _apart(ours, bound)
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
            apart = _apart(ours, theirs)
            peers.append(
                f"{algorithm}: min {theirs[0]:.4f} in {peer_seconds:.2f} s "
                f"(sorted vectors apart by {apart:.1e}{_leximin_better(ours, theirs)}; "
                f"theirs to bound {_apart(theirs, bound):.1e})"
            )
        print(
            f"{name:<18} {n:>5} {k:>4} {len(problem.sizes):>5}  {min(distribution.chance):>10.4f} "
            f"{PUBLISHED[name]:>9.4f} {seconds:>7.2f} {len(distribution.compositions):>7} "
            f"{table.largest_change:>9.5f} {to_bound:>8.1e}  " + "; ".join(peers),
            flush=True,
        )
    if args.only is None:
        four_tracks()
        large(args.large_minutes)


DEMO = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from handlespor.calls.demo import demo_create
from handlespor.selection.instance import instance_for_call
print(instance_for_call(call=demo_create()).model_dump_json())
"""


def demo_instance() -> Instance:
    """The demo's call (`make demo`'s applicants, tracks and targets, the eligibility from its
    reporting) as an engine instance, built by Django in a throwaway database."""
    with tempfile.TemporaryDirectory() as var:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_URL", "DJANGO_", "HANDLESPOR_"))
        } | {
            "HANDLESPOR_ENV": "dev",
            "DJANGO_SETTINGS_MODULE": "handlespor.settings",
            "HANDLESPOR_VAR_DIR": var,
            "DATABASE_URL": f"sqlite:///{var}/demo.sqlite3",
        }
        out = subprocess.run(
            [sys.executable, "-c", DEMO], env=env, capture_output=True, text=True, check=True
        ).stdout
    return Instance.model_validate_json(out.strip().splitlines()[-1])


def four_tracks() -> None:
    """Our own case: the demo's pool for the four tracks at once, every target hard: the
    chances and the table of 1,000, as the board's lottery computes them."""
    instance = demo_instance()
    started = time.perf_counter()
    source = problem_from_instance(instance)
    distribution = leximin(source.problem)
    middle = time.perf_counter()
    table = table_round(source.problem, distribution)
    ended = time.perf_counter()
    print(
        f"\nthe demo's four tracks at once: {len(instance.applicants)} applicants, "
        f"{len(source.problem.sizes)} types, {sum(source.problem.seats)} seats: smallest chance "
        f"{min(distribution.chance):.4f}, leximin in {middle - started:.2f} s "
        f"({distribution.levels} levels, {len(distribution.compositions)} compositions in the "
        f"support), the table of 1,000 in {ended - middle:.2f} s (largest change "
        f"{table.largest_change:.5f}, none below {table.change_bound:.5f}); "
        f"{ended - started:.2f} s in all",
        flush=True,
    )


if __name__ == "__main__":
    main()
