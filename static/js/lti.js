// The LTI pages inside a course platform's frame (explainer/lti/). Everything works without this
// script; it only saves clicks.
(function () {
  "use strict";

  // The login's cookie check: when this frame may keep cookies, go on here at once; otherwise the
  // page already offers the new tab (pylti1p3's "new window" fallback).
  var check = document.querySelector("[data-lti-cookie-check]");
  if (check) {
    var secure = window.location.protocol === "https:";
    document.cookie = "lti1p3_test_cookie=1; path=/" + (secure ? "; SameSite=None; Secure" : "");
    if (document.cookie.indexOf("lti1p3_test_cookie") !== -1) {
      document.cookie = "lti1p3_test_cookie=; path=/; expires=Thu, 01 Jan 1970 00:00:01 GMT" + (secure ? "; SameSite=None; Secure" : "");
      window.location.replace(check.querySelector("[data-lti-continue]").href);
    } else {
      check.querySelector("[data-lti-new-tab]").focus();
    }
  }

  // The deep linking response goes back to the platform by itself.
  var back = document.querySelector("form[data-lti-autosubmit]");
  if (back) {
    back.submit();
  }

  // The rest of the site refuses to be framed: its links open in a new tab.
  document.querySelectorAll("a[href]").forEach(function (link) {
    var url = new URL(link.href, window.location.href);
    if (url.origin === window.location.origin && url.pathname.indexOf("/lti/") !== 0 && !link.target) {
      link.target = "_blank";
      link.rel = "noopener";
    }
  });
})();
