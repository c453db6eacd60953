"""The composition engine on pools it was not tuned on, beside a plain CP-SAT reference and a
greedy baseline, measured in the same run.

    uv run python -m bench.engine            # every table (about four minutes on two cores)
    uv run python -m bench.engine --quick    # the small pools only (under a minute)

1. Pools with heavy ties (bench/ties.py: whole-number scores 1–5, or none; few organisations):
   the engine's solve (the lexicographic optimum and the seeded lot) against the reference
   (bench/reference.py: the same rules and levels in the simplest CP-SAT model), medians, their
   ratio, and whether both reached the same optimum on every level in every run.
2. The full result (composition, reasons for everyone not selected, waiting lists, three
   alternatives) for 1,000 applicants over 4 tracks and 5,000 over 20.
3. The scarce case, 60 applicants over 20 tracks: the time to a proven optimum (or the gap).
4. Realistic and scarce generated instances against the greedy baseline: unmet targets and
   seated applicants.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench.generate import generate
from bench.greedy import greedy
from bench.reference import reference_solve
from bench.ties import tie_pool
from handlespor.engine import Assignment, Instance, compose, objective, violations
from handlespor.engine.targets import deficit, track_targets

GOAL_RATIO = 1.2


def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def _heading(title: str, header: str) -> None:
    print(title)
    print(header)
    print("-" * len(header))


def unmet(instance: Instance, assignment: Assignment) -> int:
    """How many (track, target) pairs are not met."""
    count = 0
    for track in instance.tracks:
        people = [instance.applicant(a) for a in assignment.get(track.id, ())]
        count += sum(1 for item in track_targets(instance, track.id) if deficit(item, people) > 0)
    return count


def ties_table(pools: list[tuple[int, int, int]]) -> list[float]:
    _heading(
        "1. Pools with heavy ties: the engine's solve against the plain CP-SAT reference",
        (
            f"{'N':>5} {'tracks':>6} {'scores':<7} {'runs':>4} {'engine s':>9} {'reference s':>11} "
            f"{'ratio':>6}  same optimum"
        ),
    )
    ratios = []
    for n, tracks, runs in pools:
        for scores in ("int", "none"):
            engine_times, reference_times, same = [], [], []
            for seed in range(runs):
                instance = tie_pool(n, tracks, scores, seed=seed, explain=False)
                seconds, result = timed(lambda instance=instance: compose(instance))
                engine_times.append(seconds)
                seconds, (status, reference) = timed(
                    lambda instance=instance: reference_solve(instance)
                )
                reference_times.append(seconds)
                assert result.status == "optimal" and not violations(instance, result.assignment)
                same.append(
                    "yes"
                    if status == "optimal" and objective(instance, reference) == result.objective
                    else "reference not proven"
                    if status != "optimal"
                    else "NO"
                )
            engine, reference = statistics.median(engine_times), statistics.median(reference_times)
            ratios.append(engine / reference)
            verdict = "yes" if set(same) == {"yes"} else ", ".join(sorted(set(same)))
            print(
                f"{n:>5} {tracks:>6} {scores:<7} {runs:>4} {engine:>9.3f} {reference:>11.3f} "
                f"{engine / reference:>6.2f}  {verdict}",
                flush=True,
            )
    print(
        f"largest ratio {max(ratios):.2f} (goal: at most {GOAL_RATIO}); the engine's time includes "
        "the seeded lot\n"
    )
    return ratios


def full_result_table(cases: list[tuple[int, int, int, float]]) -> None:
    _heading(
        "2. The full result: composition, reasons, waiting lists, 3 alternatives (ties, 1–5)",
        f"{'N':>5} {'tracks':>6} {'runs':>4} {'median s':>9} {'goal s':>7} {'solve s':>8}",
    )
    for n, tracks, runs, goal in cases:
        times, solves = [], []
        for seed in range(runs):
            instance = tie_pool(
                n, tracks, "int", seed=seed, alternatives=3, alternative_min_difference=3
            )
            seconds, result = timed(lambda instance=instance: compose(instance))
            assert len(result.alternatives) == 3 and result.not_selected
            assert all(t.waiting_list for t in result.tracks)
            times.append(seconds)
            solves.append(result.solve_seconds)
        print(
            f"{n:>5} {tracks:>6} {runs:>4} {statistics.median(times):>9.3f} {goal:>7.1f} "
            f"{statistics.median(solves):>8.3f}",
            flush=True,
        )
    print()


def scarce_table(seeds: int, with_reference: bool) -> None:
    _heading(
        "3. Scarce: 60 applicants over 20 tracks (min 8 seats each), time limit 10 s",
        f"{'seed':>4} {'engine s':>9} {'status':<16} {'reference s':>11} {'status':<16}",
    )
    for seed in range(seeds):
        instance = generate(60, 20, seed=seed, scarce=True, time_limit=10, explain=False)
        seconds, result = timed(lambda instance=instance: compose(instance))
        status = result.status if result.gap is None else f"gap {result.gap:.2%}"
        reference = ""
        if with_reference and seed == 0:
            ref_seconds, (ref_status, _assignment) = timed(
                lambda instance=instance: reference_solve(instance)
            )
            reference = f"{ref_seconds:>11.3f} {ref_status:<16}"
        print(f"{seed:>4} {seconds:>9.3f} {status:<16} {reference}", flush=True)
    print()


def greedy_table(sizes: list[int]) -> None:
    _heading(
        "4. Generated instances against the greedy baseline (one run each, time limit 10 s)",
        (
            f"{'N':>5} {'tracks':>6} {'kind':<10} {'engine s':>9} {'status':<14} "
            f"{'unmet':>5} {'greedy':>6} {'seated':>6} {'greedy':>6}"
        ),
    )
    for n in sizes:
        for tracks in (4, 20):
            for scarce in (False, True):
                instance = generate(n, tracks, seed=0, scarce=scarce, time_limit=10, explain=False)
                seconds, result = timed(lambda instance=instance: compose(instance))
                assert result.status == "infeasible" or not violations(instance, result.assignment)
                baseline = greedy(instance)
                status = result.status if result.gap is None else f"gap {result.gap:.2%}"
                print(
                    f"{n:>5} {tracks:>6} {'scarce' if scarce else 'realistic':<10} "
                    f"{seconds:>9.3f} {status:<14} {unmet(instance, result.assignment):>5} "
                    f"{unmet(instance, baseline):>6} "
                    f"{sum(len(m) for m in result.assignment.values()):>6} "
                    f"{sum(len(m) for m in baseline.values()):>6}",
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="the small pools only")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.quick:
        ties_table([(150, 4, 3), (1000, 4, 3)])
        full_result_table([(1000, 4, 3, 2.0)])
        scarce_table(seeds=3, with_reference=False)
        greedy_table([60, 200])
    else:
        ties_table([(150, 4, 5), (1000, 4, 5), (5000, 20, 2)])
        full_result_table([(1000, 4, 5, 2.0), (5000, 20, 2, 10.0)])
        scarce_table(seeds=5, with_reference=True)
        greedy_table([60, 200, 1000])
    print(f"\nbenchmark time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
