"""The print edition: the whole note on one page (``print/index.html``), and its PDF.

The edition is assembled from the pages' rendered HTML, so the notes keep the numbers the
citations hook gave them (1-15 across the chapters) and every other hook's output is in it.
Each page becomes one section; its ids get the section's prefix and its links to other
pages of the note become links inside the edition. Paper is paper: what only a screen can
use becomes what a reader of the printed page needs (``partials/print-edition/paper.html``):
a photograph's "view it in the source article" link becomes the article's address, a note's
"Full note"/"Bibliography" links a cross-reference in words, an author note moves to the
byline's page, and a URL may break only where Chicago allows (``url_parts``).

Events:
- ``on_startup``: note whether this process runs ``mkdocs serve`` (the PDF is then skipped
  unless ``briefing.publication.pdf_when_serving`` is true: every edit rebuilds the site).
- ``on_config``: reset state, read ``briefing.publication`` (``pdf: true`` builds the PDF).
- ``on_nav``: keep the reading order (the nav, then pages outside it, as the notes are numbered).
- ``on_page_context`` (priority -100, after every other hook): keep each page's HTML.
- ``on_post_build``: write ``print/index.html``; with ``pdf: true``, render it to
  ``<slug>.pdf`` with WeasyPrint, which may read local files only (never the network).
"""

from __future__ import annotations

import posixpath
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

import briefing
from briefing.build import of as build_of
from briefing.common import mkdocs_internals as _strict  # what MkDocs' strict mode has counted so far
from briefing.common.order import reading_order
from briefing.publication import pdf as _pdf
from briefing.publication import pdf_cache as _pdf_cache
from briefing.publication import record as _publication

log = get_plugin_logger("print_edition")

PRINT_PATH = "print/index.html"
PAGED_CSS = "paged.css"  # beside PRINT_PATH: the rules for paged media only WeasyPrint reads
ID_ATTRS = ("id",)
IDREF_ATTRS = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "headers")
# Web-only parts; a concern marks its own with the class "web-only" (the data downloads, the notes
# a timeline repeats) and a link whose target differs on paper with data-paper-href (briefing.pictures).
DROP_CLASSES = ("headerlink", "cite-this", "md-source-file", "web-only")
DROP = " or ".join([f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')" for name in DROP_CLASSES]
                   + ["@id='cite-this-note'", "self::script"])
_BASE = "http://site.invalid/"  # resolves relative links; never fetched
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
BREAK_BEFORE = "/.,-_?#%~=&"  # Chicago: a URL breaks before these (and after "//", "=", "&")
BREAK_AFTER = "=&"
LONGEST_PART = 40  # a longer run without break points gets breaks anyway, so it never overflows
NOTE_FRAGMENT = re.compile(r"--fn:(\d+)$")


@dataclass
class Section:
    src_uri: str
    url: str  # the page's URL in the site ("" for the home page)
    title: str
    html: str  # the page's rendered content

    @property
    def anchor(self) -> str:
        return _publication.slugify(self.url) or "home"


_order: list[str] = []
_sections: dict[str, Section] = {}
_state: dict[str, _publication.Publication | None] = {}


def on_startup(command: str, dirty: bool) -> None:
    _publication.PROCESS["serving"] = command == "serve"


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _order.clear()
    _sections.clear()
    _state["pub"], _warnings = _publication.load(config)  # publication_meta.py reports the warnings
    pub = _state["pub"]
    if pub is not None and not pub.pdf and _publication.PROCESS["serving"] and not pub.pdf_when_serving:
        log.info("no PDF edition under `mkdocs serve` (briefing.publication.pdf_when_serving: true builds it).")
    return config


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _order[:] = [file.src_uri for file in reading_order(nav, files)]
    return nav


@event_priority(-100)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """Keep each page's HTML once every other hook has finished with it (the citation hook
    puts the notes in at its on_page_context, priority 100)."""
    if page.content is not None:
        _sections[page.file.src_uri] = Section(page.file.src_uri, page.url, page.title or "", page.content)
    return context


# ----------------------------------------------------------------------------- assembly
def _prefix_ids(root, prefix: str) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ID_ATTRS:
            if element.get(attr):
                element.set(attr, prefix + element.get(attr))
        for attr in IDREF_ATTRS:
            if element.get(attr):
                element.set(attr, " ".join(prefix + ref for ref in element.get(attr).split()))


def _number_items(root) -> None:
    """Write each ``<li value="N">``'s number into it: WeasyPrint ignores ``value`` (and browsers
    differ on ``counter-set``), and the notes must keep their site-wide numbers on paper."""
    from lxml import etree

    for item in root.xpath(".//ol/li[@value]"):
        marker = etree.Element("span", {"class": "item-number", "aria-hidden": "true"})
        marker.text = f"{item.get('value')}."
        marker.tail = item.text
        item.text = None
        item.insert(0, marker)
        parent = item.getparent()
        if "numbered" not in parent.get("class", "").split():
            parent.set("class", (parent.get("class", "") + " numbered").strip())


def url_parts(url: str) -> list[str]:
    """``url`` cut where a printed line may break, by Chicago's rule: after the scheme's "//";
    before a slash, period, comma, hyphen, underscore, question mark, number sign, percent sign
    or tilde; before or after "=" and "&". Never inside the scheme; a run of one character
    ("//") stays whole. ``"".join(url_parts(url)) == url``."""
    scheme = SCHEME.match(url)
    parts = [scheme.group(0)] if scheme else []
    current, previous = "", ""
    for char in url[len(parts[0]) if parts else 0:]:
        if current and char != previous and (char in BREAK_BEFORE or previous in BREAK_AFTER):
            parts.append(current)
            current = ""
        current += char
        previous = char
    parts.append(current)
    if len(parts) > 1 and len(parts[-1]) == 1:  # a trailing "/" never starts a line alone
        parts[-2:] = [parts[-2] + parts[-1]]
    return [chunk for part in parts if part
            for chunk in (part[i:i + LONGEST_PART] for i in range(0, len(part), LONGEST_PART))]


def url_html(url: str) -> Markup:
    """A URL as text that breaks only between ``url_parts`` (each part is kept whole: a browser
    would otherwise break after any hyphen, WeasyPrint too)."""
    return Markup("<wbr>").join(Markup('<span class="url-part">{}</span>').format(part) for part in url_parts(url))


def _breakable_urls(root) -> None:
    """Links that show their URL (notes, bibliography) get ``url_html``'s break points."""
    from lxml import etree

    for link in list(root.iter("a")):
        text = (link.text or "").strip()
        if len(link) or not SCHEME.match(text):
            continue
        link.text = None
        for index, part in enumerate(url_parts(text)):
            if index:
                etree.SubElement(link, "wbr")
            etree.SubElement(link, "span", {"class": "url-part"}).text = part


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _elements(markup) -> list:
    """The elements of a macro's HTML (each paper.html macro starts with one)."""
    from lxml import html as lxml_html

    markup = str(markup).strip()
    return lxml_html.fragments_fromstring(markup) if markup else []


def _figure_frames_on_paper(root, paper) -> None:
    """A frame standing for a picture we may not reproduce: on paper, its source's address."""
    for frame in root.xpath(f".//*[{_has_class('source-figure__frame')}]"):
        links = frame.xpath(f".//a[{_has_class('source-figure__link')}][@href]")
        if not links or frame.xpath(".//img"):
            continue
        href = links[0].get("href")
        for child in list(frame):
            frame.remove(child)
        frame.text = None
        frame.extend(_elements(paper.figure_frame(href)))


def _note_links_on_paper(root, paper) -> None:
    """A note's links to its full note and to the bibliography: on paper, a cross-reference to
    the full note in words (the bibliography's entries name the notes that cite them)."""
    for note in root.xpath(".//li[@value]"):
        links = note.xpath(f".//a[{_has_class('note-link')}]")
        if not links:
            continue
        found = {int(m.group(1)): link.get("href") for link in links
                 if (m := NOTE_FRAGMENT.search(link.get("href", "")))}
        for part in _elements(paper.note_xref([{"number": n, "href": href} for n, href in found.items()])):
            links[0].addprevious(part)
        for link in links:
            link.drop_tree()


def _author_note_to_byline(root) -> None:
    """An author note (the byline's "*") to the end of the byline's block, before the next
    heading: on the byline's page (the PDF sets it at that page's foot)."""
    bylines = root.xpath(f".//*[{_has_class('note-byline')}]")
    for author_note in root.xpath(f".//*[{_has_class('author-note')}]") if bylines else []:
        author_note.tail = None
        after = next((el for el in bylines[0].itersiblings() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")), None)
        if after is not None:
            after.addprevious(author_note)
        else:
            bylines[0].addnext(author_note)


def rewrite_href(href: str, section: Section, anchors: dict[str, str], site_url: str) -> str:
    """A link of ``section``'s page, as a link of the print edition.

    anchors: page URL ("" for home, "chapter/") -> section anchor."""
    if href.startswith("#"):
        return f"#{anchors[section.url]}--{href[1:]}" if len(href) > 1 else f"#{anchors[section.url]}"
    absolute = urljoin(_BASE + section.url, href)
    if not absolute.startswith(_BASE):
        return href  # another site, mailto:, ...
    parts = urlsplit(absolute)
    path = posixpath.normpath(parts.path.lstrip("/")) if parts.path.strip("/") else ""
    path = "" if path in (".", "index.html") else path
    for candidate in (path, path + "/", path.removesuffix("index.html")):
        if candidate in anchors:
            anchor = anchors[candidate]
            return f"#{anchor}--{parts.fragment}" if parts.fragment else f"#{anchor}"
    target = path + ("#" + parts.fragment if parts.fragment else "")
    return site_url + target if site_url else "../" + target


def section_html(section: Section, anchors: dict[str, str], site_url: str, paper) -> str:
    """One page's content with prefixed ids, in-edition links and no web-only parts.

    paper: the macros of ``partials/print-edition/paper.html`` (``paper_macros``)."""
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(section.html, create_parent="div")
    for element in root.xpath(f".//*[{DROP}]"):
        element.drop_tree()
    prefix = anchors[section.url] + "--"
    _prefix_ids(root, prefix)
    _number_items(root)
    for element in root.xpath(".//*[@src]"):
        element.set("src", rewrite_src(element.get("src"), section))
    for link in root.iter("a"):
        href = link.attrib.pop("data-paper-href", None) or link.get("href")
        if href:
            link.set("href", rewrite_href(href, section, anchors, site_url))
    _figure_frames_on_paper(root, paper)
    _note_links_on_paper(root, paper)
    _author_note_to_byline(root)
    _breakable_urls(root)
    html = "".join(lxml_html.tostring(child, encoding="unicode") for child in root) if len(root) else ""
    return html.replace("<wbr></wbr>", "<wbr>")  # libxml2 does not know <wbr> is a void element


def paper_macros(env):
    """The on-paper wording (``partials/print-edition/paper.html``) as callable macros."""
    return env.get_template("partials/print-edition/paper.html").module


def edition_html(sections: list[Section], pub: _publication.Publication, config: MkDocsConfig,
                 meta: list[dict[str, str]]) -> str:
    env = build_of(config).theme.env
    paper = paper_macros(env)
    anchors = {s.url: s.anchor for s in sections}
    parts = [{"anchor": s.anchor, "title": s.title, "is_home": s.url == "",
              "html": Markup(section_html(s, anchors, pub.url, paper))} for s in sections]
    template = env.get_template("partials/print-edition/edition.html")
    return template.render(pub=pub, sections=parts, config=config, publication_meta=meta, url_html=url_html,
                           built=time.strftime("%Y-%m-%d", time.gmtime()))


# ----------------------------------------------------------------------------- images, PDF
def rewrite_src(src: str, section: Section) -> str:
    """A file ``section``'s page embeds (an image), addressed from the print edition's folder;
    an address off the site is kept (the PDF refuses it, naming the page)."""
    absolute = urljoin(_BASE + section.url, src)
    if not absolute.startswith(_BASE):
        return src
    parts = urlsplit(absolute)
    path = posixpath.relpath(parts.path, "/" + posixpath.dirname(PRINT_PATH))
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def write_pdf(html_path: Path, site_dir: Path, target: Path, timeout: float, cache: Path | None = None,
              ) -> _pdf.PdfRun:
    """Render the print edition at ``html_path`` to ``target`` (see ``_pdf.render``: a child
    process reading the site's own files only, stopped after ``timeout`` seconds); with
    ``cache`` (a folder of ``pdf_cache``), reuse the PDF made from the same edition, code and files."""
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        if cache is not None:
            return _pdf.render_reusing(html_path, target, site_dir, timeout, cache, briefing.CODE_DIGEST)
        return _pdf.render(html_path, target, site_dir, timeout)
    except (ImportError, OSError) as error:  # OSError: Pango (a system library) is missing
        raise PluginError(
            f"print_edition: the PDF needs WeasyPrint and Pango ({error}). Run `make build` (it installs "
            "them), or set briefing.publication.pdf: false in mkdocs.yml."
        ) from error
    except _pdf.PdfError as error:
        raise PluginError(f"print_edition: the PDF edition failed: {error}") from error


def refusal_messages(refused: list[_pdf.Refusal], sources: dict[str, str]) -> list[str]:
    """One message per address the PDF did not load, naming the page(s) and line(s) using it."""
    messages = []
    for item in dict.fromkeys(refused):
        where = ", ".join(_pdf.locate(item.url, sources)) or f"{PRINT_PATH} (a stylesheet or template)"
        messages.append(f"{where}: the PDF edition does not load {item.url!r}: {item.reason}. Put the file "
                        "under docs/ and link it relatively (the PDF holds the site's own files only).")
    return messages


def _markdown_sources(config: MkDocsConfig) -> dict[str, str]:
    docs = Path(config.docs_dir)
    sources = {}
    for src_uri in _order:
        try:
            sources[f"{docs.name}/{src_uri}"] = (docs / src_uri).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return sources


def on_post_build(config: MkDocsConfig) -> None:
    """Write ``print/index.html`` (the PDF is ``render_pdf``'s, after the link check)."""
    _state.pop("edition", None)
    pub = _state.get("pub")
    sections = [_sections[src] for src in _order if src in _sections]
    if pub is None or not sections:
        return
    if len(sections) < len(_order):  # a dirty rebuild (`mkdocs serve --dirty`) renders changed pages only
        log.info("print edition not rebuilt: this build did not render every page.")
        return
    site_dir = Path(config.site_dir)
    pdf_url = pub.url + pub.files()["pdf"] if pub.url and pub.pdf else None
    meta = _publication.meta_tags(pub, page_title="Print edition", description=config.site_description or pub.title,
                                  page_url=pub.url + "print/" if pub.url else "", site_name=config.site_name,
                                  pdf_url=pdf_url)
    html = edition_html(sections, pub, config, meta)
    target = site_dir / PRINT_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    paged = build_of(config).theme.template(f"partials/print-edition/{PAGED_CSS}").render()
    (target.parent / PAGED_CSS).write_text(paged, encoding="utf-8")
    _state["edition"] = target


def planned_pdf(config: MkDocsConfig) -> tuple[str | None, bool]:
    """(site path of the PDF this build's pages link, or None; whether the PDF step will render
    it: not when the strict build has already failed)."""
    pub = _state.get("pub")
    if pub is None or not pub.pdf or _state.get("edition") is None:
        return None, False
    return pub.files()["pdf"], not _strict.failed()


@event_priority(-110)  # after the link check (-100): a broken link stops the PDF too
def render_pdf(config: MkDocsConfig) -> None:
    """Render the print edition written at priority 0 to ``<slug>.pdf`` (WeasyPrint, a child
    process reading the site's own files only), unless the strict build has already failed."""
    pub, target = _state.get("pub"), _state.get("edition")
    if pub is None or target is None or not pub.pdf:
        return
    if _strict.failed():
        log.info("PDF edition not built: this strict build has already failed (see the warnings above).")
        return
    site_dir = Path(config.site_dir)
    pdf = site_dir / pub.files()["pdf"]
    cache = _pdf_cache.cache_dir(Path(config.config_file_path).resolve().parent)
    try:
        run = write_pdf(target, site_dir, pdf, pub.pdf_timeout, cache)
    except _pdf.PdfTimeout:
        log.warning(f"the PDF edition was stopped after {pub.pdf_timeout:g} s (briefing.publication.pdf_timeout) "
                    "and not written: set pdf: false in mkdocs.yml while writing, or raise pdf_timeout.")
        return
    for message in refusal_messages(run.refused, _markdown_sources(config)):
        log.warning(message)
    how = "reused: its print edition, the code and its files are unchanged" if run.reused else "rendered"
    log.info(f"PDF edition: {pdf.name} ({pdf.stat().st_size // 1024} KB) {how}, in {run.seconds:.1f} s")
