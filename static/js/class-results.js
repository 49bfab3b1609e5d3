// The teacher's results page re-reads itself while the class works: every
// data-poll seconds (and only while the tab is visible) the page is fetched
// and its #live-results part replaces this one. Without JavaScript the
// "Refresh now" link does the same. No websockets, no third-party code.
(function () {
  "use strict";
  var live = document.getElementById("live-results");
  if (!live || !window.fetch || !window.DOMParser) return;
  var seconds = parseInt(live.getAttribute("data-poll"), 10);
  if (!seconds) return;
  var busy = false;

  function refresh() {
    // Not while the tab is hidden, nor under a keyboard user's focus inside the figures.
    if (busy || document.hidden || live.contains(document.activeElement)) return;
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live-results");
        if (!fresh) return;
        live.innerHTML = fresh.innerHTML;
        if (!fresh.getAttribute("data-poll")) window.clearInterval(timer); // closed: nothing more will come
      })
      .catch(function () { /* offline for a moment: the next tick tries again */ })
      .then(function () { busy = false; });
  }

  var timer = window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", refresh);
})();
