"""A note's bibliographic record as every output needs it (``Publication``): made from the
note's own record (its index.md's front matter, ``briefing.series.record``) and the series'
(``briefing: series:`` in mkdocs.yml), once per build. ``briefing.publication.meta``
(cite-this block, .bib/.ris files, meta tags) and ``print_edition`` (print page, PDF) derive
everything they show from it, as do the series' pages and feed.

Chicago (18th ed.) forms of the authors, CMOS 14.76: a note names one or two authors ("Jane
Smith and Ali Khan") and, of three or more, the first followed by "et al."; the bibliography
inverts the first name only ("Smith, Jane, and Ali Khan") and lists up to six, of seven or more
the first three followed by "et al.". Honorifics ("Dr") are the byline's, never a citation's.

Pure functions only: no MkDocs events here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from briefing.series.record import Author, NoteRecord, slugify

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
# Addresses that cannot be the published one: the project's own placeholder and the names
# reserved for examples and tests (RFC 2606, RFC 6761).
PLACEHOLDER_HOSTS = ("example.github.io", "example.com", "example.org", "example.net", "localhost")
PLACEHOLDER_TLDS = ("example", "invalid", "test", "localhost")
DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>0[1-9]|1[0-2])(?:-(?P<day>0[1-9]|[12]\d|3[01]))?)?$")
NOTE_AUTHORS_IN_FULL = 2  # a note names this many authors in full; more: the first and "et al."
BIBLIOGRAPHY_AUTHORS_IN_FULL = 6  # a bibliography entry lists up to six; more: the first three and "et al."
BIBLIOGRAPHY_AUTHORS_BEFORE_ET_AL = 3


@dataclass(frozen=True)
class Series:
    """The series' record (``briefing: series:``), as the outputs need it."""

    name: str
    publisher: str
    place: str | None
    address: str = ""
    issn: str | None = None
    url: str = ""  # the site's address (site_url, with its slash)


@dataclass(frozen=True)
class Publication:
    """One note's record, with the forms every output needs."""

    title: str
    authors: tuple[Author, ...]
    series: str
    number: str
    year: str
    month: int | None
    day: int | None
    publisher: str
    place: str | None
    language: str
    url: str  # the note's address: the site's address and the note's folder
    rights: str | None  # as the note states them; None: the note states none, and nothing claims any
    site_url: str = ""  # the site's address (site_url, with its slash): downloads are addressed from it
    folder: str = ""  # the note's folder under docs/ ("" for a record of the site's root, in tests)
    short_title: str = ""
    issn: str | None = None
    keywords: tuple[str, ...] = ()
    deploy: bool = False  # this build is published (briefing.publication.deploy)
    pdf: bool = True  # the PDF is built (and linked) in this build
    pdf_when_serving: bool = False
    pdf_timeout: float = 60.0

    @property
    def author_display(self) -> str:
        """The byline: "Dr Jane Q. Smith", "Dr Jane Smith and Ali Khan", "A, B, and C"."""
        return join_names([author.display for author in self.authors])

    @property
    def note_authors(self) -> str:
        """The authors as a Chicago note names them (see the module's docstring)."""
        names = [author.name for author in self.authors]
        if len(names) > NOTE_AUTHORS_IN_FULL:
            return f"{names[0]} et al."
        return join_names(names)

    @property
    def bibliography_authors(self) -> str:
        """The authors as a Chicago bibliography entry lists them (no final period)."""
        names = [self.authors[0].inverted] + [author.name for author in self.authors[1:]]
        if len(names) > BIBLIOGRAPHY_AUTHORS_IN_FULL:
            return ", ".join(names[:BIBLIOGRAPHY_AUTHORS_BEFORE_ET_AL]) + ", et al."
        if len(names) == 2:
            return f"{names[0]}, and {names[1]}"
        return join_names(names)

    @property
    def author_inverted(self) -> str:
        """The first author inverted: "Smith, Jane Q."."""
        return self.authors[0].inverted

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
        """BibTeX key: first author's family name, year, first word of the title of four letters or more."""
        words = [w for w in slugify(self.title).split("-") if len(w) >= 4] or ["note"]
        return f"{slugify(self.authors[0].family).replace('-', '')}{self.year}{words[0]}"

    def files(self) -> dict[str, str]:
        """Site paths of the note's downloads and print edition, in its folder."""
        folder = f"{self.folder}/" if self.folder else ""
        names = {"bib": f"{folder}{self.slug}.bib", "ris": f"{folder}{self.slug}.ris", "print": f"{folder}print/"}
        if self.pdf:
            names["pdf"] = f"{folder}{self.slug}.pdf"
        return names


def join_names(names: list[str]) -> str:
    """"A", "A and B", "A, B, and C" (Chicago's serial comma)."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _two(value: int | None) -> str | None:
    return None if value is None else f"{value:02d}"


def site_address(site_url: str | None) -> str:
    url = site_url or ""
    return url if not url or url.endswith("/") else url + "/"


def from_note(note: NoteRecord, series: Series, options, *, serving: bool = False) -> Publication:
    """The record of ``note``: its own fields, the series' (name, publisher, place, ISSN), the
    build's options (``briefing.publication``: deploy, PDF) and its address (the site's and
    its folder). Under `mkdocs serve` the PDF is left out unless ``pdf_when_serving``."""
    match = DATE.match(note.date)
    return Publication(
        title=note.title, authors=note.authors, series=series.name, number=str(note.number), year=match["year"],
        month=int(match["month"]) if match["month"] else None, day=int(match["day"]) if match["day"] else None,
        publisher=series.publisher, place=series.place, language=note.language,
        url=f"{series.url}{note.folder}/" if series.url else "", site_url=series.url, rights=note.rights,
        folder=note.folder,
        short_title=note.short_title, issn=series.issn, keywords=note.keywords,
        deploy=options.deploy, pdf_when_serving=options.pdf_when_serving,
        pdf=options.pdf and (options.pdf_when_serving or not serving), pdf_timeout=float(options.pdf_timeout),
    )


def consistency(series: Series, config, where: str) -> list[str]:
    """The few site settings that repeat the series' record must agree with it."""
    problems = []
    if config.site_name != series.name:
        problems.append(f"{where}: site_name {config.site_name!r} differs from briefing.series.name {series.name!r}: "
                        "a series' site is named for the series.")
    if config.site_author and config.site_author != series.publisher:
        problems.append(f"{where}: site_author {config.site_author!r} differs from briefing.series.publisher "
                        f"{series.publisher!r}: leave it out (each note's pages name its authors), or give the "
                        "publisher.")
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


def citation_cff_problems(series: Series, cff: dict) -> list[str]:
    """Where CITATION.cff (GitHub's "Cite this repository") disagrees with the series' record;
    [] when it agrees. In a series it cites the series' site, which a new note leaves as it is:
    each note's own citation is on its home page and in its .bib/.ris."""
    problems = []
    publisher = [{"name": series.publisher}]
    preferred = cff.get("preferred-citation") or {}
    expected = [
        ("title", cff.get("title"), series.name),
        ("authors", cff.get("authors"), publisher),
        ("url", cff.get("url"), series.url),
        ("preferred-citation.type", preferred.get("type"), "website"),
        ("preferred-citation.title", preferred.get("title"), series.name),
        ("preferred-citation.authors", preferred.get("authors"), publisher),
        ("preferred-citation.url", preferred.get("url"), series.url),
    ]
    if series.issn:
        expected.append(("preferred-citation.issn", preferred.get("issn"), series.issn))
    for name, found, wanted in expected:
        if found != wanted:
            problems.append(f"{name} is {found!r}, the series' record says {wanted!r}")
    return problems


def deploy_problems(series: Series, deploy: bool, config_file: str) -> list[str]:
    """What stops a build to publish (``deploy: true``): an address that is a placeholder, or a
    CITATION.cff beside mkdocs.yml that does not give the address this build publishes."""
    if not deploy:
        return []
    import yaml

    where = config_file or "mkdocs.yml"
    reason = placeholder_address(series.url)
    if reason:
        return [f"{where}: site_url {series.url!r} cannot be the series' citable address ({reason}), and this is a "
                "deploy build (briefing.publication.deploy): every citation, download, meta tag and PDF would carry "
                "it. Build with the address GitHub Pages serves: deploy.yml passes actions/configure-pages' base_url "
                "as SITE_URL; by hand, SITE_URL=https://OWNER.github.io/REPO/ make build (README: 'Deploying')."]
    cff_path = Path(where).parent / "CITATION.cff"
    if not cff_path.is_file():
        return []
    try:
        cff = yaml.safe_load(cff_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        return [f"{cff_path}: not valid YAML ({error})."]
    problems = citation_cff_problems(series, cff if isinstance(cff, dict) else {})
    if problems:
        return [f"{cff_path}: {'; '.join(problems)}. GitHub's 'Cite this repository' reads this file: make it "
                f"agree with briefing.series and the address this deploy publishes ({series.url}), in both url "
                "fields (README: 'Deploying')."]
    return []


# ----------------------------------------------------------------------------- derived forms
def bibtex(pub: Publication) -> str:
    """A BibTeX @techreport entry (also read by biblatex, Zotero, Mendeley). Every value is
    escaped the BibTeX way (``_bib_text``, ``_bib_name``, ``_bib_url``): no text of the record
    can close its field, add a field or an entry, or run a command such as ``\\input``."""
    author = " and ".join(f"{_bib_name(a.family)}, {_bib_name(a.given)}" for a in pub.authors)
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
    if pub.issn:
        fields.append(("issn", f"{{{_bib_text(pub.issn)}}}"))
    if pub.keywords:
        fields.append(("keywords", f"{{{_bib_text(', '.join(pub.keywords))}}}"))
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
    lines = [("TY", "RPRT"), *(("AU", author.inverted) for author in pub.authors), ("TI", pub.title),
             ("T3", pub.series), ("VL", pub.number), ("PY", pub.year), ("DA", date), ("PB", pub.publisher)]
    if pub.place:
        lines.append(("CY", pub.place))
    if pub.issn:
        lines.append(("SN", pub.issn))
    if pub.url:
        lines.append(("UR", pub.url))
    lines += [*(("KW", keyword) for keyword in pub.keywords), ("LA", pub.language), ("ER", "")]
    return "".join(f"{tag}  - {plain_line(value)}".rstrip() + "\r\n" for tag, value in lines)


def meta_tags(pub: Publication, *, page_title: str | None, description: str, page_url: str,
              site_name: str, pdf_url: str | None) -> list[dict[str, str]]:
    """Highwire (Google Scholar), Dublin Core, Open Graph and Twitter card tags for one page.

    Each item: ``attr`` ("name" or "property"), ``key`` and ``content``. A page's shared title
    names the note it is part of ("Conclusion - <the note's title>")."""
    title = f"{page_title} - {pub.title}" if page_title and page_title != pub.title else pub.title
    date = "/".join(part for part in (pub.year, _two(pub.month), _two(pub.day)) if part)
    tags: list[tuple[str, str, str]] = [("name", "citation_title", pub.title)]
    for author in pub.authors:  # Highwire: each author, then that author's institution
        tags += [("name", "citation_author", author.inverted),
                 ("name", "citation_author_institution", author.affiliation)]
    tags += [
        ("name", "citation_publication_date", date),
        ("name", "citation_technical_report_institution", pub.publisher),
        ("name", "citation_technical_report_number", pub.number),
        ("name", "citation_publisher", pub.publisher),
        ("name", "citation_language", pub.language),
    ]
    if pub.issn:
        tags.append(("name", "citation_issn", pub.issn))
    if pub.keywords:
        tags.append(("name", "citation_keywords", "; ".join(pub.keywords)))
    if pub.url:
        tags.append(("name", "citation_abstract_html_url", pub.url))
        tags.append(("name", "citation_fulltext_html_url", pub.url + "print/"))  # the note's print edition
    if pdf_url:
        tags.append(("name", "citation_pdf_url", pdf_url))
    tags += [
        ("name", "DC.title", pub.title),
        *(("name", "DC.creator", author.inverted) for author in pub.authors),
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
        *(("property", "article:author", author.display) for author in pub.authors),
        ("property", "article:published_time", pub.iso_date),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    return [{"attr": attr, "key": key, "content": content} for attr, key, content in tags]


def site_meta_tags(*, page_title: str | None, description: str, page_url: str, site_name: str) -> list[dict[str, str]]:
    """Open Graph and Twitter card tags for a page of the site that is part of no note (a
    series' home page, an author's page): no citation_* or Dublin Core, which describe a note."""
    title = f"{page_title} - {site_name}" if page_title and page_title != site_name else site_name
    tags = [("property", "og:type", "website"), ("property", "og:site_name", site_name),
            ("property", "og:title", title), ("property", "og:description", description)]
    if page_url:
        tags.append(("property", "og:url", page_url))
    tags += [("name", "twitter:card", "summary"), ("name", "twitter:title", title),
             ("name", "twitter:description", description)]
    return [{"attr": attr, "key": key, "content": content} for attr, key, content in tags]
