"""Headers and origins for a deployment behind a TLS proxy (issue 12, item 11)."""

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _production_settings(**env) -> dict:
    """Read the settings module afresh in a child process with this environment."""
    code = ("import json, gongxin.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
            "['ALLOWED_HOSTS', 'CSRF_TRUSTED_ORIGINS', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', "
            "'SECURE_PROXY_SSL_HEADER', 'CONTENT_SECURITY_POLICY']}))")
    clean = {k: v for k, v in os.environ.items() if k not in ("ALLOWED_HOSTS", "SECURE_COOKIES", "DEBUG")}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_hosts_do_not_include_the_test_server():
    assert "testserver" not in _production_settings()["ALLOWED_HOSTS"]


def test_https_deployment_gets_hsts_secure_cookies_and_trusted_origins_from_host_names():
    s = _production_settings(ALLOWED_HOSTS="gongxin.county.gov.cn,.intranet.local", SECURE_COOKIES="1",
                             GONGXIN_TRUSTED_PROXIES="127.0.0.1")
    assert s["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    assert s["SESSION_COOKIE_SECURE"] is True
    assert "https://gongxin.county.gov.cn" in s["CSRF_TRUSTED_ORIGINS"]
    assert "https://*.intranet.local" in s["CSRF_TRUSTED_ORIGINS"]
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert not _production_settings()["SECURE_HSTS_SECONDS"]


def test_login_behind_a_tls_proxy_passes_the_origin_check(cast, settings):
    from gongxin import settings as production

    settings.ALLOWED_HOSTS = ["gongxin.county.gov.cn"]
    settings.CSRF_TRUSTED_ORIGINS = production._trusted_origins(settings.ALLOWED_HOSTS, "")
    browser = Client(enforce_csrf_checks=True, HTTP_HOST="gongxin.county.gov.cn")
    browser.get("/accounts/login/")
    token = browser.cookies["csrftoken"].value
    response = browser.post("/accounts/login/", {"username": "clerk", "password": "pass-1234-word",
                                                 "csrfmiddlewaretoken": token},
                            HTTP_ORIGIN="https://gongxin.county.gov.cn")
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/accounts/login/", "/public/", "/api/v1/openapi.json"])
def test_every_response_carries_a_content_security_policy(path):
    policy = Client().get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"] and "http" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_the_api_docs_load_their_scripts_locally(cast, client_for):
    page = client_for(cast["users"]["org_admin"]).get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page
