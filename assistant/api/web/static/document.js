// The document page: fetch the document with the signed-in token (the server checks access).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const root = $("document");

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
    for (const [key, value] of Object.entries(doc.metadata)) {
      meta.append(el("dt", "", key), el("dd", "", Array.isArray(value) ? value.join(", ") : String(value)));
    }
    const chunks = $("doc-chunks");
    for (const chunk of doc.chunks) {
      const section = el("section", "chunk");
      if (chunk.title_path.length) section.append(el("h3", "", chunk.title_path.join(" › ")));
      section.append(el("p", "", chunk.text));
      chunks.append(section);
    }
  }

  async function load() {
    if (root.dataset.rendered === "yes") return;
    if (!Session.signedIn()) {
      $("doc-title").textContent = "请先登录 Please sign in";
      return;
    }
    try {
      Session.api("/v1/me").then(Session.showUser, () => {});
      render(await Session.api("/v1/documents/" + encodeURIComponent(root.dataset.docId)));
    } catch (err) {
      $("doc-title").textContent = err.status === 404 ? "找不到文档 Document not found" : "出错了 Error";
      $("doc-error").textContent = err.message;
    }
  }

  load();
})();
