// Progressive enhancement for the quiz: every step without a page load.
// Without JavaScript each form posts and the server redirects to the next
// step; with it, the same request is sent with fetch and the panel of the
// resulting page replaces the current one in place. The address is replaced,
// not pushed, so Back leaves the quiz instead of walking through its steps.
// Grading stays on the server: this file never knows the answer.
(function () {
  "use strict";
  var panel = document.getElementById("quiz-panel");
  if (!panel) return;

  // A link to one case of the summary (#result-N, from "Sure, but wrong") opens that case's explanation:
  // a <details> stays shut when its <li> is the target. The cases those links name come open from the
  // server anyway; this opens any other an address names.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.classList.contains("result") && target.querySelector("details");
    if (details) details.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  if (!window.fetch || !window.DOMParser) return;

  panel.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") return;
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        // Only a redirected answer names the next step's address; a 4xx answers at the form's own.
        var url = response.redirected ? response.url : null;
        return response.text().then(function (html) { return { html: html, url: url }; });
      })
      .then(function (result) {
        var html = result.html;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.getElementById("quiz-panel");
        if (!next) throw new Error("no quiz panel in the response");
        var messages = doc.querySelector(".messages");
        var old = document.querySelector("main .messages");
        if (old) old.remove();
        if (messages) panel.parentNode.insertBefore(document.importNode(messages, true), panel);
        panel.replaceChildren.apply(panel, Array.prototype.map.call(next.childNodes, function (node) {
          return document.importNode(node, true);
        }));
        document.title = doc.title;
        if (result.url && window.history && window.history.replaceState) {
          window.history.replaceState(null, "", result.url);
        }
        // Each step starts at the top, as a new page would: the verdict and "Next" on the first screen.
        window.scrollTo(0, 0);
        var heading = panel.querySelector("h2[tabindex]");
        if (heading) heading.focus({ preventScroll: true });
      })
      .catch(function () {
        // Fall back to an ordinary submission. Through the prototype: the form's button is
        // named "submit", which hides the form's own submit() method.
        HTMLFormElement.prototype.submit.call(form);
      });
  });
})();
