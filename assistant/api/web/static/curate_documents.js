// The console's document versions: pending versions with a side-by-side diff against the live one,
// approve / reject, a document's history, any two versions compared, rollback. Data from /v1 with the token.
"use strict";

const CurateDocuments = (() => {
  const $ = (id) => document.getElementById(id);
  const CONTEXT = 2;  // unchanged rows kept around a change; longer unchanged runs are folded
  let me = null;
  let shown = null;  // {docId, to, from} of the diff on screen

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  const when = (iso) => (iso ? iso.slice(0, 16).replace("T", " ") : "");
  const docPath = (docId) => "/v1/documents/" + encodeURIComponent(docId);
  const label = (v) => `v${v.number} ${v.state} · ${v.submitted_by} · ${when(v.created_at)}`;

  async function load() {
    me = me || await Session.api("/v1/me");
    const data = await Session.api("/v1/documents/pending");
    $("no-pending-docs").hidden = data.versions.length > 0;
    $("pending-docs").replaceChildren(...data.versions.map((v) => {
      const row = el("tr");
      row.dataset.docId = v.doc_id;
      row.dataset.version = v.number;
      for (const value of [v.title || v.source, "v" + v.number, v.submitted_by, when(v.created_at), v.diff_summary]) {
        row.append(el("td", value));
      }
      row.addEventListener("click", () => openDiff(v.doc_id, v.number, null).catch(fail));
      return row;
    }));
  }

  function fail(error) { $("console-error").textContent = error.message; }

  // --- the side-by-side diff ------------------------------------------------------------------

  function cell(parts, cls, mark) {
    const td = el("td", undefined, cls);
    for (const [text, changed] of parts) td.append(changed && mark ? el(mark, text) : document.createTextNode(text));
    return td;
  }

  function diffRow(row) {
    const tr = el("tr", undefined, row.kind);
    const inline = row.kind === "changed";
    tr.append(el("td", row.left ? String(row.left) : "", "n"), cell(row.left_parts, "old", inline ? "del" : null),
      el("td", row.right ? String(row.right) : "", "n"), cell(row.right_parts, "new", inline ? "ins" : null));
    return tr;
  }

  function foldRow(hidden) {
    const tr = el("tr", undefined, "fold");
    const td = el("td", `⋯ ${hidden.length} 句未改变 unchanged sentences (展开 show)`);
    td.colSpan = 4;
    tr.append(td);
    tr.addEventListener("click", () => tr.replaceWith(...hidden.map(diffRow)));
    return tr;
  }

  // Runs of unchanged rows longer than the context around changes become one row that unfolds.
  function folded(rows) {
    const out = [];
    for (let i = 0; i < rows.length;) {
      let j = i;
      while (j < rows.length && rows[j].kind === "same") j++;
      if (j === i) { out.push(diffRow(rows[i++])); continue; }
      const head = i === 0 ? 0 : CONTEXT, tail = j === rows.length ? 0 : CONTEXT;
      const run = rows.slice(i, j);
      if (run.length > head + tail + 1) {
        out.push(...run.slice(0, head).map(diffRow), foldRow(run.slice(head, run.length - tail)),
          ...run.slice(run.length - tail).map(diffRow));
      } else out.push(...run.map(diffRow));
      i = j;
    }
    return out;
  }

  async function openDiff(docId, to, from) {
    const query = `?to=${to}` + (from ? `&from=${from}` : "");
    const data = await Session.api(docPath(docId) + "/diff" + query);
    shown = { docId, to, from: data.from ? data.from.number : null };
    const c = data.counts;
    $("diff").hidden = false;
    $("diff-title").textContent = data.to.title || data.to.source;
    $("diff-meta").textContent = `${docId} · +${c.added} −${c.removed} ~${c.changed} 句 sentences`;
    $("diff-left").textContent = data.from ? label(data.from) : "（无现行版本 no live version）";
    $("diff-right").textContent = label(data.to);
    $("diff-rows").replaceChildren(...folded(data.rows));
    $("diff-result").textContent = "";
    showReview(data.to);
    $("diff").scrollIntoView({ block: "start" });
  }

  function showReview(version) {
    const waiting = version.state === "pending_review";
    $("review-actions").hidden = !waiting;
    if (!waiting) return;
    const own = version.submitted_by === me.user;
    $("approve-version").disabled = own;
    $("review-note").textContent = own ? "这是你提交的版本：需要另一位审核员批准。You submitted this version: another curator must approve it." : "";
    $("reject-reason").value = "";
  }

  async function decide(verb) {
    const reason = $("reject-reason").value.trim();
    if (verb === "reject" && !reason) { $("diff-result").textContent = "请填写退回原因 A reason is required"; return; }
    try {
      const body = verb === "reject" ? { reason } : {};
      const done = await Session.api(`${docPath(shown.docId)}/versions/${shown.to}/${verb}`,
        { method: "POST", body: JSON.stringify(body) });
      $("review-actions").hidden = true;
      $("diff-right").textContent = label(done);
      $("diff-result").textContent = "";
      $("diff-meta").textContent = `v${done.number} → ${done.state}` + (done.review_note ? `: ${done.review_note}` : "");
      await load();
    } catch (error) { $("diff-result").textContent = error.message; }
  }

  // --- a document's history --------------------------------------------------------------------

  function pick(name, number, checked) {
    const input = el("input");
    Object.assign(input, { type: "radio", name, value: String(number), checked });
    return input;
  }

  function rollbackButton(docId, v) {
    const button = el("button", "回滚 Rollback", "secondary rollback");
    button.addEventListener("click", () => {
      const ask = el("span", `回滚到 v${v.number}？ Roll back to v${v.number}? `, "confirm");
      const yes = el("button", "确认 Confirm", "confirm-rollback"), no = el("button", "取消 Cancel", "secondary");
      yes.addEventListener("click", () => rollback(docId, v.number).catch(fail));
      no.addEventListener("click", () => ask.replaceWith(button));
      ask.append(yes, no);
      button.replaceWith(ask);
    });
    return button;
  }

  async function openHistory(docId) {
    const data = await Session.api(docPath(docId) + "/versions");
    const versions = data.versions;
    $("history").hidden = false;
    $("history-title").textContent = `${versions[0].title || versions[0].source} · ${docId}`;
    $("history").dataset.docId = docId;
    $("versions").replaceChildren(...versions.map((v, i) => {
      const row = el("tr");
      row.dataset.version = v.number;
      const a = el("td"), b = el("td"), action = el("td");
      a.append(pick("from", v.number, i === 1));
      b.append(pick("to", v.number, i === 0));
      const restorable = v.chunks > 0 && !["live", "pending_review", "rejected"].includes(v.state);
      if (restorable) action.append(rollbackButton(docId, v));
      const note = v.review_note ? ` (${v.review_note})` : "";
      row.append(a, b, el("td", "v" + v.number), el("td", v.state + note, "state"), el("td", v.submitted_by),
        el("td", when(v.created_at)), el("td", v.diff_summary), action);
      return row;
    }));
  }

  async function rollback(docId, number) {
    try {
      const made = await Session.api(docPath(docId) + "/rollback", { method: "POST", body: JSON.stringify({ version: number }) });
      await openHistory(docId);
      if (shown && shown.docId === docId) $("diff").hidden = true;  // its states are out of date now
      $("history-result").textContent = `v${made.number} 已上线 is live (${made.diff_summary})`;
    } catch (error) { $("history-result").textContent = error.message; }
  }

  function compare() {
    const chosen = (name) => document.querySelector(`#versions input[name=${name}]:checked`);
    const from = chosen("from"), to = chosen("to");
    if (!from || !to || from.value === to.value) { $("history-result").textContent = "请选择两个版本 Pick two versions"; return; }
    $("history-result").textContent = "";
    openDiff($("history").dataset.docId, Number(to.value), Number(from.value)).catch(fail);
  }

  $("approve-version").addEventListener("click", () => decide("approve"));
  $("reject-version").addEventListener("click", () => decide("reject"));
  $("compare").addEventListener("click", compare);
  $("diff-history").addEventListener("click", () => openHistory(shown.docId).catch(fail));
  $("history-form").addEventListener("submit", (event) => {
    event.preventDefault();
    $("history-result").textContent = "";
    openHistory($("h-doc").value.trim()).catch(fail);
  });

  return { load, openHistory };
})();
