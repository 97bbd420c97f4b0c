"""The ``gongxin`` console command: Django's management with our settings."""

import os
import sys

# Commands that need a built database: without one they say so in one line (and create nothing).
NEEDS_DATABASE = {"ledger", "serve", "worker", "flush", "token", "createsuperuser", "changepassword",
                  "dumpdata", "loaddata"}
# The commands that build or serve: only they create the data directory (./data by default).
CREATES_DATA_DIR = {"demo", "serve", "runserver", "migrate", "collectstatic"}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    if args[:1] == ["demo"]:  # the demo county's ledger names itself as such (ledger.checks)
        os.environ.setdefault("GONGXIN_LEDGER_ORIGIN", "demo.gongxin.example/ledger")
    if args and args[0] in CREATES_DATA_DIR:
        os.environ.setdefault("GONGXIN_CREATE_DATA_DIR", "1")
    if args[:1] and args[0] in NEEDS_DATABASE and not {"-h", "--help"} & set(args):
        _require_database(args[0])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongxin", *args])


def _require_database(command: str) -> None:
    import django

    django.setup()
    from gongxin.ledger.dbstate import database_problem

    problem = database_problem()
    if problem:
        sys.stderr.write(f"gongxin {command}: {problem}\n")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
