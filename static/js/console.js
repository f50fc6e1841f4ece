// Progressive enhancements; every page works without them. No inline scripts (Content-Security-Policy).
(function () {
  "use strict";

  function copyText(text, button) {
    var done = function () {
      var original = button.dataset.label || button.textContent;
      button.dataset.label = original;
      button.textContent = button.dataset.copiedLabel || "✓";
      setTimeout(function () { button.textContent = original; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "position-absolute top-0 start-0 opacity-0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (button) {
      event.preventDefault();
      copyText(button.getAttribute("data-copy"), button);
    }
    var confirmer = event.target.closest("[data-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Auto-submit filter forms whose controls carry data-autosubmit.
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });

  // A form marked data-submit-once disables its submit buttons after the first submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-submit-once]")) {
      if (form.dataset.submitted === "1") { event.preventDefault(); return; }
      form.dataset.submitted = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }
  });

  // The checkout's fee box says which inputs it priced (data-priced = "plan=…&addon_x=…"). If the inputs
  // changed while that estimate was in flight (a quantity typed during a plan change), ask again once.
  var lastAsked = null;
  document.addEventListener("htmx:afterSettle", function () {
    var box = document.querySelector("#fee-box[data-priced]");
    var form = box && box.closest("form");
    if (!form || !window.htmx) { return; }
    var current = box.dataset.priced.split("&").map(function (pair) {
      var name = pair.split("=")[0];
      var field = form.elements[name];
      var value = "";
      if (field instanceof RadioNodeList) {
        value = field.value;
      } else if (field && field.type === "radio") {
        value = field.checked ? field.value : "";
      } else if (field) {
        value = field.value;
      }
      return name + "=" + value;
    }).join("&");
    if (current !== box.dataset.priced && current !== lastAsked) {
      lastAsked = current;
      var addons = document.getElementById("addons");
      if (addons) { window.htmx.trigger(addons, "input"); }
    }
  });
})();
