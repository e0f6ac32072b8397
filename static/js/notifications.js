// The bell: the person's own socket (/ws/notifications/) raises the unread count the moment a
// notification is created, and says it to screen readers. And the mention autocomplete in
// comment boxes: "@ly" offers organisations and people, arrow keys choose, Enter or Tab takes
// one, Escape closes; someone who cannot see the text is flagged before posting.
import { getJSON } from "./http.js";

const hook = (name) => `[data-js="${name}"]`;

function startBell() {
  const bell = document.querySelector(hook("bell"));
  if (!bell) return;
  const count = bell.querySelector(hook("bell-count"));
  const label = bell.querySelector(hook("bell-label"));
  const live = document.querySelector(hook("bell-live"));
  // A page with its own live region (a recommendation) says everything there, throttled: the
  // bell's region stays quiet so nothing is said twice.
  const pageRegion = document.querySelector(hook("live-banner"));
  if (pageRegion && live) {
    live.removeAttribute("role");
    live.removeAttribute("aria-live");
  }
  let attempt = 0;

  function show(n) {
    count.textContent = String(n);
    count.hidden = n === 0;
    if (label) label.textContent = label.textContent.replace(/\d+/, String(n));
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${window.location.host}${bell.dataset.ws}`);
    let pinger = null;
    socket.addEventListener("open", () => {
      attempt = 0;
      pinger = setInterval(() => socket.send(JSON.stringify({ type: "ping" })), 20000);
    });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type !== "notification.created" || !message.data) return;
      show(Number(message.data.unread_count) || 0);
      if (pageRegion) {
        const detail = { kind: "notification", text: message.data.text };
        document.dispatchEvent(new CustomEvent("live:announce", { detail }));
      } else if (live) {
        live.textContent = message.data.text;
      }
      document.dispatchEvent(new CustomEvent("notifications:created", { detail: message.data }));
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pinger);
      if (event.code === 4401 || event.code === 4403) return; // signed out or refused
      attempt += 1;
      const wait = Math.min(30000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
      setTimeout(connect, wait);
    });
  }
  connect();
}

const MENTION_AT_END = /(^|[\s(])@([A-Za-z0-9_.-]{0,80})$/;

function startMentions() {
  document.querySelectorAll("textarea[name=body]").forEach((area) => {
    const section = area.closest("[data-recommendation]");
    if (!section) return;
    const rec = section.dataset.recommendation;
    const list = document.createElement("ul");
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    list.id = `mentions-${area.id || Math.random().toString(36).slice(2)}`;
    const warning = document.createElement("p");
    warning.className = "mention-warning";
    warning.setAttribute("role", "status");
    warning.setAttribute("aria-live", "polite");
    area.after(list, warning);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    let options = [];
    let active = -1;
    let timer = null;
    const cannotSee = new Set();

    function close() { list.hidden = true; options = []; active = -1; area.removeAttribute("aria-activedescendant"); }

    function choose(i) {
      const option = options[i];
      if (!option) return;
      const before = area.value.slice(0, area.selectionStart);
      const after = area.value.slice(area.selectionStart);
      const replaced = before.replace(MENTION_AT_END, (m, lead) => `${lead}@${option.name} `);
      area.value = replaced + after;
      area.selectionStart = area.selectionEnd = replaced.length;
      if (!option.can_see) cannotSee.add(option.name);
      updateWarning();
      close();
    }

    function updateWarning() {
      const named = [...cannotSee].filter((n) => area.value.toLowerCase().includes(`@${n.toLowerCase()}`));
      warning.textContent = named.length ? `${area.dataset.mentionWarning || "Cannot see this text:"} ${named.map((n) => `@${n}`).join(", ")}` : "";
    }

    function render() {
      list.replaceChildren(...options.map((o, i) => {
        const li = document.createElement("li");
        li.id = `${list.id}-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === active));
        li.textContent = `@${o.name} · ${o.label}${o.can_see ? "" : " ⚠"}`;
        li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(i); });
        return li;
      }));
      list.hidden = options.length === 0;
      if (active >= 0) area.setAttribute("aria-activedescendant", `${list.id}-${active}`);
    }

    // Names typed in full (not chosen from the list) are checked too, once each.
    const checked = new Set();
    let checkTimer = null;
    function checkTyped() {
      const names = [...area.value.matchAll(/(?:^|[\s(])@([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9])(?=[\s,.;:!?)]|$)/g)].map((m) => m[1].toLowerCase());
      names.filter((n) => !checked.has(n)).slice(0, 5).forEach(async (name) => {
        checked.add(name);
        try {
          const found = await getJSON(`/api/recommendations/${rec}/mentions/?q=${encodeURIComponent(name)}`);
          const exact = found.find((o) => o.name.toLowerCase() === name);
          if (exact && !exact.can_see) { cannotSee.add(exact.name); updateWarning(); }
        } catch { /* the warning is a courtesy: posting still works */ }
      });
    }

    area.addEventListener("input", () => {
      updateWarning();
      clearTimeout(checkTimer);
      checkTimer = setTimeout(checkTyped, 400);
      const match = area.value.slice(0, area.selectionStart).match(MENTION_AT_END);
      clearTimeout(timer);
      if (!match) { close(); return; }
      timer = setTimeout(async () => {
        try {
          options = await getJSON(`/api/recommendations/${rec}/mentions/?q=${encodeURIComponent(match[2])}`);
        } catch { options = []; }
        active = options.length ? 0 : -1;
        render();
      }, 150);
    });
    area.addEventListener("keydown", (e) => {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { active = (active + 1) % options.length; render(); e.preventDefault(); }
      else if (e.key === "ArrowUp") { active = (active - 1 + options.length) % options.length; render(); e.preventDefault(); }
      else if (e.key === "Enter" || e.key === "Tab") { if (active >= 0) { choose(active); e.preventDefault(); } }
      else if (e.key === "Escape") { close(); e.preventDefault(); }
    });
    area.addEventListener("blur", () => setTimeout(close, 100));
  });
}

startBell();
startMentions();
