// sangtao serve: live reload and the error overlay. Injected by the development server only;
// never part of a built site.
(function () {
  "use strict";
  var OVERLAY_ID = "__sangtao-overlay";

  function hideOverlay() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  function showOverlay(html) {
    hideOverlay();
    var template = document.createElement("template");
    template.innerHTML = html; // built and escaped by the server
    document.body.appendChild(template.content);
  }

  document.addEventListener("click", function (e) {
    if (e.target && e.target.closest && e.target.closest("[data-sangtao-dismiss]")) hideOverlay();
  });

  var source = new EventSource("/__sangtao/events");
  var opened = false;
  source.addEventListener("open", function () {
    // A reconnection means the server restarted: the page may be stale.
    if (opened) location.reload();
    opened = true;
  });
  source.addEventListener("reload", function () {
    location.reload();
  });
  // Also the name of EventSource's own connection-error event, which carries no data.
  source.addEventListener("error", function (e) {
    if (typeof e.data !== "string") return;
    try {
      showOverlay(JSON.parse(e.data).html);
    } catch (_) {
      /* a malformed event changes nothing */
    }
  });
  source.addEventListener("ok", hideOverlay);
})();
