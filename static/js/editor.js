// Markdown editor: a live preview rendered by the server with the stored text's renderer and
// sanitiser (so what you see is exactly what will be saved). Elements are found by their
// data-js hooks, never by id: the preview shows user text, which may hold any heading.
import { postForm } from "./http.js";

const form = document.querySelector('[data-js="editor-form"]');
const source = form && form.querySelector("textarea[name=body]");
const preview = document.querySelector('[data-js="preview"]');

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
  refresh();
}
