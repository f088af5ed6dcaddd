/* cloudpeds lesson player. Before play the page shows only the poster (sized for phones) under a big play
   button: no video is attached, so no spinner, and nothing of the video is fetched. The first tap on the
   picture (or on a marker) starts it: hls.js light (from npm, copied into the site) is loaded then, from the
   URL the page gives in data-cp-hls-js (so the build may give it a hashed name), where Media Source
   Extensions exist; else native HLS (iOS Safari); else the MP4. From file:// (the offline bundle) the MP4
   plays. Progress in localStorage. */
(function () {
  "use strict";
  var video = document.querySelector(".cp-player__video");
  if (!video) return;
  var box = video.closest(".cp-lesson"), lesson = box.getAttribute("data-lesson");
  var figure = video.closest(".cp-player"), start = figure.querySelector(".cp-player__start");
  var hlsUrl = video.getAttribute("data-hls");
  var key = "cp-lesson:" + lesson, hls = null, started = false, pendingSeek = null;
  var sources = Array.prototype.slice.call(video.querySelectorAll("source"));
  var state = load();

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "null") || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode: no progress */ }
  }

  /* From file:// (the offline bundle) playlists cannot be fetched: the MP4 plays instead. */
  var fromDisk = location.protocol === "file:";
  var hasLadder = !fromDisk && hlsUrl && !/\/$/.test(hlsUrl);

  function mediaSource() {
    var MS = window.ManagedMediaSource || window.MediaSource || window.WebKitMediaSource;
    return !!(MS && MS.isTypeSupported && MS.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"'));
  }

  var engine = !hasLadder ? "mp4" : mediaSource() ? "hls.js"
    : video.canPlayType("application/vnd.apple.mpegurl") ? "native" : "mp4";
  box.setAttribute("data-engine", engine);
  /* No source until play: a stray play() must not start the MP4 download beside the stream. */
  if (engine !== "mp4") {
    sources.forEach(function (s) { s.remove(); });
    video.load();  /* forgets the MP4 the parser already selected (preload="none": nothing was fetched) */
  }

  function script(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src; tag.async = true; tag.onload = resolve; tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function useMp4() {
    engine = "mp4";
    box.setAttribute("data-engine", engine);
    video.removeAttribute("src");
    sources.forEach(function (s) { if (!s.parentNode) video.insertBefore(s, video.firstChild); });
    video.load();
  }

  function resumeAt() {
    if (pendingSeek !== null) return pendingSeek;
    if (state.pos > 5 && (!state.dur || state.pos < state.dur - 5) && !state.done) return state.pos;
    return 0;
  }

  function attachHls(at) {
    return script(video.getAttribute("data-cp-hls-js")).then(function () {
      if (!window.Hls || !window.Hls.isSupported()) { useMp4(); return; }
      hls = new window.Hls({ capLevelToPlayerSize: true, startPosition: at > 0 ? at : -1 });
      hls.attachMedia(video);
      hls.loadSource(hlsUrl);
    }, useMp4);
  }

  function play() {
    var promise = video.play();
    /* Refused (no user gesture yet): the poster and its button stay, and the next tap tries again. */
    if (promise && promise.catch) promise.catch(function () {
      if (video.paused && !video.currentTime) figure.setAttribute("data-state", "idle");
    });
  }

  /* The first start: attach the stream (loading hls.js), then play at the resume position. */
  function begin() {
    if (started) { play(); return; }
    started = true;
    figure.setAttribute("data-state", "loading");
    var at = resumeAt();
    pendingSeek = null;
    var ready = Promise.resolve();
    if (engine === "hls.js") ready = attachHls(at);
    else if (engine === "native") video.src = hlsUrl;
    ready.then(function () {
      if (at > 0 && !hls) video.currentTime = at;
      play();
    });
  }

  if (start) start.addEventListener("click", function (event) { event.preventDefault(); begin(); });
  video.addEventListener("play", function () { if (!started) begin(); });
  video.addEventListener("playing", function () { figure.setAttribute("data-state", "playing"); });

  function seek(at) {
    if (!started) { pendingSeek = at; begin(); return; }
    video.currentTime = at;
    if (video.paused) play();
  }

  box.querySelectorAll(".cp-marker[data-at]").forEach(function (button) {
    button.addEventListener("click", function () { seek(parseFloat(button.getAttribute("data-at"))); });
  });

  var lastSave = 0;
  video.addEventListener("timeupdate", function () {
    var t = video.currentTime, dur = video.duration || parseFloat(video.getAttribute("data-duration")) || 0;
    if (!dur || !isFinite(dur)) return;
    var buckets = Math.ceil(dur / 5), seen = (state.seen || "").padEnd(buckets, "0").split("");
    seen[Math.min(buckets - 1, Math.floor(t / 5))] = "1";
    state.seen = seen.join("");
    state.pos = t;
    state.dur = dur;
    if (state.seen.split("1").length - 1 >= 0.9 * buckets) state.done = true;
    if (Date.now() - lastSave > 2000) { lastSave = Date.now(); save(); }
  });
  video.addEventListener("pause", save);
  video.addEventListener("ended", function () { state.done = true; save(); });

  var match = /[#&]t=(\d+(?:\.\d+)?)/.exec(location.hash);
  if (match) pendingSeek = parseFloat(match[1]);
})();
