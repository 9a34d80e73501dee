// Charts page: reloads the charts' part of the page every few seconds (the same URL, fetched;
// no chart library, the server draws the SVG). Stops while the tab is hidden or the box is unticked.
"use strict";
(() => {
  const box = document.getElementById("charts");
  const auto = document.getElementById("auto-refresh");
  if (!box || !auto) return;
  const every = Number(box.dataset.refresh) || 5000;
  let busy = false;
  async function refresh() {
    if (busy || !auto.checked || document.hidden) return;
    busy = true;
    try {
      const answer = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (answer.ok && !answer.redirected) {
        const doc = new DOMParser().parseFromString(await answer.text(), "text/html");
        const fresh = doc.getElementById("charts");
        if (fresh) box.replaceChildren(...fresh.childNodes);
        const clock = doc.getElementById("sim-now"), here = document.getElementById("sim-now");
        if (clock && here) here.textContent = clock.textContent;
      }
    } catch (err) {
      // the server may be restarting: try again next time
    } finally {
      busy = false;
    }
  }
  window.setInterval(refresh, every);
})();
