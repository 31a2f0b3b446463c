"""One note of a series built alone, for previewing it while writing (`make serve NOTE=<folder>`,
``briefing.preview.note``): the other notes' files are left out of the build before anything
reads them, so a rebuild after an edit costs that note's pages, not the series'.

Events: ``on_files`` at priority 150, before ``series.render`` (100) reads the notes' records:
the files of every other note's folder (a folder of docs/ holding Markdown) are removed, and
the moved addresses (``briefing.series.moved``) that lead into them are not checked. The note's
number, its notes' numbers, its navigation and its pages are what the whole series' build
gives them (they come from its own record and text); the series' home and author pages list
this note only, and a link to another note is reported broken (it is not built). A deploy build
refuses a preview; any other build says once that it built one note.

Under ``mkdocs serve`` (the plugin's ``on_serve``) a preview looks for edited files every
``POLL_SECONDS`` instead of MkDocs' 0.5 s: its rebuild takes well under a second, and the
watcher's wait (0.25 s on average) was a third of the time from saving a file to the reload.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from briefing.build import of as build_of
from briefing.common import mkdocs_internals
from briefing.common.log import logger

log = logger("preview")

POLL_SECONDS = 0.2  # between two looks at the watched files (one look at a series' docs/: ~5 ms)


def note_folders(files: Files) -> set[str]:
    """The top folders of docs/ that hold Markdown: a series' notes (briefing.series.config)."""
    return {file.src_uri.split("/", 1)[0] for file in files.documentation_pages() if "/" in file.src_uri}


def left_out(files: list[File], note: str, folders: set[str]) -> list[File]:
    """The files a preview of ``note`` leaves out: every file of another note's folder."""
    return [file for file in files if "/" in file.src_uri and file.src_uri.split("/", 1)[0] in folders - {note}]


def moved_into(moved: dict[str, str], note: str) -> dict[str, str]:
    """The moved addresses that still lead somewhere in a preview of ``note``: into its folder."""
    return {old: new for old, new in moved.items() if new.split("/", 1)[0] == note}


def leave_out(files: Files, note: str, build, where: str, docs_dir: str) -> list[File]:
    """Take every other note's files out of ``files`` (and the moved addresses into them out of
    the series' options); the files taken out. A preview a build may not make is refused."""
    if build.series is None:
        raise PluginError(f"{where}: briefing.preview.note is {note!r}, but this site is not a series "
                          "(briefing.series): leave BRIEFING_NOTE empty")
    if build.options.publication.deploy:
        raise PluginError(f"{where}: briefing.preview.note is {note!r} in a deploy build (briefing.publication.deploy):"
                          " a deploy builds every note; leave BRIEFING_NOTE empty")
    folders = note_folders(files)
    if note not in folders:
        raise PluginError(f"{where}: briefing.preview.note: no note {note!r} in {docs_dir}; its notes: "
                          f"{', '.join(sorted(folders)) or 'none'} (make serve NOTE=<one of them>)")
    gone = left_out(list(files), note, folders)
    for file in gone:
        files.remove(file)
    build.options.series.moved = moved_into(dict(build.options.series.moved), note)
    log.info(f"previewing the note {note!r} alone: {len(folders) - 1} other notes ({len(gone)} files) left out")
    return gone


@event_priority(150)  # before series.render (100) reads the notes' records
def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = build_of(config)
    note = build.options.preview.note.strip().strip("/")
    if note:
        leave_out(files, note, build, config.config_file_path or "mkdocs.yml", config.docs_dir)
    return files


def poll_sooner(server, note: str):
    """Under ``mkdocs serve``: a preview's server looks for edits every ``POLL_SECONDS``
    (briefing.common.mkdocs_internals.poll_every); a build of the whole site keeps MkDocs' pace."""
    if note.strip().strip("/"):
        mkdocs_internals.poll_every(server, POLL_SECONDS)
    return server
