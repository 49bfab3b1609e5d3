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

  // Keys on a question: 1, 2, 3 ... choose that answer, Enter checks it. Only here, where they work, do the
  // options announce their key (aria-keyshortcuts) and the hint under the form show. Every step that
  // replaces the panel brings a new form, so the keys are read from whatever form is there at the time.
  function answerForm() {
    return panel.querySelector("#answer-form");
  }
  function choices(form) {
    return form.querySelectorAll(".quiz-options input[type=radio]");
  }
  function offerKeys() {
    var form = answerForm();
    var hint = panel.querySelector("#key-hint");
    if (!form || !hint) return;
    Array.prototype.forEach.call(choices(form), function (input, index) {
      if (index < 9) input.setAttribute("aria-keyshortcuts", String(index + 1));
    });
    var group = form.querySelector(".quiz-options");
    var described = (group.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf("key-hint") < 0) group.setAttribute("aria-describedby", described.concat("key-hint").join(" "));
    hint.hidden = false;
  }
  document.addEventListener("keydown", function (event) {
    var form = answerForm();
    if (!form || event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    var focus = document.activeElement;
    var typing = focus && (focus.isContentEditable || /^(TEXTAREA|SELECT)$/.test(focus.tagName) ||
      (focus.tagName === "INPUT" && !/^(radio|checkbox)$/.test(focus.type)));
    if (typing) return;
    if (/^[1-9]$/.test(event.key)) {
      var input = choices(form)[Number(event.key) - 1];
      if (!input) return;
      event.preventDefault();
      input.checked = true;
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (event.key === "Enter") {
      // From the page, the question's heading or an option; links and buttons act on Enter themselves.
      var here = !focus || focus === document.body || focus.id === "question-heading" ||
        (form.contains(focus) && focus.tagName === "INPUT");
      if (!here) return;
      event.preventDefault();
      var check = form.querySelector("[type=submit]");
      if (form.requestSubmit) form.requestSubmit(check); else check.click();
    }
  });
  offerKeys();

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
        offerKeys();
      })
      .catch(function () {
        // Fall back to an ordinary submission. Through the prototype: the form's button is
        // named "submit", which hides the form's own submit() method.
        HTMLFormElement.prototype.submit.call(form);
      });
  });
})();
