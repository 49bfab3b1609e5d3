// The projector view's count of pupils who joined keeps itself up to date: every data-poll
// seconds (only while the tab is visible) it reads the small JSON answer at data-url and
// writes its label into the page (an aria-live region: a change is announced, a repeat is not).
// Without JavaScript the page's "Refresh the count" link does the same.
(function () {
  "use strict";
  var count = document.getElementById("joined");
  if (!count || !window.fetch) return;
  var seconds = parseInt(count.getAttribute("data-poll"), 10);
  var url = count.getAttribute("data-url");
  if (!seconds || !url) return;
  var busy = false;

  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && typeof data.label === "string" && count.textContent !== data.label) {
          count.textContent = data.label;
        }
      })
      .catch(function () { /* offline for a moment: the next tick tries again */ })
      .then(function () { busy = false; });
  }

  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", refresh);
})();
