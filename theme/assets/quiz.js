/* cloudpeds quizzes: answers checked in the browser against the key in the page (a quiz is self-assessment),
   attempts and scores kept in localStorage, and the course's completion record (print, xAPI 1.0.3 export).
   Loaded on first use: progress.js loads it at the first focus or submit inside a quiz on a lesson page;
   the quiz page loads it itself. Nothing is sent anywhere. */
(function () {
  "use strict";
  if (window.cpQuiz) return;
  var STORE = "cp-quiz:", NAME = "cp-learner-name", KEEP = 20;
  var XAPI = "http://adlnet.gov/expapi/verbs/";
  var VERB_WORDS = { completed: "已完成", passed: "通过", failed: "未通过" };

  function parse(element) {
    try { return JSON.parse(element.textContent); } catch (e) { return null; }
  }
  function read(course) {
    try { return JSON.parse(localStorage.getItem(STORE + course) || "null") || { attempts: [], practice: {} }; }
    catch (e) { return { attempts: [], practice: {} }; }
  }
  function write(course, state) {
    try { localStorage.setItem(STORE + course, JSON.stringify(state)); } catch (e) { /* storage full or off */ }
  }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function chosen(fieldset) {
    return Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (input) {
      return input.value;
    }).sort();
  }
  function same(a, b) { return a.length === b.length && a.every(function (x, i) { return x === b[i]; }); }

  function grade(form) {
    var data = parse(form.querySelector(".cp-quiz-data"));
    if (!data) return;
    var s = data.strings, fieldsets = form.querySelectorAll(".cp-question");
    var missing = Array.prototype.filter.call(fieldsets, function (f) { return !chosen(f).length; });
    var result = form.querySelector(".cp-quiz__result");
    if (missing.length) {
      result.textContent = fill(s.unanswered, { n: missing.length });
      missing[0].querySelector("input").focus();
      return;
    }
    var raw = 0, answers = {}, state = read(data.course);
    Array.prototype.forEach.call(fieldsets, function (fieldset) {
      var id = fieldset.getAttribute("data-question"), key = (data.key[id] || []).slice().sort();
      var picked = chosen(fieldset), right = same(picked, key);
      answers[id] = picked;
      if (right) raw += 1;
      state.practice = state.practice || {};
      state.practice[id] = right;
      fieldset.setAttribute("data-result", right ? "correct" : "wrong");
      fieldset.querySelectorAll(".cp-choice").forEach(function (label) {
        label.classList.toggle("cp-choice--answer", key.indexOf(label.getAttribute("data-choice")) >= 0);
      });
      var answerText = Array.prototype.filter.call(fieldset.querySelectorAll(".cp-choice"), function (label) {
        return key.indexOf(label.getAttribute("data-choice")) >= 0;
      }).map(function (label) { return label.textContent.trim(); }).join(" / ");
      var feedback = fieldset.querySelector(".cp-question__feedback");
      feedback.querySelector(".cp-question__verdict").textContent = right ? s.correct : s.wrong + " " + answerText;
      feedback.hidden = false;
    });
    var max = fieldsets.length, pct = Math.round(100 * raw / max);
    if (data.mode === "attempt") {
      var passed = pct >= data.pass;
      state.attempts = (state.attempts || []).concat([{
        at: new Date().toISOString(), raw: raw, max: max, pct: pct, pass: data.pass, passed: passed, answers: answers
      }]).slice(-KEEP);
      result.textContent = fill(s.score, { raw: raw, max: max, pct: pct, mark: data.pass,
                                           result: passed ? s.passed : s.failed });
      result.setAttribute("data-passed", passed ? "true" : "false");
      var again = form.querySelector(".cp-quiz__again");
      if (again) again.hidden = false;
    } else {
      result.textContent = fill(s.practice, { raw: raw, max: max });
    }
    write(data.course, state);
    showRecord();
  }

  function reset(form) {
    form.reset();
    form.querySelectorAll(".cp-question").forEach(function (fieldset) {
      fieldset.removeAttribute("data-result");
      fieldset.querySelector(".cp-question__feedback").hidden = true;
      fieldset.querySelectorAll(".cp-choice--answer").forEach(function (l) { l.classList.remove("cp-choice--answer"); });
    });
    var result = form.querySelector(".cp-quiz__result");
    result.textContent = "";
    result.removeAttribute("data-passed");
    form.querySelector(".cp-quiz__again").hidden = true;
    form.querySelector("input").focus();
  }

  // -- the completion record ----------------------------------------------------------------------
  function edition() {
    var element = document.querySelector(".cp-edition-data");
    var data = element ? parse(element) : null;
    return data ? { version: String(data.version), label: data.label, date: data.date } : null;
  }
  function bestAttempt(state) {
    var best = null;
    (state.attempts || []).forEach(function (a) { if (!best || a.pct >= best.pct) best = a; });
    return best;
  }
  function watched(lessons) {
    return lessons.filter(function (id) {
      try { return !!(JSON.parse(localStorage.getItem("cp-lesson:" + id) || "null") || {}).done; }
      catch (e) { return false; }
    });
  }
  function localDate(iso) {
    var d = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }
  function recordParts() {
    var section = document.querySelector(".cp-record");
    if (!section) return null;
    var record = parse(section.querySelector(".cp-record-data"));
    var form = document.querySelector("form.cp-quiz[data-mode=attempt]");
    var quiz = form ? parse(form.querySelector(".cp-quiz-data")) : null;
    if (!record || !quiz) return null;
    var state = read(record.course);
    return { section: section, record: record, quiz: quiz, state: state, best: bestAttempt(state),
             watched: watched(record.lessons), edition: edition() };
  }
  function showRecord() {
    var p = recordParts();
    if (!p) return;
    var s = p.quiz.strings, section = p.section;
    function set(cls, text) { section.querySelector(cls).textContent = text; }
    var ed = p.edition;
    set(".cp-record__edition", ed ? (ed.label || ed.version) + " (" + ed.version + ")" : "—");
    if (p.best) {
      set(".cp-record__date", localDate(p.best.at));
      set(".cp-record__score", p.best.raw + "/" + p.best.max + " (" + p.best.pct + "%) · " +
          (p.best.passed ? s.passed : s.failed) + " · " + fill(s.best, { n: p.state.attempts.length, best: p.best.pct }));
    } else {
      set(".cp-record__date", localDate(new Date().toISOString()));
      set(".cp-record__score", s.no_attempt);
    }
    set(".cp-record__lessons", fill(s.lessons_of, { n: p.watched.length, total: p.record.lessons.length }) +
        (p.watched.length ? " — " + p.watched.map(function (id) { return p.record.lessonTitles[id] || id; })
          .join(" / ") : ""));
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function base() {
    var canonical = document.querySelector("link[rel=canonical]");
    return canonical && canonical.href ? canonical.href : location.href;
  }
  function clean(url) { var u = new URL(url, base()); u.hash = ""; u.search = ""; return u.href; }

  /* xAPI 1.0.3 statements: "passed" or "failed" for the quiz attempt, and "completed" when every lesson has
     been watched. The actor is the name the learner typed (an account on this site, no e-mail). */
  function statements(name) {
    var p = recordParts();
    if (!p || !p.best) return [];
    var home = clean(p.record.home), activity = clean(p.record.activity), ed = p.edition;
    var names = {};
    Object.keys(p.record.courseTitles).forEach(function (lang) {
      names[lang === "zh" ? "zh-CN" : "en-US"] = p.record.courseTitles[lang];
    });
    var extensions = {};
    extensions[home + "xapi/self-reported"] = true;
    if (ed) extensions[home + "xapi/edition"] = ed;
    var context = { platform: "cloudpeds", language: document.documentElement.lang || "zh", extensions: extensions };
    if (ed) context.revision = ed.version;
    var resultExtensions = {};
    resultExtensions[home + "xapi/lessons-watched"] = p.watched;
    function statement(verb, completion) {
      return {
        id: uuid(),
        actor: { objectType: "Agent", name: name, account: { homePage: home, name: name } },
        verb: { id: XAPI + verb, display: { "en-US": verb, "zh-CN": VERB_WORDS[verb] } },
        object: { objectType: "Activity", id: activity,
                  definition: { name: names, type: "http://adlnet.gov/expapi/activities/course" } },
        result: { score: { scaled: Math.round(10000 * p.best.raw / p.best.max) / 10000, raw: p.best.raw, min: 0,
                           max: p.best.max },
                  success: p.best.passed, completion: completion, extensions: resultExtensions },
        context: context,
        timestamp: p.best.at
      };
    }
    var out = [statement(p.best.passed ? "passed" : "failed", true)];
    if (p.watched.length === p.record.lessons.length) out.push(statement("completed", true));
    return out;
  }

  function exportRecord() {
    var p = recordParts();
    if (!p) return;
    var s = p.quiz.strings, message = p.section.querySelector(".cp-record__message");
    var name = p.section.querySelector(".cp-record__input").value.trim();
    if (!name) { message.textContent = s.need_name; p.section.querySelector(".cp-record__input").focus(); return; }
    if (!p.best) { message.textContent = s.no_attempt; return; }
    var blob = new Blob([JSON.stringify(statements(name), null, 2)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "xapi-" + p.record.course + "-" + localDate(p.best.at) + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
    message.textContent = s.exported;
  }

  function printRecord() {
    document.documentElement.classList.add("cp-printing-record");
    window.addEventListener("afterprint", function done() {
      document.documentElement.classList.remove("cp-printing-record");
      window.removeEventListener("afterprint", done);
    });
    window.print();
  }

  // -- wiring -------------------------------------------------------------------------------------
  document.querySelectorAll("form.cp-quiz").forEach(function (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); grade(form); });
    var again = form.querySelector(".cp-quiz__again");
    if (again) again.addEventListener("click", function () { reset(form); });
  });
  var record = document.querySelector(".cp-record");
  if (record) {
    var input = record.querySelector(".cp-record__input");
    try { input.value = localStorage.getItem(NAME) || ""; } catch (e) { /* storage off */ }
    input.addEventListener("change", function () {
      try { localStorage.setItem(NAME, input.value.trim()); } catch (e) { /* storage off */ }
    });
    record.querySelector(".cp-record__export").addEventListener("click", exportRecord);
    record.querySelector(".cp-record__print").addEventListener("click", printRecord);
    showRecord();
  }
  window.cpQuiz = { grade: grade, statements: statements };
  if (window.cpQuizPending) { var pending = window.cpQuizPending; window.cpQuizPending = null; grade(pending); }
})();
