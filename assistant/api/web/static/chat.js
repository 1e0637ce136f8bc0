// The chat page: sign in with a token, ask, show cited answers, send thumbs up/down.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs = {}, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function start() {
    if (!Session.signedIn()) return showSignIn("");
    try {
      Session.showUser(await Session.api("/v1/me"));
      $("signin").hidden = true;
      $("chat").hidden = false;
      $("question").focus();
    } catch (err) {
      if (err.status === 401) Session.clear();
      showSignIn(err.message);
    }
  }

  function showSignIn(message) {
    $("chat").hidden = true;
    $("signin").hidden = false;
    $("signin-error").textContent = message;
  }

  // Answer text with each [n] turned into a link to source n of this answer.
  function answerText(text, citations, prefix) {
    const p = el("p", { class: "answer-text" });
    const known = new Set(citations.map((c) => c.n));
    let last = 0;
    for (const m of text.matchAll(/\[(\d+)\]/g)) {
      p.append(text.slice(last, m.index));
      const n = Number(m[1]);
      if (known.has(n)) {
        p.append(el("a", { href: "#" + prefix + "-src-" + n, class: "marker" }, "[" + n + "]"));
      } else {
        p.append(m[0]);
      }
      last = m.index + m[0].length;
    }
    p.append(text.slice(last));
    return p;
  }

  function sourceItem(c, prefix) {
    const li = el("li", { id: prefix + "-src-" + c.n, class: "source" });
    li.append(el("span", { class: "num" }, "[" + c.n + "] "));
    const link = el("a", { href: "/documents/" + encodeURIComponent(c.doc_id), class: "source-link" }, c.title || c.source);
    li.append(link);
    if (c.page) li.append(el("span", { class: "muted" }, " p." + c.page));
    if (c.as_of) li.append(el("span", { class: "badge as-of" }, "截至 As of " + c.as_of));
    if (c.expired) li.append(el("span", { class: "badge expired" }, "已过期 Expired"));
    li.append(el("blockquote", { class: "snippet" }, c.snippet));
    return li;
  }

  function feedbackBar(answerId) {
    const bar = el("div", { class: "feedback" });
    const status = el("span", { class: "feedback-status muted" });
    for (const [rating, label] of [["up", "👍 有用 Helpful"], ["down", "👎 没用 Not helpful"]]) {
      const button = el("button", { type: "button", class: "vote vote-" + rating }, label);
      button.addEventListener("click", async () => {
        try {
          await Session.api("/v1/feedback", { method: "POST", body: JSON.stringify({ answer_id: answerId, rating }) });
          status.textContent = "谢谢反馈 Thanks for the feedback";
          bar.querySelectorAll("button").forEach((b) => b.classList.toggle("chosen", b === button));
        } catch (err) {
          status.textContent = err.message;
        }
      });
      bar.append(button);
    }
    bar.append(status);
    return bar;
  }

  function renderAnswer(question, a) {
    const card = el("article", { class: "card answer", "data-answer-id": a.answer_id });
    card.append(el("h2", { class: "question" }, question));
    if (!a.grounded) {
      card.classList.add("not-found");
      card.append(el("p", { class: "answer-text" }, "知识库中没有找到可靠的答案。No answer found in the knowledge base you can access."));
    } else {
      const prefix = "a" + a.answer_id.replace(/[^A-Za-z0-9_-]/g, "");
      card.append(answerText(a.answer, a.citations, prefix));
      const list = el("ol", { class: "sources" });
      a.citations.forEach((c) => list.append(sourceItem(c, prefix)));
      card.append(el("h3", {}, "来源 Sources"), list);
    }
    for (const w of a.warnings || []) card.append(el("p", { class: "warning" }, w));
    card.append(feedbackBar(a.answer_id));
    $("answers").prepend(card);
  }

  $("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    Session.save($("token").value.trim());
    $("token").value = "";
    start();
  });

  $("ask-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = $("question").value.trim();
    if (!question) return;
    $("ask-btn").disabled = true;
    $("ask-error").textContent = "";
    try {
      renderAnswer(question, await Session.api("/v1/ask", { method: "POST", body: JSON.stringify({ question }) }));
      $("question").value = "";
    } catch (err) {
      if (err.status === 401) { Session.clear(); return showSignIn(err.message); }
      $("ask-error").textContent = err.message;
    } finally {
      $("ask-btn").disabled = false;
    }
  });

  start();
})();
