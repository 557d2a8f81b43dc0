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
  // The PDF report is made in the background: while it is, ask the server how far it is every
  // two seconds (for five minutes at most) and show its answer. The box is a polite live region,
  // so its text is replaced only when the report is ready or failed (a screen reader then hears
  // it); before that only the progress bar moves. Without this script the box has a refresh link.
  function pollReportStatus(box, polls) {
    var url = box.getAttribute("data-report-status");
    if (!url || !window.fetch || !window.DOMParser || polls > 150) { return; }
    window.setTimeout(function () {
      fetch(url, {credentials: "same-origin", cache: "no-store"})
        .then(function (response) {
          if (!response.ok) { throw new Error("status " + response.status); }
          return response.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".report-status");
          if (!fresh) { return; }
          if (fresh.hasAttribute("data-report-status") && box.hasAttribute("data-report-status")) {
            // Still queued or being made: move the bar only (an indeterminate bar while queued).
            var bar = box.querySelector("progress");
            var freshBar = fresh.querySelector("progress");
            if (bar && freshBar) {
              if (freshBar.hasAttribute("value")) { bar.value = freshBar.value; } else { bar.removeAttribute("value"); }
              bar.textContent = freshBar.textContent;
            }
          } else {
            box.innerHTML = fresh.innerHTML;
          }
          box.setAttribute("data-report-state", fresh.getAttribute("data-report-state"));
          if (fresh.hasAttribute("data-report-status")) {
            box.setAttribute("data-report-status", fresh.getAttribute("data-report-status"));
            pollReportStatus(box, polls + 1);
          } else {
            box.removeAttribute("data-report-status");
          }
        })
        .catch(function () { /* the refresh link stays */ });
    }, 2000);
  }
  document.querySelectorAll("[data-report-status]").forEach(function (box) {
    pollReportStatus(box, 0);
  });
})();
