// The endorsements panel of a recommendation page, kept current by live events (live.js
// re-dispatches every message as "live:event" on document). Applying an event twice changes
// nothing: an organisation has one live endorsement, and the counts are recounted from the
// list. User text (names, statements) is only ever set as textContent. Elements are found by
// their data-js hooks, never by id: user text may hold headings named like any id of the page.
const panel = document.querySelector('[data-js="endorsements"]');
if (panel) init(panel);

function init(first) {
  // The panel is swapped in place when the page's live panels are fetched again (live.js):
  // always work on the one in the page now.
  let panel = first;
  let list = panel.querySelector('[data-js="endorsers"]');
  const recommendation = Number(panel.dataset.recommendation);
  const t = (name, values = {}) =>
    (panel.dataset[name] || "").replace(/\{(\w+)\}/g, (_m, key) => String(values[key] ?? ""));

  function label(kind) {
    const dd = panel.querySelector(`dd[data-kind="${CSS.escape(kind)}"]`);
    return dd ? dd.dataset.label : kind;
  }

  function item(data) {
    const li = document.createElement("li");
    li.dataset.organisation = data.organisation;
    li.dataset.version = String(data.version);
    li.dataset.kind = data.kind;
    const name = document.createElement("strong");
    name.dir = "auto"; // an organisation's name and statement are its own text
    name.textContent = data.name;
    const kind = document.createElement("span");
    kind.className = "meta";
    kind.textContent = ` (${label(data.kind)}) `;
    const badge = document.createElement("span");
    badge.className = "badge status-approved";
    badge.dataset.field = "endorsed-version";
    badge.textContent = t("tEndorsed", { n: data.version });
    li.append(name, kind, badge);
    if (data.statement) {
      const quote = document.createElement("q");
      quote.className = "statement";
      quote.dir = "auto";
      quote.textContent = data.statement;
      li.append(document.createElement("br"), quote);
    }
    return li;
  }

  function recount() {
    const counts = {};
    list.querySelectorAll("li[data-kind]").forEach((li) => {
      counts[li.dataset.kind] = (counts[li.dataset.kind] || 0) + 1;
    });
    let total = 0;
    panel.querySelectorAll("dd[data-kind]").forEach((dd) => {
      const n = counts[dd.dataset.kind] || 0;
      dd.textContent = String(n);
      total += n;
    });
    const summary = panel.querySelector("[data-field=support]");
    if (summary) {
      summary.dataset.total = String(total);
      summary.querySelectorAll(".support-kind, .support-none").forEach((node) => node.remove());
      panel.querySelectorAll("dd[data-kind]").forEach((dd) => {
        const n = counts[dd.dataset.kind] || 0;
        if (!n) return;
        const badge = document.createElement("span");
        badge.className = "badge support-kind";
        badge.dataset.kind = dd.dataset.kind;
        badge.textContent = `${dd.dataset.plural}: ${n}`;
        summary.append(badge, " ");
      });
      if (!total) {
        const none = document.createElement("span");
        none.className = "support-none";
        none.textContent = t("tNone");
        summary.append(none);
      }
    }
    const empty = list.querySelector("li.empty");
    if (total && empty) empty.remove();
    if (!total && !empty) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = t("tEmpty");
      list.append(li);
    }
  }

  document.addEventListener("live:event", (event) => {
    const message = event.detail || {};
    if (message.recommendation !== recommendation || !message.data) return;
    panel = document.querySelector('[data-js="endorsements"]');
    list = panel && panel.querySelector('[data-js="endorsers"]');
    if (!list) return;
    const data = message.data;
    if (message.type === "endorsement.created") {
      list.querySelectorAll("li[data-organisation]").forEach((li) => {
        if (li.dataset.organisation === data.organisation) li.remove();
      });
      list.append(item(data));
    } else if (message.type === "endorsement.withdrawn") {
      list.querySelectorAll("li[data-organisation]").forEach((li) => {
        if (li.dataset.organisation === data.organisation && li.dataset.version === String(data.version)) li.remove();
      });
    } else {
      return;
    }
    recount(); // the forms this viewer may use now come with the panel fetched again (live.js)
  });
}
