"""The ``gongxin`` console command: Django's management with our settings."""

import os
import sys

# Commands that need a built database: without one they say so in one line (and create nothing).
NEEDS_DATABASE = {"ledger", "serve", "worker", "flush", "token", "createsuperuser", "changepassword",
                  "dumpdata", "loaddata"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["demo"]:  # the demo county's ledger names itself as such (ledger.checks)
        os.environ.setdefault("GONGXIN_LEDGER_ORIGIN", "demo.gongxin.example/ledger")
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
