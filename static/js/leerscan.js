// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Copy buttons for the private link: shown only when the browser can copy.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = button.closest(".resume-link").querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = button.getAttribute("data-copied") || "Link gekopieerd";
        button.textContent = status.textContent;
      });
    });
  });
  // After a failed submit, move focus to the error summary so screen readers hear it.
  var summary = document.getElementById("foutmelding");
  if (summary) { summary.focus(); }
})();
