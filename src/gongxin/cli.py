"""The ``gongxin`` console command: Django's management with our settings.

``gongxin``, ``gongxin help`` and ``gongxin --help`` list the product's own commands first,
one line each, then Django's (``migrate``, ``createsuperuser``...)."""

import os
import sys
from collections import defaultdict

HELP_FLAGS = ([], ["help"], ["--help"], ["-h"])

# Commands that need a built database: without one they say so in one line (and create nothing).
NEEDS_DATABASE = {"ledger", "serve", "worker", "flush", "token", "createsuperuser", "changepassword",
                  "dumpdata", "loaddata"}
# The commands that build or serve: only they create the data directory (./data by default).
CREATES_DATA_DIR = {"demo", "serve", "runserver", "migrate", "collectstatic", "province"}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    if args in HELP_FLAGS:
        print(help_text())
        return
    if args[:1] == ["witness"]:  # standalone: run by another office, no Django (gongxin/witness.py)
        from gongxin.witness import main as witness_main

        raise SystemExit(witness_main(args[1:]))
    if args[:1] == ["demo"]:  # the demo county's ledger names itself as such (ledger.checks)
        os.environ.setdefault("GONGXIN_LEDGER_ORIGIN", "demo.gongxin.example/ledger")
    if args[:1] == ["province"] and "--database" in args[:-1]:  # the database must be chosen before Django starts
        at = args.index("--database")
        os.environ["DATABASE_URL"] = args[at + 1]
        args = [*args[:at], *args[at + 2:]]
    if args and args[0] in CREATES_DATA_DIR and not {"-h", "--help"} & set(args):  # asking how creates nothing
        os.environ.setdefault("GONGXIN_CREATE_DATA_DIR", "1")
    elif args[:1] == ["restore"]:
        # restore brings the folder's own secret key: one made at start-up (the setting inherited
        # from a parent command) would make it refuse to overwrite a key nobody chose
        os.environ.pop("GONGXIN_CREATE_DATA_DIR", None)
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


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def help_text() -> str:
    import django
    from django.core.management import find_commands, get_commands, load_command_class

    django.setup()
    commands = get_commands()
    core = set(find_commands(os.path.join(os.path.dirname(django.core.management.__file__))))
    ours, theirs = {}, defaultdict(list)
    for name, app in sorted(commands.items()):
        if app.startswith("gongxin.") and name not in core:
            ours[name] = _first_line(load_command_class(app, name).help)
        else:
            theirs["django" if name in core else app.rsplit(".", 1)[-1]].append(name)
    width = max(map(len, [*ours, "witness"]), default=8) + 2
    lines = ["用法 usage: gongxin <command> [options]   （gongxin <command> --help 查看参数）", "",
             "公信的命令 / Gongxin commands:"]
    lines += [f"  {name.ljust(width)}{text}" for name, text in ours.items()]
    lines.append(f"  {'witness'.ljust(width)}见证账本：核对并联署检查点（不需要 Django）。Witness a ledger: check and cosign its checkpoints.")
    lines += ["", "Django 的命令 / Django's commands:"]
    for app in sorted(theirs):
        lines.append(f"  [{app}] " + " ".join(theirs[app]))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
