"""The note's own bibliographic record: one source (``briefing: publication:`` in mkdocs.yml),
validated here, from which ``publication_meta.py`` (cite-this block, .bib/.ris files, meta
tags) and ``print_edition.py`` (print page, PDF) derive everything they show.

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from briefing.publication.config import PublicationConfig

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
PROCESS = {"serving": False}  # set by print_edition.on_startup; kept across the rebuilds of `mkdocs serve`
# Addresses that cannot be the published one: the project's own placeholder and the names
# reserved for examples and tests (RFC 2606, RFC 6761).
PLACEHOLDER_HOSTS = ("example.github.io", "example.com", "example.org", "example.net", "localhost")
PLACEHOLDER_TLDS = ("example", "invalid", "test", "localhost")
DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>0[1-9]|1[0-2])(?:-(?P<day>0[1-9]|[12]\d|3[01]))?)?$")


@dataclass(frozen=True)
class Publication:
    """The validated record, with the forms every output needs."""

    title: str
    given: str
    family: str
    honorific: str | None
    affiliation: str
    series: str
    number: str
    year: str
    month: int | None
    day: int | None
    publisher: str
    place: str | None
    language: str
    url: str
    rights: str | None  # as the note states them; None: the note states none, and nothing claims any
    deploy: bool  # this build is published (briefing.publication.deploy)
    pdf: bool  # the PDF is built (and linked) in this build
    pdf_when_serving: bool
    pdf_timeout: float

    @property
    def author_display(self) -> str:
        """"Dr Jane Q. Smith" (honorific, given names, family name)."""
        return " ".join(part for part in (self.honorific, self.given, self.family) if part)

    @property
    def author_inverted(self) -> str:
        """"Smith, Jane Q." (bibliographies, BibTeX, RIS, Highwire)."""
        return f"{self.family}, {self.given}"

    @property
    def date_text(self) -> str:
        """"November 2023" (Chicago)."""
        if self.month is None:
            return self.year
        if self.day is None:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{MONTHS[self.month - 1]} {self.day}, {self.year}"

    @property
    def iso_date(self) -> str:
        """"2023-11" (Dublin Core, W3CDTF)."""
        return "-".join(part for part in (self.year, _two(self.month), _two(self.day)) if part)

    @property
    def slug(self) -> str:
        """File name stem of the downloads: the title, slugified ("friends-or-foes")."""
        return slugify(self.title)

    @property
    def key(self) -> str:
        """BibTeX key: family name, year, first word of the title of four letters or more."""
        words = [w for w in slugify(self.title).split("-") if len(w) >= 4] or ["note"]
        return f"{slugify(self.family).replace('-', '')}{self.year}{words[0]}"

    def files(self) -> dict[str, str]:
        """Site paths of the downloads."""
        names = {"bib": f"{self.slug}.bib", "ris": f"{self.slug}.ris", "print": "print/"}
        if self.pdf:
            names["pdf"] = f"{self.slug}.pdf"
        return names


def _two(value: int | None) -> str | None:
    return None if value is None else f"{value:02d}"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def load(config: MkDocsConfig) -> tuple[Publication | None, list[str]]:
    """The record of ``briefing.publication`` (validated with the plugin's options, see
    ``briefing.publication.config``); None when the site has none. Returns the warnings too:
    the site settings that disagree with it.

    Raises PluginError naming mkdocs.yml for a date that is not one."""
    from briefing.config import options as plugin_options

    where = config.config_file_path or "mkdocs.yml"
    options = plugin_options(config).publication
    if options is None:
        return None, []
    return from_options(options, config, where)


def from_options(options: PublicationConfig, config: MkDocsConfig, where: str) -> tuple[Publication, list[str]]:
    """The record from validated options (see ``load``)."""
    match = DATE.match(options.date.strip())
    if not match:
        raise PluginError(f"{where}: briefing.publication.date {options.date!r} is not YYYY, YYYY-MM or YYYY-MM-DD "
                          "(quote it in YAML: date: \"2023-11\").")
    url = options.url or config.site_url or ""
    if url and not url.endswith("/"):
        url += "/"
    author = options.author
    record = Publication(
        title=options.title.strip(), given=author.given.strip(), family=author.family.strip(),
        honorific=(author.honorific or "").strip() or None, affiliation=author.affiliation.strip(),
        series=options.series.strip(), number=options.number.strip(), year=match["year"],
        month=int(match["month"]) if match["month"] else None, day=int(match["day"]) if match["day"] else None,
        publisher=options.publisher.strip(), place=(options.place or "").strip() or None,
        language=options.language, url=url, rights=" ".join((options.rights or "").split()) or None,
        deploy=options.deploy, pdf_when_serving=options.pdf_when_serving,
        pdf=options.pdf and (options.pdf_when_serving or not PROCESS["serving"]),
        pdf_timeout=float(options.pdf_timeout),
    )
    return record, consistency(record, config, where)


def consistency(pub: Publication, config: MkDocsConfig, where: str) -> list[str]:
    """The few site settings that repeat the record must agree with it."""
    problems = []
    if config.site_name != pub.title:
        problems.append(f"{where}: site_name {config.site_name!r} differs from briefing.publication.title "
                        f"{pub.title!r}.")
    if config.site_author and config.site_author != pub.author_display:
        problems.append(f"{where}: site_author {config.site_author!r} differs from the author in "
                        f"briefing.publication ({pub.author_display!r}).")
    if config.site_url and pub.url and pub.url.rstrip("/") != config.site_url.rstrip("/"):
        problems.append(f"{where}: briefing.publication.url {pub.url!r} differs from site_url {config.site_url!r}: "
                        "leave url unset to use site_url.")
    return problems


def placeholder_address(url: str) -> str | None:
    """Why ``url`` cannot be the address a published note carries; None when it can be."""
    if not url:
        return "it is empty"
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in ("http", "https") or not host:
        return "it is not an http(s) address"
    if host in PLACEHOLDER_HOSTS or host.rsplit(".", 1)[-1] in PLACEHOLDER_TLDS \
            or any(host.endswith("." + name) for name in PLACEHOLDER_HOSTS[1:4]) or host.startswith("127."):
        return f"{host} is a placeholder"
    return None


def citation_cff_problems(pub: Publication, cff: dict) -> list[str]:
    """Where CITATION.cff (GitHub's "Cite this repository") disagrees with the record; [] when it agrees."""
    problems = []
    author = {"family-names": pub.family, "given-names": pub.given, "affiliation": pub.affiliation}
    preferred = cff.get("preferred-citation") or {}
    institution = preferred.get("institution") or {}
    expected = [
        ("title", cff.get("title"), pub.title),
        ("authors", cff.get("authors"), [author]),
        ("url", cff.get("url"), pub.url),
        ("preferred-citation.type", preferred.get("type"), "report"),
        ("preferred-citation.title", preferred.get("title"), pub.title),
        ("preferred-citation.authors", preferred.get("authors"), [author]),
        ("preferred-citation.collection-title", preferred.get("collection-title"), pub.series),
        ("preferred-citation.number", str(preferred.get("number")), pub.number),
        ("preferred-citation.institution.name", institution.get("name"), pub.publisher),
        ("preferred-citation.institution.city", institution.get("city"), pub.place),
        ("preferred-citation.year", preferred.get("year"), int(pub.year)),
        ("preferred-citation.month", preferred.get("month"), pub.month),
        ("preferred-citation.url", preferred.get("url"), pub.url),
        ("preferred-citation.languages", preferred.get("languages"), [pub.language]),
    ]
    for name, found, wanted in expected:
        if found != wanted:
            problems.append(f"{name} is {found!r}, the record says {wanted!r}")
    return problems


def deploy_problems(pub: Publication, config: MkDocsConfig) -> list[str]:
    """What stops a build to publish (``deploy: true``): an address that is a placeholder, or a
    CITATION.cff beside mkdocs.yml that does not give the address this build publishes."""
    if not pub.deploy:
        return []
    import yaml

    where = config.config_file_path or "mkdocs.yml"
    reason = placeholder_address(pub.url)
    if reason:
        return [f"{where}: site_url {pub.url or config.site_url!r} cannot be the note's citable address ({reason}), "
                "and this is a deploy build (briefing.publication.deploy): every citation, download, meta tag and "
                "the PDF would carry it. Build with the address GitHub Pages serves: deploy.yml passes "
                "actions/configure-pages' base_url as SITE_URL; by hand, SITE_URL=https://OWNER.github.io/REPO/ "
                "make build (README: 'Deploying')."]
    cff_path = Path(where).parent / "CITATION.cff"
    if not cff_path.is_file():
        return []
    try:
        cff = yaml.safe_load(cff_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        return [f"{cff_path}: not valid YAML ({error})."]
    problems = citation_cff_problems(pub, cff if isinstance(cff, dict) else {})
    if problems:
        return [f"{cff_path}: {'; '.join(problems)}. GitHub's 'Cite this repository' reads this file: make it "
                f"agree with the record and the address this deploy publishes ({pub.url}), in both url fields "
                "(README: 'Deploying')."]
    return []


# ----------------------------------------------------------------------------- derived forms
def bibtex(pub: Publication) -> str:
    """A BibTeX @techreport entry (also read by biblatex, Zotero, Mendeley). Every value is
    escaped the BibTeX way (``_bib_text``, ``_bib_name``, ``_bib_url``): no text of the record
    can close its field, add a field or an entry, or run a command such as ``\\input``."""
    author = f"{_bib_name(pub.family)}, {_bib_name(pub.given)}"
    fields = [
        ("author", f"{{{author}}}"),
        ("title", f"{{{{{_bib_text(pub.title)}}}}}"),  # double braces keep the title's capitals
        ("type", f"{{{_bib_text(pub.series)}}}"),
        ("number", f"{{{_bib_text(pub.number)}}}"),
        ("institution", f"{{{_bib_text(pub.publisher)}}}"),
    ]
    if pub.place:
        fields.append(("address", f"{{{_bib_text(pub.place)}}}"))
    fields.append(("year", f"{{{_bib_text(pub.year)}}}"))
    if pub.month:
        fields.append(("month", MONTHS[pub.month - 1][:3].lower()))
    if pub.url:
        fields.append(("url", f"{{{_bib_url(pub.url)}}}"))
    fields.append(("language", f"{{{_bib_text(pub.language)}}}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@techreport{{{pub.key},\n{body},\n}}\n"


# BibTeX counts every brace, escaped or not (``\{`` opens a group too), so braces and the
# backslash become LaTeX's text commands, whose own ``{}`` balance; the other characters
# special to LaTeX get their usual escapes.
_BIB_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "$": r"\$", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_",
}
_BIB_SPECIAL = re.compile("[" + re.escape("".join(_BIB_ESCAPES)) + "]")
# Unicode's bidirectional controls: they reorder what a reader sees (a name shown backwards).
_BIDI = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])


def plain_line(text: str) -> str:
    """``text`` on one line: control characters, line and paragraph separators (CR, LF, VT,
    FF, NEL, U+2028...) become spaces, bidirectional controls are dropped, runs of spaces
    become one."""
    text = text.translate(_BIDI)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    return " ".join(text.split())


def _bib_text(text: str) -> str:
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES[m.group(0)], plain_line(text))


def _bib_name(text: str) -> str:
    """One part of a name (family or given): also its commas (a comma splits a BibTeX name)
    and the word "and" (which separates names) are braced."""
    escaped = _bib_text(text).replace(",", "{,}")
    return re.sub(r"(?<!\S)(and)(?!\S)", r"{\1}", escaped, flags=re.I)


def _bib_url(url: str) -> str:
    """A URL for a verbatim field: braces, backslashes, spaces and control characters (what
    could unbalance or end it) are percent-encoded; its own %-escapes are kept."""
    return re.sub(r"[{}\\\s\x00-\x1f\x7f]", lambda m: "%" + "%".join(f"{b:02X}" for b in m.group(0).encode()), url)


def ris(pub: Publication) -> str:
    """An RIS record (type RPRT) for EndNote, Zotero, Mendeley; CRLF line ends as the format
    asks. Each value is one line (``plain_line``): no text of the record can start a tag or
    another record."""
    date = "/".join((pub.year, _two(pub.month) or "", _two(pub.day) or "", ""))
    lines = [
        ("TY", "RPRT"), ("AU", pub.author_inverted), ("TI", pub.title), ("T3", pub.series),
        ("VL", pub.number), ("PY", pub.year), ("DA", date), ("PB", pub.publisher),
    ]
    if pub.place:
        lines.append(("CY", pub.place))
    if pub.url:
        lines.append(("UR", pub.url))
    lines += [("LA", pub.language), ("ER", "")]
    return "".join(f"{tag}  - {plain_line(value)}".rstrip() + "\r\n" for tag, value in lines)


def meta_tags(pub: Publication, *, page_title: str | None, description: str, page_url: str,
              site_name: str, pdf_url: str | None) -> list[dict[str, str]]:
    """Highwire (Google Scholar), Dublin Core, Open Graph and Twitter card tags for one page.

    Each item: ``attr`` ("name" or "property"), ``key`` and ``content``."""
    title = f"{page_title} - {site_name}" if page_title and page_title != site_name else site_name
    date = "/".join(part for part in (pub.year, _two(pub.month), _two(pub.day)) if part)
    tags: list[tuple[str, str, str]] = [
        ("name", "citation_title", pub.title),
        ("name", "citation_author", pub.author_inverted),
        ("name", "citation_author_institution", pub.affiliation),
        ("name", "citation_publication_date", date),
        ("name", "citation_technical_report_institution", pub.publisher),
        ("name", "citation_technical_report_number", pub.number),
        ("name", "citation_publisher", pub.publisher),
        ("name", "citation_language", pub.language),
    ]
    if pub.url:
        tags.append(("name", "citation_abstract_html_url", pub.url))
        tags.append(("name", "citation_fulltext_html_url", pub.url + "print/"))
    if pdf_url:
        tags.append(("name", "citation_pdf_url", pdf_url))
    tags += [
        ("name", "DC.title", pub.title),
        ("name", "DC.creator", pub.author_inverted),
        ("name", "DC.date", pub.iso_date),
        ("name", "DC.publisher", pub.publisher),
        ("name", "DC.type", "Text"),
        ("name", "DC.format", "text/html"),
        ("name", "DC.language", pub.language),
        ("name", "DC.relation.ispartof", pub.series),
    ]
    if pub.url:
        tags.append(("name", "DC.identifier", pub.url))
    if pub.rights:
        tags.append(("name", "DC.rights", pub.rights))
    tags += [
        ("property", "og:type", "article"),
        ("property", "og:site_name", site_name),
        ("property", "og:title", title),
        ("property", "og:description", description),
    ]
    if page_url:
        tags.append(("property", "og:url", page_url))
    tags += [
        ("property", "article:author", pub.author_display),
        ("property", "article:published_time", pub.iso_date),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    return [{"attr": attr, "key": key, "content": content} for attr, key, content in tags]
