/* What Material for MkDocs 9.8's bundle does as a page loads, made lighter for a reader's phone
 * (issue 14). The one script relying on the bundle's internals; loaded before it (main.html's
 * scripts block). Lighthouse's phone profile is what measured each of these.
 *
 * 1. The search index loads when a reader starts to search, not with the first view. The bundle
 *    requests search/search_index.json with XMLHttpRequest as the page loads
 *    (src/templates/assets/javascripts/bundle.ts, browser/request). This script lets that request
 *    be opened but holds its send() until the search box is focused (by a click, Tab or
 *    Material's shortcuts), the search toggle is set (a phone's search button), or a shortcut
 *    that opens search is pressed. Material searches the whole index as before (one index: its
 *    ranking, suggestions and result names unchanged); it shows "Initializing search" for the
 *    moment the index takes to arrive. A page opened with ?h= (a search result followed by a
 *    page load) asks for it at once, to highlight the words. tests/browser/test_search.py checks it.
 *
 * 2. The site's own sitemap is sent for once a page load. Material's instant navigation asks
 *    for it first, as the bundle starts (integrations/sitemap: it parses the whole file, 700
 *    addresses at 50 notes, to know which links it may follow); it is not held: a click before
 *    it arrives would be a whole page load. In a series the request goes to the page's shorter
 *    list of pages, in the sitemap's format (this script's data-pages: its note's pages, the
 *    pages in no note and every note's own page; briefing/series/instant.py); a link to a page
 *    it does not name loads as a link does. Material's language selector (integrations/alternate)
 *    then asks for a sitemap beside every <link rel="alternate"> of the page, made for the other-
 *    language versions of a site. Ours are a note's downloads and the feed: beside a note's, in
 *    the note's folder, there is no sitemap (each request would fetch the 404 page, three a note
 *    page, logged as errors), and the feed's, at the site's root, is the site's own sitemap,
 *    fetched and parsed a second time for a selector the site does not have (the longest task
 *    after the first paint of a series page). Neither is sent (tests/browser/test_first_view.py).
 *
 * 3. Colours change at once when a reader switches the palette. Material marks the switch with
 *    data-md-color-switching on <body>, and its palette.css stops every transition under it; but
 *    it sets and removes that attribute as every page loads too, and each time the browser
 *    restyles the whole page (two whole restyles a first view, for no change of colour). The
 *    rule is left out of palette.css (briefing/common/material_internals.palette_css) and
 *    briefing.css keys the same rule on data-briefing-switching, which this script sets only
 *    when a palette toggle changes, before Material's own handler, and removes after the next
 *    frame (tests/browser/test_palette.py).
 *
 * 4. Style sheets are not loaded again as the bundle starts. Its instant navigation makes every
 *    relative href and src of the page absolute (integrations/instant: resolve(), a self-assignment
 *    of each), so that a link still leads where it did once the address bar has moved on. For a
 *    <link rel="stylesheet"> that is a new href: the browser loads the sheet again, parses it
 *    again and restyles the whole page, in the bundle's first task. This script keeps the page's
 *    style sheets out of that list (Material asks for it with the selector "[href], [src]", and
 *    only there) and remembers each one's address and href as written. In a page the navigation
 *    fetches later, a style sheet at one of those addresses is given that same href: Material
 *    compares the new <head> with the old one by their HTML, so the sheet is kept, as it is
 *    today, not swapped. The site's main.html sets the classes the bundle and its focus-visible
 *    polyfill put on <html> ("js js-focus-visible") in <head>, before the first style: one more
 *    whole restyle the bundle no longer makes (tests/browser/test_first_view.py).
 *
 * 5. The page's colour scheme is set by CSS, not by a <meta>. Material's palette adds
 *    <meta name="color-scheme"> to <head> as the bundle starts, then sets its content from the
 *    header's computed color-scheme, and does so again at every switch (components/palette).
 *    Adding such a meta, and changing it, restyles the whole page each time, even to the value
 *    the page already has. That meta is kept out of <head>: Material fills in an element the page
 *    does not hold. briefing.css gives :root the scheme of the palette on <body> (light, or dark
 *    for slate), from the first paint and at each switch (tests/browser/test_palette.py).
 */
(function () {
  "use strict";
  if (window.__briefingMaterialLoad || typeof XMLHttpRequest === "undefined") return;
  window.__briefingMaterialLoad = true;

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var abort = XMLHttpRequest.prototype.abort;
  var heldSearch = [];  // the search index's request, until a reader starts to search (1. above)
  var searchReleased = false;
  var ownSitemapSent = false;
  var ownSitemap;
  var pagesList = null;  // the page's list of pages (2. above), if it names one
  try {
    var named = document.currentScript && document.currentScript.getAttribute("data-pages");
    if (named) pagesList = new URL(named, location.href).href;
  } catch (error) { pagesList = null; }

  function siteSitemap() {
    // the site's own sitemap, beside its base (Material's config: a path relative to the page;
    // the same address from every page of the site, so it is worked out once)
    if (ownSitemap === undefined) {
      try {
        var config = JSON.parse(document.getElementById("__config").textContent);
        ownSitemap = new URL("sitemap.xml", new URL(config.base.replace(/\/?$/, "/"), location.href)).href;
      } catch (error) { ownSitemap = null; }
    }
    return ownSitemap;
  }

  function kindOf(url) {
    var address;
    try { address = new URL(url, document.baseURI); } catch (error) { return null; }
    if (/\/search\/search_index\.json$/.test(address.pathname)) return "search";
    if (/\/sitemap\.xml$/.test(address.pathname)) {
      var own = siteSitemap();
      if (!own) return null;
      return address.origin + address.pathname === own ? "own-sitemap" : "other-sitemap";
    }
    return null;
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.__briefingKind = kindOf(String(url));
    this.__briefingAborted = false;
    if (this.__briefingKind === "own-sitemap" && pagesList) {
      var args = Array.prototype.slice.call(arguments);
      args[1] = pagesList;
      return open.apply(this, args);
    }
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var kind = this.__briefingKind;
    if (kind === "other-sitemap") return undefined;  // never sent: nothing waits for it
    if (kind === "own-sitemap") {
      if (ownSitemapSent) return undefined;  // the language selector's: never sent (2. above)
      ownSitemapSent = true;
      return send.apply(this, arguments);
    }
    if (kind === "search" && !searchReleased) {
      heldSearch.push({ request: this, args: arguments });
      return undefined;
    }
    return send.apply(this, arguments);
  };
  XMLHttpRequest.prototype.abort = function () {
    this.__briefingAborted = true;  // a held request that is aborted is never sent
    return abort.apply(this, arguments);
  };

  // A page opened from a search result by a page load (a result the page's list of pages does
  // not name, 2. above, or a shared link) carries the words in ?h=: Material highlights them once
  // the index is in, so it is asked for at once.
  if (/[?&]h=/.test(location.search)) searchReleased = true;

  function releaseSearch() {
    if (searchReleased) return;
    searchReleased = true;
    heldSearch.splice(0).forEach(function (item) {
      if (!item.request.__briefingAborted) send.apply(item.request, item.args);
    });
  }

  function isSearchBox(node) {
    return node && node.nodeType === 1 && (node.matches("input.md-search__input") || node.id === "__search");
  }

  // Search: the box focused, the toggle set, or a key that opens search (Material: /, s, f).
  document.addEventListener("focusin", function (event) {
    if (isSearchBox(event.target)) releaseSearch();
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) releaseSearch();
  }, true);
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && /^[/sf]$/i.test(event.key)) {
      releaseSearch();
    }
  }, true);
  document.addEventListener("pointerdown", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("label[for=__search], .md-search")) releaseSearch();
  }, true);

  // Style sheets (4. above).
  var querySelectorAll = Document.prototype.querySelectorAll;
  var SHEET = "link[rel~=stylesheet][href]";
  var sheets = null;  // the first page's style sheets: address -> href as written
  Document.prototype.querySelectorAll = function (selector) {
    var found = querySelectorAll.apply(this, arguments);
    if (selector !== "[href], [src]") return found;
    var page = this === document;
    if (page && sheets === null) {
      sheets = new Map();
      Array.prototype.forEach.call(found, function (element) {
        if (element.matches(SHEET)) sheets.set(element.href, element.getAttribute("href"));
      });
    }
    if (!sheets) return found;
    return Array.prototype.filter.call(found, function (element) {
      if (!element.matches(SHEET)) return true;
      if (page) return false;
      var address;
      try { address = new URL(element.getAttribute("href"), location.href).href; } catch (error) { return true; }
      if (!sheets.has(address)) return true;  // a sheet the first page did not have: Material's way
      element.setAttribute("href", sheets.get(address));
      return false;
    });
  };

  // The palette's colour-scheme meta (5. above): kept out of <head>, so Material's bundle fills
  // in an element the page does not hold.
  var appendChild = Node.prototype.appendChild;
  Node.prototype.appendChild = function (node) {
    if (this === document.head && node instanceof HTMLMetaElement && node.name === "color-scheme" &&
        !node.content) {
      return node;
    }
    return appendChild.apply(this, arguments);
  };

  // Palette (3. above): capture phase, before Material's listener on the toggle itself.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || target.name !== "__palette" || !document.body) return;
    var body = document.body;
    body.setAttribute("data-briefing-switching", "");
    requestAnimationFrame(function () {
      setTimeout(function () { body.removeAttribute("data-briefing-switching"); }, 0);
    });
  }, true);
})();
