/* Load the search index when a reader starts to search, not with the first view (issue 14).
 *
 * The one place that relies on how Material for MkDocs 9.8 loads it: its bundle requests
 * search/search_index.json with XMLHttpRequest as the page loads
 * (src/templates/assets/javascripts/bundle.ts, browser/request). Loaded before the bundle
 * (main.html's scripts block), this script lets that request be opened but holds its send()
 * until the search box is focused (by a click, Tab or Material's shortcuts), the search toggle
 * is set (a phone's search button), or a shortcut that opens search is pressed.
 * Every other request goes out as it would. The sitemap, which Material's instant navigation
 * also loads with the page, is not held: a click before it arrives would be a whole page load
 * (the instant navigation waits for it), and it is small (2.4 KB gzipped at 600 pages). Material searches the whole index as before (one
 * index: its ranking, suggestions and result names unchanged); it shows "Initializing search"
 * for the moment the index takes to arrive. tests/browser/test_search.py checks it.
 *
 * Material also requests a sitemap.xml beside every <link rel="alternate"> of the page (made for
 * the other-language versions of a site, whose sitemaps its instant navigation follows). Ours
 * are a note's downloads and the feed: beside a note's, in the note's folder, there is no
 * sitemap, and each request would fetch the 404 page (three a note page, logged as errors).
 * A request for any sitemap but the site's own is never sent (tests/browser/test_first_view.py).
 */
(function () {
  "use strict";
  if (window.__briefingLazyLoading || typeof XMLHttpRequest === "undefined") return;
  window.__briefingLazyLoading = true;

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var abort = XMLHttpRequest.prototype.abort;
  var held = { search: [] };
  var released = { search: false };

  function siteSitemap() {
    // the site's own sitemap, beside its base (Material's config: a path relative to the page)
    try {
      var config = JSON.parse(document.getElementById("__config").textContent);
      return new URL("sitemap.xml", new URL(config.base.replace(/\/?$/, "/"), location.href)).href;
    } catch (error) { return null; }
  }

  function kindOf(url) {
    var address;
    try { address = new URL(url, document.baseURI); } catch (error) { return null; }
    if (/\/search\/search_index\.json$/.test(address.pathname)) return "search";
    if (/\/sitemap\.xml$/.test(address.pathname)) {
      var own = siteSitemap();
      return own && address.origin + address.pathname !== own ? "other-sitemap" : null;
    }
    return null;
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.__briefingKind = kindOf(String(url));
    this.__briefingAborted = false;
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var kind = this.__briefingKind;
    if (kind === "other-sitemap") return undefined;  // never sent: nothing waits for it
    if (kind && !released[kind]) {
      held[kind].push({ request: this, args: arguments });
      return undefined;
    }
    return send.apply(this, arguments);
  };
  XMLHttpRequest.prototype.abort = function () {
    this.__briefingAborted = true;  // a held request that is aborted is never sent
    return abort.apply(this, arguments);
  };

  function release(kind) {
    if (released[kind]) return;
    released[kind] = true;
    held[kind].splice(0).forEach(function (item) {
      if (!item.request.__briefingAborted) send.apply(item.request, item.args);
    });
  }

  function isSearchBox(node) {
    return node && node.nodeType === 1 && (node.matches("input.md-search__input") || node.id === "__search");
  }

  // Search: the box focused, the toggle set, or a key that opens search (Material: /, s, f).
  document.addEventListener("focusin", function (event) {
    if (isSearchBox(event.target)) release("search");
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) release("search");
  }, true);
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && /^[/sf]$/i.test(event.key)) {
      release("search");
    }
  }, true);
  document.addEventListener("pointerdown", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("label[for=__search], .md-search")) release("search");
  }, true);
})();
