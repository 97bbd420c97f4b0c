"""``gongxin backup`` / ``gongxin restore``: the database and the files it cannot be read or
trusted without, in one archive.

The archive (a .tar.gz) holds ``manifest.json`` (the database vendor, the ledger's size and
root at the time of the backup), the database (``database.sqlite3`` taken with SQLite's online
backup API while the server runs, or ``database.pgdump`` from ``pg_dump --format=custom``), the
key files (``keys/secret_key``, ``keys/ledger.key``: without the ledger key no new checkpoint
can be signed) and the uploaded files (``media/``). ``restore`` puts them back, refusing to
overwrite a database or a key that is already there unless told to, and checks that the
restored ledger has the root the manifest names."""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from gongxin.core.errors import DomainError


def _key_files() -> dict[str, Path]:
    return {"keys/secret_key": Path(settings.DATA_DIR) / "secret_key",
            "keys/ledger.key": Path(settings.LEDGER_KEY_FILE)}


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432), "-U", str(db.get("USER") or "postgres")]
    return args, env


def ledger_state() -> tuple[int, str]:
    from gongxin.ledger.tree import current_root

    size, root = current_root()
    return size, root.hex()


def backup(archive: Path) -> dict:
    size, root = ledger_state()
    vendor = connection.vendor
    manifest = {"format": 1, "vendor": vendor, "ledger_size": size, "ledger_root": root,
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    with tempfile.TemporaryDirectory(prefix="gongxin-backup-") as tmp:
        tmp = Path(tmp)
        if vendor == "sqlite":
            db_file = tmp / "database.sqlite3"
            source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
            target = sqlite3.connect(str(db_file))
            try:
                source.backup(target)  # a consistent copy while others write
            finally:
                target.close()
                source.close()
            name = "database.sqlite3"
        elif vendor == "postgresql":
            db_file = tmp / "database.pgdump"
            args, env = _pg_env()
            run = subprocess.run(["pg_dump", *args, "--format=custom", "--no-owner", "-f", str(db_file),
                                  str(settings.DATABASES["default"]["NAME"])], env=env, capture_output=True, text=True)
            if run.returncode:
                raise DomainError("backup.pg_dump", f"pg_dump 失败：{run.stderr.strip()[-500:]}")
            name = "database.pgdump"
        else:
            raise DomainError("backup.vendor", f"不支持备份 {vendor} 数据库。")
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(tmp / "manifest.json", "manifest.json")
            tar.add(db_file, name)
            for arcname, path in _key_files().items():
                if path.is_file():
                    tar.add(path, arcname)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, "media")
        partial.replace(archive)  # a finished archive or none
    return manifest


def restore(archive: Path, *, force: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="gongxin-restore-") as tmp:
        tmp = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
        manifest = json.loads((tmp / "manifest.json").read_text())
        vendor = connection.vendor
        if manifest["vendor"] != vendor:
            raise DomainError("restore.vendor", f"备份来自 {manifest['vendor']} 数据库，当前配置的是 {vendor}。")
        for arcname, path in _key_files().items():
            src = tmp / arcname
            if not src.is_file():
                continue
            if path.exists() and path.read_bytes() != src.read_bytes() and not force:
                raise DomainError("restore.key_exists", f"{path} 已存在且与备份中的不同；确认要覆盖请加 --force。")
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, path)
            os.chmod(path, 0o600)
        if vendor == "sqlite":
            target = Path(settings.DATABASES["default"]["NAME"])
            if target.exists() and target.stat().st_size and not force:
                raise DomainError("restore.db_exists", f"数据库 {target} 已存在；确认要覆盖请加 --force。")
            connection.close()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp / "database.sqlite3", target)
        else:
            args, env = _pg_env()
            connection.close()
            run = subprocess.run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "-d",
                                  str(settings.DATABASES["default"]["NAME"]), str(tmp / "database.pgdump")],
                                 env=env, capture_output=True, text=True)
            if run.returncode:
                raise DomainError("restore.pg_restore", f"pg_restore 失败：{run.stderr.strip()[-500:]}")
        if (tmp / "media").is_dir():
            shutil.copytree(tmp / "media", settings.MEDIA_ROOT, dirs_exist_ok=True)
    size, root = ledger_state()
    if (size, root) != (manifest["ledger_size"], manifest["ledger_root"]):
        raise DomainError("restore.root", f"恢复后的账本（{size} 条，根 {root}）与备份时（{manifest['ledger_size']} 条，"
                                          f"根 {manifest['ledger_root']}）不一致。")
    return manifest
