// The co-editing Markdown editor (bundled into static/js/coedit.bundle.js by `make js`).
//
// It enhances a plain form: the <textarea name="body"> stays in the form (kept equal to the
// live text) and works as before without JavaScript. With it, CodeMirror 6 edits a Yjs text
// that the server keeps in its numbered log (docs/realtime.md, "Co-editing"); each person sees
// the others' carets with their name and organisation. The strict CSP holds: the editor lives
// in a shadow root, where CodeMirror's styles are constructed style sheets (no <style>
// element), and remote carets are coloured by classes (cm-remote-0 ... 7), never by style
// attributes. Every label comes from the page (data-t-* attributes, translated there).
import * as Y from "yjs";
import * as syncProtocol from "y-protocols/sync";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import { EditorState, Compartment, EditorSelection, RangeSet } from "@codemirror/state";
import {
  EditorView, keymap, drawSelection, highlightActiveLine, ViewPlugin, Decoration, WidgetType,
} from "@codemirror/view";
import { defaultKeymap, indentWithTab } from "@codemirror/commands";
import { markdown } from "@codemirror/lang-markdown";
import { syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const PING_MS = 10000;
const SILENCE_MS = 25000; // nothing heard (not even a pong) for this long: the link is dead
const RESYNC_MS = 30000;
const BATCH_MS = 40; // keystrokes within this long travel as one update // ask for anything missed, even when all looks quiet
// Close codes (docs/realtime.md): give up on these, reconnect (maybe read-only) on the others.
const FINAL_CLOSES = new Set([4400, 4401, 4403, 4404, 4413]);
const READ_ONLY_CLOSE = 4409;
const RATE_LIMITED_CLOSE = 4429;

function wsUrl(path) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${path}`;
}

// --- the connection: Yjs sync and awareness over one WebSocket -----------------------------
class Connection {
  constructor(path, doc, awareness, { onState, onWrite }) {
    this.path = path;
    this.doc = doc;
    this.awareness = awareness;
    this.onState = onState;
    this.onWrite = onWrite;
    this.socket = null;
    this.attempt = 0;
    this.sent = 0; // update messages sent on this socket
    this.acked = 0; // of which the server has stored
    this.dirty = false; // typed while no socket could take it
    this.writes = false;
    this.stopped = false;
    this.timers = [];
    this.lastHeard = 0;
    this.outgoing = []; // local updates of the last few milliseconds, sent as one
    this.flushTimer = null;
    doc.on("update", (update, origin) => {
      if (origin === this) return; // from the server
      if (!this.writes) return;
      if (this.isOpen()) {
        this.outgoing.push(update);
        if (this.flushTimer === null) this.flushTimer = setTimeout(() => this.flush(), BATCH_MS);
      } else {
        this.dirty = true;
      }
      this.report();
    });
    awareness.on("update", ({ added, updated, removed }, origin) => {
      if (origin === this || !this.writes || !this.isOpen()) return;
      const changed = added.concat(updated, removed).filter((id) => id === doc.clientID);
      if (!changed.length) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
      this.socket.send(encoding.toUint8Array(encoder));
    });
  }

  flush() {
    this.flushTimer = null;
    if (!this.outgoing.length) return;
    const updates = this.outgoing;
    this.outgoing = [];
    if (!this.isOpen()) { this.dirty = true; return; } // sent with the next sync
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, updates.length === 1 ? updates[0] : Y.mergeUpdates(updates));
    this.sendUpdate(encoding.toUint8Array(encoder));
  }

  isOpen() { return this.socket !== null && this.socket.readyState === WebSocket.OPEN; }

  saved() {
    return this.isOpen() && !this.dirty && !this.outgoing.length && this.acked >= this.sent;
  }

  report() {
    if (this.stopped) return;
    if (!this.isOpen()) this.onState(this.dirty ? "offline-unsaved" : "offline");
    else if (!this.writes) this.onState("read-only");
    else this.onState(this.saved() ? "saved" : "saving");
  }

  sendUpdate(data) {
    this.sent += 1;
    this.socket.send(data);
  }

  connect() {
    if (this.stopped) return;
    this.onState(this.dirty ? "offline-unsaved" : "connecting");
    const socket = new WebSocket(wsUrl(this.path));
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    this.sent = 0;
    this.acked = 0;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.lastHeard = Date.now();
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(encoder, this.doc);
      socket.send(encoding.toUint8Array(encoder));
      this.timers.push(setInterval(() => {
        if (!this.isOpen()) return;
        socket.send(JSON.stringify({ type: "ping" }));
        if (Date.now() - this.lastHeard > SILENCE_MS) socket.close();
      }, PING_MS));
      this.timers.push(setInterval(() => {
        if (!this.isOpen()) return;
        const step1 = encoding.createEncoder();
        encoding.writeVarUint(step1, MESSAGE_SYNC);
        syncProtocol.writeSyncStep1(step1, this.doc);
        socket.send(encoding.toUint8Array(step1));
      }, RESYNC_MS));
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", (event) => this.closed(event.code));
  }

  receive(data) {
    this.lastHeard = Date.now();
    if (typeof data === "string") {
      let message;
      try { message = JSON.parse(data); } catch { return; }
      if (message.type === "hello") {
        this.writes = Boolean(message.write);
        this.onWrite(this.writes, message.user);
        if (this.writes) this.awareness.setLocalStateField("user", message.user);
      } else if (message.type === "saved") {
        this.acked = Math.max(this.acked, message.acked || 0);
      }
      this.report();
      return;
    }
    // One frame may carry several messages one after the other: the server sends the
    // updates it stored together (a few people typing within 30 ms) in one frame.
    const decoder = decoding.createDecoder(new Uint8Array(data));
    while (decoding.hasContent(decoder)) {
      const kind = decoding.readVarUint(decoder);
      if (kind === MESSAGE_SYNC) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
        if (syncType === syncProtocol.messageYjsSyncStep1 && this.writes) {
          // The server asks for what it lacks: everything typed here, offline edits included.
          this.sendUpdate(encoding.toUint8Array(encoder));
          this.dirty = false;
          const state = this.awareness.getLocalState();
          if (state) this.awareness.setLocalState(state); // announce the caret again
        }
      } else if (kind === MESSAGE_AWARENESS) {
        awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
      } else {
        break; // not ours: nothing after it can be read
      }
    }
    this.report();
  }

  closed(code) {
    this.timers.forEach(clearInterval);
    this.timers = [];
    this.socket = null;
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
    if (this.stopped) return;
    if (this.sent > this.acked || this.outgoing.length) this.dirty = true; // sent again
    this.outgoing = [];
    if (FINAL_CLOSES.has(code)) {
      this.stopped = true;
      this.onState(code === 4401 || code === 4403 ? "no-access" : "error");
      return;
    }
    this.report();
    let delay;
    if (code === READ_ONLY_CLOSE) delay = 100;
    else if (code === RATE_LIMITED_CLOSE) delay = 5000 + Math.random() * 5000;
    else delay = Math.random() * Math.min(30000, 500 * 2 ** this.attempt); // full jitter
    this.attempt += 1;
    setTimeout(() => this.connect(), delay);
  }
}

// --- remote carets and selections, coloured by class -----------------------------------------
class CaretWidget extends WidgetType {
  constructor(colour, label) { super(); this.colour = colour; this.label = label; }
  eq(other) { return other.colour === this.colour && other.label === this.label; }
  toDOM() {
    const caret = document.createElement("span");
    caret.className = `cm-remote-caret cm-remote-${this.colour}`;
    caret.setAttribute("aria-hidden", "true");
    const info = document.createElement("span");
    info.className = "cm-remote-name";
    info.textContent = this.label; // text, never markup
    info.dir = "auto";
    caret.append("\u2060", info, "\u2060");
    return caret;
  }
  ignoreEvent() { return true; }
}

function remoteSelections(ytext, awareness) {
  const colourOf = (user) => (Number.isInteger(user && user.colour) ? user.colour % 8 : 0);
  return ViewPlugin.fromClass(class {
    constructor(view) {
      this.decorations = RangeSet.empty;
      this.listener = ({ added, updated, removed }) => {
        const ids = added.concat(updated, removed);
        if (ids.some((id) => id !== awareness.doc.clientID)) view.dispatch({});
      };
      awareness.on("change", this.listener);
    }
    destroy() { awareness.off("change", this.listener); }
    update(update) {
      const local = awareness.getLocalState();
      if (local && local.user && update.view.hasFocus) {
        const sel = update.state.selection.main;
        const anchor = Y.createRelativePositionFromTypeIndex(ytext, sel.anchor);
        const head = Y.createRelativePositionFromTypeIndex(ytext, sel.head);
        const current = local.cursor;
        if (!current || !Y.compareRelativePositions(Y.createRelativePositionFromJSON(current.anchor), anchor)
            || !Y.compareRelativePositions(Y.createRelativePositionFromJSON(current.head), head)) {
          awareness.setLocalStateField("cursor", { anchor, head });
        }
      }
      const ranges = [];
      const length = update.state.doc.length;
      awareness.getStates().forEach((state, id) => {
        if (id === awareness.doc.clientID || !state.cursor || !state.user) return;
        const anchor = Y.createAbsolutePositionFromRelativePosition(state.cursor.anchor, ytext.doc);
        const head = Y.createAbsolutePositionFromRelativePosition(state.cursor.head, ytext.doc);
        if (!anchor || !head || anchor.type !== ytext || head.type !== ytext) return;
        const colour = colourOf(state.user);
        const from = Math.min(anchor.index, head.index, length);
        const to = Math.min(Math.max(anchor.index, head.index), length);
        if (to > from) {
          ranges.push(Decoration.mark({ class: `cm-remote-selection cm-remote-${colour}` }).range(from, to));
        }
        const label = state.user.organisation ? `${state.user.name} · ${state.user.organisation}` : `${state.user.name}`;
        ranges.push(Decoration.widget({ widget: new CaretWidget(colour, label), side: 1 }).range(Math.min(head.index, length)));
      });
      this.decorations = Decoration.set(ranges, true);
    }
  }, { decorations: (plugin) => plugin.decorations });
}

// The editor's own look (inside the shadow root: constructed style sheets, allowed by the CSP).
const COLOURS = [[27, 106, 201], [179, 38, 30], [30, 125, 50], [142, 36, 170], [194, 94, 0], [0, 121, 107], [173, 20, 87], [93, 64, 55]];
const remoteTheme = {};
COLOURS.forEach(([r, g, b], i) => {
  remoteTheme[`.cm-remote-caret.cm-remote-${i}`] = { borderColor: `rgb(${r}, ${g}, ${b})` };
  remoteTheme[`.cm-remote-caret.cm-remote-${i} .cm-remote-name`] = { backgroundColor: `rgb(${r}, ${g}, ${b})` };
  remoteTheme[`.cm-remote-selection.cm-remote-${i}`] = { backgroundColor: `rgba(${r}, ${g}, ${b}, 0.2)` };
});
const theme = EditorView.theme({
  "&": { fontSize: "1rem", border: "1px solid rgb(138, 143, 152)", borderRadius: "4px", backgroundColor: "white", color: "rgb(29, 35, 48)" },
  "&.cm-focused": { outline: "3px solid rgb(27, 106, 201)", outlineOffset: "1px" },
  ".cm-content": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", minHeight: "18rem", padding: "1.4rem 0 0.5rem", lineHeight: "1.6" },
  ".cm-line": { padding: "0 0.75rem" },
  ".cm-scroller": { overflow: "auto", maxHeight: "70vh" },
  ".cm-remote-caret": { position: "relative", borderLeft: "2px solid", marginLeft: "-1px", marginRight: "-1px" },
  ".cm-remote-name": {
    position: "absolute", top: "-1.35em", insetInlineStart: "-2px", fontSize: "0.75em", lineHeight: "1.3",
    color: "white", padding: "0 0.3em", borderRadius: "3px", whiteSpace: "nowrap", fontFamily: "system-ui, sans-serif",
    userSelect: "none", pointerEvents: "none", zIndex: "5",
  },
  ...remoteTheme,
});

// --- Markdown commands (toolbar and shortcuts) ----------------------------------------------
function wrap(mark, placeholder) {
  return (view) => {
    if (view.state.readOnly) return false;
    view.dispatch(view.state.changeByRange((range) => {
      const text = view.state.sliceDoc(range.from, range.to) || placeholder;
      const insert = `${mark}${text}${mark}`;
      return {
        changes: { from: range.from, to: range.to, insert },
        range: EditorSelection.range(range.from + mark.length, range.from + mark.length + text.length),
      };
    }));
    view.focus();
    return true;
  };
}

function prefixLines(prefix) {
  return (view) => {
    if (view.state.readOnly) return false;
    const changes = [];
    const seen = new Set();
    for (const range of view.state.selection.ranges) {
      for (let pos = range.from; pos <= range.to;) {
        const line = view.state.doc.lineAt(pos);
        if (!seen.has(line.number)) {
          seen.add(line.number);
          if (line.text.startsWith(prefix)) changes.push({ from: line.from, to: line.from + prefix.length });
          else changes.push({ from: line.from, insert: prefix });
        }
        pos = line.to + 1;
      }
    }
    view.dispatch({ changes });
    view.focus();
    return true;
  };
}

function link(placeholder) {
  return (view) => {
    if (view.state.readOnly) return false;
    view.dispatch(view.state.changeByRange((range) => {
      const text = view.state.sliceDoc(range.from, range.to) || placeholder;
      const insert = `[${text}](https://)`;
      const urlStart = range.from + text.length + 3;
      return { changes: { from: range.from, to: range.to, insert }, range: EditorSelection.range(urlStart, urlStart + 8) };
    }));
    view.focus();
    return true;
  };
}

// --- the page --------------------------------------------------------------------------------
function mount(root) {
  const i18n = (name) => root.dataset[`t${name}`] || "";
  const form = root.closest("form");
  const textarea = form ? form.querySelector("textarea[name=body]") : null;
  const host = root.querySelector('[data-js="coedit-host"]');
  const status = root.querySelector('[data-js="coedit-status"]');
  const toolbar = root.querySelector('[data-js="coedit-toolbar"]');
  if (textarea) textarea.after(root); // the editor takes the textarea's place in the form
  const doc = new Y.Doc();
  const ytext = doc.getText("body");
  const awareness = new awarenessProtocol.Awareness(doc);
  const undoManager = new Y.UndoManager(ytext);
  const editable = new Compartment();
  const commands = {
    heading: prefixLines("## "),
    bold: wrap("**", i18n("Placeholder")),
    italic: wrap("_", i18n("Placeholder")),
    list: prefixLines("- "),
    link: link(i18n("Placeholder")),
    quote: prefixLines("> "),
  };
  const shadow = host.attachShadow({ mode: "open" });
  const view = new EditorView({
    root: shadow,
    parent: shadow,
    state: EditorState.create({
      doc: "",
      extensions: [
        editable.of([EditorState.readOnly.of(true), EditorView.editable.of(false)]),
        keymap.of([
          { key: "Mod-b", run: commands.bold },
          { key: "Mod-i", run: commands.italic },
          { key: "Mod-k", run: commands.link },
          ...yUndoManagerKeymap,
          ...defaultKeymap,
          indentWithTab,
        ]),
        drawSelection(),
        highlightActiveLine(),
        EditorView.lineWrapping,
        EditorView.perLineTextDirection.of(true),
        EditorView.contentAttributes.of({ "aria-label": i18n("Label"), "aria-multiline": "true", dir: "auto", lang: root.dataset.lang || "" }),
        markdown(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        yCollab(ytext, null, { undoManager }),
        remoteSelections(ytext, awareness),
        theme,
        EditorView.updateListener.of((update) => {
          if (update.docChanged && textarea) {
            textarea.value = update.state.doc.toString();
            textarea.dispatchEvent(new Event("input")); // the preview follows (editor.js)
          }
        }),
      ],
    }),
  });
  const setWritable = (writes) => {
    view.dispatch({ effects: editable.reconfigure(writes ? [] : [EditorState.readOnly.of(true), EditorView.editable.of(false)]) });
    if (toolbar) toolbar.querySelectorAll("button[data-command]").forEach((b) => { b.disabled = !writes; });
    root.dataset.writes = writes ? "true" : "false";
  };
  let state = "connecting";
  const connection = new Connection(root.dataset.coeditUrl, doc, awareness, {
    onState: (next) => {
      state = next;
      root.dataset.state = next;
      const labels = {
        connecting: i18n("Connecting"), saving: i18n("Saving"), saved: i18n("Saved"),
        offline: i18n("Offline"), "offline-unsaved": i18n("OfflineUnsaved"), "read-only": i18n("ReadOnly"),
        "no-access": i18n("NoAccess"), error: i18n("Error"),
      };
      if (status) status.textContent = labels[next] || "";
      if (next === "saved" && pendingSubmit) { pendingSubmit = false; form.requestSubmit(submitter); }
    },
    onWrite: setWritable,
  });
  if (toolbar) {
    toolbar.hidden = false;
    const layout = root.closest('[data-js="editor-layout"]');
    if (layout) layout.dataset.tab = "write"; // narrow screens: the preview is a tab
    toolbar.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-command]");
      if (button && commands[button.dataset.command]) commands[button.dataset.command](view);
      const tab = event.target.closest("button[data-tab]");
      if (tab) {
        const editor = root.closest('[data-js="editor-layout"]') || document.body;
        editor.dataset.tab = tab.dataset.tab;
        toolbar.querySelectorAll("button[data-tab]").forEach((b) => b.setAttribute("aria-pressed", String(b === tab)));
      }
    });
  }
  if (textarea) {
    textarea.hidden = true;
    textarea.setAttribute("aria-hidden", "true");
    let live = form.querySelector("input[name=live]");
    if (!live) {
      live = document.createElement("input");
      live.type = "hidden";
      live.name = "live";
      form.append(live);
    }
    live.value = "1";
  }
  host.hidden = false;
  // "Save as version" cuts the version from what the server holds: wait until all is saved.
  let pendingSubmit = false;
  let submitter = null;
  if (form) {
    form.addEventListener("submit", (event) => {
      if (connection.writes && !connection.saved()) {
        event.preventDefault();
        pendingSubmit = true;
        submitter = event.submitter || null;
        if (status) status.textContent = i18n("WaitSave");
      }
    });
  }
  window.addEventListener("beforeunload", (event) => {
    if (pendingSubmit || !connection.writes || state === "saved") return;
    if (connection.dirty || connection.sent > connection.acked) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  connection.connect();
  // For tests and the benchmark: the text and the save state, read-only.
  root.coedit = { text: () => ytext.toString(), state: () => state, view };
}

document.querySelectorAll('[data-js="coedit"]').forEach((root) => {
  if (root.dataset.lazy === "true") {
    const details = root.closest("details");
    if (details) {
      const once = () => { if (details.open && !root.coedit) mount(root); };
      details.addEventListener("toggle", once);
      once();
      return;
    }
  }
  mount(root);
});
