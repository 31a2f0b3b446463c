// Notes where the reader is (issue 16): each note shown next to its marker.
//
// The notes at the end of the page (li#fn:N in div.footnote, the author note div#fn:author)
// stay as they are: they are what the page shows without JavaScript, what prints, and where
// a marker's link (#fn:N) leads. This script puts a copy of each note right after its marker,
// in a span.note-aside (role=note), which reader.css ("notes where the reader is") shows
//   - on wide screens (WIDE, where Material shows both sidebars): always, in the column on
//     the right of the text; place() sets it level with its marker's line, or just below
//     the previous note when the two would overlap;
//   - on narrower screens and on touch: only when its marker is activated (click, tap,
//     Enter), in place under the marker's line; activating the marker again, Escape or the
//     note's Close button hides it. One note is open at a time.
// Activating a marker moves the focus into its note and Escape moves it back; the marker
// names the note it controls (aria-controls) and says whether it is shown (aria-expanded).
// On narrower screens a note's copy is made when its marker is first activated: until then
// the marker names the copy's id in aria-controls with aria-expanded="false", as a collapsed
// disclosure may (a phone's first view then copies nothing: issue 14). On wide screens every
// copy is made at once, to be placed in the column.
// Material's instant navigation swaps pages without running this file again: document$
// sets each page up. The listeners are registered once, on document, on the media query and
// in one ResizeObserver, so page after page adds none.
(() => {
  const WIDE = matchMedia("screen and (min-width: 76.25em)");
  const GAP = 8; // px kept free between two notes in the column

  // notes: [{marker, note, id, aside}] in page order; aside is null until the copy is made.
  let page = { article: null, notes: [], open: null };
  const resized = new ResizeObserver(() => requestAnimationFrame(place));

  // The note a marker leads to: an element of a .footnote block on this page, or null.
  // (Material's instant navigation makes every href absolute: compare the address, not the
  // attribute.)
  const noteOf = (marker) => {
    if (!marker.hash || marker.origin + marker.pathname !== location.origin + location.pathname) return null;
    const note = document.getElementById(decodeURIComponent(marker.hash.slice(1)));
    return note && note.closest(".footnote") && !note.contains(marker) ? note : null;
  };

  // A copy of the note, without its "back to the text" link and ids; numbered notes (list
  // items) show their number, a note that is a block of its own (the author note) as it is.
  const asideFor = ({ marker, note, id }) => {
    const label = marker.getAttribute("aria-label") || `Note ${marker.textContent.trim()}`;
    const aside = document.createElement("span");
    aside.className = "note-aside";
    aside.id = id;
    aside.setAttribute("role", "note");
    aside.setAttribute("aria-label", label);
    aside.tabIndex = -1;
    if (note.matches("li")) {
      const number = document.createElement("span");
      number.className = "note-aside__number";
      number.setAttribute("aria-hidden", "true");
      number.textContent = marker.textContent.trim();
      aside.append(number, " ");
    }
    const paragraphs = note.querySelectorAll(":scope > p");
    for (const paragraph of paragraphs.length ? paragraphs : [note]) {
      const text = document.createElement("span");
      text.className = "note-aside__text";
      text.append(...[...paragraph.childNodes].map((node) => node.cloneNode(true)));
      text.querySelectorAll(".footnote-backref").forEach((link) => link.remove());
      text.querySelectorAll("[id]").forEach((element) => element.removeAttribute("id"));
      aside.append(text);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "note-aside__close";
    close.textContent = "Close";
    close.setAttribute("aria-label", `Close ${label.charAt(0).toLowerCase()}${label.slice(1)}`);
    aside.append(close);
    return aside;
  };

  // The entry of a marker or of a copy; undefined for anything else (null: no copy is open).
  const entryOf = (element) =>
    element ? page.notes.find(({ marker, aside }) => element === marker || element === aside) : undefined;

  // The entry's copy, made and put right after its marker the first time it is asked for.
  const made = (entry) => {
    if (!entry.aside) {
      entry.aside = asideFor(entry);
      (entry.marker.closest("sup") || entry.marker).after(entry.aside);
    }
    return entry.aside;
  };

  // aria-expanded and the open class follow the layout (wide: every note shown) and page.open.
  const show = () => {
    for (const { marker, aside } of page.notes) {
      const open = !WIDE.matches && aside !== null && aside === page.open;
      if (aside) aside.classList.toggle("note-aside--open", open);
      marker.setAttribute("aria-expanded", String(WIDE.matches || open));
    }
  };

  // Wide screens show every note: each copy is made before it is shown or placed.
  const makeAllWhenWide = () => {
    if (WIDE.matches) page.notes.forEach((entry) => made(entry));
  };

  // Wide screens: each note level with its marker's line, pushed below the previous note
  // when they would overlap; the article grows when the last note ends below it.
  function place() {
    const { article, notes } = page;
    if (!article || !notes.length || !article.isConnected) return;
    if (!WIDE.matches) {
      for (const { aside } of notes) if (aside) aside.style.removeProperty("inset");
      article.style.removeProperty("min-height");
      return;
    }
    const box = article.getBoundingClientRect();
    const rows = notes.map(({ marker, aside }) => {
      const parent = aside.offsetParent || article;
      const origin = parent.getBoundingClientRect();
      return {
        aside,
        line: marker.getBoundingClientRect().top,
        height: aside.offsetHeight,
        left: box.right - aside.offsetWidth - origin.left - parent.clientLeft,
        top: origin.top + parent.clientTop,
      };
    });
    let floor = -Infinity;
    for (const row of rows) {
      const top = Math.max(row.line, floor);
      row.aside.style.inset = `${top - row.top}px auto auto ${row.left}px`;
      floor = top + row.height + GAP;
    }
    article.style.minHeight = `${Math.ceil(floor - box.top)}px`;
  }

  // Make an opened note visible, scrolling no further than keeps its marker on screen.
  const reveal = ({ marker, aside }) => {
    const below = aside.getBoundingClientRect().bottom + GAP - innerHeight;
    const header = document.querySelector(".md-header");
    const room = marker.getBoundingClientRect().top - (header ? header.getBoundingClientRect().bottom : 0);
    if (below > 0) scrollBy(0, Math.min(below, Math.max(0, room - GAP)));
  };

  const open = (entry) => {
    page.open = made(entry);
    show();
    entry.aside.focus({ preventScroll: true });
    reveal(entry);
  };

  const close = (focusMarker = true) => {
    const entry = entryOf(page.open);
    page.open = null;
    show();
    if (entry && focusMarker) entry.marker.focus({ preventScroll: true });
  };

  const setup = () => {
    resized.disconnect();
    const article = document.querySelector("article.md-content__inner");
    page = { article, notes: [], open: null };
    if (!article) return;
    article.querySelectorAll(".note-aside").forEach((aside) => aside.remove());
    const ids = new Set();
    for (const marker of article.querySelectorAll("a.footnote-ref")) {
      const note = marker.closest(".footnote") ? null : noteOf(marker);
      if (!note) continue;
      // One id per copy: a note may have several markers (a timeline or a chart repeats one).
      let id = `aside-${note.id}`;
      for (let n = 2; ids.has(id) || document.getElementById(id); n += 1) id = `aside-${note.id}-${n}`;
      ids.add(id);
      marker.setAttribute("aria-controls", id);
      page.notes.push({ marker, note, id, aside: null });
    }
    makeAllWhenWide();
    show();
    place();
    if (page.notes.length) resized.observe(article);
  };

  // Capture phase: before Material's instant navigation (on document.body) follows the link.
  document.addEventListener(
    "click",
    (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target && target.closest(".note-aside__close")) {
        close();
        return;
      }
      const entry = target && entryOf(target.closest("a.footnote-ref"));
      if (!entry) return;
      event.preventDefault();
      event.stopPropagation();
      if (WIDE.matches) {
        made(entry).focus({ preventScroll: true });
        entry.aside.scrollIntoView({ block: "nearest" });
      } else if (page.open && page.open === entry.aside) {
        close();
      } else {
        open(entry);
      }
    },
    true,
  );

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const inside = event.target instanceof Element ? entryOf(event.target.closest(".note-aside")) : null;
    if (!WIDE.matches && page.open) {
      const entry = entryOf(page.open); // the focus goes back to its marker if it was on either
      close(inside === entry || document.activeElement === entry.marker);
    } else if (inside) {
      inside.marker.focus({ preventScroll: true });
    }
  });

  WIDE.addEventListener("change", () => {
    page.open = null;
    makeAllWhenWide();
    show();
    place();
  });

  if (window.document$) document$.subscribe(setup);
  else setup(); // a page without Material's bundle: this deferred script runs once it is parsed
})();
