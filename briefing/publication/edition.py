"""A note's print edition, assembled: the whole note on one page (``<note>/print/index.html``),
the source of its PDF. Pure functions over the pages' rendered HTML (``Section``);
``briefing.publication.print_edition`` runs them for each note.

The edition is assembled from the pages' rendered HTML, so the notes keep the numbers the
citations gave them (1-15 across a note's chapters) and every other concern's output is in
it. Each page becomes one section; its ids get the section's prefix and its links to other
pages of the note become links inside the edition (to pages of other notes: their address on
the site). Paper is paper: what only a screen can use becomes what a reader of the printed
page needs (``partials/print-edition/paper.html``): a photograph's "view it in the source
article" link becomes the article's address, a note's "Full note"/"Bibliography" links a
cross-reference in words, an author note moves to the byline's page, and a URL may break only
where Chicago allows (``url_parts``); what is web-only (a chapter's "Part of" line, the cite-this
block, permalinks, a concern's ``web-only`` words) is left out, and a concern's ``paper-only``
words are shown.
"""

from __future__ import annotations

import posixpath
import re
import time
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from briefing.build import Section
from briefing.publication.record import Publication, slugify

__all__ = ["Section"]

PRINT_DIR = "print"  # a note's print edition: <note>/print/index.html
PAPER_TEMPLATE = "partials/print-edition/paper.html"  # the on-paper wording, as macros
PAGED_CSS = "paged.css"  # beside it: the rules for paged media only WeasyPrint reads
ID_ATTRS = ("id",)
IDREF_ATTRS = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "headers")
# Web-only parts; a concern marks its own with the class "web-only" (the data downloads, the notes
# a timeline repeats), a link whose target differs on paper with data-paper-href (briefing.pictures),
# and wording of its own for paper with the class "paper-only", hidden on the web (paper.html's
# web_or_paper: the intros of "At a glance" and the timeline, a chart's caption).
PAPER_ONLY = "paper-only"
PAPER_ONLY_HIDES = ("hidden", "data-search-exclude")  # what hides paper-only wording on the web
DROP_CLASSES = ("headerlink", "cite-this", "md-source-file", "part-of", "web-only")
# (@class and ...): libxml2 stops there for the elements without a class, most of a page's.
DROP = " or ".join(["@class and (" + " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
                                                 for name in DROP_CLASSES) + ")",
                    "@id='cite-this-note'", "self::script"])
_BASE = "http://site.invalid/"  # resolves relative links; never fetched
_HOST = urlsplit(_BASE).netloc
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
BREAK_BEFORE = "/.,-_?#%~=&"  # Chicago: a URL breaks before these (and after "//", "=", "&")
BREAK_AFTER = "=&"
LONGEST_PART = 40  # a longer run without break points gets breaks anyway, so it never overflows
NOTE_FRAGMENT = re.compile(r"--fn:(\d+)$")
_WITH_IDS = ".//*[" + " or ".join(f"@{attr}" for attr in ID_ATTRS + IDREF_ATTRS) + "]"
# An absolute URL with a host, which resolves to itself (not the site) unless it names _BASE's
# host; white space or a control character in it (urlsplit drops some) leaves it to urljoin.
_ABSOLUTE = re.compile(r"([a-z][a-z0-9+.-]*)://([^/?#]+)", re.I)
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


# ----------------------------------------------------------------------------- assembly
def _prefix_ids(root, prefix: str) -> None:
    """Every id, and every attribute that refers to one, gets ``prefix``. Only the elements that
    carry one are visited (a fifth of a page's elements: a proxy object made for each is most
    of the cost)."""
    for element in root.xpath(_WITH_IDS):
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

    for link in root.xpath(".//a[contains(., '://')]"):  # those whose text may be a URL
        text = (link.text or "").strip()
        if len(link) or not SCHEME.match(text):
            continue
        link.text = None
        for index, part in enumerate(url_parts(text)):
            if index:
                etree.SubElement(link, "wbr")
            etree.SubElement(link, "span", {"class": "url-part"}).text = part


def _has_class(name: str) -> str:
    """An XPath test that the element's class list holds `name` (tried only where there is a class)."""
    return f"@class and contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


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
    for note in root.xpath(f".//li[@value][.//a[{_has_class('note-link')}]]"):
        links = note.xpath(f".//a[{_has_class('note-link')}]")  # one at least: the xpath above
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


def rewrite_href(href: str, section: Section, anchors: dict[str, str], site_url: str, root: str = "../") -> str:
    """A link of ``section``'s page, as a link of the print edition: into the edition for a page
    of the note (``anchors``: page URL, "" for the site's home, "note/chapter/" -> section
    anchor), else to the page on the site (``site_url``, or ``root``: the site's root from
    the edition)."""
    if href.startswith("#"):
        return f"#{anchors[section.url]}--{href[1:]}" if len(href) > 1 else f"#{anchors[section.url]}"
    absolute = _ABSOLUTE.match(href)
    if absolute and not _UNSAFE.search(href) and (absolute[1].lower(), absolute[2]) != ("http", _HOST):
        return href  # another site (what urljoin would say, a third of a note's links, at less cost)
    address, _hash, fragment = href.partition("#")  # address: not empty (href is not "#...")
    path = _site_path(section.url, address)
    if path is None:
        return href  # another site, mailto:, ...
    for candidate in (path, path + "/", path.removesuffix("index.html")):
        if candidate in anchors:
            anchor = anchors[candidate]
            return f"#{anchor}--{fragment}" if fragment else f"#{anchor}"
    target = path + ("#" + fragment if fragment else "")
    return site_url + target if site_url else root + target


@lru_cache(maxsize=4096)
def _site_path(page_url: str, href: str) -> str | None:
    """The site path `href` (no fragment, or all of it) of the page at `page_url` resolves to
    (normalised: "" for the site's root), or None when it leaves the site. Cached: a note's
    links to one page differ in their fragment only."""
    absolute = urljoin(_BASE + page_url, href)
    if not absolute.startswith(_BASE):
        return None
    parts = urlsplit(absolute)
    path = posixpath.normpath(parts.path.lstrip("/")) if parts.path.strip("/") else ""
    return "" if path in (".", "index.html") else path


def section_html(section: Section, anchors: dict[str, str], site_url: str, paper, print_dir: str = PRINT_DIR) -> str:
    """One page's content with prefixed ids, in-edition links, no web-only parts and the
    paper-only words shown.

    paper: the macros of ``partials/print-edition/paper.html`` (``paper_macros``); print_dir:
    the edition's folder in the site ("note/print")."""
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(section.html, create_parent="div")
    for element in root.xpath(f".//*[{DROP}]"):
        element.drop_tree()
    for element in root.xpath(f".//*[{_has_class(PAPER_ONLY)}]"):
        for attr in PAPER_ONLY_HIDES:
            element.attrib.pop(attr, None)
    prefix = anchors[section.url] + "--"
    _prefix_ids(root, prefix)
    _number_items(root)
    for element in root.xpath(".//*[@src]"):
        element.set("src", rewrite_src(element.get("src"), section, print_dir))
    for link in root.iter("a"):
        href = link.attrib.pop("data-paper-href", None) or link.get("href")
        if href:
            link.set("href", rewrite_href(href, section, anchors, site_url, root_from(print_dir)))
    _figure_frames_on_paper(root, paper)
    _note_links_on_paper(root, paper)
    _author_note_to_byline(root)
    _breakable_urls(root)
    root.text = None  # text before the first element is not kept
    html = lxml_html.tostring(root, encoding="unicode")[len("<div>"):-len("</div>")] if len(root) else ""
    return html.replace("<wbr></wbr>", "<wbr>")  # libxml2 does not know <wbr> is a void element


def paper_macros(env):
    """The on-paper wording (``partials/print-edition/paper.html``) as callable macros."""
    return env.get_template(PAPER_TEMPLATE).module


def anchor(section: Section, folder: str) -> str:
    """A page's section id in its note's edition: its address in the note ("chapter"; "home")."""
    return slugify(section.url.removeprefix(f"{folder}/" if folder else "")) or "home"


def root_from(print_dir: str) -> str:
    """The site's root, relative to the edition's folder ("../../" from "note/print")."""
    return "../" * (print_dir.count("/") + 1)


def edition_html(sections: list[Section], pub: Publication, env, config, meta: list[dict[str, str]],
                 links: dict[str, str], home: str | None = None, kept=None, code_digest: str = "") -> str:
    """The whole note on one page. ``home``: src_uri of the note's own page (its title page);
    ``links``: the note's downloads, relative to the edition; ``kept``: a
    ``section_cache.Kept`` (the sections an earlier build made from the same inputs, with the
    generator's ``code_digest``), or None to make every section."""
    paper = paper_macros(env)
    print_dir = print_folder(pub.folder)
    anchors = {s.url: anchor(s, pub.folder) for s in sections}
    shared = None
    if kept is not None:
        from briefing.publication import section_cache

        shared = section_cache.inputs_key(code_digest, env.loader.get_source(env, PAPER_TEMPLATE)[0],
                                          pub.site_url, print_dir, anchors)

    def made(section: Section) -> str:
        if shared is None:
            return section_html(section, anchors, pub.site_url, paper, print_dir)
        from briefing.publication import section_cache

        key = section_cache.section_key(shared, section)
        html = kept.get(key)
        if html is None:
            html = section_html(section, anchors, pub.site_url, paper, print_dir)
            kept.put(key, html)
        return html

    parts = [{"anchor": anchors[s.url], "title": s.title, "is_home": s.src_uri == home,
              "html": Markup(made(s))} for s in sections]
    template = env.get_template("partials/print-edition/edition.html")
    return template.render(pub=pub, sections=parts, config=config, publication_meta=meta, url_html=url_html,
                           links=links, built=time.strftime("%Y-%m-%d", time.gmtime()))


def print_folder(folder: str) -> str:
    """The edition's folder in the site: "<note>/print"."""
    return f"{folder}/{PRINT_DIR}" if folder else PRINT_DIR


# ----------------------------------------------------------------------------- images
def rewrite_src(src: str, section: Section, print_dir: str = PRINT_DIR) -> str:
    """A file ``section``'s page embeds (an image), addressed from the print edition's folder;
    an address off the site is kept (the PDF refuses it, naming the page)."""
    absolute = urljoin(_BASE + section.url, src)
    if not absolute.startswith(_BASE):
        return src
    parts = urlsplit(absolute)
    path = posixpath.relpath(parts.path, "/" + print_dir)
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
