// The document page: fetch the document with the signed-in token (the server checks access), show
// what a reader needs, and highlight the cited passage named in the URL fragment (#hl=...).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const root = $("document");
  const FIELDS = JSON.parse(root.dataset.fields || '{"fields": [], "doc_types": {}}');
  const TEXT = {
    zh: { signin: "请先登录。", missing: "找不到文档，或你没有查看权限。", error: "出错了，请稍后再试。",
      old: (n, m) => `第 ${n} 版（共 ${m} 版）— 不是现行版本。`, live: "查看现行版本", noLive: "此文档目前没有现行版本。" },
    en: { signin: "Please sign in first.", missing: "Document not found, or you may not read it.", error: "Something went wrong; please try again.",
      old: (n, m) => `Version ${n} of ${m} — not the live version. `, live: "See the live version", noLive: "This document has no live version now." },
  };
  const say = (key) => TEXT[UiState.language()][key];

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(doc) {
    document.title = doc.title + " · 销售知识助手";
    $("doc-title").textContent = doc.title;
    $("doc-source").textContent = doc.source;
    const flags = $("doc-flags");
    if (doc.as_of) flags.append(el("span", "badge", "截至 As of " + doc.as_of));
    if (doc.expired) flags.append(el("span", "badge expired", "已过期 Expired"));
    const meta = $("doc-meta");
    for (const [key, label] of FIELDS.fields) {
      const value = doc.metadata[key];
      if (!value) continue;
      const shown = key === "doc_type" ? FIELDS.doc_types[value] || value : Array.isArray(value) ? value.join(", ") : String(value);
      meta.append(el("dt", "", label), el("dd", "", shown));
    }
    const chunks = $("doc-chunks");
    for (const chunk of doc.chunks) {
      const section = el("section", "chunk");
      if (chunk.title_path.length) section.append(el("h3", "", chunk.title_path.join(" › ")));
      section.append(el("p", "", chunk.text));
      chunks.append(section);
    }
  }

  // A cited version that is no longer live: its text, under a banner linking to the live one.
  function renderOld(found) {
    const v = found.version;
    document.title = v.title + " v" + v.number + " · 销售知识助手";
    $("doc-title").textContent = v.title;
    $("doc-source").textContent = `${v.source} · v${v.number} · ${v.created_at.slice(0, 10)}`;
    const banner = $("doc-banner");
    banner.replaceChildren(el("span", "", TEXT.zh.old(v.number, found.latest) + " " + TEXT.en.old(v.number, found.latest)));
    if (found.live) {
      const link = el("a", "live-link", TEXT.zh.live + " " + TEXT.en.live);
      link.href = "/documents/" + encodeURIComponent(root.dataset.docId);
      banner.append(link);
    } else banner.append(el("span", "", TEXT.zh.noLive + " " + TEXT.en.noLive));
    banner.hidden = false;
    const chunks = $("doc-chunks");
    const section = el("section", "chunk");
    for (const line of found.text.split("\n").filter((l) => l.trim())) section.append(el("p", "", line));
    chunks.append(section);
  }

  // The document at the version a citation names (?version=N): the live view when it still is live.
  async function renderCited(number) {
    const found = await Session.api(`/v1/documents/${encodeURIComponent(root.dataset.docId)}/versions/${number}`);
    if (found.version.state === "live") return render(await Session.api("/v1/documents/" + encodeURIComponent(root.dataset.docId)));
    renderOld(found);
  }

  // The passage to highlight: whole when it occurs as is, else its clauses (a quoted table row or
  // several joined sentences do not occur verbatim).
  function pieces(passage) {
    const whole = passage.replace(/^…|…$/g, "").trim();
    const parts = whole.split(/[，。；;,:：！？!?\n]+|\s{2,}/).map((p) => p.trim()).filter((p) => p.length >= 4);
    return [whole, ...parts];
  }

  function mark(p, ranges) {
    const text = p.textContent;
    const out = [];
    let last = 0;
    for (const [start, end] of ranges) {
      out.push(text.slice(last, start), el("mark", "cited", text.slice(start, end)));
      last = end;
    }
    out.push(text.slice(last));
    p.replaceChildren(...out);
  }

  function rangesIn(text, wanted) {
    const found = [];
    for (const piece of wanted) {
      for (let at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + piece.length)) found.push([at, at + piece.length]);
    }
    found.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const r of found) {
      const prev = merged[merged.length - 1];
      if (prev && r[0] <= prev[1]) prev[1] = Math.max(prev[1], r[1]);
      else merged.push(r);
    }
    return merged;
  }

  function highlight() {
    const match = /(?:^#|&)hl=([^&]*)/.exec(location.hash);
    if (!match) return;
    const [whole, ...parts] = pieces(decodeURIComponent(match[1]));
    if (!whole) return;
    const paragraphs = [...document.querySelectorAll("#doc-chunks .chunk p")];
    const exact = paragraphs.filter((p) => p.textContent.includes(whole));
    for (const p of exact.length ? exact : paragraphs) {
      const ranges = rangesIn(p.textContent, exact.length ? [whole] : parts);
      if (ranges.length) { mark(p, ranges); p.closest(".chunk").classList.add("cited"); }
    }
    const first = document.querySelector("mark.cited");
    if (first) first.scrollIntoView({ block: "center" });
  }

  async function load() {
    if (root.dataset.rendered === "yes") return highlight();
    if (!Session.signedIn()) {
      $("doc-title").textContent = say("signin");
      return;
    }
    try {
      Session.api("/v1/me").then((me) => {
        Session.showUser(me);
        $("doc-history").hidden = !me.roles.some((r) => r === "curator" || r === "admin");  // the console checks again
      }, () => {});
      const cited = Number(new URLSearchParams(location.search).get("version"));
      if (cited > 0) await renderCited(cited);
      else render(await Session.api("/v1/documents/" + encodeURIComponent(root.dataset.docId)));
      highlight();
    } catch (err) {
      $("doc-title").textContent = err.status === 404 ? say("missing") : say("error");
      if (err.status !== 404) $("doc-error").textContent = err.message;
    }
  }

  load();
})();
