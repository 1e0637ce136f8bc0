// Who this browser is: a session cookie from a web sign-in (people), or an API token in localStorage.
// Cookie sessions send the CSRF token (from the readable assistant_csrf cookie) on every write.
"use strict";

const Session = (() => {
  const KEY = "assistant.token";
  const CSRF_COOKIE = "assistant_csrf";

  function token() { return localStorage.getItem(KEY); }
  function save(value) { localStorage.setItem(KEY, value); }
  function csrf() {
    const found = document.cookie.split("; ").find((c) => c.startsWith(CSRF_COOKIE + "="));
    return found ? decodeURIComponent(found.slice(CSRF_COOKIE.length + 1)) : null;
  }
  function signedIn() { return Boolean(token() || csrf()); }
  function clear() {
    localStorage.removeItem(KEY);
    document.cookie = CSRF_COOKIE + "=; Max-Age=0; path=/";
  }

  // fetch JSON from the API; throws an Error carrying the API's {"error": {...}} message and status.
  async function api(path, options = {}) {
    const headers = { "Accept": "application/json", "X-Assistant-Client": "web" };
    if (options.body) headers["Content-Type"] = "application/json";
    if (token()) headers["Authorization"] = "Bearer " + token();
    else if (csrf()) headers["X-CSRF-Token"] = csrf();
    const response = await fetch(path, Object.assign({}, options, { headers, credentials: "same-origin" }));
    let body = null;
    try { body = await response.json(); } catch (_) { body = null; }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : response.statusText;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function showUser(me) {
    const who = document.getElementById("whoami");
    who.textContent = me.user + " · " + (me.roles.join(", ") || "public");
    who.hidden = false;
    document.getElementById("signout").hidden = false;
    const sessions = document.getElementById("my-sessions");
    if (sessions && csrf() && !token()) sessions.hidden = false;
  }

  document.getElementById("signout").addEventListener("click", async () => {
    if (csrf() && !token()) {
      await fetch("/auth/logout", { method: "POST", headers: { "X-CSRF-Token": csrf() }, credentials: "same-origin" });
    }
    clear();
    window.location.href = "/";
  });

  return { token, save, clear, api, showUser, signedIn };
})();
