// Note tooltips (Material's content.footnote.tooltips), made accessible:
// - each tooltip is a dialog; give it the name of its note marker ("Note 8"), which axe
//   requires (aria-dialog-name) and screen readers announce;
// - Escape hides an open tooltip and leaves the keyboard focus where it is, so content shown
//   on hover or focus can be dismissed without moving either (WCAG 1.4.13). Material shows
//   it again on the next hover or focus.
(() => {
  const nameOf = (tooltip) => {
    const back = tooltip.querySelector("a.footnote-backref[href*='#fnref:']");
    const id = back ? decodeURIComponent(back.hash.slice(1)) : "";
    const marker = id && document.getElementById(id);
    const link = marker && (marker.matches("a") ? marker : marker.querySelector("a"));
    return (link && (link.getAttribute("aria-label") || `Note ${link.textContent.trim()}`)) || "Note";
  };

  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof HTMLElement && node.matches(".md-tooltip2[role='dialog']:not([aria-label])")) {
          node.setAttribute("aria-label", nameOf(node));
        }
      }
    }
  }).observe(document.body, { childList: true });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const tooltip of document.querySelectorAll(".md-tooltip2--active")) {
      tooltip.classList.remove("md-tooltip2--active");
    }
  });
})();
