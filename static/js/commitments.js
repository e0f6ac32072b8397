// Commitments kept current by live events: on a recommendation page from the page's own
// socket (live.js re-dispatches every message as "live:event"); on an organisation page, a
// commitment page and the follow-up pages from the socket named by data-socket (open to
// visitors who are not logged in). Applying an event twice changes nothing: an item is found
// by its commitment id and replaced. User text is only ever set as textContent; elements are
// found by data-js hooks, never by id.
import { openLive } from "./live.js";

const root = document.querySelector('[data-js="commitments"]');
if (root) init(root);

function init(root) {
  const recommendation = root.dataset.recommendation ? Number(root.dataset.recommendation) : null;
  const organisation = root.dataset.organisation || null;
  const label = (key) => root.dataset[key] || "";
  // data-t-status-not_started is dataset.tStatusNot_started (only hyphens become capitals).
  const key = (prefix, value) => prefix + value.charAt(0).toUpperCase() + value.slice(1);
  const statusLabel = (status) => label(key("tStatus", status)) || status;
  const kindLabel = (kind) => label(key("tKind", kind)) || kind;
  const only = root.dataset.only ? Number(root.dataset.only) : null;
  const totals = root.querySelector('[data-js="totals"]');

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function item(data) {
    const li = el("li");
    li.dataset.commitment = String(data.id);
    li.dataset.kind = data.kind;
    li.dataset.status = data.status;
    li.dataset.fresh = "";
    const name = el("strong");
    const link = el("a", "", data.name);
    link.href = `/organisations/${encodeURIComponent(data.organisation)}/`;
    name.append(link);
    const badge = el("span", `badge status-${data.status}`, statusLabel(data.status));
    badge.dataset.field = "commitment-status";
    const action = el("p", "statement", data.action);
    action.dir = "auto";
    const meta = el("p", "meta", `${label("tBy").replace("{date}", data.target_date)} · `);
    if (data.indicator) {
      const value = data.current_value ?? "–";
      const target = data.target_value !== null ? ` / ${data.target_value}` : "";
      // Isolated for direction, as the template does: "0 / 10" never reads "10 / 0".
      meta.append(el("bdi", "", data.indicator), ": ", el("bdi", "", `${value}${target} ${data.unit}`), " · ");
    }
    const details = el("a", "", label("tDetails"));
    details.href = data.url;
    meta.append(details);
    li.append(name, " ", badge, action, meta);
    return li;
  }

  function listFor(data) {
    const groups = root.querySelector('[data-js="commitment-groups"]');
    if (!groups) return root.querySelector('[data-js="commitment-list"]');
    let section = groups.querySelector(`[data-kind-group="${CSS.escape(data.kind)}"]`);
    if (!section) {
      section = el("section");
      section.dataset.kindGroup = data.kind;
      const heading = el("h3", "", kindLabel(data.kind));
      const list = el("ul", "activity");
      list.dataset.js = "commitment-list";
      section.append(heading, list);
      groups.append(section);
    }
    return section.querySelector('[data-js="commitment-list"]');
  }

  function count(name, delta) {
    if (!totals) return;
    const dd = totals.querySelector(`[data-count="${CSS.escape(name)}"]`);
    if (dd) dd.textContent = String(Math.max(0, Number(dd.textContent || 0) + delta));
  }

  function apply(message) {
    if (!message || !String(message.type).startsWith("commitment.")) return;
    const data = message.data || {};
    if (recommendation !== null && data.recommendation !== undefined && data.recommendation !== recommendation) return;
    if (organisation !== null && data.organisation !== organisation) return;
    if (only !== null && Number(data.id) !== only) return;
    const old = root.querySelector(`li[data-commitment="${Number(data.id)}"]`);
    if (data.public === false) {
      if (old) { count("total", -1); count(old.dataset.status, -1); old.remove(); }
      return;
    }
    if (old) count(old.dataset.status, -1); else count("total", 1);
    count(data.status, 1);
    const fresh = item(data);
    if (old) old.replaceWith(fresh);
    else {
      const list = listFor(data);
      if (list) list.prepend(fresh);
    }
    root.querySelectorAll('[data-js="commitments-empty"]').forEach((node) => node.remove());
  }

  if (recommendation !== null && !root.dataset.socket) {
    document.addEventListener("live:event", (event) => apply(event.detail));
  }
  if (root.dataset.socket) openLive(root.dataset.socket, { onMessage: apply, onReconnect: () => {} });
}
