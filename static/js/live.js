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
      if (presenceState) send({ type: "presence", state: presenceState() });
      timers.push(setInterval(() => {
        send({ type: "ping" });
        if (presenceState) send({ type: "heartbeat", state: presenceState() });
        if (Date.now() - lastHeard > SILENCE_MS) socket.close();
      }, HEARTBEAT_MS));
      if (reconnected && onReconnect) onReconnect();
    });
    socket.addEventListener("message", (event) => {
      lastHeard = Date.now();
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === "pong") return;
      onMessage(message);
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

// --- one recommendation: the detail page and the editor -------------------------------------
function startRecommendation(root, { editing }) {
  const id = root.dataset.recommendation;
  let lastSeq = Number(root.dataset.seq || 0);
  const banner = document.querySelector(hook("live-banner"));
  const presenceBox = document.querySelector(hook("presence"));
  const field = (name) => document.querySelectorAll(`[data-field="${name}"]`);
  let catchingUp = null;

  function showBanner(nodes) {
    if (!banner) return;
    banner.replaceChildren(...nodes);
    banner.hidden = false;
  }

  function text(value) { return document.createTextNode(value); }
  function link(href, label) { const a = document.createElement("a"); a.href = href; a.textContent = label; return a; }

  function apply(message) {
    const data = message.data || {};
    if (message.type === "recommendation.updated") {
      field("version").forEach((el) => { el.textContent = data.version; });
      if (editing) {
        showBanner(sentence(t("saved-editing"), { author: data.author, n: data.version }));
      } else {
        const from = Number(root.dataset.version);
        showBanner([
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
      if (!editing) showBanner([...sentence(t("status-changed"), { status: statusLabel(data.status) }), text(" "), link(window.location.pathname, t("refresh-actions"))]);
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
