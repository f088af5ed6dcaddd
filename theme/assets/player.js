/* cloudpeds lesson player. hls.js (light build, from npm, copied into the site) where
   Hls.isSupported(), else native HLS (iOS Safari), else the MP4. Nothing but the master playlist
   is fetched before play (autoStartLoad: false; startLoad on play). Progress in localStorage. */
(function () {
  "use strict";
  var video = document.querySelector(".cp-player__video");
  if (!video) return;
  var box = video.closest(".cp-lesson"), lesson = box.getAttribute("data-lesson");
  var hlsUrl = video.getAttribute("data-hls"), mp4 = video.getAttribute("data-mp4");
  var key = "cp-lesson:" + lesson, hls = null, started = false, pendingSeek = null;
  var state = load();

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "null") || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode: no progress */ }
  }

  /* From file:// (the offline bundle) playlists cannot be fetched: the MP4 plays instead. */
  var offline = location.protocol === "file:";
  if (offline) {
    /* A CORS-mode request to a file: URL always fails: play the local MP4 as a plain resource. */
    video.removeAttribute("crossorigin");
    video.load();
  }

  function useHls() {
    return !offline && hlsUrl && !/\/$/.test(hlsUrl) && window.Hls && window.Hls.isSupported();
  }

  if (useHls()) {
    Array.prototype.slice.call(video.querySelectorAll("source")).forEach(function (s) { s.remove(); });
    hls = new window.Hls({ autoStartLoad: false, capLevelToPlayerSize: true });
    hls.loadSource(hlsUrl);
    hls.attachMedia(video);
    box.setAttribute("data-engine", "hls.js");
  } else if (!offline && hlsUrl && !/\/$/.test(hlsUrl) && video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = hlsUrl;
    box.setAttribute("data-engine", "native");
  } else {
    box.setAttribute("data-engine", "mp4");
  }

  function resumeAt() {
    if (pendingSeek !== null) return pendingSeek;
    if (state.pos > 5 && (!state.dur || state.pos < state.dur - 5) && !state.done) return state.pos;
    return 0;
  }

  video.addEventListener("play", function () {
    if (started) return;
    started = true;
    var at = resumeAt();
    if (hls) hls.startLoad(at > 0 ? at : -1);
    if (at > 0) video.currentTime = at;
    pendingSeek = null;
  });

  function seek(at) {
    if (!started) { pendingSeek = at; video.play(); return; }
    video.currentTime = at;
    if (video.paused) video.play();
  }

  box.querySelectorAll(".cp-marker[data-at]").forEach(function (button) {
    button.addEventListener("click", function () { seek(parseFloat(button.getAttribute("data-at"))); });
  });

  var lastSave = 0;
  video.addEventListener("timeupdate", function () {
    var t = video.currentTime, dur = video.duration || parseFloat(video.getAttribute("data-duration")) || 0;
    if (!dur) return;
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
