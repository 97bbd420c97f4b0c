"""Schemathesis over the whole OpenAPI, as an admin and as a township clerk, against a
throwaway SQLite database (a temporary folder, migrated, a small county seeded through the
real actions). Seeded and bounded, so two runs try the same cases and CI time stays small.

Passes when no request answers a server error (5xx) and every response matches the schema
the operation documents (errors are ``{code, message, details}``). Prints the number of
operations and cases tried.

    .venv/bin/python .ci/fuzz_api.py [--max-examples 5] [--seed 20261206] [--phases examples,coverage,fuzzing]
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _environment(folder: Path) -> None:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "gongxin.settings",
        "GONGXIN_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'fuzz.sqlite3'}",
        "SECRET_KEY": "fuzz-only-" + "x" * 40,
        "GONGXIN_LEDGER_KEY_FILE": str(folder / "ledger.key"),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DEBUG": "0",
        "LOG_LEVEL": "CRITICAL",
    })
    os.environ.pop("GONGXIN_LEDGER_KEY", None)


def seed_county() -> dict[str, str]:
    """Units, posts, a dozen cadres and one user per role; returns a token per fuzzing user."""
    import random

    from gongxin.accounts import actions as accounts
    from gongxin.accounts.models import User
    from gongxin.accounts.roles import DataScope, Role
    from gongxin.people import actions as people
    from gongxin.people import idnumber
    from gongxin.people.models import OrgUnitKind, PostKind, Rank

    rng = random.Random(7)
    ranks = {r.code: r for r in Rank.objects.all()}
    root = people.create_org_unit(acting_user=None, name="中共惠民县委", kind=OrgUnitKind.ORGAN)
    people.create_org_unit(acting_user=None, name="县委组织部", kind=OrgUnitKind.ORGAN, parent=root)
    lizhuang = people.create_org_unit(acting_user=None, name="李庄镇", kind=OrgUnitKind.TOWNSHIP, parent=root,
                                      is_grassroots=True)
    hefang = people.create_org_unit(acting_user=None, name="何坊街道", kind=OrgUnitKind.TOWNSHIP, parent=root,
                                    is_grassroots=True)
    for unit in (lizhuang, hefang):
        people.create_post(acting_user=None, org_unit=unit, title="党委书记", rank=ranks["zhengke"],
                           kind=PostKind.LEADERSHIP)
    names = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞", "徐强", "孙丽"]
    for n, name in enumerate(names):
        birth = dt.date(1975 + n, 1 + n % 12, 1 + n)
        sex = "F" if n % 2 else "M"
        people.create_cadre(acting_user=None, name=name, sex=sex, birth_date=birth,
                            id_number=idnumber.make("371621", birth, sex, rng),
                            org_unit=lizhuang if n % 2 else hefang, rank=ranks["fuke"],
                            work_started=dt.date(2000, 7, 1), fulltime_education="bachelor",
                            political_status="cpc")
    admin = User.objects.create_user(username="fuzz_admin", password="fuzz-pass-1234", role=Role.ORG_ADMIN,
                                     data_scope=DataScope.ALL)
    admin.org_units.set([root])
    clerk = User.objects.create_user(username="fuzz_clerk", password="fuzz-pass-1234", role=Role.CLERK,
                                     data_scope=DataScope.SUBTREE)
    clerk.org_units.set([lizhuang])
    return {name: accounts.issue_api_token(acting_user=None, user=user, name="fuzz")
            for name, user in (("admin", admin), ("township clerk", clerk))}


def _summary(output: str, *, full: bool) -> str:
    """The whole report when something failed; otherwise schemathesis's summary (operations
    selected and tested, cases generated and passed)."""
    if full:
        return output
    start = output.find("SUMMARY")
    return output[output.rfind("\n", 0, start) + 1:] if start >= 0 else output


def serve_in_thread():
    """The real application over real HTTP on a free local port, in this process."""
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    from gongxin.wsgi import application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(application)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=5, help="cases per operation and user")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--phases", default="examples,fuzzing",
                        help="add coverage for the deeper boundary pass (about five times longer)")
    args = parser.parse_args()
    started = time.monotonic()
    st = Path(sys.executable).with_name("st")
    failed = []
    with tempfile.TemporaryDirectory(prefix="gongxin-fuzz-") as folder:
        _environment(Path(folder))
        import django

        django.setup()
        import logging

        from django.core.management import call_command

        logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 4xx are expected here

        call_command("migrate", verbosity=0)
        tokens = seed_county()
        server = serve_in_thread()
        base = f"http://127.0.0.1:{server.server_port}"
        # The schema is read once, here, and handed to both runs as a file.
        import urllib.request

        schema_file = Path(folder) / "openapi.json"
        with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=120) as response:
            schema_file.write_bytes(response.read())
        url = str(schema_file)
        try:
            # Both users at once (one process each): the cases are the same whatever the order.
            runs = {}
            for who, token in tokens.items():
                command = [
                    str(st), "run", url, "--url", base, "--no-color", "--workers", "1",
                    "--checks", "not_a_server_error,response_schema_conformance",
                    "--header", f"Authorization: Bearer {token}",
                    "--max-examples", str(args.max_examples), "--seed", str(args.seed),
                    "--generation-deterministic", "--phases", args.phases,
                    "--suppress-health-check", "all", "--request-timeout", "60",
                ]
                log = open(Path(folder) / f"{who}.log", "w+")  # noqa: SIM115 - read back below
                runs[who] = (subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=folder), log)
            for who, (process, log) in runs.items():
                code = process.wait()
                log.seek(0)
                print(f"== schemathesis as {who} ({base})", flush=True)
                print(_summary(log.read(), full=code != 0), flush=True)
                if code != 0:
                    failed.append(who)
        finally:
            server.shutdown()
    print(f"schemathesis: finished in {time.monotonic() - started:.0f} s; "
          + (f"FAILED as {', '.join(failed)}" if failed else "no server errors, every response as documented"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
