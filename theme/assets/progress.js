/* cloudpeds course progress: kept in localStorage by player.js, shown on course pages and the catalogue. */
(function () {
  "use strict";
  function read(lesson) {
    try { return JSON.parse(localStorage.getItem("cp-lesson:" + lesson) || "null"); } catch (e) { return null; }
  }
  function watched(state) {
    if (!state || !state.dur) return 0;
    if (state.done) return 1;
    var buckets = Math.max(1, Math.ceil(state.dur / 5)), seen = (state.seen || "").split("1").length - 1;
    return Math.min(1, seen / buckets);
  }
  function show(element, fraction) {
    var bar = element.querySelector(".cp-progress__bar"), text = element.querySelector(".cp-progress__text");
    if (!bar || fraction <= 0) return;
    element.hidden = false;
    bar.style.width = Math.round(fraction * 100) + "%";
    text.textContent = Math.round(fraction * 100) + "%";
    element.setAttribute("aria-label", text.textContent);
  }
  window.cpProgress = { read: read, watched: watched };
  // A lesson's quiz: its script (data-cp-quiz-js) loads at the first focus or submit inside it.
  var quiz = document.querySelector("form[data-cp-quiz-js]");
  function loadQuiz(event) {
    var form = event.target.closest && event.target.closest("form[data-cp-quiz-js]");
    if (!form || window.cpQuiz) return;
    if (event.type === "submit") { event.preventDefault(); window.cpQuizPending = form; }
    if (quiz.loading) return;
    quiz.loading = document.createElement("script");
    quiz.loading.src = form.getAttribute("data-cp-quiz-js");
    document.head.appendChild(quiz.loading);
  }
  if (quiz && !document.querySelector(".cp-record")) {
    document.addEventListener("focusin", loadQuiz, true);
    document.addEventListener("submit", loadQuiz, true);
  }
  document.querySelectorAll(".cp-lesson-row[data-lesson]").forEach(function (row) {
    var progress = row.querySelector(".cp-progress");
    if (progress) show(progress, watched(read(row.getAttribute("data-lesson"))));
  });
  document.querySelectorAll(".cp-course-card[data-lessons]").forEach(function (card) {
    var lessons = card.getAttribute("data-lessons").split(" ").filter(Boolean);
    var total = lessons.reduce(function (sum, id) { return sum + watched(read(id)); }, 0);
    var progress = card.querySelector(".cp-progress");
    if (progress && lessons.length) show(progress, total / lessons.length);
  });
})();
