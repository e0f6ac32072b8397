// Comments on the recommendation page: a comment control beside each paragraph, "Comment on
// selection", posting without a reload (what was typed is kept when a post fails), a filter,
// and live updates from live.js ("live:event" on document). Everything the page inserts is
// either server-rendered HTML of our own templates (comment text already sanitised by the
// server) or textContent: user text is never interpolated into HTML here.
// Elements are found by their data-js hooks (and data-comment / data-anchor), never by id: user
// text may hold headings named like any id of the page (DOM clobbering).
import { postForm, getJSON, csrfToken } from "./http.js";

const hook = (name) => `[data-js="${name}"]`;
const root = document.querySelector(hook("comments"));
if (root) init(root);

function init(root) {
  const recommendation = Number(root.dataset.recommendation);
  const t = {
    comment: root.dataset.tComment,
    selection: root.dataset.tSelection,
    posted: root.dataset.tPosted,
    done: root.dataset.tDone,
    updated: root.dataset.tUpdated,
    offline: root.dataset.tOffline,
    refused: root.dataset.tRefused,
    paraButton: root.dataset.tParaButton,
    paraButtonClosed: root.dataset.tParaButtonClosed,
  };
  const canComment = root.dataset.canComment === "true";
  const text = document.querySelector(hook("text"));
  const filterSelect = document.querySelector(hook("comment-filter"));
  const pending = new Map();
  let lastSelection = null;

  const fragmentUrl = (id) => root.dataset.fragmentUrl.replace("/0/", `/${Number(id)}/`);
  // Everything is said through the page's one polite live region (live.js throttles it).
  const announce = (message, kind = "comments") => {
    document.dispatchEvent(new CustomEvent("live:announce", { detail: { kind, text: message } }));
  };
  const normalise = (value) => value.replace(/\s+/g, " ").trim();
  const groupOf = (key) =>
    document.querySelector(`${hook("para-comments")}[data-anchor="${CSS.escape(String(key))}"]`);
  const commentItem = (id) =>
    document.querySelector(`${hook("comment")}[data-comment="${Number(id)}"]`);

  // --- the comments' count beside each paragraph's number (¶4), in the margin -------------
  // The count's words follow the page language's plural rules (one phrase per CLDR category,
  // taken from the server's catalogue: core/plurals.py).
  const countPhrases = JSON.parse(root.dataset.tCountWords || "{}");
  const pluralRules = new Intl.PluralRules(document.documentElement.lang || "en");
  const fill = (template, values) =>
    (template || "").replace(/\{(\w+)\}/g, (_m, key) => String(values[key] ?? ""));
  const countWords = (n) =>
    fill(countPhrases[pluralRules.select(n)] || countPhrases.other || "{n}", { n });
  const toolbars = new Map();

  function labelToggle(bar, n) {
    const label = fill(bar.canCompose ? t.paraButton : t.paraButtonClosed, {
      p: bar.number,
      count: countWords(n),
    });
    bar.toggle.setAttribute("aria-label", label);
    bar.toggle.title = label;
    bar.toggle.dataset.count = String(n);
    bar.count.textContent = String(n);
  }

  function bubble() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M2 2h12v9H6l-3 3v-3H2z");
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "1.5");
    svg.append(path);
    return svg;
  }

  if (text) {
    for (const para of text.querySelectorAll(".para[data-key]")) {
      const key = para.dataset.key;
      const group = groupOf(key);
      if (!group) continue;
      const margin = para.querySelector(':scope > [data-js="para-margin"]');
      const compose = group.querySelector("details.compose");
      if (!margin || (!compose && Number(group.dataset.count || 0) === 0)) {
        // A heading (with comments made before headings closed), or nothing to show or write.
        para.after(group);
        group.classList.add("is-inline");
        continue;
      }
      const toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "para-comment-toggle";
      toggle.setAttribute("aria-controls", group.id);
      toggle.setAttribute("aria-expanded", "false");
      const count = document.createElement("span");
      count.className = "count";
      toggle.append(bubble(), count);
      margin.append(toggle);
      const bar = {
        toggle,
        count,
        fromSelection: null,
        number: para.dataset.number,
        canCompose: Boolean(compose),
      };
      labelToggle(bar, Number(group.dataset.count || 0));
      if (compose) {
        // "Comment on selection" shows under the paragraph while text of it is selected.
        const tools = document.createElement("div");
        tools.className = "para-tools";
        tools.lang = group.lang; // the reader's language and direction, not the text's
        tools.dir = group.dir;
        tools.dataset.for = key;
        const fromSelection = document.createElement("button");
        fromSelection.type = "button";
        fromSelection.className = "comment-selection";
        fromSelection.hidden = true;
        fromSelection.textContent = t.selection;
        // Keep the selection when the button is pressed with a mouse.
        fromSelection.addEventListener("mousedown", (event) => event.preventDefault());
        fromSelection.addEventListener("click", () => {
          const quote = group.querySelector("input[name=quote]");
          if (quote && lastSelection && lastSelection.key === key) quote.value = lastSelection.text;
          openCompose(group, toggle);
        });
        tools.append(fromSelection);
        para.after(tools);
        bar.fromSelection = fromSelection;
      }
      toggle.addEventListener("click", () => {
        const open = !group.hidden && (!compose || compose.open);
        if (open) {
          if (compose) compose.open = false;
          if (Number(group.dataset.count || 0) === 0) group.hidden = true;
          toggle.setAttribute("aria-expanded", "false");
        } else {
          openCompose(group, toggle);
        }
      });
      const after = para.nextElementSibling;
      (after && after.classList.contains("para-tools") ? after : para).after(group);
      group.classList.add("is-inline");
      toolbars.set(key, bar);
    }
  }

  function openCompose(group, toggle) {
    group.hidden = false;
    const compose = group.querySelector("details.compose");
    if (compose) {
      compose.open = true;
      const body = compose.querySelector("textarea[name=body]");
      if (body) body.focus();
    }
    if (toggle) toggle.setAttribute("aria-expanded", "true");
  }

  // --- "Comment on selection" ---------------------------------------------------------------
  const paraOf = (node) => {
    const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return element ? element.closest(`${hook("text")} .para[data-key]`) : null;
  };
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    let target = null;
    if (selection && !selection.isCollapsed && selection.rangeCount) {
      const range = selection.getRangeAt(0);
      const start = paraOf(range.startContainer);
      if (start && start === paraOf(range.endContainer)) target = start;
    }
    if (target) {
      const quoted = normalise(selection.toString()).slice(0, 500);
      lastSelection = quoted ? { key: target.dataset.key, text: quoted } : null;
    }
    for (const [key, bar] of toolbars) {
      if (bar.fromSelection) bar.fromSelection.hidden = !(target && target.dataset.key === key);
    }
  });

  // --- folded threads -------------------------------------------------------------------------
  // A long discussion shows each thread's first comment; its replies wait behind "Show the N
  // replies" (data-js=folded: the thread in data-thread, the replies' ids in data-ids), a link
  // to the page with that thread open, fetched in place here instead.
  const showReplies = JSON.parse(root.dataset.tShowReplies || "{}");
  const foldHolding = (id) =>
    document.querySelector(`${hook("folded")}[data-ids~="${Number(id)}"]`);
  const foldUnder = (id) =>
    document.querySelector(`${hook("folded")}[data-thread="${Number(id)}"]`) || foldHolding(id);
  const foldedIn = (scope) =>
    [...scope.querySelectorAll(hook("folded"))].reduce(
      (n, fold) => n + Number(fold.dataset.count || 0),
      0,
    );

  function addToFold(fold, id) {
    const ids = (fold.dataset.ids || "").split(" ").filter(Boolean);
    if (ids.includes(String(id))) return;
    ids.push(String(id));
    fold.dataset.ids = ids.join(" ");
    fold.dataset.count = String(ids.length);
    const link = fold.querySelector("a");
    const n = ids.length;
    const words = showReplies[pluralRules.select(n)] || showReplies.other || "{n}";
    if (link) link.textContent = fill(words, { n });
  }

  const unfolding = new WeakMap();
  function unfold(fold) {
    if (!unfolding.has(fold)) unfolding.set(fold, openFold(fold));
    return unfolding.get(fold);
  }

  // The thread as the server renders it now for this viewer; its replies replace the fold.
  async function openFold(fold) {
    fold.setAttribute("aria-busy", "true");
    let data;
    try {
      data = await getJSON(`${fragmentUrl(fold.dataset.thread)}?replies=all`);
    } catch (error) {
      fold.removeAttribute("aria-busy");
      unfolding.delete(fold); // tried again when asked again
      announce(t.offline);
      return false;
    }
    if (!fold.isConnected) return false;
    const template = document.createElement("template");
    template.innerHTML = data.html.trim(); // rendered by our own template for this viewer
    const thread = template.content.firstElementChild;
    const replies = thread && thread.querySelector(":scope > ol.replies");
    const expected = (fold.dataset.ids || "").split(" ").filter(Boolean);
    if (replies) {
      fold.replaceWith(replies);
      for (const item of replies.querySelectorAll(hook("comment"))) decorate(item);
    } else {
      fold.remove();
    }
    // A reply that arrived while the thread was fetched is fetched on its own.
    for (const id of expected) if (!commentItem(id)) upsert(id).catch(() => null);
    recount();
    applyFilter();
    return true;
  }

  // Take the person to a comment, opening its thread first if it is folded.
  async function reveal(id) {
    let item = commentItem(id);
    const fold = !item && foldHolding(id);
    if (fold && (await unfold(fold))) item = commentItem(id);
    if (!item) return;
    item.scrollIntoView({ block: "start" });
    if (!item.hasAttribute("tabindex")) item.setAttribute("tabindex", "-1");
    item.focus({ preventScroll: true });
  }

  const linkedComment = () => {
    const found = /^#comment-(\d+)$/.exec(window.location.hash);
    return found ? Number(found[1]) : null;
  };
  window.addEventListener("hashchange", () => {
    const id = linkedComment();
    if (id && !commentItem(id)) reveal(id);
  });

  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (event.altKey || !(event.target instanceof Element)) return;
    const link = event.target.closest(`${hook("folded")} > a, a[data-unfold]`);
    if (!link) return;
    event.preventDefault();
    if (link.dataset.unfold) {
      // "see the comment" in the responses: the thread opens, the address names the comment.
      const id = Number(link.dataset.unfold);
      window.history.replaceState(null, "", link.hash);
      reveal(id);
      return;
    }
    const fold = link.parentElement;
    const first = Number((fold.dataset.ids || "").split(" ")[0]);
    if (first) reveal(first);
    else unfold(fold);
  });

  // --- counts and the filter ----------------------------------------------------------------
  const countIn = (scope) => scope.querySelectorAll(".comment-item").length + foldedIn(scope);

  function recount() {
    for (const group of document.querySelectorAll(hook("para-comments"))) {
      const n = countIn(group);
      group.dataset.count = String(n);
      const heading = group.querySelector("h3 [data-field=count-words]");
      if (heading) heading.textContent = countWords(n);
      const bar = toolbars.get(group.dataset.anchor);
      if (bar) labelToggle(bar, n);
    }
    const general = document.querySelector(hook("general-comments"));
    if (general) {
      const n = countIn(general);
      const field = general.querySelector("h3 [data-field=count]");
      if (field) field.textContent = String(n);
    }
    const total =
      document.querySelectorAll(
        `${hook("comments")} ${hook("comment")}, ${hook("para-comments")} ${hook("comment")}`,
      ).length + foldedIn(document);
    const totalField = root.querySelector("[data-field=comment-total]");
    if (totalField) totalField.textContent = String(total);
    const none = root.querySelector("[data-field=no-comments]");
    if (none && total) none.remove();
  }

  function matches(item, wanted) {
    if (wanted === "open") return item.dataset.status === "open";
    if (wanted === "resolved") return item.dataset.status === "resolved";
    if (wanted === "outdated") return item.dataset.outdated === "true";
    return true;
  }

  function applyFilter() {
    const wanted = filterSelect ? filterSelect.value : "all";
    // Paragraph groups live beside their paragraphs, outside the section: look everywhere.
    for (const item of document.querySelectorAll("li.thread")) item.hidden = !matches(item, wanted);
  }

  if (filterSelect) {
    const form = filterSelect.form;
    const change = (event) => {
      if (event) event.preventDefault();
      applyFilter();
      const url = new URL(window.location.href);
      url.searchParams.set("comments", filterSelect.value);
      window.history.replaceState(null, "", url);
    };
    filterSelect.addEventListener("change", () => change());
    if (form) form.addEventListener("submit", change);
  }

  // --- a comment's tools --------------------------------------------------------------------
  // The page carries each tool's form once, in a <template>; a comment says which of them this
  // viewer may use (data-tools) and links to its action page, which is the way without a script.
  const toolForms = root.querySelector(hook("comment-tool-forms"));
  const commentUrl = (id) => root.dataset.commentUrl.replace("/0/", `/${Number(id)}/`);
  const forComment = (value, id) => value.replace("/0/", `/${id}/`);

  async function prefill(tool, name, id) {
    if (tool.dataset.filled) return;
    tool.dataset.filled = "true";
    let data;
    try {
      data = await getJSON(commentUrl(id));
    } catch (error) {
      delete tool.dataset.filled; // tried again when opened again
      return;
    }
    const form = tool.querySelector("form");
    if (!form) return;
    // defaultValue: what the person already typed (the field's value) is left alone.
    if (name === "edit" && form.elements.body) form.elements.body.defaultValue = data.body || "";
    if (name === "respond" && data.response) {
      for (const radio of form.querySelectorAll("input[name=status]")) {
        radio.defaultChecked = radio.value === data.response.status;
      }
      if (form.elements.reason) form.elements.reason.defaultValue = data.response.reason || "";
    }
  }

  function decorate(item) {
    const tools = item.querySelector(":scope > article > .comment-tools");
    if (!tools || !toolForms || tools.dataset.ready) return;
    const id = Number(item.dataset.comment);
    const answered = item.querySelector(":scope > article > .comment-view [data-field=response]");
    const built = [];
    for (const name of (tools.dataset.tools || "").split(" ")) {
      const source = name && toolForms.content.querySelector(`[data-tool="${CSS.escape(name)}"]`);
      if (!source) continue;
      const tool = source.cloneNode(true);
      for (const element of [tool, ...tool.querySelectorAll("*")]) {
        if (element.hasAttribute("action")) {
          element.setAttribute("action", forComment(element.getAttribute("action"), id));
        }
        if (element.dataset.api) element.dataset.api = forComment(element.dataset.api, id);
        if (element.id) element.id = element.id.replace(/-0$/, `-${id}`);
        if (element.htmlFor) element.htmlFor = element.htmlFor.replace(/-0$/, `-${id}`);
        if (element.name === "parent") element.defaultValue = String(id);
      }
      const summary = tool.querySelector("summary");
      if (name === "respond" && answered && summary) summary.textContent = summary.dataset.labelChange;
      if (name === "edit" || name === "respond") {
        tool.addEventListener("toggle", () => {
          if (tool.open) prefill(tool, name, id);
        });
      }
      built.push(tool);
    }
    const link = tools.querySelector(":scope > a"); // to the action page, for no script
    if (link && built.length) link.replaceWith(...built);
    tools.dataset.ready = "true";
  }

  // --- inserting and updating comments ------------------------------------------------------
  function place(item, data) {
    if (data.parent) {
      const parent = commentItem(data.parent);
      let replies = parent && parent.querySelector(":scope > ol.replies");
      if (parent && !replies) {
        replies = document.createElement("ol"); // a comment without replies has no list
        replies.className = "replies";
        parent.append(replies);
      }
      if (replies) {
        replies.append(item);
        return;
      }
    }
    let list = null;
    if (data.outdated) {
      const outdated = document.querySelector(hook("outdated-comments"));
      if (outdated) {
        outdated.hidden = false;
        list = outdated.querySelector("ol.threads");
      }
    } else if (data.anchor) {
      const group = groupOf(data.anchor);
      if (group) {
        group.hidden = false;
        list = group.querySelector("ol.threads");
      }
    }
    if (!list) list = document.querySelector(`${hook("general-comments")} ol.threads`);
    if (list) list.append(item);
  }

  // A part of a comment with a field the user is typing in is left alone.
  const busy = (element) =>
    [...element.querySelectorAll("textarea, input[type=text]")].some(
      (field) => field === document.activeElement || field.value !== field.defaultValue,
    );

  function update(existing, fresh) {
    for (const name of ["status", "outdated", "hidden", "anchor"]) {
      if (fresh.dataset[name] === undefined) delete existing.dataset[name]; // false: left out
      else existing.dataset[name] = fresh.dataset[name];
    }
    const oldArticle = existing.querySelector(":scope > article");
    const newArticle = fresh.querySelector(":scope > article");
    if (!oldArticle || !newArticle) return;
    oldArticle.className = newArticle.className;
    const oldView = oldArticle.querySelector(":scope > .comment-view");
    const newView = newArticle.querySelector(":scope > .comment-view");
    if (oldView && newView) oldView.replaceWith(newView);
    const oldTools = oldArticle.querySelector(":scope > .comment-tools");
    const newTools = newArticle.querySelector(":scope > .comment-tools");
    if (oldTools && newTools && !busy(oldTools)) {
      oldTools.replaceWith(newTools);
      decorate(existing);
    }
    // A thread's status shows on its replies too (they are filtered with it).
    if (existing.classList.contains("thread")) {
      for (const reply of existing.querySelectorAll(".replies .comment-item")) {
        reply.dataset.status = existing.dataset.status;
      }
    }
  }

  // ``open``: a reply the person just posted opens its folded thread; one from someone else
  // joins the fold's count.
  async function fetchAndPlace(id, open = false) {
    if (!commentItem(id) && foldHolding(id)) {
      // Folded: nothing of it is shown to update, and it is counted already.
      if (open) await reveal(id);
      return null;
    }
    const data = await getJSON(fragmentUrl(id));
    const template = document.createElement("template");
    template.innerHTML = data.html.trim(); // rendered by our own template for this viewer
    const fresh = template.content.firstElementChild;
    if (!fresh) return null;
    const existing = commentItem(data.id);
    // A reply to a folded thread's first comment, or to one of its folded replies.
    const fold = !existing && data.parent ? foldUnder(data.parent) : null;
    if (existing) {
      update(existing, fresh);
    } else if (fold) {
      if (open) {
        await unfold(fold); // the thread as it is now, with this reply
        return data;
      }
      addToFold(fold, data.id);
    } else {
      place(fresh, data);
      decorate(fresh);
    }
    recount();
    applyFilter();
    return data;
  }

  // One request at a time per comment: the author's own post also arrives as a live event.
  function upsert(id, open = false) {
    const key = Number(id);
    const previous = pending.get(key) || Promise.resolve();
    const next = previous.catch(() => null).then(() => fetchAndPlace(key, open));
    pending.set(key, next);
    next.finally(() => {
      if (pending.get(key) === next) pending.delete(key);
    });
    return next;
  }

  // --- posting forms without a reload -------------------------------------------------------
  function messagesOf(data, status) {
    if (!data || typeof data !== "object") return [`${t.refused} ${status}`];
    const found = [];
    for (const [field, value] of Object.entries(data)) {
      const list = Array.isArray(value) ? value : [value];
      for (const message of list) {
        if (typeof message === "string") found.push(message);
      }
      if (field === "detail" && found.length) break;
    }
    return found.length ? found : [`${t.refused} ${status}`];
  }

  function showErrors(form, messages) {
    const box = form.querySelector(".form-errors");
    if (!box) {
      announce(messages.join(" "));
      return;
    }
    box.replaceChildren(
      ...messages.map((message) => {
        const p = document.createElement("p");
        p.textContent = message;
        return p;
      }),
    );
    box.hidden = false;
  }

  function clearErrors(form) {
    const box = form.querySelector(".form-errors");
    if (box) {
      box.replaceChildren();
      box.hidden = true;
    }
  }

  async function send(form) {
    if (form.dataset.method === "PATCH") {
      const body = {};
      for (const [name, value] of new FormData(form)) {
        if (name !== "csrfmiddlewaretoken") body[name] = value;
      }
      return fetch(form.dataset.api, {
        method: "PATCH",
        credentials: "same-origin",
        headers: {
          "X-CSRFToken": csrfToken(),
          "Content-Type": "application/json",
          Accept: "application/json",
        },
        body: JSON.stringify(body),
      });
    }
    return postForm(form.dataset.api, new FormData(form));
  }

  // --- the step back, offered after resolving or hiding ------------------------------------
  // A polite notice after the comment: "Done." and the button of the tool that undoes the step
  // (Reopen, Restore), posting to that tool form's API. Offered only when the comment, as the
  // server drew it for this viewer after the step, offers that tool (its permission). It never
  // takes the focus, and goes once used or once the comment's state changes again.
  const UNDO = { resolve: "reopen", hide: "restore" };
  const undoNotices = new Map();
  const stateOf = (item) => `${item.dataset.status || ""}|${item.dataset.hidden || ""}`;

  function dropUndo(id) {
    const offered = undoNotices.get(id);
    if (!offered) return;
    undoNotices.delete(id);
    offered.observer.disconnect();
    offered.notice.remove();
  }

  function offerUndo(form, id) {
    const key = Number(id);
    const done = form.closest("[data-tool]");
    const name = done && UNDO[done.dataset.tool];
    const source =
      name && toolForms && toolForms.content.querySelector(`form[data-tool="${name}"]`);
    const item = key && commentItem(key);
    const tools = item && item.querySelector(":scope > article > .comment-tools");
    if (!source || !tools || !(tools.dataset.tools || "").split(" ").includes(name)) return false;
    dropUndo(key);
    const notice = document.createElement("li");
    notice.className = "undo-notice";
    const status = document.createElement("p");
    status.setAttribute("role", "status");
    notice.append(status);
    item.after(notice);
    const said = document.createElement("span");
    said.textContent = t.done;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = source.querySelector("button").textContent;
    // Filled once in the page, so that the status is read out.
    window.setTimeout(() => status.append(said, " ", button), 30);
    const state = stateOf(item);
    const observer = new MutationObserver(() => {
      if (stateOf(item) !== state) dropUndo(key);
    });
    observer.observe(item, { attributes: true, attributeFilter: ["data-status", "data-hidden"] });
    undoNotices.set(key, { notice, observer });
    button.addEventListener("click", async () => {
      const focused = document.activeElement === button;
      button.disabled = true;
      let response;
      try {
        response = await postForm(forComment(source.dataset.api, key), new FormData(source));
      } catch (error) {
        button.disabled = false;
        announce(t.offline);
        return;
      }
      let data = null;
      try {
        data = await response.json();
      } catch (error) {
        data = null;
      }
      dropUndo(key);
      if (response.ok) await upsert(key).catch(() => null);
      announce(response.ok ? t.done : messagesOf(data, response.status).join(" "));
      // Keyboard users go on from the comment's tools, not from the top of the page.
      const next =
        focused && item.querySelector(":scope > article > .comment-tools :is(button, summary)");
      if (next) next.focus();
    });
    return true;
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.api || event.defaultPrevented) return;
    // A step that asks first (hiding) is asked by confirm.js in a dialog, which sends the
    // form again once confirmed; the next time, it asks again.
    if (form.matches('[data-js="confirm"]')) {
      if (form.dataset.confirmed !== "yes") return;
      delete form.dataset.confirmed;
      if (!form.querySelector("input[name=confirm]")) {
        const asking = document.createElement("input");
        asking.type = "hidden";
        asking.name = "confirm";
        asking.value = "ask";
        form.append(asking);
      }
    }
    if (!form.closest(`${hook("comments")}, ${hook("para-comments")}`)) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    form.setAttribute("aria-busy", "true");
    clearErrors(form);
    try {
      let response;
      try {
        response = await send(form);
      } catch (error) {
        showErrors(form, [t.offline]);
        return;
      }
      let data = null;
      try {
        data = await response.json();
      } catch (error) {
        data = null;
      }
      if (!response.ok) {
        showErrors(form, messagesOf(data, response.status)); // the text stays in the form
        return;
      }
      const item = form.closest(".comment-item");
      const id = form.dataset.kind === "create" ? data.id : item && item.dataset.comment;
      form.reset();
      const details = form.closest("details");
      if (details) details.open = false;
      if (id) await upsert(id, form.dataset.kind === "create");
      if (form.dataset.kind === "create") {
        announce(t.posted);
        const placed = commentItem(id);
        if (placed) placed.scrollIntoView({ block: "nearest" });
      } else if (!offerUndo(form, id)) {
        announce((data && data.detail) || t.done);
      }
    } catch (error) {
      showErrors(form, [t.offline]);
    } finally {
      if (button) button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });

  // --- live updates (live.js dispatches every WebSocket message on document) ----------------
  document.addEventListener("live:event", (event) => {
    const message = event.detail || {};
    if (Number(message.recommendation) !== recommendation) return;
    if (message.type !== "comment.created" && message.type !== "comment.updated") return;
    const comment = message.data && message.data.comment;
    if (!comment || !comment.id) return;
    const known = commentItem(comment.id);
    if (message.type === "comment.created" && known) return; // e.g. our own post
    upsert(comment.id)
      .then(() => {
        if (message.type === "comment.created") {
          // Counted with the others arriving now: "3 new comments · Show".
          const target = () => commentItem(comment.id) || foldHolding(comment.id);
          const detail = { kind: "comment", target, author: comment.author || "", id: comment.id };
          document.dispatchEvent(new CustomEvent("live:announce", { detail }));
        } else if (!known) {
          announce(t.updated, "comment-updated");
        }
      })
      .catch(() => {});
  });

  for (const item of document.querySelectorAll(hook("comment"))) decorate(item);
  applyFilter();
  const linked = linkedComment();
  if (linked && !commentItem(linked)) reveal(linked);
  if (!canComment) root.classList.add("comments-closed");
}
