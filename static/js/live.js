// Live updates over WebSockets: one socket per page, reconnect with backoff and jitter, catch
// up from the events endpoint after a reconnect, update the page in place. Every message is
// re-dispatched as a DOM event `live:event` so other modules (comments, endorsements) can
// react. Nothing here ever replaces text that someone is typing. Elements are found by their
// data-js hooks, never by id: user text may hold headings named like any id of the page.
import { getJSON } from "./http.js";

const hook = (name) => `[data-js="${name}"]`;
const indicator = document.querySelector(hook("live-status"));
const HEARTBEAT_MS = 5000;
const SILENCE_MS = 15000; // no message (not even a pong) for this long: the link is dead
// The words come from the page, in its language ({% live_strings %} in base.html).
const words = indicator ? indicator.dataset : {};
const t = (name) => words[`t${name.replace(/(^|-)(.)/g, (m, dash, c) => c.toUpperCase())}`] || "";

// A sentence with {placeholders} as nodes: what people wrote (a name, a note) is isolated
// for direction in a <bdi>, so an Arabic name reads right in a French sentence.
function sentence(template, values) {
  return template.split(/(\{[a-z]+\})/).filter(Boolean).map((part) => {
    const key = part.startsWith("{") && part.endsWith("}") ? part.slice(1, -1) : null;
    if (key === null || !(key in values)) return document.createTextNode(part);
    const bdi = document.createElement("bdi");
    bdi.textContent = String(values[key]);
    return bdi;
  });
}
const statusLabel = (code) => t(`status-${String(code).replace(/_/g, "-")}`) || String(code);

function setState(state, text) {
  if (!indicator) return;
  indicator.hidden = false;
  indicator.dataset.state = state;
  indicator.textContent = text;
}

function wsUrl(path) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${path}`;
}

// --- pausing live updates (WCAG 2.2.2) ------------------------------------------------------
// A person may pause what arrives: messages wait in order and are applied on resume. The choice
// lasts for the tab (sessionStorage), so a reload does not start moving things again.
const pauseButton = document.querySelector(hook("live-pause"));
const waiting = [];
let paused = false;
try { paused = window.sessionStorage.getItem("live-paused") === "1"; } catch { paused = false; }
const plural = (json, n) => {
  let phrases = {};
  try { phrases = JSON.parse(json || "{}"); } catch { phrases = {}; }
  const rules = new Intl.PluralRules(document.documentElement.lang || "en");
  return (phrases[rules.select(n)] || phrases.other || "{n}").replace("{n}", String(n));
};

function showPause() {
  if (!pauseButton) return;
  pauseButton.hidden = false;
  pauseButton.setAttribute("aria-pressed", paused ? "true" : "false");
  pauseButton.textContent = paused ? t("resume") : t("pause");
  if (indicator && paused) {
    indicator.textContent = plural(words.tPaused, waiting.length);
    indicator.dataset.state = "paused";
  } else if (indicator && indicator.dataset.state === "paused") {
    setState("open", t("live"));
  }
}

if (pauseButton) {
  pauseButton.addEventListener("click", () => {
    paused = !paused;
    try { window.sessionStorage.setItem("live-paused", paused ? "1" : "0"); } catch { /* private mode */ }
    if (!paused) {
      const ready = waiting.splice(0);
      ready.forEach((deliver) => deliver());
    }
    showPause();
  });
}

function deliverOrWait(deliver) {
  if (!paused) { deliver(); return; }
  waiting.push(deliver);
  showPause();
}

export function openLive(path, { onMessage, onReconnect, presenceState }) {
  let socket = null;
  let attempt = 0;
  let timers = [];
  let lastHeard = Date.now();
  let everOpened = false;
  let stopped = false;

  const clearTimers = () => { timers.forEach(clearInterval); timers = []; };
  const send = (message) => { if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message)); };

  function connect() {
    setState("connecting", t("connecting"));
    socket = new WebSocket(wsUrl(path));
    socket.addEventListener("open", () => {
      const reconnected = everOpened;
      everOpened = true;
      attempt = 0;
      lastHeard = Date.now();
      setState("open", t("live"));
      showPause();
      if (presenceState) send({ type: "presence", state: presenceState() });
      timers.push(setInterval(() => {
        send({ type: "ping" });
        if (presenceState) send({ type: "heartbeat", state: presenceState() });
        if (Date.now() - lastHeard > SILENCE_MS) socket.close();
      }, HEARTBEAT_MS));
      if (reconnected && onReconnect) deliverOrWait(onReconnect);
    });
    socket.addEventListener("message", (event) => {
      lastHeard = Date.now();
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === "pong") return;
      deliverOrWait(() => onMessage(message));
    });
    socket.addEventListener("close", (event) => {
      clearTimers();
      if (stopped) return;
      if (event.code === 4403 || event.code === 4401) {
        setState("closed", t("ended"));
        return; // refused or revoked: reconnecting would not help
      }
      // Exponential backoff with full jitter, capped at 30 s.
      const delay = Math.random() * Math.min(30000, 500 * 2 ** attempt);
      attempt += 1;
      setState("closed", t("offline"));
      if (navigator.onLine === false) return; // the "online" event reconnects
      scheduleRetry(delay);
    });
  }
  let retryTimer = null;
  const scheduleRetry = (delay) => { clearTimeout(retryTimer); retryTimer = setTimeout(connect, delay); };
  connect();
  // The browser knows when the network is gone: drop the socket at once (an open socket can
  // stay silently half-dead) and reconnect as soon as the network is back.
  window.addEventListener("offline", () => { if (socket) socket.close(); });
  window.addEventListener("online", () => {
    attempt = 0;
    if (!socket || socket.readyState === WebSocket.CLOSED) scheduleRetry(0);
  });
  return { send, stop() { stopped = true; clearTimers(); if (socket) socket.close(); } };
}

function emit(message) {
  document.dispatchEvent(new CustomEvent("live:event", { detail: message }));
}

// --- one polite live region, throttled ---------------------------------------------------
// What arrives is said in one place (the page's banner, role=status), at most every few
// seconds: "3 new comments - Show", "Status changed to ...". Focus never moves; "Show" takes
// the person to the newest comment when they choose it. Other scripts announce through the
// "live:announce" DOM event ({kind, text, target}).
const THROTTLE_MS = 2500;
const region = document.querySelector(hook("live-banner"));
const said = { comments: 0, newest: null, author: "", items: new Map() };
let sayTimer = null;
let lastSaid = 0;

const saidComments = new Set(); // a comment is counted once (own post + socket, a replay)

function say(kind, nodes, target, author, id) {
  if (!region) return;
  if (kind === "comment") {
    if (id !== undefined && saidComments.has(id)) return;
    if (id !== undefined) saidComments.add(id);
    said.comments += 1;
    said.author = author || "";
    // "Show" goes to the newest of them, whatever order their fetches finished in.
    if (target && (said.newestId === undefined || id === undefined || id > said.newestId)) {
      said.newest = target;
      said.newestId = id;
    }
  } else {
    said.items.delete(kind); // the latest of each kind, in arrival order
    said.items.set(kind, nodes);
  }
  if (!sayTimer) {
    const wait = Math.max(400, lastSaid + THROTTLE_MS - Date.now());
    sayTimer = setTimeout(flushSaid, wait);
  }
}

function flushSaid() {
  sayTimer = null;
  lastSaid = Date.now();
  const parts = [];
  for (const nodes of said.items.values()) {
    if (parts.length) parts.push(document.createTextNode(" "));
    parts.push(...nodes);
  }
  if (said.comments) {
    if (parts.length) parts.push(document.createTextNode(" "));
    if (said.comments === 1 && said.author) parts.push(...sentence(t("new-comment-by"), { author: said.author }));
    else parts.push(document.createTextNode(plural(words.tNewComments, said.comments)));
    const newest = said.newest;
    if (newest) {
      const show = document.createElement("button");
      show.type = "button";
      show.className = "link-button";
      show.textContent = t("show");
      show.addEventListener("click", () => {
        const item = typeof newest === "function" ? newest() : newest;
        if (!item) return;
        item.scrollIntoView({ block: "center" });
        if (!item.hasAttribute("tabindex")) item.setAttribute("tabindex", "-1");
        item.focus({ preventScroll: true });
      });
      parts.push(document.createTextNode(" · "), show);
    }
  }
  said.comments = 0;
  said.newest = null;
  said.newestId = undefined;
  said.author = "";
  said.items.clear();
  if (!parts.length) return;
  region.replaceChildren(...parts);
  region.hidden = false;
}

document.addEventListener("live:announce", (event) => {
  const { kind, text: words_, target, author, id } = event.detail || {};
  if (kind === "comment") say("comment", null, target, author, id);
  else if (words_) say(kind || "note", [document.createTextNode(words_)]);
});

// --- the page's live panels --------------------------------------------------------------
// Status, actions, support, versions and activity are fetched again as the server renders them
// for this viewer (so what a person may do is still decided by the server) and swapped in
// place. A panel the person is using (focus inside, or a field changed) is left alone: it is
// swapped when focus leaves it, or, if they typed something, when they ask.
// Not comments: they arrive in the comments section themselves, and a room of a thousand
// readers fetching every panel again for each comment would cost a thousand page renders.
const PANEL_EVENTS = new Set([
  "recommendation.status", "recommendation.updated", "recommendation.drafters",
  "endorsement.created", "endorsement.withdrawn", "translation.updated",
]);

function changedField(field) {
  if (field instanceof HTMLSelectElement) {
    // With no option marked selected, a single select starts on its first option.
    const defaults = [...field.options].map((o) => o.defaultSelected);
    if (!field.multiple && !defaults.some(Boolean) && defaults.length) defaults[0] = true;
    return [...field.options].some((o, i) => o.selected !== defaults[i]);
  }
  if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
  return field.value !== field.defaultValue;
}

function startPanels(id) {
  const holders = () => document.querySelectorAll("[data-live-panel]");
  if (!holders().length) return () => {};
  let timer = null;
  let inFlight = false;
  let again = false;
  const fresh = new Map(); // panel name -> html not yet swapped in

  const typedIn = (holder) => [...holder.querySelectorAll("textarea, input:not([type=hidden]), select")].some(changedField);
  const focused = (holder) => holder.contains(document.activeElement) && document.activeElement !== document.body;

  function swap(holder, html) {
    const template = document.createElement("template");
    template.innerHTML = html; // our own template, rendered by the server for this viewer
    template.content.querySelectorAll("script").forEach((script) => script.remove());
    holder.replaceChildren(template.content);
    fresh.delete(holder.dataset.livePanel);
    document.dispatchEvent(new CustomEvent("live:panel", { detail: { name: holder.dataset.livePanel } }));
  }

  function offer(holder) {
    if (holder.querySelector(":scope > .panel-stale")) return;
    const note = document.createElement("p");
    note.className = "notice panel-stale";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.textContent = t("panel-show");
    button.addEventListener("click", () => {
      const html = fresh.get(holder.dataset.livePanel);
      if (html !== undefined) swap(holder, html);
    });
    note.append(document.createTextNode(`${t("panel-stale")} `), button);
    holder.prepend(note);
  }

  function place(name, html) {
    const holder = document.querySelector(`[data-live-panel="${CSS.escape(name)}"]`);
    if (!holder) return;
    fresh.set(name, html);
    if (typedIn(holder)) offer(holder);
    else if (!focused(holder)) swap(holder, html);
    // Focus inside but nothing typed: swapped when focus leaves (below).
  }

  document.addEventListener("focusout", (event) => {
    const holder = event.target.closest && event.target.closest("[data-live-panel]");
    if (!holder || holder.contains(event.relatedTarget)) return;
    const html = fresh.get(holder.dataset.livePanel);
    if (html !== undefined && !typedIn(holder)) setTimeout(() => { if (!focused(holder)) swap(holder, html); }, 0);
  });

  async function refresh() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    try {
      const data = await getJSON(`/recommendations/${id}/panels/`);
      for (const [name, html] of Object.entries(data.panels || {})) place(name, html);
    } catch (error) {
      /* stays as it is; the next event tries again */
    } finally {
      inFlight = false;
      if (again) { again = false; schedule(); }
    }
  }

  // Spread over a second: a thousand open pages do not all ask at the same instant.
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250 + Math.random() * 750);
  }
  return schedule;
}

// --- one recommendation: the detail page and the editor -------------------------------------
function startRecommendation(root, { editing }) {
  const id = root.dataset.recommendation;
  let lastSeq = Number(root.dataset.seq || 0);
  const presenceBox = document.querySelector(hook("presence"));
  const field = (name) => document.querySelectorAll(`[data-field="${name}"]`);
  const refreshPanels = editing ? () => {} : startPanels(id);
  let catchingUp = null;

  function text(value) { return document.createTextNode(value); }
  function link(href, label) { const a = document.createElement("a"); a.href = href; a.textContent = label; return a; }

  function apply(message) {
    const data = message.data || {};
    if (PANEL_EVENTS.has(message.type)) refreshPanels();
    if (message.type === "recommendation.updated") {
      field("version").forEach((el) => { el.textContent = data.version; });
      if (editing) {
        say("version", sentence(t("saved-editing"), { author: data.author, n: data.version }));
      } else {
        const from = Number(root.dataset.version);
        say("version", [
          ...sentence(t(data.note ? "saved-note" : "saved"), { author: data.author, n: data.version, note: data.note }),
          text(" "),
          link(`/recommendations/${id}/compare/?from=${from}&to=${data.version}`, t("see-changes")),
          text(" · "),
          link(window.location.pathname, t("refresh")),
        ]);
      }
    } else if (message.type === "recommendation.status") {
      field("status").forEach((el) => {
        el.textContent = statusLabel(data.status);
        el.className = `badge status-${data.status}`;
      });
      if (data.approved_version) field("approved").forEach((el) => { el.replaceChildren(...sentence(t("approved"), { n: data.approved_version })); });
      say("status", sentence(t("status-changed"), { status: statusLabel(data.status) }));
    } else if (message.type === "endorsement.created") {
      say(`endorsement-${data.organisation}`, sentence(t("endorsed"), { organisation: data.name, n: data.version }));
    } else if (message.type === "endorsement.withdrawn") {
      say(`endorsement-${data.organisation}`, sentence(t("endorsement-withdrawn"), { organisation: data.name }));
    }
  }

  function receive(message) {
    if (message.type === "presence") {
      renderPresence(presenceBox, message.data);
      emit(message);
      return;
    }
    if (typeof message.seq === "number") {
      if (message.seq <= lastSeq) return; // already shown (or part of the page as rendered)
      if (message.seq > lastSeq + 1) { catchUp(); return; } // a gap: fetch in order instead
      lastSeq = message.seq;
    }
    apply(message);
    emit(message);
  }

  async function catchUp() {
    if (catchingUp) return catchingUp;
    catchingUp = (async () => {
      try {
        let more = true;
        while (more) {
          const page = await getJSON(`/api/recommendations/${id}/events/?after=${lastSeq}`);
          for (const message of page.events) {
            if (message.seq > lastSeq) { lastSeq = message.seq; apply(message); emit(message); }
          }
          lastSeq = Math.max(lastSeq, page.last_seq);
          more = page.has_more;
        }
      } catch (error) {
        setState("closed", t("catchup"));
      } finally {
        catchingUp = null;
      }
    })();
    return catchingUp;
  }

  openLive(`/ws/recommendations/${id}/`, {
    onMessage: receive,
    onReconnect: catchUp,
    presenceState: () => (editing ? "editing" : "viewing"),
  });
}

function renderPresence(box, data) {
  if (!box || !data) return;
  const editing = new Set((data.editing || []).map((p) => p.user));
  const items = (data.viewing || []).map((p) => {
    const li = document.createElement("li");
    li.dataset.user = p.user;
    // People's names and organisations are their own text: isolated for direction.
    const name = document.createElement("bdi");
    name.textContent = p.name;
    li.append(name);
    if (p.organisation) {
      const organisation = document.createElement("bdi");
      organisation.textContent = p.organisation;
      li.append(" (", organisation, ")");
    }
    if (editing.has(p.user)) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = t("editing");
      li.append(" ", badge);
    }
    return li;
  });
  box.replaceChildren(...items);
}

// --- the list and home pages ----------------------------------------------------------------
function startOverview() {
  const update = (message) => {
    const data = message.data || {};
    document.querySelectorAll(`[data-recommendation="${message.recommendation}"]`).forEach((item) => {
      item.querySelectorAll('[data-field="status"]').forEach((el) => {
        if (data.status) { el.textContent = statusLabel(data.status); el.className = `badge status-${data.status}`; }
      });
      item.querySelectorAll('[data-field="version"]').forEach((el) => { if (data.version) el.textContent = data.version; });
      item.classList.add("changed");
    });
    emit(message);
  };
  const refresh = async () => {
    // After a reconnect, re-read the recommendations shown on this page.
    try {
      const page = await getJSON("/api/recommendations/");
      for (const rec of page.results) update({ recommendation: rec.id, data: rec });
    } catch (error) { /* stays as it is; the next event or a reload fixes it */ }
  };
  openLive("/ws/overview/", { onMessage: update, onReconnect: refresh });
}

const detail = document.querySelector(hook("recommendation"));
const editor = document.querySelector(`${hook("editor-form")}[data-recommendation]`);
if (detail) startRecommendation(detail, { editing: false });
else if (editor) startRecommendation(editor, { editing: true });
else if (document.querySelector("[data-live-overview]")) startOverview();
