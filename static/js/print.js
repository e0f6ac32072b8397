// The printable edition: a button that opens the browser's print dialogue (save as PDF there).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
