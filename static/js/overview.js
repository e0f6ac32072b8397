// The overview page, live: any event on /ws/overview/ (a status change, an endorsement, a
// deadline moved) makes the page fetch its numbers again and replace them in place, without a
// reload. Several events in a burst cause one fetch. Elements are found by data-js hooks.
import { openLive } from "./live.js";

const root = document.querySelector('[data-js="overview"]');

async function refresh() {
  const response = await fetch(root.dataset.refreshUrl, {
    credentials: "same-origin",
    headers: { "X-Overview-Refresh": "1", Accept: "text/html" },
  });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const name of ["overview-body", "deadlines"]) {
    const fresh = page.querySelector(`[data-js="${name}"]`);
    const current = root.querySelector(`[data-js="${name}"]`);
    if (fresh && current) current.replaceWith(document.importNode(fresh, true));
  }
}

if (root) {
  let timer = null;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => refresh().catch(() => {}), 250);
  };
  openLive("/ws/overview/", { onMessage: soon, onReconnect: soon });
}
