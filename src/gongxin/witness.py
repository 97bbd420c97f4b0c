"""A witness for a Gongxin ledger: ``gongxin witness`` or ``python -m gongxin.witness``.

Run by a second office (the county discipline commission, the city's organisation department):
it keeps the last checkpoint it saw of the ledger (a state file), checks every new checkpoint
against it with a consistency proof (RFC 9162 §2.1.4) and only then countersigns it with its own
key: a C2SP tlog-cosignature. A ledger that was rewritten — even if re-signed with the office's
own key — is not an extension of what the witness saw, so it gets no cosignature.

Standard library and ``cryptography`` only: no Django, no database.

    gongxin witness keygen --name jw.example/witness --key witness.key     # once; prints the witness key
    gongxin witness serve --name jw.example/witness --key witness.key --state witness.json \\
        --origin demo.gongxin.example/ledger --log-key 'gongxin-ledger+…' --listen 127.0.0.1:8117
    gongxin witness pull --name … --key … --state … --origin … --log-key … --log http://127.0.0.1:8000

``serve`` speaks C2SP tlog-witness: the ledger POSTs ``/add-checkpoint`` (old size, consistency
proof lines, blank line, checkpoint) and gets the cosignature line back; 409 (body: the size the
witness last cosigned) when the ledger's old size is not the witness's; 422 when the proof does
not verify or the same size comes with another root (a fork); 403 without a valid signature by
a trusted log key; 404 for an unknown origin. ``GET /<sha256(origin) hex>/checkpoint`` serves the
last checkpoint it cosigned. ``pull`` does the same check the other way round: it fetches the
ledger's latest checkpoint and the consistency proof from its public API and prints the
cosignature line."""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import fcntl
import hashlib
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from gongxin.ledger import cosign, merkle, note

MAX_PROOF_LINES = 63
MAX_BODY = 64 * 1024


class Refused(Exception):
    """The witness does not cosign: ``status`` is the C2SP tlog-witness HTTP status."""

    def __init__(self, status: int, message: str, body: str = "", content_type: str = "text/plain; charset=utf-8"):
        super().__init__(message)
        self.status = status
        self.message = message
        self.body = body or message + "\n"
        self.content_type = content_type


# --- keys ------------------------------------------------------------------------------------


def load_key(path: str | Path) -> Ed25519PrivateKey:
    text = Path(path).read_text().strip()
    try:
        seed = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SystemExit(f"{path}: not a base64 key") from None
    if len(seed) != 32:
        raise SystemExit(f"{path}: not a 32-byte Ed25519 seed")
    return Ed25519PrivateKey.from_private_bytes(seed)


def write_new_key(path: str | Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(base64.b64encode(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())).decode() + "\n")
    return key


# --- the witness -----------------------------------------------------------------------------


@dataclass
class LogConfig:
    origin: str
    keys: list[tuple[str, bytes]]  # (key name, Ed25519 public key) of the ledger's verifier keys


class Witness:
    """The check and the state. ``add_checkpoint`` is atomic per state file: a lock file (flock)
    serialises processes, a mutex the threads of one server."""

    def __init__(self, name: str, key: Ed25519PrivateKey, state_path: str | Path, logs: list[LogConfig],
                 clock=time.time):
        self.name = name
        self.key = key
        self.state_path = Path(state_path)
        self.logs = {log.origin: log for log in logs}
        self.clock = clock
        self._mutex = threading.Lock()

    @property
    def verifier_key(self) -> str:
        return cosign.verifier_key(self.name, note.public_key_bytes(self.key))

    # state: {"origins": {origin: {"size": n, "root": b64, "checkpoint": text}}}
    def _read(self) -> dict:
        try:
            return json.loads(self.state_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"origins": {}}

    def _write(self, state: dict) -> None:
        tmp = self.state_path.with_name(f".{self.state_path.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(state, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.state_path)

    @contextlib.contextmanager
    def _locked(self):
        with self._mutex:
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.state_path.with_name(self.state_path.name + ".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)

    def last(self, origin: str) -> dict | None:
        return self._read()["origins"].get(origin)

    def _evidence(self, reason: str, old_size: int, checkpoint: str) -> None:
        """A validly signed checkpoint that failed the check may prove the log misbehaved: keep it."""
        path = self.state_path.with_name(self.state_path.name + ".evidence.jsonl")
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"time": int(self.clock()), "reason": reason, "old": old_size,
                                 "checkpoint": checkpoint}, ensure_ascii=False) + "\n")

    def add_checkpoint(self, old_size: int, proof: list[bytes], checkpoint: str) -> str:
        """The cosignature line on ``checkpoint``, or Refused."""
        try:
            cp = note.parse(checkpoint)
        except note.NoteError as exc:
            raise Refused(400, f"not a checkpoint: {exc}") from None
        log = self.logs.get(cp.origin)
        if log is None:
            raise Refused(404, f"unknown log origin {cp.origin!r}")
        if not _signed_by_log(checkpoint, log):
            raise Refused(403, "no valid signature by a trusted key of this log")
        if old_size > cp.size:
            raise Refused(400, f"old size {old_size} is larger than the checkpoint's size {cp.size}")
        if cp.size == 0 and cp.root != merkle.EMPTY_ROOT:
            raise Refused(422, "a checkpoint of size 0 must have the empty tree's root")
        if len(proof) > MAX_PROOF_LINES:
            raise Refused(400, "too many consistency proof lines")
        with self._locked():
            state = self._read()
            last = state["origins"].get(cp.origin)
            last_size = last["size"] if last else 0
            if old_size != last_size:
                raise Refused(409, f"the witness last cosigned size {last_size}", f"{last_size}\n", "text/x.tlog.size")
            if last is None:
                if proof:
                    raise Refused(422, "a first checkpoint needs no consistency proof")
            else:
                last_root = base64.b64decode(last["root"])
                if not merkle.verify_consistency(last_size, cp.size, last_root, cp.root, proof):
                    reason = ("the same size with another root: a fork" if last_size == cp.size
                              else f"not consistent with the checkpoint of size {last_size} the witness saw: a fork or a bad proof")
                    self._evidence(reason, old_size, checkpoint)
                    raise Refused(422, reason)
            cosig = cosign.sign(cp.body, self.name, self.key, int(self.clock()))
            state["origins"][cp.origin] = {"size": cp.size, "root": base64.b64encode(cp.root).decode(),
                                           "checkpoint": cosign.with_lines(checkpoint, [cosig.line])}
            self._write(state)
        return cosig.line


def _signed_by_log(text: str, log: LogConfig) -> bool:
    for name, public in log.keys:
        try:
            note.verify_note(text, name, public)
            return True
        except note.NoteError:
            continue
    return False


def parse_request(body: bytes) -> tuple[int, list[bytes], str]:
    """C2SP tlog-witness add-checkpoint body: ``old N``, proof lines, a blank line, the checkpoint."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the request is not UTF-8") from None
    head, sep, checkpoint = text.partition("\n\n")
    lines = head.split("\n")
    if not sep or not lines[0].startswith("old "):
        raise Refused(400, "expected 'old <size>', proof lines, a blank line and the checkpoint")
    size_text = lines[0][4:]
    if not size_text.isascii() or not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise Refused(400, "the old size is not a decimal number")
    proof = []
    for line in lines[1:]:
        try:
            h = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            raise Refused(400, "a proof line is not base64") from None
        if len(h) != 32:
            raise Refused(400, "a proof line is not a 32-byte hash")
        proof.append(h)
    return int(size_text), proof, checkpoint


def request_body(old_size: int, proof: list[bytes], checkpoint: str) -> bytes:
    lines = [f"old {old_size}"] + [base64.b64encode(h).decode() for h in proof]
    return ("\n".join(lines) + "\n\n" + checkpoint).encode()


# --- HTTP ------------------------------------------------------------------------------------


def make_server(witness: Witness, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        server_version = "gongxin-witness/1"

        def _send(self, status: int, body: str, content_type: str = "text/plain; charset=utf-8"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):  # noqa: N802 - http.server's name
            if self.path.rstrip("/") != "/add-checkpoint":
                return self._send(404, "not found\n")
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self._send(400, "request too large\n")
            try:
                old_size, proof, checkpoint = parse_request(self.rfile.read(length))
                line = witness.add_checkpoint(old_size, proof, checkpoint)
            except Refused as exc:
                sys.stderr.write(f"witness: refused ({exc.status}): {exc.message}\n")
                return self._send(exc.status, exc.body, exc.content_type)
            return self._send(200, line)

        def do_GET(self):  # noqa: N802
            parts = self.path.strip("/").split("/")
            if self.path in ("/", ""):
                return self._send(200, f"gongxin witness {witness.name}\n{witness.verifier_key}\n")
            if len(parts) == 2 and parts[1] == "checkpoint":
                for origin in witness.logs:
                    if hashlib.sha256(origin.encode()).hexdigest() == parts[0]:
                        last = witness.last(origin)
                        if last:
                            return self._send(200, last["checkpoint"])
            return self._send(404, "not found\n")

        def log_message(self, fmt, *args):  # quiet: refusals are reported above
            pass

    return ThreadingHTTPServer((host, port), Handler)


# --- pull: fetch from the ledger's public API ------------------------------------------------


def pull(witness: Witness, log_url: str, timeout: float = 30) -> str:
    """Fetch the ledger's latest checkpoint and a consistency proof from the size this witness
    last cosigned; check and cosign. Returns the cosignature line (raises Refused)."""
    base = log_url.rstrip("/")
    checkpoint = _get(f"{base}/public/ledger/checkpoint.txt", timeout)
    try:
        cp = note.parse(checkpoint)
    except note.NoteError as exc:
        raise Refused(400, f"the ledger's checkpoint: {exc}") from None
    last = witness.last(cp.origin)
    old = last["size"] if last else 0
    proof: list[bytes] = []
    if last and old < cp.size:
        query = urllib.parse.urlencode({"first": old, "second": cp.size})
        answer = json.loads(_get(f"{base}/api/v1/ledger/proofs/consistency?{query}", timeout))
        proof = [base64.b64decode(h) for h in answer.get("proof", [])]
    elif last and old > cp.size:
        witness._evidence(f"the ledger shows size {cp.size}, smaller than {old}", old, checkpoint)
        raise Refused(422, f"the ledger's checkpoint has size {cp.size}, smaller than the {old} this witness saw: a rollback")
    return witness.add_checkpoint(old, proof, checkpoint)


def _get(url: str, timeout: float) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a configured https/http URL
            return response.read().decode("utf-8")
    except urllib.error.URLError as exc:
        raise Refused(502, f"cannot fetch {url}: {exc}") from None


# --- command line ----------------------------------------------------------------------------


def _witness_from(args) -> Witness:
    keys = []
    for vkey in args.log_key:
        try:
            keys.append(note.parse_verifier_key(vkey))
        except note.NoteError as exc:
            raise SystemExit(f"--log-key: {exc}") from None
    return Witness(args.name, load_key(args.key), args.state, [LogConfig(args.origin, keys)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gongxin witness", description="Witness a Gongxin ledger: check and countersign its checkpoints.")
    sub = parser.add_subparsers(dest="command", required=True)
    kg = sub.add_parser("keygen", help="make a witness key file and print the witness key to publish")
    kg.add_argument("--name", required=True, help="the witness's name, e.g. jw.huimin.gov.cn/witness")
    kg.add_argument("--key", required=True, help="the key file to create (mode 0600)")
    for cmd, text in (("serve", "answer C2SP add-checkpoint requests over HTTP"),
                      ("pull", "fetch the ledger's checkpoint and proof, check, print the cosignature")):
        p = sub.add_parser(cmd, help=text)
        p.add_argument("--name", required=True)
        p.add_argument("--key", required=True, help="the witness's key file")
        p.add_argument("--state", required=True, help="the state file: the last checkpoint seen")
        p.add_argument("--origin", required=True, help="the ledger's origin line")
        p.add_argument("--log-key", action="append", required=True, metavar="VKEY",
                       help="a verifier key of the ledger (repeat for each key in its key history)")
        if cmd == "serve":
            p.add_argument("--listen", default="127.0.0.1:8117", help="host:port")
        else:
            p.add_argument("--log", required=True, help="the ledger's site, e.g. https://zzb.example.gov.cn")
    args = parser.parse_args(argv)
    if args.command == "keygen":
        try:
            key = write_new_key(args.key)
        except FileExistsError:
            print(f"{args.key} exists: not overwritten", file=sys.stderr)
            return 1
        print(cosign.verifier_key(args.name, note.public_key_bytes(key)))
        return 0
    witness = _witness_from(args)
    if args.command == "pull":
        try:
            sys.stdout.write(pull(witness, args.log))
        except Refused as exc:
            print(f"REFUSED ({exc.status}): {exc.message}", file=sys.stderr)
            return 1
        return 0
    host, _sep, port = args.listen.rpartition(":")
    server = make_server(witness, host or "127.0.0.1", int(port))
    print(f"witness {witness.verifier_key} listening on http://{host or '127.0.0.1'}:{server.server_address[1]}",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
