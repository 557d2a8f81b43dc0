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
  // A link to a question (error summary, review page): open a folded section around it, show the
  // whole question and put the focus in it. Without this script the browser scrolls to it.
  function showQuestion(id) {
    var input = document.getElementById(id);
    if (!input) { return false; }
    var details = input.closest("details");
    if (details) { details.open = true; }
    var question = input.closest(".question") || input;
    question.scrollIntoView({block: "start"});
    input.focus({preventScroll: true});
    return true;
  }
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (showQuestion(link.getAttribute("href").slice(1))) { event.preventDefault(); }
    });
  });
  if (window.location.hash.length > 1) { showQuestion(window.location.hash.slice(1)); }
  // A question that applies only after a certain answer (the HR department's task, only with an
  // HR department) is hidden and left out of the form otherwise; the server checks it too.
  document.querySelectorAll("[data-depends-on]").forEach(function (question) {
    var form = question.closest("form");
    var name = question.getAttribute("data-depends-on");
    var wanted = question.getAttribute("data-depends-value");
    function update() {
      var chosen = form.querySelector("input[name='" + name + "']:checked");
      var shown = chosen !== null && chosen.value === wanted;
      question.hidden = !shown;
      question.querySelectorAll("input").forEach(function (input) { input.disabled = !shown; });
    }
    form.querySelectorAll("input[name='" + name + "']").forEach(function (input) {
      input.addEventListener("change", update);
    });
    update();
  });
})();
