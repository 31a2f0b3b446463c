/* The page at a moved page's old address (briefing/series/moved.py, partials/series/redirect.html):
   go on to the new address with what followed the old one, the #fragment (a heading, a note)
   and the ?query (search's highlight), which a meta refresh would drop. Without JavaScript the
   page's meta refresh (in <noscript>) and its visible link send the reader on instead. */
(function () {
  "use strict";
  var link = document.getElementById("moved-to");
  if (!link) {
    return;
  }
  var target = new URL(link.getAttribute("href"), document.baseURI);
  if (location.search && !target.search) {
    target.search = location.search;
  }
  if (location.hash) {
    target.hash = location.hash;
  }
  link.href = target.href;
  location.replace(target.href);
})();
