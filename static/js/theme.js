// The reader's light/dark choice. Loaded in <head> without defer, before the page paints, so a reader who
// chose dark on a light system (or the other way round) never sees the other theme flash: it sets
// data-theme on <html>, which the stylesheet's color-mode rules read. Without JavaScript, or until the
// reader chooses, the page follows the system (prefers-color-scheme). The choice is kept in this
// browser's localStorage only: nothing about it is sent to the server.
(function () {
  "use strict";
  var KEY = "explainer-theme";
  var root = document.documentElement;
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (error) { return null; } // storage blocked
  }
  function current() {
    return root.getAttribute("data-theme") || (system && system.matches ? "dark" : "light");
  }

  var choice = stored();
  if (choice === "light" || choice === "dark") root.setAttribute("data-theme", choice);

  // The header's switch: hidden in the HTML (it needs this script), a toggle button whose pressed state is
  // "dark" (aria-pressed), so screen readers announce "Dark theme, toggle button, pressed".
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-switch");
    if (!button) return;
    function show() { button.setAttribute("aria-pressed", String(current() === "dark")); }
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { window.localStorage.setItem(KEY, next); } catch (error) { /* kept for this page only */ }
      show();
    });
    if (system && system.addEventListener) system.addEventListener("change", show);
    show();
    button.hidden = false;
  });
})();
