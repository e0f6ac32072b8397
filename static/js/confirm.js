// Irreversible steps ask first (issue 13). A form data-js="confirm" with data-confirm-title carries
// confirm=ask: without this script the server answers with its confirmation page. With it,
// the same question (written by the server, translated) opens in a modal dialog; confirming
// drops confirm=ask and sends the form, so the step is taken in one round trip. Text is only
// ever set as textContent. Focus goes into the dialog and back to the button on cancel.
// One listener on the document: forms that arrive later (a live page's action panel, fetched
// again after a status change) ask the same way.
const SELECTOR = `form[data-js="confirm"][data-confirm-title]`;
let ask = null;
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches(SELECTOR)) return;
  if (form.dataset.confirmed === "yes") return;
  event.preventDefault();
  if (!ask) ask = init();
  ask(form, event.submitter);
});

function init() {
  const dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
  dialog.setAttribute("aria-describedby", "confirm-dialog-text");
  const title = document.createElement("h2");
  title.id = "confirm-dialog-title";
  title.dir = "auto";
  const text = document.createElement("p");
  text.id = "confirm-dialog-text";
  text.dir = "auto";
  const reason = document.createElement("blockquote");
  reason.className = "statement";
  reason.dir = "auto";
  const buttons = document.createElement("div");
  buttons.className = "actions";
  const ok = document.createElement("button");
  ok.type = "button";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = document.body.dataset.cancelLabel || "Cancel";
  buttons.append(ok, cancel);
  dialog.append(title, text, reason, buttons);
  document.body.append(dialog);

  let pending = null;
  let opener = null;

  const fill = (value, version) => String(value || "").replaceAll("{version}", version);

  function open(form, submitter) {
    pending = form;
    opener = submitter || form.querySelector("[type=submit]");
    const select = form.querySelector("[data-confirm-version]");
    const version = select ? select.value : "";
    title.textContent = fill(form.dataset.confirmTitle, version);
    text.textContent = fill(form.dataset.confirmText, version);
    ok.textContent = fill(form.dataset.confirmButton, version);
    ok.className = form.hasAttribute("data-confirm-danger") ? "danger" : "primary";
    const given = form.querySelector("textarea[name=reason]");
    reason.hidden = !given;
    reason.textContent = given ? given.value : "";
    ok.disabled = false;
    dialog.showModal();
    cancel.focus();
  }

  ok.addEventListener("click", () => {
    if (!pending) return;
    const form = pending;
    const asking = form.querySelector("input[name=confirm]");
    if (asking) asking.remove();
    form.dataset.confirmed = "yes";
    ok.disabled = true;
    dialog.close();
    // requestSubmit: the form's own submit handlers run (a comment tool is then sent through
    // the API, without a reload); plain submit() where it is missing.
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  });
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    if (pending && pending.dataset.confirmed !== "yes" && opener && opener.isConnected) opener.focus();
    pending = null;
  });
  return open;
}
