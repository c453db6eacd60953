"""Sharing the travel: the exact venue proposal against trying every choice, measured side by
side in the same run, on pools of members from all over Denmark and from one corner of it.

    python -m bench.travel
"""

from __future__ import annotations

import random
import statistics
import time

from handlespor.engine.travel import TravelProblem, venues_brute_force, venues_propose

# Postcodes of members and venues spread over the country, and a skewed pool (most in and
# around Copenhagen, a few far away), as a real track may be.
COUNTRY = ["1050", "2100", "2800", "3400", "3700", "4000", "4200", "4700", "4800", "5000",
           "5700", "6000", "6200", "6400", "6700", "7100", "7400", "7500", "7700", "8000",
           "8600", "8700", "8800", "8900", "9000", "9800", "9900"]  # fmt: skip
CAPITAL = ["1050", "1500", "2000", "2100", "2200", "2300", "2400", "2500", "2800", "2900"]
VENUES = ["1050", "2800", "4000", "5000", "6000", "7100", "8000", "8800", "9000", "6700",
          "4700", "3400"]  # fmt: skip


def problem(members: int, meetings: int, venues: int, skewed: bool, seed: int) -> TravelProblem:
    rng = random.Random(seed)
    pool = CAPITAL * 3 + COUNTRY if skewed else COUNTRY
    return TravelProblem.from_postcodes(
        members={f"p{i}": rng.choice(pool) for i in range(members)},
        venues={f"v{i}": code for i, code in enumerate(rng.sample(VENUES, venues))},
        meetings=tuple(f"m{i}" for i in range(meetings)),
    )


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main() -> None:
    print("Venue proposal (CP-SAT, exact) vs trying every choice; 5 seeds each; seconds median")
    print(f"{'members':>7} {'meetings':>8} {'venues':>6} {'pool':>8} {'engine s':>9} "
          f"{'every choice s':>14} {'ratio':>6} {'same optimum':>12} {'worst km':>8}")  # fmt: skip
    for members, meetings, venues in ((8, 3, 5), (12, 4, 10), (12, 4, 12), (12, 5, 10)):
        for skewed in (False, True):
            engine, brute, same, worst = [], [], True, []
            for seed in range(5):
                case = problem(members, meetings, venues, skewed, seed)
                seconds, plan = timed(venues_propose, case)
                reference_seconds, best = timed(venues_brute_force, case)
                engine.append(seconds)
                brute.append(reference_seconds)
                same = same and (plan.worst, plan.total) == best and plan.optimal
                worst.append(plan.worst)
            e, b = statistics.median(engine), statistics.median(brute)
            print(f"{members:>7} {meetings:>8} {venues:>6} {'skewed' if skewed else 'country':>8} "
                  f"{e:>9.3f} {b:>14.3f} {e / b:>6.2f} {same!s:>12} "
                  f"{statistics.median(worst):>8.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
