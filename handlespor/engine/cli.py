"""`handlespor compose applicants.xlsx --targets targets.toml -o composition.xlsx`"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from handlespor.engine.compose import compose
from handlespor.engine.files import InputError, load_instance, write_composition
from handlespor.engine.models import Composition

EXIT_INFEASIBLE = 1
EXIT_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handlespor compose",
        description="Foreslå deltagerkredsen i hvert handlespor ud fra ansøgerne.",
    )
    parser.add_argument("applicants", type=Path, help="ansøgerne (.xlsx eller .csv)")
    parser.add_argument("--targets", type=Path, required=True, help="mål og kolonner (.toml)")
    parser.add_argument("-o", "--output", type=Path, help="skriv resultatet (.xlsx eller .csv)")
    parser.add_argument("--time-limit", type=float, help="sekunder til at løse i alt")
    parser.add_argument("--seed", type=int, help="frø til lodtrækning ved lige gode valg")
    parser.add_argument("--alternatives", type=int, help="antal alternative forslag")
    return parser


def _print(composition: Composition, out) -> None:
    status = {"optimal": "optimal (bevist)", "feasible": "gyldig, ikke bevist optimal"}
    print(f"Status: {status.get(composition.status, composition.status)}", file=out)
    if composition.gap is not None:
        print(f"Afstand til bevist optimum: {composition.gap:.2%}", file=out)
    print(f"Løst på {composition.solve_seconds:.2f} s", file=out)
    for track in composition.tracks:
        print(f"\n{track.name}: {track.size} deltagere", file=out)
        for member in track.members:
            print(f"  - {member.applicant} {member.name}", file=out)
        for outcome in track.representation:
            mark = "✓" if outcome.met else "✗"
            extra = "" if outcome.met else f"  (mangler {outcome.deficit})"
            print(f"  {mark} {outcome.label:<40} {outcome.value}{extra}", file=out)
    for warning in composition.warnings:
        print(f"\nAdvarsel: {warning}", file=out)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    overrides = {
        key: value
        for key, value in (
            ("time_limit", args.time_limit),
            ("seed", args.seed),
            ("alternatives", args.alternatives),
        )
        if value is not None
    }
    try:
        instance = load_instance(args.applicants, args.targets, overrides)
    except InputError as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return EXIT_INPUT
    print(
        f"{len(instance.applicants)} ansøgere, {len(instance.tracks)} handlespor, "
        f"{len(instance.targets)} mål. Løser …",
        file=sys.stderr,
    )

    def progress(level: str, seconds: float) -> None:
        print(f"  {level:<12} {seconds:6.2f} s", file=sys.stderr)

    composition = compose(instance, progress=progress)
    if composition.status == "infeasible":
        print("Ingen gyldig sammensætning:", file=sys.stderr)
        for line in composition.diagnosis:
            print(f"  {line}", file=sys.stderr)
        return EXIT_INFEASIBLE
    if args.output:
        for path in write_composition(args.output, instance, composition):
            print(f"Skrevet: {path}", file=sys.stderr)
    try:
        _print(composition, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (e.g. `head`) stopped reading: end quietly; exit code 1 means infeasible.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
