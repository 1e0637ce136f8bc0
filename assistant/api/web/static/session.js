// The API token lives in localStorage; every call sends it as a Bearer header.
"use strict";

const Session = (() => {
  const KEY = "assistant.token";

  function token() { return localStorage.getItem(KEY); }
  function save(value) { localStorage.setItem(KEY, value); }
  function clear() { localStorage.removeItem(KEY); }

  // fetch JSON from the API; throws an Error carrying the API's {"error": {...}} message and status.
  async function api(path, options = {}) {
    const headers = Object.assign({
      "Authorization": "Bearer " + (token() || ""),
      "Accept": "application/json",
      "X-Assistant-Client": "web",
    }, options.body ? { "Content-Type": "application/json" } : {});
    const response = await fetch(path, Object.assign({}, options, { headers }));
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
    who.textContent = me.user + " · " + me.roles.join(", ");
    who.hidden = false;
    document.getElementById("signout").hidden = false;
  }

  document.getElementById("signout").addEventListener("click", () => {
    clear();
    window.location.href = "/";
  });

  return { token, save, clear, api, showUser };
})();
