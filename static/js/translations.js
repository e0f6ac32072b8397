// The language choice of a recommendation page, kept current by `translation.updated` events
// (live.js re-dispatches every message as "live:event" on document): each translation's badge
// says "up to date" or "outdated", and the notice of the translation being read says which
// version it translates. Text comes from the template's data-t-* attributes (translated there)
// and is only ever set as textContent. Elements are found by data-js hooks, never by id.
const nav = document.querySelector('[data-js="text-languages"]');
if (nav) init(nav);

function init(nav) {
  const recommendation = Number(nav.dataset.recommendation);
  const t = (name, values = {}) =>
    (nav.dataset[name] || "").replace(/\{(\w+)\}/g, (_m, key) => String(values[key] ?? ""));

  document.addEventListener("live:event", (event) => {
    const message = event.detail || {};
    if (message.type !== "translation.updated" || message.recommendation !== recommendation) return;
    const data = message.data || {};
    const language = String(data.language || "");
    const badge = nav.querySelector(
      `[data-js="translation-badge"][data-language="${CSS.escape(language)}"]`,
    );
    if (badge) {
      badge.textContent = data.outdated ? t("tOutdated") : t("tUpToDate");
      badge.classList.toggle("status-withdrawn", Boolean(data.outdated));
      badge.classList.toggle("status-approved", !data.outdated);
    }
    const state = nav.querySelector(
      `[data-js="translation-state"][data-language="${CSS.escape(language)}"]`,
    );
    if (state) {
      state.dataset.translated = String(data.translated_version);
      state.textContent = data.outdated
        ? t("tStateOutdated", { n: data.translated_version, o: data.original_version })
        : t("tStateCurrent", { n: data.translated_version });
    }
  });
}
