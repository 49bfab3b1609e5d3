// Progressive enhancement for the quiz: answer without a page load.
// Without JavaScript the form posts and the server redirects to the feedback
// page; with it, the same request is sent with fetch and the feedback panel
// of the resulting page replaces the question in place. Grading stays on the
// server: this file never knows the answer.
(function () {
  "use strict";
  var panel = document.getElementById("quiz-panel");
  if (!panel || !window.fetch || !window.DOMParser) return;

  panel.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "answer-form") return;
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
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
        var heading = panel.querySelector("h2[tabindex]");
        if (heading) heading.focus();
      })
      .catch(function () {
        // Fall back to an ordinary submission.
        form.submit();
      });
  });
})();
