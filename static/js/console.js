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

  // Wide tables scroll inside their card: wrap each table in .table-responsive (unless a template did) and a
  // .table-scroll frame whose classes show a shadow on the side with more columns, plus a "scroll" hint.
  function frameTables(root) {
    var hint = document.body.getAttribute("data-scroll-hint") || "";
    root.querySelectorAll("main table").forEach(function (table) {
      var scroller = table.parentElement;
      if (!scroller.classList.contains("table-responsive")) {
        scroller = document.createElement("div");
        scroller.className = "table-responsive";
        table.parentElement.insertBefore(scroller, table);
        scroller.appendChild(table);
      }
      if (scroller.parentElement.classList.contains("table-scroll")) { return; }
      // Keyboard users scroll it too (axe: scrollable-region-focusable).
      scroller.setAttribute("tabindex", "0");
      var frame = document.createElement("div");
      frame.className = "table-scroll";
      scroller.parentElement.insertBefore(frame, scroller);
      frame.appendChild(scroller);
      var note = document.createElement("p");
      note.className = "table-scroll-hint";
      note.setAttribute("aria-hidden", "true");
      note.textContent = hint;
      frame.parentElement.insertBefore(note, frame.nextSibling);
      var update = function () {
        var left = scroller.scrollLeft;
        frame.classList.toggle("more-left", left > 1);
        frame.classList.toggle("more-right", scroller.scrollWidth - scroller.clientWidth - left > 1);
      };
      scroller.addEventListener("scroll", update, { passive: true });
      window.addEventListener("resize", update);
      update();
    });
  }
  frameTables(document);
  document.addEventListener("htmx:afterSettle", function (event) { frameTables(event.target.ownerDocument || document); });

  // Countdowns to a time the page prints ([data-countdown-to] = ISO 8601), every second, "in m:ss".
  function tickCountdowns() {
    document.querySelectorAll("[data-countdown-to]").forEach(function (element) {
      var left = Math.round((Date.parse(element.getAttribute("data-countdown-to")) - Date.now()) / 1000);
      if (isNaN(left)) { return; }
      if (left <= 0) {
        element.textContent = element.getAttribute("data-done-label");
        return;
      }
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      var time = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      element.textContent = (element.getAttribute("data-template") || "%s").replace("%s", time);
    });
  }
  tickCountdowns();
  setInterval(tickCountdowns, 1000);

  // A form marked data-clear-errors drops an error once the input it was about changes: the field's own
  // feedback (its fieldset or form-check) and the form-wide refusal, which no longer describes the inputs.
  function clearErrors(event) {
    var form = event.target.form || event.target.closest("form");
    if (!form || !form.matches("[data-clear-errors]")) { return; }
    var scope = event.target.closest("fieldset, .form-check, .addon-field") || event.target.parentElement;
    scope.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    scope.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
    document.querySelectorAll("#purchase-errors, [data-stale-error]").forEach(function (el) { el.remove(); });
  }
  document.addEventListener("change", clearErrors);

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
