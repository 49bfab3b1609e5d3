// Names for the controls that the admin's own scripts build without one (axe: "label",
// "aria-input-field-name", "aria-prohibited-attr"). The server-rendered <select> each of them
// replaces has its name (a <label for>, or an aria-label in a table row); this gives it to
// the replacement too. Nothing here changes what is sent: without JavaScript the plain
// <select> is used, and it is labelled already.
// - Select2 (autocomplete fields): the box, its search field and the dropdown's search field;
//   the box's read-only "textbox" role is dropped (its text is part of the box's name).
// - The "filter" icon of a two-box choice (SelectFilter2): an aria-label on a plain <span> is
//   not allowed; as an image it is, and it still names the filter field its label holds.
// - An open Select2 box names the list it controls (aria-controls, which ARIA 1.2 asks of an
//   expanded combobox; Select2 4.0 sets only the older aria-owns).
// The widgets are built after this runs, and again whenever a row is added, so new nodes are
// watched rather than looked for once.
(function () {
  "use strict";

  function nameOf(select) {
    if (!select) return "";
    var own = select.getAttribute("aria-label");
    if (own) return own;
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/[:\s]+$/, "").trim() : "";
  }

  // Select2 names its parts after the <select>'s id: select2-<id>-container, select2-<id>-results.
  function selectFor(element, pattern) {
    var match = pattern.exec(element.id || "");
    return match ? document.getElementById(match[1]) : null;
  }

  function nameBox(container) {
    var select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") return;
    var name = nameOf(select);
    if (!name) return;
    var box = container.querySelector(".select2-selection");
    if (box) {
      var hiddenId = select.id + "-select2-name";
      if (!document.getElementById(hiddenId)) {
        var hidden = document.createElement("span");
        hidden.id = hiddenId;
        hidden.hidden = true;
        hidden.textContent = name;
        container.appendChild(hidden);
      }
      var rendered = box.querySelector(".select2-selection__rendered");
      if (rendered && rendered.id && box.getAttribute("role") === "combobox" && !box.matches(".select2-selection--multiple")) {
        box.setAttribute("aria-labelledby", hiddenId + " " + rendered.id);
      } else {
        box.setAttribute("aria-labelledby", hiddenId);
      }
      if (rendered) {
        rendered.removeAttribute("role");
        rendered.removeAttribute("aria-readonly");
      }
    }
    container.querySelectorAll(".select2-search__field").forEach(function (field) {
      field.setAttribute("aria-label", name);
    });
  }

  function nameDropdown(dropdown) {
    var results = dropdown.querySelector(".select2-results__options[id]");
    var name = nameOf(results && selectFor(results, /^select2-(.+)-results$/));
    if (!name) return;
    dropdown.querySelectorAll(".select2-search__field").forEach(function (field) {
      field.setAttribute("aria-label", name);
    });
  }

  function fix(root) {
    if (!root.querySelectorAll) return;
    var containers = Array.prototype.slice.call(root.querySelectorAll(".select2-container"));
    if (root.matches && root.matches(".select2-container")) containers.push(root);
    containers.forEach(function (container) {
      if (container.querySelector(".select2-dropdown")) nameDropdown(container);
      else nameBox(container);
    });
    var inside = root.closest && root.closest(".select2-container");
    if (inside && containers.indexOf(inside) < 0) {
      if (inside.querySelector(".select2-dropdown")) nameDropdown(inside);
      else nameBox(inside);
    }
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function followExpanded(box) {
    var container = box.closest(".select2-container");
    var select = container && container.previousElementSibling;
    if (box.getAttribute("aria-expanded") === "true" && select && select.id) {
      box.setAttribute("aria-controls", "select2-" + select.id + "-results");
    } else {
      box.removeAttribute("aria-controls");
    }
  }

  function start() {
    fix(document.body);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "attributes") {
          if (record.target.matches(".select2-selection")) followExpanded(record.target);
          return;
        }
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) fix(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-expanded"] });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
