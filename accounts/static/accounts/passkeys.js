// Passkeys as a second factor: add one (profile, set-up page) or prove one (verify step).
// The server's JSON views are django-otp-webauthn's (accounts/passkeys.py); the messages come
// translated from data- attributes, the CSRF token from <meta name="csrf-token">.

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "X-CSRFToken": csrf(),
      Accept: "application/json",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (response.headers.get("content-type") || "").includes("application/json")
    ? await response.json()
    : {};
  if (!response.ok) throw new Error(data.detail || response.statusText);
  return data;
}

function supported() {
  return (
    typeof window.PublicKeyCredential === "function" &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function"
  );
}

function wire(box, ceremony) {
  const button = box.querySelector("[data-passkey-button]");
  const status = box.querySelector("[data-passkey-status]");
  const say = (text) => {
    status.textContent = text;
  };
  if (!supported()) {
    button.disabled = true;
    say(box.dataset.msgUnsupported);
    return;
  }
  button.addEventListener("click", async () => {
    button.disabled = true;
    say(box.dataset.msgBusy);
    try {
      await ceremony(say);
    } catch (error) {
      say(`${box.dataset.msgFailed} ${error?.message ?? ""}`.trim());
      button.disabled = false;
      button.focus();
    }
  });
}

for (const box of document.querySelectorAll("[data-passkey-register]")) {
  wire(box, async (say) => {
    const options = await post(box.dataset.beginUrl);
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
    const credential = await navigator.credentials.create({ publicKey });
    await post(box.dataset.completeUrl, credential.toJSON());
    say(box.dataset.msgDone);
    window.location.assign(box.dataset.doneUrl);
  });
}

for (const box of document.querySelectorAll("[data-passkey-verify]")) {
  wire(box, async () => {
    const options = await post(box.dataset.beginUrl);
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
    const credential = await navigator.credentials.get({ publicKey });
    const result = await post(box.dataset.completeUrl, credential.toJSON());
    window.location.assign(result.redirect_url);
  });
}
