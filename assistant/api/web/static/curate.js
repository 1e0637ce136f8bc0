// The curators' console: the review queue, the approval inbox, analytics. Data comes from /v1 with the token.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let current = null;  // the review item on screen

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function fill(list, values, render) {
    list.replaceChildren(...values.map(render));
  }

  function fail(error) { $("console-error").textContent = error.message; }

  async function start() {
    if (!Session.signedIn()) { $("signin").hidden = false; return; }
    try {
      Session.showUser(await Session.api("/v1/me"));
      $("signin").hidden = true;
      $("console").hidden = false;
      const deep = /^#history=(.+)$/.exec(location.hash);  // from the document view's "history" link
      if (deep) {
        showTab("documents");
        CurateDocuments.openHistory(decodeURIComponent(deep[1])).catch(fail);
      } else loadQueue().catch(fail);  // a signed-in non-curator sees why the queue stays empty
    } catch (error) {
      if (error.status === 401) Session.clear();
      $("console").hidden = true;
      $("signin").hidden = false;
      $("signin-error").textContent = error.message;
    }
  }

  async function loadQueue() {
    const params = new URLSearchParams();
    if ($("f-state").value) params.set("state", $("f-state").value);
    if ($("f-kind").value) params.set("kind", $("f-kind").value);
    const data = await Session.api("/v1/review/items?" + params);
    fill($("items"), data.items, (item) => {
      const row = el("tr");
      row.dataset.itemId = item.id;
      for (const value of [item.id, item.question, item.kinds.join(", "), item.count, item.state, item.assignee || "—"]) {
        row.append(el("td", String(value)));
      }
      row.addEventListener("click", () => showItem(item));
      return row;
    });
  }

  function showItem(item) {
    current = item;
    $("item").hidden = false;
    $("item-question").textContent = item.question;
    $("item-meta").textContent = `#${item.id} · ${item.state} · ${item.kinds.join(", ")} · ×${item.count}`
      + (item.resolution ? ` · ${item.resolution} ${item.resolution_ref || ""}` : "");
    fill($("item-examples"), item.examples, (q) => el("li", q));
    fill($("item-askers"), item.askers, (a) => el("li", `${a.user} (${a.roles.join(", ")}, ${a.channel})`));
    fill($("item-comments"), item.comments, (c) => el("li", c));
    fill($("item-answers"), item.answers, (a) => {
      const box = el("div", undefined, "given");
      box.append(el("p", a.answer, "answer-text"));
      box.append(el("p", (a.grounded ? "grounded" : "not found") + " · " + (a.citations.join(", ") || "no citations"), "muted"));
      return box;
    });
    $("c-question").value = item.question;
    $("c-citations").value = [...new Set(item.answers.flatMap((a) => a.citations))].join(", ");
    $("c-groups").value = item.groups.join(", ");
    $("c-result").textContent = "";
  }

  async function act(body) {
    try {
      const item = await Session.api(`/v1/review/items/${current.id}`, { method: "POST", body: JSON.stringify(body) });
      showItem(item);
      await loadQueue();
    } catch (error) { fail(error); }
  }

  const list = (value) => value.split(/[,，]/).map((v) => v.trim()).filter(Boolean);

  async function submitCurated(event) {
    event.preventDefault();
    const body = {
      question: $("c-question").value, answer: $("c-answer").value, citations: list($("c-citations").value),
      access_level: $("c-level").value, groups: list($("c-groups").value), item_id: current.id,
    };
    try {
      const created = await Session.api("/v1/curated-answers", { method: "POST", body: JSON.stringify(body) });
      $("c-result").textContent = `#${created.id} ${created.state}: 等待另一位审核员批准 waiting for another curator`;
    } catch (error) { $("c-result").textContent = error.message; }
  }

  async function loadInbox() {
    const data = await Session.api("/v1/curated-answers?state=pending_review");
    if (!data.curated_answers.length) { $("pending").replaceChildren(el("p", "没有待审批 Nothing to approve", "card muted")); return; }
    fill($("pending"), data.curated_answers, (c) => {
      const card = el("article", undefined, "card pending");
      card.dataset.curatedId = c.id;
      card.append(el("h3", c.question), el("p", c.answer, "answer-text"));
      card.append(el("p", `#${c.id} v${c.version} · ${c.access_level} · ${c.groups.join(", ") || "*"} · by ${c.author} · cites ${c.citations.join(", ") || "—"}`, "meta-line"));
      const approve = el("button", "批准 Approve"), reason = el("input"), reject = el("button", "退回 Reject", "secondary"),
        result = el("p", "", "error");
      approve.className = "approve"; reject.classList.add("reject"); reason.placeholder = "退回原因 Reason";
      approve.addEventListener("click", () => decide(c.id, "approve", {}, result));
      reject.addEventListener("click", () => decide(c.id, "reject", { reason: reason.value }, result));
      card.append(approve, reason, reject, result);
      return card;
    });
  }

  async function decide(id, verb, body, result) {
    try {
      await Session.api(`/v1/curated-answers/${id}/${verb}`, { method: "POST", body: JSON.stringify(body) });
      await loadInbox();
    } catch (error) { result.textContent = error.message; }
  }

  function chart(perDay) {
    const totals = {};
    for (const row of perDay) totals[row.date] = (totals[row.date] || 0) + row.questions;
    const days = Object.keys(totals).sort(), top = Math.max(1, ...Object.values(totals));
    const w = 24, h = 120, ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", String(Math.max(days.length, 1) * w + 10));
    svg.setAttribute("height", String(h + 20));
    days.forEach((day, i) => {
      const bar = document.createElementNS(ns, "rect"), height = (totals[day] / top) * h;
      bar.setAttribute("class", "bar");
      Object.entries({ x: i * w + 4, y: h - height, width: w - 6, height }).forEach(([k, v]) => bar.setAttribute(k, String(v)));
      const title = document.createElementNS(ns, "title");
      title.textContent = `${day}: ${totals[day]}`;
      bar.append(title);
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", String(i * w + 4)); label.setAttribute("y", String(h + 14));
      label.textContent = day.slice(5);
      svg.append(bar, label);
    });
    $("chart").replaceChildren(svg);
  }

  async function loadAnalytics() {
    const days = $("a-days").value;
    const [o, g] = await Promise.all([
      Session.api(`/v1/analytics/overview?days=${days}`), Session.api(`/v1/analytics/gaps?days=${days}`),
    ]);
    $("totals").textContent = `问题 Questions ${o.questions} · 已回答 answered ${o.answered} · 未找到 not found ${o.not_found}`
      + ` · 标准答案 curated ${o.curated_answers_given} · 赞 up ${o.votes.up} · 踩 down ${o.votes.down}`;
    chart(o.per_day);
    fill($("gaps"), g.gaps, (gap) => {
      const row = el("tr");
      row.append(el("td", gap.label), el("td", String(gap.size)),
        el("td", gap.trend.direction, "trend-" + gap.trend.direction), el("td", gap.examples.join(" | ")));
      return row;
    });
  }

  async function exportGaps() {
    const response = await fetch(`/v1/analytics/gaps?days=${$("a-days").value}&format=csv`,
      { credentials: "same-origin", headers: Session.token() ? { Authorization: "Bearer " + Session.token() } : {} });
    const link = el("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = "gaps.csv";
    link.click();
  }

  function showTab(name) {
    document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("chosen", t.dataset.tab === name));
    document.querySelectorAll(".pane").forEach((p) => { p.hidden = p.id !== name; });
    $("console-error").textContent = "";
    const load = { queue: loadQueue, inbox: loadInbox, documents: CurateDocuments.load, analytics: loadAnalytics }[name];
    load().catch(fail);
  }

  document.querySelectorAll(".tab").forEach((t) => t.addEventListener("click", () => showTab(t.dataset.tab)));
  $("f-state").addEventListener("change", () => loadQueue().catch(fail));
  $("f-kind").addEventListener("change", () => loadQueue().catch(fail));
  $("a-days").addEventListener("change", () => loadAnalytics().catch(fail));
  $("export-gaps").addEventListener("click", () => exportGaps().catch(fail));
  $("assign-me").addEventListener("click", () => act({ action: "assign" }));
  $("mark-gap").addEventListener("click", () => act({ action: "resolve", resolution: "content_gap" }));
  $("dismiss").addEventListener("click", () => act({ action: "dismiss" }));
  $("curated-form").addEventListener("submit", submitCurated);
  $("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    Session.save($("token").value.trim());
    start();
  });
  start();
})();
