// Cards for the conversation: answers, talk tracks and follow-up drafts, each with its sources.
// Only what a rep needs is shown: no ids, scores or access levels.
"use strict";

const Render = (() => {
  function el(tag, attrs = {}, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The document view highlights the passage named in the URL fragment (never sent to the server).
  function documentHref(c) {
    const version = c.version ? "?version=" + c.version : "";  // the cited version, even once superseded
    return "/documents/" + encodeURIComponent(c.doc_id) + version + "#hl=" + encodeURIComponent((c.snippet || "").slice(0, 300));
  }

  // Text with each [n] turned into a link to source n of this card.
  function markedText(tag, cls, text, citations, prefix) {
    const p = el(tag, { class: cls });
    const known = new Set(citations.map((c) => c.n));
    let last = 0;
    for (const m of text.matchAll(/\[(\d+)\]/g)) {
      p.append(text.slice(last, m.index));
      const n = Number(m[1]);
      if (known.has(n)) p.append(el("a", { href: "#" + prefix + "-src-" + n, class: "marker" }, "[" + n + "]"));
      else p.append(m[0]);
      last = m.index + m[0].length;
    }
    p.append(text.slice(last));
    return p;
  }

  function sourceItem(c, prefix) {
    const li = el("li", { id: prefix + "-src-" + c.n, class: "source" });
    li.append(el("span", { class: "num" }, "[" + c.n + "] "));
    li.append(el("a", { href: documentHref(c), class: "source-link" }, c.title || c.source));
    if (c.page) li.append(el("span", { class: "muted" }, " p." + c.page));
    if (c.as_of) li.append(el("span", { class: "badge as-of" }, "截至 As of " + c.as_of));
    if (c.expired) li.append(el("span", { class: "badge expired" }, "已过期 Expired"));
    li.append(el("blockquote", { class: "snippet" }, c.snippet));
    return li;
  }

  function sources(card, citations, prefix) {
    if (!citations.length) return;
    const list = el("ol", { class: "sources" });
    citations.forEach((c) => list.append(sourceItem(c, prefix)));
    card.append(el("h3", {}, "来源 Sources"), list);
  }

  function warnings(card, items) {
    for (const w of items || []) card.append(el("p", { class: "warning" }, w));
  }

  function card(kind, title, key) {
    const node = el("article", { class: "card " + kind });
    node.append(el("h2", { class: "question" }, title));
    return [node, kind[0] + String(key).replace(/[^A-Za-z0-9_-]/g, "")];
  }

  function answer(title, a, key) {
    const [node, prefix] = card("answer", title, key);
    node.dataset.answerId = a.answer_id;
    if (!a.grounded) node.classList.add("not-found");
    // The not-found sentence comes from the server in the question's language.
    node.append(markedText("p", "answer-text", a.answer, a.citations, prefix));
    if (a.grounded) sources(node, a.citations, prefix);
    warnings(node, a.warnings);
    return node;
  }

  function track(t, prefix, extraClass) {
    const box = el("section", { class: "track" + (extraClass ? " " + extraClass : "") });
    box.append(el("h3", { class: "track-title" }, t.title));
    if (t.when_to_use) box.append(el("p", { class: "when muted" }, t.when_to_use));
    box.append(el("blockquote", { class: "script" }, t.script));
    if (t.proof_points.length) {
      const ul = el("ul", { class: "proof" });
      t.proof_points.forEach((p) => ul.append(el("li", {}, p)));
      box.append(ul);
    }
    for (const n of t.notes || []) box.append(el("p", { class: "note" }, n));
    const c = t.citations[0];
    if (c) box.append(el("a", { href: documentHref(c), class: "source-link" }, "来源 Source: " + (c.title || c.source)));
    return box;
  }

  function talkTracks(title, r, key) {
    const [node, prefix] = card("tracks", title, key);
    r.talk_tracks.forEach((t) => node.append(track(t, prefix)));
    if (!r.talk_tracks.length) {
      node.classList.add("not-found");
      node.append(el("p", { class: "answer-text notice" }, r.notice || ""));
      if (r.closest) {
        node.append(el("p", { class: "closest-label" }, "最接近的通用话术（不是针对这个场景的）· Closest general track (not a match)"));
        node.append(track(r.closest, prefix, "closest"));
      }
    }
    return node;
  }

  function draft(title, d, key) {
    const [node, prefix] = card("draft", title, key);
    if (d.subject) node.append(el("p", { class: "subject" }, "主题 Subject: " + d.subject));
    node.append(markedText("pre", "draft-text", d.draft, d.citations, prefix));
    const copy = el("button", { type: "button", class: "copy" }, "复制 Copy");
    copy.addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText(d.draft));
    node.append(copy);
    warnings(node, d.warnings);
    sources(node, d.citations, prefix);
    return node;
  }

  return { el, answer, talkTracks, draft };
})();
