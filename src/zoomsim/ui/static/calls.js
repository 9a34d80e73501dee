// API-call log: with "follow new calls" ticked, the first page reloads its table every 2 seconds
// (the same URL, fetched; the filters stay as they are). Off by default: a table that moves
// under the reader is hard to read.
"use strict";
(() => {
  const list = document.getElementById("calls-list");
  const follow = document.getElementById("follow");
  if (!list || !follow) return;
  const KEY = "zoomsim.calls.follow";
  follow.checked = window.sessionStorage.getItem(KEY) === "1";
  follow.addEventListener("change", () => window.sessionStorage.setItem(KEY, follow.checked ? "1" : "0"));
  let busy = false;
  async function refresh() {
    if (busy || !follow.checked || document.hidden) return;
    busy = true;
    try {
      const answer = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (answer.ok && !answer.redirected) {
        const doc = new DOMParser().parseFromString(await answer.text(), "text/html");
        const fresh = doc.getElementById("calls-list");
        if (fresh) list.replaceChildren(...fresh.childNodes);
      }
    } catch (err) {
      // the server may be restarting: try again next time
    } finally {
      busy = false;
    }
  }
  window.setInterval(refresh, 2000);
})();
