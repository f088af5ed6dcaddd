/* cloudpeds live sessions: the status of each session from the reader's clock (before: a countdown; during:
   "live" and the player; after: "ended"), so that a static page stays right without a rebuild. The
   schedule moves each session into its section (live now, upcoming, past). Times come from the page as
   UTC (data-start, data-end). */
(function () {
  "use strict";
  var sessions = Array.prototype.slice.call(document.querySelectorAll("[data-cp-session]"));
  if (!sessions.length) return;
  var schedule = document.querySelector("[data-cp-schedule]");
  var unitsOf = (schedule || sessions[0]).getAttribute("data-units") || "d|h|min|s";
  var units = unitsOf.split("|");

  function status(session, now) {
    if (now < Date.parse(session.getAttribute("data-start"))) return "upcoming";
    return now < Date.parse(session.getAttribute("data-end")) ? "live" : "past";
  }

  function countdown(ms) {
    var s = Math.max(0, Math.floor(ms / 1000)), parts = [];
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    if (d) parts.push(d + " " + units[0]);
    if (d || h) parts.push(h + " " + units[1]);
    parts.push(m + " " + units[2]);
    if (!d && !h) parts.push(s % 60 + " " + units[3]);
    return " · " + parts.join(" ");
  }

  function place(session, state) {
    if (!schedule || session.getAttribute("data-placed") === state) return;
    var list = schedule.querySelector('[data-section="' + state + '"] .cp-schedule__list');
    var start = Date.parse(session.getAttribute("data-start"));
    /* upcoming and live: soonest first; past: latest first */
    var after = Array.prototype.slice.call(list.children).filter(function (other) {
      var t = Date.parse(other.getAttribute("data-start"));
      return state === "past" ? t < start : t > start;
    })[0];
    list.insertBefore(session, after || null);
    session.setAttribute("data-placed", state);
  }

  function update() {
    var now = Date.now();
    sessions.forEach(function (session) {
      var state = status(session, now);
      if (session.getAttribute("data-status") !== state) session.setAttribute("data-status", state);
      var clock = session.querySelector(".cp-session__countdown");
      if (clock) clock.textContent = state === "upcoming" ? countdown(Date.parse(session.getAttribute("data-start")) - now) : "";
      place(session, state);
    });
    if (schedule) {
      Array.prototype.forEach.call(schedule.querySelectorAll("[data-section]"), function (section) {
        section.querySelector(".cp-schedule__none").hidden = !!section.querySelector("[data-cp-session]");
      });
    }
  }
  update();
  setInterval(update, 1000);
})();
