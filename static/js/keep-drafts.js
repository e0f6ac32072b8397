// Unsaved text survives a reload, a crash or an accidental navigation (issue 13). What a
// person types in a form's text area is kept on this device (localStorage), per person, page
// and field, and offered back when they return to the same form; sending the form forgets
// it, and so does logging out (the venue's computers are shared). Leaving a page with unsent
// text asks first. Kept text is only ever put back with .value: never as markup.
const body = document.body;
const person = body.dataset.person;
const PREFIX = "kept-text:";
const DELAY_MS = 400;
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;

if (person && typeof localStorage !== "undefined") init();

function storage(action) {
  try { return action(localStorage); } catch (error) { return null; } // private mode, quota
}

function init() {
  const key = (form, area) =>
    `${PREFIX}${person}:${location.pathname}:${new URL(form.action, location.href).pathname}:${area.id || area.name}`;
  let dirty = 0;

  const logout = document.querySelector('form[data-js="logout"]');
  if (logout) {
    logout.addEventListener("submit", () => storage((s) => {
      for (const k of Object.keys(s)) if (k.startsWith(PREFIX)) s.removeItem(k);
    }));
  }

  for (const area of document.querySelectorAll("form[method=post] textarea[name]")) {
    const form = area.form;
    if (!form || form.hasAttribute("data-no-keep") || area.hasAttribute("data-no-keep")) continue;
    const k = key(form, area);
    const kept = storage((s) => JSON.parse(s.getItem(k) || "null"));
    if (kept && kept.text && kept.text !== area.value) {
      if (Date.now() - kept.at > MAX_AGE_MS) storage((s) => s.removeItem(k));
      else offer(area, k, kept);
    }
    let timer = null;
    let changed = false;
    area.addEventListener("input", () => {
      if (!changed) { changed = true; dirty += 1; }
      clearTimeout(timer);
      timer = setTimeout(() => storage((s) => {
        if (area.value.trim()) s.setItem(k, JSON.stringify({ text: area.value, at: Date.now() }));
        else s.removeItem(k);
      }), DELAY_MS);
    });
    form.addEventListener("submit", () => {
      clearTimeout(timer);
      storage((s) => s.removeItem(k));
      if (changed) { changed = false; dirty -= 1; }
    });
  }

  window.addEventListener("beforeunload", (event) => {
    if (dirty > 0) { event.preventDefault(); event.returnValue = ""; }
  });
}

function offer(area, k, kept) {
  const box = document.createElement("p");
  box.className = "notice kept-text";
  box.setAttribute("role", "status");
  const when = new Date(kept.at).toLocaleString(document.documentElement.lang || undefined, {
    dateStyle: "medium",
    timeStyle: "short",
  });
  const words = document.body.dataset;
  box.append(document.createTextNode(`${(words.keptText || "").replace("{time}", when)} `));
  const restore = document.createElement("button");
  restore.type = "button";
  restore.textContent = words.keptRestore || "Restore";
  const discard = document.createElement("button");
  discard.type = "button";
  discard.className = "link-button";
  discard.textContent = words.keptDiscard || "Discard";
  box.append(restore, document.createTextNode(" "), discard);
  area.before(box);
  restore.addEventListener("click", () => {
    area.value = kept.text;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    box.remove();
    area.focus();
  });
  discard.addEventListener("click", () => {
    storage((s) => s.removeItem(k));
    box.remove();
    area.focus();
  });
}
