/* Busy indicator for forms that do long work on the server (the staff import).
   A form with data-busy-form shows its [data-busy-progress] element, announces the text in
   data-busy-text through its [data-busy-status] live region, and disables its submit button
   so a second click does not send the file twice. No inline script or style (CSP). */
(function () {
  "use strict";
  function reset(form) {
    form.removeAttribute("aria-busy");
    form.querySelectorAll("[data-busy-progress]").forEach(function (el) { el.hidden = true; });
    form.querySelectorAll("[data-busy-status]").forEach(function (el) { el.textContent = ""; });
    form.querySelectorAll("button[type=submit]").forEach(function (el) { el.disabled = false; });
  }
  document.querySelectorAll("form[data-busy-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll("[data-busy-progress]").forEach(function (el) { el.hidden = false; });
      form.querySelectorAll("[data-busy-status]").forEach(function (el) {
        el.textContent = form.getAttribute("data-busy-text") || "";
      });
      // Disabled after the submit event has started, so the form is still sent.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (el) { el.disabled = true; });
      }, 0);
    });
  });
  // Back-button navigation restores the page from cache: make the form usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy-form]").forEach(reset);
  });
})();
