"""Settings for the HTTP benchmark's server: the product's, with the minimal page beside it."""

from gongxin.settings import *  # noqa: F403

ROOT_URLCONF = "bench_http_urls"
