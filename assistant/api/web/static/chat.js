// The chat page: sign in, then ask / find talk tracks / draft a follow-up; newest card at the bottom.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const el = Render.el;
  let me = null;

  async function start() {
    if (!Session.signedIn()) return showSignIn("");
    try {
      me = await Session.api("/v1/me");
      Session.showUser(me);
      $("signin").hidden = true;
      $("chat").hidden = false;
      $("answers").replaceChildren();
      UiState.history(me.user).forEach((entry, i) => show(entry, i, false));
      scrollToLatest();
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

  function show(entry, key, fresh) {
    let card;
    if (entry.kind === "talk") card = Render.talkTracks(entry.title, entry.data, key);
    else if (entry.kind === "followup") card = Render.draft(entry.title, entry.data, key);
    else {
      card = Render.answer(entry.title, entry.data, key);
      card.append(feedbackBar(entry.data.answer_id));
    }
    if (entry.data.language) UiState.setLanguage(entry.data.language);
    $("answers").append(card);
    if (fresh) scrollToLatest();
  }

  function scrollToLatest() {
    const last = $("answers").lastElementChild;
    if (last) last.scrollIntoView({ block: "start" });
  }

  // What each form sends, and the title its card gets.
  const MODES = {
    ask: () => {
      const question = $("question").value.trim();
      return question && { path: "/v1/ask", body: { question }, title: question, clear: ["question"] };
    },
    talk: () => {
      const situation = $("situation").value.trim();
      const body = { situation, stage: $("stage").value || null };
      for (const field of ["competitor", "persona", "industry"]) body[field] = $(field).value.trim() || null;
      const title = situation + (body.competitor ? " · " + body.competitor : "");
      return situation && { path: "/v1/talk-tracks", body, title, clear: ["situation"] };
    },
    followup: () => {
      const body = {
        customer: $("customer").value.trim(), contact: $("contact").value.trim() || null,
        sender: $("sender").value.trim() || null, channel: $("channel").value, notes: $("notes").value.trim(),
      };
      const title = "跟进草稿 Follow-up · " + body.customer + (body.contact ? " · " + body.contact : "");
      return body.customer && body.notes && { path: "/v1/follow-ups", body, title, clear: ["notes"] };
    },
  };

  async function submit(mode, button) {
    const request = MODES[mode]();
    if (!request) return;
    button.disabled = true;
    $("ask-error").textContent = "";
    try {
      const data = await Session.api(request.path, { method: "POST", body: JSON.stringify(request.body) });
      const entry = { kind: mode, title: request.title, data };
      UiState.remember(me.user, entry);
      show(entry, Date.now(), true);
      request.clear.forEach((id) => { $(id).value = ""; });
    } catch (err) {
      if (err.status === 401) { Session.clear(); return showSignIn(err.message); }
      $("ask-error").textContent = err.message;
    } finally {
      button.disabled = false;
    }
  }

  function selectMode(mode) {
    document.querySelectorAll(".mode").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.mode === mode)));
    document.querySelectorAll(".mode-form").forEach((f) => { f.hidden = f.dataset.mode !== mode; });
    const first = document.querySelector(".mode-form[data-mode='" + mode + "'] textarea, .mode-form[data-mode='" + mode + "'] input");
    if (first) first.focus();
  }

  document.querySelectorAll(".mode").forEach((b) => b.addEventListener("click", () => selectMode(b.dataset.mode)));
  document.querySelectorAll(".mode-form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(form.dataset.mode, form.querySelector("button[type=submit]"));
    });
    // Enter sends, Shift+Enter is a new line; never while an input method is composing (拼音/注音).
    form.querySelectorAll("textarea").forEach((area) => area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        form.requestSubmit();
      }
    }));
  });

  $("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    Session.save($("token").value.trim());
    $("token").value = "";
    start();
  });

  start();
})();
