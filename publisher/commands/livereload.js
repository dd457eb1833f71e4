// Injected by `publisher serve` only. Reloads the page when a rebuild changed it, and shows the build's error
// lines over the page when one fails. It names its page to the server, which writes open pages first.
(function () {
  var overlay = null;
  function show(lines) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "publisher-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.94);color:#fff;" +
        "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem;overflow:auto;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "publisher: the last save broke the build; still showing the last good site.\n\n" + lines;
  }
  // This page's URL path as the server names pages: `/a/` for a/index.html, `/a/b.html` for a/b.html.
  var here = location.pathname;
  try { here = decodeURIComponent(here); } catch (e) { /* left as it is */ }
  here = here.replace(/\/index\.html$/, "/");
  if (!/(\/|\.[^\/]*)$/.test(here)) { here += ".html"; }
  var script = document.currentScript;
  var missing = script && script.dataset.missing === "yes";  // the 404 page
  function changedHere(pages) {
    return !pages || pages.indexOf(here) >= 0 || (missing && pages.indexOf("/404.html") >= 0);
  }
  // Whether a build since the one this page saw changed it (a build too old to be listed may have).
  function reloadFor(data) {
    for (var version = seen + 1; version <= data.version; version++) {
      if (changedHere(data.reloads[version])) { return true; }
    }
    return false;
  }
  // The build this page comes from: a build since then that changed it reloads it, even one done before the
  // event stream connected (a tab that reloaded just before a save, and saw only that save's errors at first).
  var seen = script && script.dataset.version ? parseInt(script.dataset.version, 10) : null;
  function heard(event) {
    var data = JSON.parse(event.data);
    if (data.errors.length) { show(data.errors.join("\n")); return; }
    if (seen !== null && data.version !== seen && reloadFor(data)) { location.reload(); return; }
    seen = data.version;
    if (overlay) { overlay.remove(); overlay = null; }
  }
  // Only a tab in view listens: a browser opens 6 connections at most to a server (over HTTP/1), and each
  // stream holds one, so a seventh tab listening would wait for ever for its page. A tab brought back into
  // view listens again, and reloads then if a build changed its page meanwhile.
  var source = null;
  function listen() {
    if (document.hidden) {
      if (source) { source.close(); source = null; }
    } else if (!source) {
      source = new EventSource("/__publisher/events?page=" + encodeURIComponent(here));
      source.addEventListener("build", heard);
    }
  }
  document.addEventListener("visibilitychange", listen);
  listen();
})();
