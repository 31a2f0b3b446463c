/* Load the search index when a reader starts to search, and the sitemap when a reader starts
 * to use the page: not with the first view (issue 14).
 *
 * The one place that relies on how Material for MkDocs 9.8 loads them: its bundle requests
 * search/search_index.json (its search) and sitemap.xml (its instant navigation) with
 * XMLHttpRequest as the page loads (src/templates/assets/javascripts/bundle.ts, browser/request).
 * Loaded before the bundle (main.html's scripts block), this script lets those two requests be
 * opened but holds their send() until:
 * - the index: the search box is focused (by a click, Tab or Material's shortcuts), the search
 *   toggle is set (a phone's search button), or a shortcut that opens search is pressed;
 * - the sitemap: the reader first moves the pointer, touches, turns the wheel or presses a key. Until
 *   then a click on a link is a plain page load (Material's instant navigation waits for the
 *   sitemap and lets the browser follow the link).
 * Every other request goes out as it would. Material searches the whole index as before (one
 * index: its ranking, suggestions and result names unchanged); it shows "Initializing search"
 * for the moment the index takes to arrive. tests/browser/test_search.py checks it.
 */
(function () {
  "use strict";
  if (window.__briefingLazyLoading || typeof XMLHttpRequest === "undefined") return;
  window.__briefingLazyLoading = true;

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var abort = XMLHttpRequest.prototype.abort;
  var held = { search: [], sitemap: [] };
  var released = { search: false, sitemap: false };

  function kindOf(url) {
    var path;
    try { path = new URL(url, document.baseURI).pathname; } catch (error) { return null; }
    if (/\/search\/search_index\.json$/.test(path)) return "search";
    if (/\/sitemap\.xml$/.test(path)) return "sitemap";
    return null;
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.__briefingKind = kindOf(String(url));
    this.__briefingAborted = false;
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var kind = this.__briefingKind;
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

  // Sitemap: the first sign of a reader using the page (not a scroll event: the page scrolls
  // itself to a #fragment as it loads).
  var USE = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel"];
  function useStarted() {
    release("sitemap");
    USE.forEach(function (name) {
      window.removeEventListener(name, useStarted, true);
    });
  }
  USE.forEach(function (name) {
    window.addEventListener(name, useStarted, { capture: true, passive: true });
  });
})();
