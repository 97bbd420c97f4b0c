"""The client's address behind (and without) a reverse proxy: X-Forwarded-For is believed
only from a trusted proxy, read from the right, so a visitor's own header changes nothing."""

import pytest
from django.test import Client, RequestFactory

from gongxin.core.clientip import client_ip


def address(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    assert address("") is None


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    ("10.1.0.5", "198.51.100.7", "198.51.100.7"),                     # one proxy
    ("10.1.0.5", "1.2.3.4, 198.51.100.7", "198.51.100.7"),            # the visitor wrote 1.2.3.4 himself
    ("10.1.0.5", "198.51.100.7, 10.1.0.9", "198.51.100.7"),           # two trusted proxies
    ("10.1.0.5", "10.1.0.8, 10.1.0.9", "10.1.0.8"),                   # only proxies: the left-most
    ("10.1.0.5", "", "10.1.0.5"),                                     # no header: the proxy itself
    ("10.1.0.5", "198.51.100.7, not-an-address", "10.1.0.5"),         # garbage: stop at the proxy
    ("203.0.113.9", "198.51.100.7", "203.0.113.9"),                   # not from a trusted proxy
    ("10.1.0.5", " 2001:db8::1 ", "2001:db8::1"),                     # IPv6, spaces
])
def test_behind_a_trusted_proxy(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.1.0.0/16", "127.0.0.1"]
    assert address(remote, forwarded) == expected


def test_the_public_rate_limit_counts_visitors_not_the_proxy(settings, db):
    """Ten feedback posts per address per ten minutes: behind a proxy, one visitor's posts no
    longer use up everyone's allowance, and a forged header from outside buys nothing."""
    from gongxin.core import ratelimit

    settings.TRUSTED_PROXIES = ["10.1.0.5"]
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="10.1.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    second = factory.post("/", REMOTE_ADDR="10.1.0.5", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert [ratelimit.hit("t", ratelimit.client_address(first)) for _ in range(11)][-1] is False
    assert ratelimit.hit("t", ratelimit.client_address(second)) is True
    forged = factory.post("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert ratelimit.client_address(forged) == "203.0.113.9"


def test_a_typo_in_the_proxy_list_stops_the_settings_from_loading():
    import subprocess
    import sys

    code = "import os; os.environ['DJANGO_SETTINGS_MODULE']='gongxin.settings'; import gongxin.settings"
    env = {**__import__("os").environ, "GONGXIN_TRUSTED_PROXIES": "10.1.0.0/16,10.1.0.300"}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert proc.returncode != 0 and "10.1.0.300" in proc.stderr


def test_login_lockout_follows_the_visitor_behind_the_proxy(settings, cast):
    """Failures from one visitor count against that visitor's address, not against the
    proxy's: the others behind the same proxy still get the form (django-axes reads the
    address through client_ip). The user name attacked is locked for everyone (item 10)."""
    settings.TRUSTED_PROXIES = ["10.1.0.5"]
    bad = Client(REMOTE_ADDR="10.1.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for n in range(settings.GONGXIN_LOGIN_ADDRESS_FAILURE_LIMIT):
        bad.post("/accounts/login/", {"username": f"someone{n}", "password": "wrong"})
    locked = bad.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    assert locked.status_code in (403, 429)
    other = Client(REMOTE_ADDR="10.1.0.5", HTTP_X_FORWARDED_FOR="198.51.100.8")
    page = other.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    assert page.status_code == 200  # the form again, not the lockout
