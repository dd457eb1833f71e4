// Injected by `publisher serve` only. Reloads on a successful rebuild and shows
// the build's error lines over the page when one fails.
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
  var source = new EventSource("/__publisher/events");
  var seen = null;
  source.addEventListener("build", function (event) {
    var data = JSON.parse(event.data);
    if (data.errors.length) { show(data.errors.join("\n")); return; }
    if (seen !== null && data.version !== seen) { location.reload(); return; }
    seen = data.version;
    if (overlay) { overlay.remove(); overlay = null; }
  });
})();
