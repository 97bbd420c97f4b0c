"""The ``gongxin`` console command: Django's management with our settings."""

import os
import sys

# The commands that build or serve: only they create the data directory (./data by default).
CREATES_DATA_DIR = {"demo", "serve", "runserver", "migrate", "collectstatic"}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    if args and args[0] in CREATES_DATA_DIR:
        os.environ.setdefault("GONGXIN_CREATE_DATA_DIR", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongxin", *args])


if __name__ == "__main__":
    main()
