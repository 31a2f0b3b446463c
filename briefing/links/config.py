"""The link check's options: ``plugins: - briefing: links:`` in mkdocs.yml."""

from __future__ import annotations

import ipaddress

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from briefing.common.options import Positive


class _Mode(c.Choice):
    """off | cached | full; YAML reads a bare ``off`` as false, which means off too."""

    def run_validation(self, value):
        return super().run_validation("off" if value is False else value)


class _Network(c.Type):
    """An IP network in CIDR notation (a bare address is a network of one)."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value)
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError as error:
            raise ValidationError(f"Expected an IP network such as 127.0.0.1/32 but received: {value!r}") from error
        return value


class LinksConfig(Config):
    """``plugins: - briefing: links:`` in mkdocs.yml: internal links are checked in every build;
    external ones on demand."""

    # off: the build never goes online; cached: check what the cache lacks or has let
    # expire; full: check every external URL again.
    external = _Mode(("off", "cached", "full"), default="off")
    # Days a result stays in .cache/linkcheck/ (failures that may pass later: one day at most).
    cache_days = Positive((int, float), default=7)
    # The report, relative to mkdocs.yml; never inside site_dir.
    report = c.Type(str, default="linkcheck-report.txt")
    # Requests in flight at once, over all hosts.
    concurrency = Positive(int, default=32)
    # Requests in flight at once to one host.
    per_host = Positive(int, default=10)
    # Seconds one request (connect, headers) may take.
    timeout = Positive((int, float), default=10)
    # Further tries after a 429 or 5xx.
    retries = c.Type(int, default=2)
    # Seconds one URL may take in all, from its first request: every redirect hop, retry and
    # wait. A URL cut short is an error ("cut short at the per-URL deadline").
    url_deadline = Positive((int, float), default=60)
    # Seconds the whole check may take; the URLs not done by then are reported as unchecked
    # (named in the report, never cached) and the build fails.
    run_deadline = Positive((int, float), default=300)
    # Networks (CIDR: 127.0.0.1/32) the checker may connect to though they are not public: a
    # test's own local server. Empty, the default: public addresses only.
    allow_networks = c.ListOfItems(_Network(), default=[])
