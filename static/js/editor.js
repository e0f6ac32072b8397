// Markdown editor: a live preview rendered by the server with the stored text's renderer and
// sanitiser (so what you see is exactly what will be saved). Elements are found by their
// data-js hooks, never by id: the preview shows user text, which may hold any heading.
//
// On a narrow screen (one column) writing and previewing are two tabs (the WAI-ARIA tabs
// pattern); on a wide one both panels stand side by side and the tabs are hidden (editor.css).
// Without JavaScript nothing is hidden. The co-editor (coedit.bundle.js), which takes the
// textarea's place inside the write panel, has a write / preview switch of its own in its
// toolbar; these tabs replace it (editor.css hides it): being outside the panels, they never
// hide themselves, and both switches share the layout's data-tab, so they always agree.
import { postForm } from "./http.js";

// The width below which the editor is one column (workspace.css, editor.css).
const NARROW = "(max-width: 60rem)";

const form = document.querySelector('[data-js="editor-form"]');
const source = form && form.querySelector("textarea[name=body]");
const preview = document.querySelector('[data-js="preview"]');

let showPreview = () => {};
if (source && preview) {
  let timer = null;
  let latest = 0;
  const refresh = async () => {
    const ticket = ++latest;
    try {
      const response = await postForm(preview.dataset.previewUrl, { body: source.value });
      const data = await response.json();
      if (ticket !== latest) return; // an older answer arriving late never wins
      if (response.ok) {
        preview.innerHTML = data.html; // sanitised by the server's allowlist
        preview.removeAttribute("aria-busy");
      } else {
        preview.textContent = data.error || preview.dataset.tUnavailable;
      }
    } catch (error) {
      preview.textContent = preview.dataset.tOffline;
    }
  };
  source.addEventListener("input", () => {
    preview.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  showPreview = () => {
    clearTimeout(timer);
    refresh();
  };
  refresh();
}

function writeAndPreviewTabs(tablist, layout) {
  const tabs = [...tablist.querySelectorAll('[data-js="editor-tab"]')];
  const panels = [...layout.querySelectorAll('[data-js="editor-panel"]')];
  const tabFor = (panel) => tabs.find((tab) => tab.dataset.panel === panel.dataset.panel);
  const narrow = window.matchMedia(NARROW);
  panels.forEach((panel) => { panel.dataset.label = panel.getAttribute("aria-labelledby") || ""; });

  // Tab semantics only while the tabs are shown (a narrow screen): on a wide one the two
  // panels are plain regions side by side.
  const semantics = () => {
    panels.forEach((panel) => {
      if (narrow.matches) {
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", tabFor(panel).id);
        // The preview may hold nothing focusable: the panel itself takes the focus.
        if (panel.dataset.panel === "preview") panel.tabIndex = 0;
      } else {
        panel.removeAttribute("role");
        if (panel.dataset.label) panel.setAttribute("aria-labelledby", panel.dataset.label);
        else panel.removeAttribute("aria-labelledby");
        panel.removeAttribute("tabindex");
      }
    });
  };

  // The tabs follow the layout's data-tab, whoever sets it (the co-editor does on starting).
  const show = (name) => {
    tabs.forEach((tab) => {
      const on = tab.dataset.panel === name;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1; // roving tabindex: Tab reaches the chosen tab only
    });
  };
  const select = (chosen, { focus = false } = {}) => {
    layout.dataset.tab = chosen.dataset.panel; // editor.css shows that panel alone
    show(chosen.dataset.panel);
    if (focus) chosen.focus();
    if (chosen.dataset.panel === "preview") showPreview(); // at once, not after a pause
  };

  tablist.addEventListener("click", (event) => {
    const tab = event.target.closest('[data-js="editor-tab"]');
    if (tab) select(tab);
  });
  tablist.addEventListener("keydown", (event) => {
    const index = tabs.indexOf(event.target.closest('[data-js="editor-tab"]'));
    if (index < 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    // Right to left the tabs stand mirrored: the arrow keys follow what the eye sees.
    const step = document.documentElement.dir === "rtl" ? -1 : 1;
    const next = {
      ArrowRight: index + step,
      ArrowLeft: index - step,
      Home: 0,
      End: tabs.length - 1,
    }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length], { focus: true });
  });
  narrow.addEventListener("change", semantics);
  new MutationObserver(() => show(layout.dataset.tab || "write"))
    .observe(layout, { attributes: true, attributeFilter: ["data-tab"] });

  tablist.hidden = false;
  layout.classList.add("editor-tabbed");
  select(tabs.find((tab) => tab.getAttribute("aria-selected") === "true") || tabs[0]);
  semantics();
}

const tablist = form && form.querySelector('[data-js="editor-tabs"]');
const layout = form && form.querySelector('[data-js="editor-layout"]');
if (tablist && layout) writeAndPreviewTabs(tablist, layout);
