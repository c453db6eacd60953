"""The `handlespor` command: the project's own commands and Django's, one entry point."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "handlespor.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["handlespor", *argv[1:]])


if __name__ == "__main__":
    main()
