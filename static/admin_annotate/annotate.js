/* The annotator on a report's admin change page.
 *
 * Draws the body paragraph by paragraph with its annotations highlighted, turns
 * a selection (mouse) or a found passage (keyboard) into start/end offsets, and
 * posts them to the admin's annotation endpoints. Offsets are counted in Unicode
 * code points, as Python counts them, never in UTF-16 units: every drawn piece
 * of text carries the code-point offset where it starts (data-s).
 * Plain JavaScript, no build step; the autocomplete fields are Django admin's own.
 */
(function () {
  "use strict";

  const root = document.getElementById("annotator");
  const dataNode = document.getElementById("annotator-data");
  if (!root || !dataNode) return;

  const data = JSON.parse(dataNode.textContent);
  const S = data.strings;
  const chars = Array.from(data.body); // code points
  const textBox = document.getElementById("annotator-text");
  const info = document.getElementById("annotator-info");
  const panel = document.getElementById("annotator-panel");
  let annotations = data.annotations.slice();
  let selection = null; // {start, end}
  let lastFocus = null;

  const fmt = (template, values) => template.replace(/%\((\w+)\)s/g, (_, k) => values[k]);
  const slice = (a, b) => chars.slice(a, b).join("");
  const csrf = () => (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  const url = (name, kind, id) =>
    data.urls[name].replace("/KIND/", "/" + kind + "/").replace(/\/0\/(delete|move)\/$/, "/" + id + "/$1/");

  function announce(message) {
    info.textContent = message;
  }

  async function post(target, body, asJson) {
    const headers = { "X-CSRFToken": csrf(), Accept: "application/json" };
    if (asJson) headers["Content-Type"] = "application/json";
    const response = await fetch(target, {
      method: "POST",
      headers: headers,
      body: asJson ? JSON.stringify(body) : body,
      credentials: "same-origin",
    });
    let payload = {};
    try {
      payload = await response.json();
    } catch (e) {
      payload = { error: response.status + " " + response.statusText };
    }
    return { ok: response.ok, status: response.status, payload: payload };
  }

  // Drawing ------------------------------------------------------------------

  function paragraphs() {
    const out = [];
    let start = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (i === chars.length || chars[i] === "\n") {
        out.push([start, i]);
        start = i + 1;
      }
    }
    return out;
  }

  function draw() {
    const shown = annotations.filter((a) => !a.needs_attention);
    const fragment = document.createDocumentFragment();
    for (const [pStart, pEnd] of paragraphs()) {
      const p = document.createElement("p");
      const inside = shown.filter((a) => a.start < pEnd && a.end > pStart);
      const cuts = new Set([pStart, pEnd]);
      for (const a of inside) {
        cuts.add(Math.max(a.start, pStart));
        cuts.add(Math.min(a.end, pEnd));
      }
      const points = Array.from(cuts).sort((x, y) => x - y);
      for (let i = 0; i < points.length - 1; i++) {
        const a = points[i];
        const b = points[i + 1];
        const covering = inside.filter((x) => x.start <= a && x.end >= b);
        let piece;
        if (covering.length) {
          piece = document.createElement("mark");
          const kinds = new Set(covering.map((x) => x.type));
          piece.className = "ann " + Array.from(kinds).map((k) => "ann-" + k).join(" ");
          const label = covering.map((x) => x.label).join(" · ");
          piece.title = label;
          piece.dataset.label = label;
          piece.dataset.ids = covering.map((x) => x.type + ":" + x.id).join(" ");
          // One tab stop for each annotation, where it begins.
          if (covering.some((x) => x.start === a || a === pStart)) {
            piece.tabIndex = 0;
            piece.setAttribute("aria-label", slice(a, b) + " — " + label);
          }
        } else {
          piece = document.createElement("span");
        }
        piece.dataset.s = a;
        piece.textContent = slice(a, b);
        p.appendChild(piece);
      }
      if (pStart === pEnd) p.appendChild(document.createElement("br"));
      fragment.appendChild(p);
    }
    textBox.replaceChildren(fragment);
    drawFlagged();
  }

  function drawFlagged() {
    const box = document.getElementById("annotator-flagged");
    if (!box) return;
    const list = box.querySelector("ul");
    list.replaceChildren();
    const flagged = annotations.filter((a) => a.needs_attention);
    box.hidden = flagged.length === 0;
    for (const a of flagged) {
      const li = document.createElement("li");
      const text = document.createElement("q");
      text.textContent = a.text;
      li.append(a.label + ": ", text, " ");
      const move = button(S.moveHere, async () => {
        if (!selection) return announce(S.selectFirst);
        const form = new FormData();
        form.append("start", selection.start);
        form.append("end", selection.end);
        form.append("text", slice(selection.start, selection.end));
        const result = await post(url("move", a.type, a.id), form, false);
        if (!result.ok) return announce(S.failed + " " + errorText(result.payload));
        replace(a, result.payload);
        announce(S.saved);
      });
      li.append(move);
      if (data.can_delete[a.type]) li.append(" ", deleteButton(a));
      list.appendChild(li);
    }
  }

  function button(label, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function deleteButton(a) {
    return button(S.delete, async () => {
      if (!window.confirm(S.confirmDelete)) return;
      const result = await post(url("delete", a.type, a.id), new FormData(), false);
      if (!result.ok) return announce(S.failed + " " + errorText(result.payload));
      annotations = annotations.filter((x) => !(x.type === a.type && x.id === a.id));
      draw();
      announce(S.deleted);
    });
  }

  function replace(old, fresh) {
    annotations = annotations.map((x) => (x.type === old.type && x.id === old.id ? fresh : x));
    draw();
  }

  function errorText(payload) {
    const parts = [payload.error || ""];
    for (const [field, errors] of Object.entries(payload.errors || {})) {
      for (const e of errors) parts.push((field === "__all__" ? "" : field + ": ") + (e.message || e));
    }
    return parts.filter(Boolean).join(" ");
  }

  // Details of a highlighted passage (Enter or click on it) ----------------

  function showDetails(mark) {
    info.replaceChildren();
    for (const key of mark.dataset.ids.split(" ")) {
      const [type, id] = key.split(":");
      const a = annotations.find((x) => x.type === type && String(x.id) === id);
      if (!a) continue;
      const row = document.createElement("p");
      row.className = "ann-detail ann-" + type;
      const link = document.createElement("a");
      link.href = a.change_url;
      link.textContent = S.edit;
      row.append(a.label + " ", link);
      if (data.editable && data.can_delete[type]) row.append(" ", deleteButton(a));
      info.appendChild(row);
    }
  }

  textBox.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.ann");
    if (mark && window.getSelection().isCollapsed) showDetails(mark);
  });
  textBox.addEventListener("keydown", (event) => {
    const mark = event.target.closest("mark.ann");
    if (mark && event.key === "Enter") {
      event.preventDefault();
      showDetails(mark);
    }
  });

  // Selection → offsets ------------------------------------------------------

  function offsetOf(node, offset) {
    // A point in the drawn text → a code-point offset into the body.
    let element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    if (node.nodeType !== Node.TEXT_NODE) {
      // Between children of an element: take the start of the child at `offset`, or the end.
      const child = node.childNodes[offset];
      if (child && child.dataset && child.dataset.s !== undefined) return Number(child.dataset.s);
      element = node.childNodes[offset - 1] || node;
      if (element.dataset && element.dataset.s !== undefined) {
        return Number(element.dataset.s) + Array.from(element.textContent).length;
      }
      const p = node.closest ? node.closest("p") : null;
      const first = p && p.querySelector("[data-s]");
      return first ? Number(first.dataset.s) : null;
    }
    const piece = element.closest("[data-s]");
    if (!piece || !textBox.contains(piece)) return null;
    return Number(piece.dataset.s) + Array.from(node.data.slice(0, offset)).length;
  }

  function trimmed(start, end) {
    while (start < end && /\s/.test(chars[start])) start++;
    while (end > start && /\s/.test(chars[end - 1])) end--;
    return start < end ? { start: start, end: end } : null;
  }

  function readSelection() {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!textBox.contains(range.commonAncestorContainer)) return null;
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null) return null;
    return trimmed(Math.min(start, end), Math.max(start, end));
  }

  function selectInText(start, end) {
    // Show a passage found from the keyboard as the page's selection, and scroll to it.
    const pieces = Array.from(textBox.querySelectorAll("[data-s]"));
    const locate = (offset) => {
      for (const piece of pieces) {
        const s = Number(piece.dataset.s);
        const length = Array.from(piece.textContent).length;
        if (offset >= s && offset <= s + length && piece.firstChild) {
          const units = Array.from(piece.textContent).slice(0, offset - s).join("").length;
          return [piece.firstChild, units];
        }
      }
      return null;
    };
    const a = locate(start);
    const b = locate(end);
    if (!a || !b) return;
    const range = document.createRange();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    a[0].parentElement.scrollIntoView({ block: "center" });
  }

  // The panel -----------------------------------------------------------------

  function openPanel(span, focusPanel) {
    if (!panel) return;
    selection = span;
    document.getElementById("annotator-selection").textContent = slice(span.start, span.end);
    for (const form of panel.querySelectorAll("form")) {
      const prefix = form.dataset.kind + "-";
      form.elements[prefix + "start"].value = span.start;
      form.elements[prefix + "end"].value = span.end;
      form.elements[prefix + "text"].value = slice(span.start, span.end);
    }
    clearErrors();
    if (panel.hidden) lastFocus = document.activeElement;
    panel.hidden = false;
    if (focusPanel) panel.querySelector("input[name=annotator-kind]:checked").focus();
  }

  function closePanel() {
    if (!panel) return;
    panel.hidden = true;
    if (lastFocus && document.contains(lastFocus)) lastFocus.focus();
  }

  function clearErrors() {
    for (const p of panel.querySelectorAll(".annotator-field-error")) p.textContent = "";
  }

  function showKind(kind) {
    for (const form of panel.querySelectorAll("form")) form.hidden = form.dataset.kind !== kind;
  }

  function resetForm(form) {
    for (const el of form.elements) {
      if (el.type === "hidden" || el.type === "submit" || el.type === "button") continue;
      if (el.tagName === "SELECT") {
        if (el.classList.contains("admin-autocomplete") && window.django && django.jQuery) {
          django.jQuery(el).val(null).trigger("change");
        } else {
          el.selectedIndex = 0;
        }
      } else {
        el.value = "";
      }
    }
  }

  if (panel) {
    textBox.addEventListener("mouseup", () => {
      window.setTimeout(() => {
        const span = readSelection();
        if (span) openPanel(span, false);
      }, 0);
    });
    // A selection made with the keyboard (caret browsing, Shift+arrows) opens the panel on Enter.
    textBox.addEventListener("keyup", (event) => {
      if (event.key === "Enter" && !event.target.closest("mark.ann")) {
        const span = readSelection();
        if (span) openPanel(span, true);
      }
    });
    for (const radio of panel.querySelectorAll("input[name=annotator-kind]")) {
      radio.addEventListener("change", () => showKind(radio.value));
    }
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !document.querySelector(".select2-container--open")) {
        event.preventDefault();
        closePanel();
      }
    });
    for (const closer of panel.querySelectorAll("[data-action=close]")) closer.addEventListener("click", closePanel);
    for (const form of panel.querySelectorAll("form")) {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        clearErrors();
        const kind = form.dataset.kind;
        const result = await post(url("annotate", kind), new FormData(form), false);
        if (!result.ok) {
          for (const [field, errors] of Object.entries(result.payload.errors || {})) {
            const name = field === "__all__" ? "__all__" : field.replace(kind + "-", "");
            const target =
              form.querySelector('.annotator-field-error[data-field="' + name + '"]') ||
              form.querySelector('.annotator-field-error[data-field="__all__"]');
            target.textContent = errors.map((e) => e.message).join(" ");
          }
          if (!Object.keys(result.payload.errors || {}).length) {
            form.querySelector('.annotator-field-error[data-field="__all__"]').textContent = errorText(result.payload);
          }
          return;
        }
        annotations.push(result.payload);
        draw();
        resetForm(form);
        closePanel();
        const fresh = textBox.querySelector('mark[data-ids~="' + kind + ":" + result.payload.id + '"]');
        if (fresh) {
          const first = textBox.querySelector('mark[tabindex][data-ids~="' + kind + ":" + result.payload.id + '"]');
          (first || fresh).focus();
        }
        announce(S.saved + " " + result.payload.label);
      });
    }
  }

  // Find a passage (the keyboard's way to select) --------------------------
  // Matching ignores diacritics, tatweel, invisible marks and hamza/alef/yeh/teh-marbuta
  // variants by the toolkit's own rules (articles/arabic/normalize.py, `folding_rules`), sent
  // with the page, and maps each hit back to the printed text, so `الاسد` finds and selects `الأَسَد`.

  const rules = data.folding;
  const DROPPED = new Set(Array.from(rules.dropped));
  const INVISIBLE = new Set(Array.from(rules.invisible));
  const FOLD = rules.fold;

  function normalized(points) {
    // → {text: array of normalised code points, from: index in `points` of each one}
    const text = [];
    const from = [];
    points.forEach((c, i) => {
      Array.from(c.normalize("NFKC")).forEach((k) => {
        if (DROPPED.has(k)) return;
        Array.from(FOLD[k] || k).forEach((out) => {
          text.push(out.toLowerCase());
          from.push(i);
        });
      });
    });
    return { text: text, from: from };
  }

  let normalBody = null;

  function findAll(query) {
    if (!normalBody) normalBody = normalized(chars);
    const needle = normalized(Array.from(query)).text;
    const hay = normalBody.text;
    const hits = [];
    if (!needle.length) return hits;
    outer: for (let i = 0; i + needle.length <= hay.length; i++) {
      for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
      const start = normalBody.from[i];
      let end = normalBody.from[i + needle.length - 1] + 1;
      // keep the vowel marks written on the last letter, not a following invisible mark
      while (end < chars.length && DROPPED.has(chars[end]) && !INVISIBLE.has(chars[end])) end++;
      hits.push({ start: start, end: end });
    }
    return hits;
  }

  const find = document.getElementById("annotator-find-input");
  if (find) {
    let hits = [];
    let current = -1;
    let lastQuery = "";
    const status = document.getElementById("annotator-find-status");
    find.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const query = find.value.trim();
      if (!query) return;
      if (query !== lastQuery) {
        lastQuery = query;
        hits = findAll(query);
        current = -1;
      }
      if (!hits.length) {
        status.textContent = S.notFound;
        return;
      }
      current = (current + 1) % hits.length;
      const hit = hits[current];
      status.textContent = fmt(S.found, { n: current + 1, total: hits.length });
      selectInText(hit.start, hit.end);
      openPanel(hit, event.shiftKey);
    });
  }

  // Suggestions ---------------------------------------------------------------

  const suggestButton = document.getElementById("annotator-suggest");
  if (suggestButton) {
    const groups = document.getElementById("annotator-suggestion-groups");
    const status = document.getElementById("annotator-suggest-status");

    const accept = async (body) => {
      const result = await post(data.urls.accept, body, true);
      if (!result.ok) {
        status.textContent = S.failed + " " + errorText(result.payload);
        return [];
      }
      annotations = annotations.concat(result.payload.created);
      draw();
      status.textContent = fmt(S.accepted, { n: result.payload.created.length });
      return result.payload.created;
    };

    // One list a kind, keyboard-driven: ↑/↓ move between suggestions, Enter accepts, Delete dismisses,
    // Space shows the passage in the text. Accepted and dismissed suggestions leave the list.
    const focusNext = (li) => {
      const next = li.nextElementSibling || li.previousElementSibling;
      const section = li.closest("section");
      li.remove();
      if (next) next.focus();
      else if (section && !section.querySelector("li")) section.remove();
    };

    const choice = (options, label) => {
      const select = document.createElement("select");
      select.setAttribute("aria-label", label);
      for (const option of options) {
        const o = document.createElement("option");
        o.value = option.value;
        o.textContent = option.label;
        select.appendChild(o);
      }
      return select;
    };

    const renderItem = (kind, item) => {
      const li = document.createElement("li");
      li.className = "suggestion";
      li.dataset.key = item.key;
      li.tabIndex = -1;
      const text = document.createElement("q");
      text.textContent = item.text;
      const label = document.createElement("span");
      label.className = "suggestion-label";
      label.textContent = item.label;
      li.append(text, label);
      let pick = null;
      if (kind === "mentions" && item.alternatives && item.alternatives.length) {
        const options = [{ value: "", label: item.label }].concat(
          item.alternatives.map((alt, i) => ({ value: String(i), label: alt.label }))
        );
        pick = choice(options, S.alternatives);
        label.replaceWith(pick);
      } else if (kind === "dates" && item.uses && item.uses.length > 1) {
        pick = choice(item.uses, S.useAs);
        li.append(pick);
      }
      const chosen = () => {
        const chosenItem = Object.assign({ type: kind }, item);
        if (pick && kind === "mentions" && pick.value !== "") {
          const alt = item.alternatives[Number(pick.value)];
          Object.assign(chosenItem, { key: alt.key, participant: alt.participant, place: alt.place });
        }
        if (pick && kind === "dates") chosenItem.use = pick.value;
        delete chosenItem.alternatives;
        delete chosenItem.uses;
        return chosenItem;
      };
      const acceptOne = async () => {
        const payload = { items: [chosen()] };
        const result = await post(data.urls.accept, payload, true);
        if (!result.ok || (result.payload.refused || []).length) {
          status.textContent = S.failed + " " + errorText(result.ok ? result.payload.refused[0] : result.payload);
          return;
        }
        annotations = annotations.concat(result.payload.created);
        draw();
        status.textContent = fmt(S.accepted, { n: result.payload.created.length + (result.payload.dated || []).length });
        focusNext(li);
      };
      const dismissOne = async () => {
        const result = await post(data.urls.dismiss, { keys: [item.key] }, true);
        if (result.ok) focusNext(li);
      };
      const tools = document.createElement("span");
      tools.className = "suggestion-tools";
      tools.append(
        button(S.show, () => selectInText(item.start, item.end)),
        button(S.accept, acceptOne),
        button(S.dismiss, dismissOne)
      );
      li.append(tools);
      li.addEventListener("keydown", (event) => {
        if (event.target !== li) return; // keys typed in the <select> are the select's
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          const items = Array.from(groups.querySelectorAll("li.suggestion"));
          const next = items[items.indexOf(li) + (event.key === "ArrowDown" ? 1 : -1)];
          if (next) next.focus();
          event.preventDefault();
        } else if (event.key === "Enter") {
          acceptOne();
          event.preventDefault();
        } else if (event.key === "Delete" || event.key === "Backspace") {
          dismissOne();
          event.preventDefault();
        } else if (event.key === " ") {
          selectInText(item.start, item.end);
          event.preventDefault();
        }
      });
      li.addEventListener("focus", () => li.classList.add("suggestion-current"));
      li.addEventListener("blur", () => li.classList.remove("suggestion-current"));
      return li;
    };

    const renderGroups = (suggestions) => {
      groups.replaceChildren();
      let total = 0;
      for (const kind of ["mentions", "quotes", "dates"]) {
        const items = suggestions[kind] || [];
        total += items.length;
        if (!items.length) continue;
        const section = document.createElement("section");
        section.className = "suggestion-group";
        section.dataset.kind = kind;
        const header = document.createElement("div");
        header.className = "suggestion-group-header";
        const heading = document.createElement("h4");
        heading.textContent = S[kind] + " (" + items.length + ")";
        const all = button(S.acceptAll, async () => {
          await accept({ type: kind, all: true });
          section.remove();
        });
        all.dataset.action = "accept-all";
        header.append(heading, all);
        const list = document.createElement("ul");
        list.className = "suggestion-list";
        for (const item of items) list.appendChild(renderItem(kind, item));
        section.append(header, list);
        groups.appendChild(section);
      }
      const newcomers = suggestions.new_participants || [];
      if (newcomers.length) {
        // Officials who speak in the report but whom the records do not know: one step to create them.
        const section = document.createElement("section");
        section.className = "suggestion-group";
        section.dataset.kind = "new_participants";
        const heading = document.createElement("h4");
        heading.textContent = S.newParticipants + " (" + newcomers.length + ")";
        const list = document.createElement("ul");
        list.className = "suggestion-list";
        for (const person of newcomers) {
          const li = document.createElement("li");
          li.className = "suggestion";
          li.dataset.key = person.key;
          const name = document.createElement("q");
          name.textContent = person.text;
          const title = document.createElement("span");
          title.className = "suggestion-label";
          title.textContent = person.title || "";
          const tools = document.createElement("span");
          tools.className = "suggestion-tools";
          tools.append(
            button(S.show, () => selectInText(person.start, person.end)),
            button(S.create, async () => {
              const result = await post(data.urls.participant, { name: person.text, title: person.title || "" }, true);
              if (!result.ok) {
                status.textContent = S.failed + " " + errorText(result.payload);
                return;
              }
              status.textContent = fmt(S.created, { name: result.payload.label });
              focusNext(li);
            })
          );
          li.append(name, title, tools);
          list.appendChild(li);
        }
        section.append(heading, list);
        groups.appendChild(section);
        total += newcomers.length;
      }
      status.textContent = total ? S.keys : S.none;
      const first = groups.querySelector("li.suggestion");
      if (first) first.tabIndex = 0;
    };

    suggestButton.addEventListener("click", async () => {
      status.textContent = S.running;
      const response = await fetch(data.urls.suggestions, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      let payload = {};
      try {
        payload = await response.json();
      } catch (e) {
        payload = { error: response.status + " " + response.statusText };
      }
      if (!response.ok) {
        status.textContent = S.failed + " " + errorText(payload);
        return;
      }
      renderGroups(payload);
    });
  }

  draw();
  root.classList.add("annotator-ready");
})();
