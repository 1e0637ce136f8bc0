// What the page keeps besides the sign-in: this tab's conversation (sessionStorage, per user, so a
// reload shows it again) and the reader's language (from their last question, else the browser's).
// Both are forgotten at sign-out.
"use strict";

const UiState = (() => {
  const MAX_KEPT = 50;
  const LANGUAGE_KEY = "assistant.language";
  const historyKey = (user) => "assistant.history." + user;

  function history(user) {
    try { return JSON.parse(sessionStorage.getItem(historyKey(user)) || "[]"); } catch (_) { return []; }
  }
  function remember(user, entry) {
    const items = history(user).concat([entry]).slice(-MAX_KEPT);
    sessionStorage.setItem(historyKey(user), JSON.stringify(items));
  }
  // "zh" or "en": the language of the reader's last question, else the browser's.
  function language() {
    const kept = sessionStorage.getItem(LANGUAGE_KEY);
    if (kept) return kept;
    return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
  }
  function setLanguage(answerLanguage) {
    sessionStorage.setItem(LANGUAGE_KEY, answerLanguage === "en" ? "en" : "zh");
  }
  const signout = document.getElementById("signout");
  if (signout) signout.addEventListener("click", () => sessionStorage.clear());

  return { history, remember, language, setLanguage };
})();
