"""The `handlespor` command: `handlespor compose …` runs the composition engine; every other
command is a Django management command."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if argv[1:2] == ["compose"]:
        # The engine's command needs no Django and no database.
        from handlespor.engine.cli import main as compose_main

        sys.exit(compose_main(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "handlespor.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["handlespor", *argv[1:]])


if __name__ == "__main__":
    main()
