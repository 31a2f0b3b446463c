"""``robots.txt`` for the site: every page may be crawled; the sitemap's address comes from
``site_url`` (MkDocs writes ``sitemap.xml`` itself, with absolute URLs when site_url is set).

Events: ``on_files`` (adds the generated file). Default priority.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from briefing.common.log import logger

log = logger("publication")


def robots_txt(site_url: str | None) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if files.get_file_from_path("robots.txt") is not None:
        log.warning(f"{config.docs_dir}/robots.txt: remove it; the build writes robots.txt from site_url.")
        return files
    if not config.site_url:
        log.info("site_url is not set: robots.txt names no sitemap.")
    files.append(File.generated(config, "robots.txt", content=robots_txt(config.site_url)))
    return files
