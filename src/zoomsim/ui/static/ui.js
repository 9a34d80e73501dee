// zoomsim dashboard: behaviour shared by every page (no library).
"use strict";
document.addEventListener("click", (event) => {
  const reveal = event.target.closest("[data-reveal]");
  if (reveal) {                      // secrets are hidden until clicked
    const box = reveal.closest(".secret");
    box.dataset.hidden = box.dataset.hidden === "1" ? "0" : "1";
    reveal.textContent = box.dataset.hidden === "1" ? "show" : "hide";
  }
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;   // forms that need a second thought
  if (message && !window.confirm(message)) event.preventDefault();
});
