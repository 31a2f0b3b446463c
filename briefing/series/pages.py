"""What a series' site is made of beside its notes' own pages, as pure functions: the pages the
build writes (the series' home when docs/index.md is left out, a page per author, each
note's References), its navigation, and the data its templates show.

Generated pages are Markdown (front matter, a title, a shortcode the series expands), so
they go through MkDocs like any page: the nav, search, the sitemap, the link check. Text from
a record reaches them escaped as Markdown (``markdown_text``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from mkdocs.utils import get_relative_url

from briefing.publication.record import Publication
from briefing.series.notes import AUTHORS, INDEX, REFERENCES
from briefing.series.record import Author, NoteRecord

HOME = "index.md"
NOTE_HOME_TITLE = "About this note"  # a note's own page (title page, abstract, contents) in the nav
REFERENCES_TITLE = "References"
AUTHORS_TITLE = "Authors"
AUTHORS_INDEX = f"{AUTHORS}/{INDEX}"  # the list of the series' authors, when it has more than one
ALL_AUTHORS_TITLE = "All authors"


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows it as written (a title is text, not HTML or Markdown)."""
    return re.sub(r"([\\`*_\[\]#<>])", r"\\\1", html.escape(text, quote=False))


def yaml_text(text: str) -> str:
    """``text`` as a YAML scalar of one line (double-quoted, escaped)."""
    import json

    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def author_uri(author: Author) -> str:
    return f"{AUTHORS}/{author.slug}/{INDEX}"


def home_page(name: str, description: str, intro: str | None) -> str:
    """The series' home page, when docs/index.md is left out: its name, its intro (Markdown of
    the maintainer's, from mkdocs.yml), the list of its notes."""
    parts = [f"---\ndescription: {yaml_text(description)}\n---\n", f"# {markdown_text(name)}\n"]
    if intro:
        parts.append(intro.strip() + "\n")
    parts.append("<!-- notes -->\n")
    return "\n".join(parts)


def author_page(author: Author, series: str) -> str:
    """An author's page: their name (as their newest note gives it) and their notes."""
    description = f"{author.display}: notes in {series}."
    return (f"---\ndescription: {yaml_text(description)}\n---\n\n# {markdown_text(author.display)}\n\n"
            f"<!-- author-notes: {author.slug} -->\n")


def authors_page(authors: list[tuple[Author, int]], series: str) -> str:
    """The list of the series' authors (``(author, notes)``, in the nav's order), each linking to
    their page: where the Authors section of a pruned navigation leads (its first page)."""
    description = f"The authors of {series}."
    lines = [f"- [{markdown_text(author.display)}]({author.slug}/{INDEX}) ({count} {'note' if count == 1 else 'notes'})"
             for author, count in authors]
    return f"---\ndescription: {yaml_text(description)}\n---\n\n# {AUTHORS_TITLE}\n\n" + "\n".join(lines) + "\n"


def references_page(note: NoteRecord, bib_command: str, series: str) -> str:
    """A note's References page: the entries it cites, with the notes that cite them."""
    description = f'References cited in "{note.title}", {series} no. {note.number}.'
    return f"---\ndescription: {yaml_text(description)}\n---\n\n# {REFERENCES_TITLE}\n\n{bib_command}\n"


def navigation(notes: list[NoteRecord], others: list[str], authors: list[tuple[str, str]],
               exists: Callable[[str], bool] = lambda src_uri: True) -> list:
    """The series' nav (mkdocs.yml's ``nav:`` form): the home page, each note (newest first) as
    a section of its own page, its chapters in its order (each once; only those that exist:
    ``exists``, src_uri -> bool) and References last, the pages of no note by path, the author
    pages (after the list of authors, when there are several)."""
    nav: list = [{"Home": HOME}]
    for note in notes:
        chapters = [note.chapter_uri(chapter) for chapter in dict.fromkeys(note.chapters)
                    if chapter not in (INDEX, REFERENCES)]
        pages = [{NOTE_HOME_TITLE: note.index}, *(src for src in chapters if exists(src)),
                 {REFERENCES_TITLE: note.chapter_uri(REFERENCES)}]
        nav.append({note.title: pages})
    nav.extend(sorted(others))
    if authors:
        listed = [{ALL_AUTHORS_TITLE: AUTHORS_INDEX}] if len(authors) > 1 and exists(AUTHORS_INDEX) else []
        nav.append({AUTHORS_TITLE: listed + [{name: uri} for name, uri in authors]})
    return nav


def listing(notes: list[tuple[NoteRecord, Publication, str]], page_url: str, url_of: Callable[[str], str]
            ) -> list[dict]:
    """What the list of notes shows of each (``(record, publication, abstract)``, in order),
    with links relative to the page at ``page_url``; ``url_of``: a page's URL from its src_uri.
    An author's name links to their page, but on that page itself (``href`` None: plain text)."""
    items = []
    for record, pub, abstract in notes:
        files = pub.files()
        authors = [(author, url_of(author_uri(author))) for author in record.authors]
        items.append({
            "number": record.number, "title": record.title, "date": pub.date_text, "iso_date": pub.iso_date,
            "href": get_relative_url(url_of(record.index), page_url),
            "authors": [{"name": author.display, "href": None if url == page_url else get_relative_url(url, page_url)}
                        for author, url in authors],
            "abstract": abstract,
            "pdf": get_relative_url(files["pdf"], page_url) if "pdf" in files else None,
            "series": pub.series,
        })
    return items


def part_of(record: NoteRecord, pub: Publication, page_url: str, home_url: str) -> dict:
    """The line under a chapter's title saying which note it belongs to (``home_url``: the URL of
    the note's own page)."""
    return {"title": record.title, "href": get_relative_url(home_url, page_url), "series": pub.series,
            "number": record.number, "date": pub.date_text}
