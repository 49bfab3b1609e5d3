// A teacher's first class brings their browser's time zone (explainer/classes/time_zones.py):
// the hidden browser_time_zone field gets the zone's IANA name, and the note above the form
// names it, so the closing time is typed knowing which zone it is in. Without JavaScript the
// field stays empty and the site's zone holds, as the note already says.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var fields = document.querySelectorAll("input[name='browser_time_zone']");
  for (var i = 0; i < fields.length; i++) fields[i].value = zone;
  var names = document.querySelectorAll("[data-browser-zone]");
  for (var j = 0; j < names.length; j++) names[j].textContent = zone;
})();
