"""The composition engine against the greedy baseline on realistic and scarce instances.

    uv run python -m bench.engine            # the whole table (several minutes)
    uv run python -m bench.engine --quick    # 60 and 200 applicants only

Prints, per instance: the median solve time of 5 runs, the status (or the gap at the time
limit), the number of unmet targets, and the same for the greedy baseline; then the time of
the full result (composition, reasons, waiting lists, 3 alternatives) for 200 / 4.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.generate import generate
from bench.greedy import greedy
from handlespor.engine import Assignment, Instance, compose, violations
from handlespor.engine.targets import deficit, track_targets

RUNS = 5


def unmet(instance: Instance, assignment: Assignment) -> int:
    """How many (track, target) pairs are not met."""
    count = 0
    for track in instance.tracks:
        people = [instance.applicant(a) for a in assignment.get(track.id, ())]
        count += sum(1 for item in track_targets(instance, track.id) if deficit(item, people) > 0)
    return count


def measure(n: int, tracks: int, scarce: bool, time_limit: float) -> dict:
    times, result = [], None
    for run in range(RUNS):
        instance = generate(
            n, tracks, seed=run, scarce=scarce, time_limit=time_limit, explain=False
        )
        started = time.perf_counter()
        result = compose(instance)
        times.append(time.perf_counter() - started)
        assert result.status == "infeasible" or violations(instance, result.assignment) == []
        if run == 0:
            first = (instance, result)
    instance, result = first
    baseline = greedy(instance)
    return {
        "n": n,
        "tracks": tracks,
        "kind": "scarce" if scarce else "realistic",
        "median_s": statistics.median(times),
        "status": result.status if result.gap is None else f"gap {result.gap:.2%}",
        "unmet": unmet(instance, result.assignment),
        "greedy_unmet": unmet(instance, baseline),
        "seated": sum(len(m) for m in result.assignment.values()),
        "greedy_seated": sum(len(m) for m in baseline.values()),
    }


def full_result(n: int = 200, tracks: int = 4) -> float:
    times = []
    for run in range(RUNS):
        instance = generate(n, tracks, seed=run, alternatives=3, alternative_min_difference=3)
        started = time.perf_counter()
        result = compose(instance)
        times.append(time.perf_counter() - started)
        assert (
            len(result.alternatives) == 3 and result.not_selected and result.tracks[0].waiting_list
        )
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="only 60 and 200 applicants")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    sizes = [60, 200] if args.quick else [60, 200, 1000, 5000]
    header = (
        f"{'N':>5} {'tracks':>6} {'kind':<10} {'median s':>9} {'status':<14} "
        f"{'unmet':>5} {'greedy':>6} {'seated':>6} {'greedy':>6}"
    )
    print(header)
    print("-" * len(header))
    for n in sizes:
        for tracks in (4, 20):
            for scarce in (False, True):
                row = measure(n, tracks, scarce, args.time_limit)
                print(
                    f"{row['n']:>5} {row['tracks']:>6} {row['kind']:<10} {row['median_s']:>9.3f} "
                    f"{row['status']:<14} {row['unmet']:>5} {row['greedy_unmet']:>6} "
                    f"{row['seated']:>6} {row['greedy_seated']:>6}",
                    flush=True,
                )
    print(
        f"\nFull result for 200 / 4 (composition, reasons, waiting lists, 3 alternatives): "
        f"median {full_result():.3f} s of {RUNS}"
    )


if __name__ == "__main__":
    main()
