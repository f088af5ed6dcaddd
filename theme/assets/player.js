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
  /* Live mode (a live session's page: data-live): the stream starts near the live edge, with no resume
     position and no progress; the badge says "live" while the playlist is open, "ended" once it is closed. */
  var live = box.hasAttribute("data-live"), badge = figure.querySelector(".cp-live__badge");
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
  var hasLadder = (!fromDisk || live) && hlsUrl && !/\/$/.test(hlsUrl);  /* a live stream is on its own host */

  /* From file:// Chromium loads no <track> (each file: URL is an origin of its own), but it runs scripts:
     the offline build puts a script copy beside each caption file (name.vtt.js, registering its text in
     window.cpCaptions), and the track gets that text as a blob: URL, which is this page's own. */
  if (fromDisk) {
    Array.prototype.slice.call(video.querySelectorAll("track[src]")).forEach(function (track) {
      var src = track.getAttribute("src"), name = src.split("/").pop();
      script(src + ".js").then(function () {
        var text = (window.cpCaptions || {})[name];
        if (text) track.src = URL.createObjectURL(new Blob([text], { type: "text/vtt" }));
      }, function () { /* no copy (an older bundle): no captions, as before */ });
    });
  }

  function mediaSource() {
    var MS = window.ManagedMediaSource || window.MediaSource || window.WebKitMediaSource;
    return !!(MS && MS.isTypeSupported && MS.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"'));
  }

  var chosen = !hasLadder ? "mp4" : mediaSource() ? "hls.js"
    : video.canPlayType("application/vnd.apple.mpegurl") ? "native" : "mp4";
  var engine = chosen;
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

  /* The MP4 as the video's src (not a <source>: a failed src fires "error" on the video itself). */
  function useMp4() {
    engine = "mp4";
    box.setAttribute("data-engine", engine);
    video.src = video.getAttribute("data-mp4");
  }

  function resumeAt() {
    if (live) return 0;
    if (pendingSeek !== null) return pendingSeek;
    if (state.pos > 5 && (!state.dur || state.pos < state.dur - 5) && !state.done) return state.pos;
    return 0;
  }

  /* The bandwidth this phone has, in bit/s, or 0 when unknown: measured on this page's own downloads
     (Resource Timing of the largest same-origin transfer; latency included, so it errs low), else the
     browser's estimate (navigator.connection). */
  function bandwidth() {
    var measured = 0, biggest = 0;
    (performance.getEntriesByType ? performance.getEntriesByType("resource").concat(
      performance.getEntriesByType("navigation")) : []).forEach(function (e) {
      var seconds = (e.responseEnd - e.requestStart) / 1000;
      if (e.transferSize > 4096 && e.transferSize > biggest && seconds > 0) {
        biggest = e.transferSize;
        measured = e.transferSize * 8 / seconds;
      }
    });
    if (measured) return measured;
    var c = navigator.connection;
    if (c && /(^|-)2g$/.test(c.effectiveType || "")) return 1;
    return c && c.downlink > 0 ? c.downlink * 1e6 : 0;
  }

  /* Start at the highest rung whose first segment comes in about half its duration (the first frame waits
     for it); the lowest when the bandwidth is unknown or slow. ABR takes over from there. */
  function pickLevel(bitrates, bps) {
    var pick = 0;
    bitrates.forEach(function (bitrate, i) { if (bps && bitrate <= 0.5 * bps && bitrate > bitrates[pick]) pick = i; });
    return pick;
  }

  function absolute(url, base) { return new URL(url, base).href; }

  /* A prefetched download: its body (text or ArrayBuffer) and when it started, answered and ended, so that
     hls.js's bandwidth estimate sees the real transfer, not a copy from memory. */
  function download(url, kind) {
    var timing = { start: performance.now(), first: 0, end: 0 };
    var body = fetch(url, { credentials: "same-origin" }).then(function (r) {
      timing.first = performance.now();
      if (!r.ok) throw new Error(r.status + " " + url);
      return kind === "text" ? r.text() : r.arrayBuffer();
    }).then(function (data) { timing.end = performance.now(); return data; });
    return { body: body, timing: timing };
  }

  /* While hls.js downloads, fetch the master playlist, the start rung's playlist and its first segment, so
     that hls.js finds them (prefetched() below) instead of asking for one after another once it has arrived. */
  function prefetch(bps) {
    var master = absolute(hlsUrl, location.href), ready = {};
    ready[master] = download(master, "text");
    ready[master].body.then(function (m3u8) {
      var rungs = [], re = /#EXT-X-STREAM-INF:([^\n]*)\n([^\n#][^\n]*)/g, found;
      while ((found = re.exec(m3u8))) {
        rungs.push({ bitrate: +((/(?:^|,)BANDWIDTH=(\d+)/.exec(found[1]) || [0, 0])[1]),
                     url: absolute(found[2].trim(), master) });
      }
      rungs.sort(function (a, b) { return a.bitrate - b.bitrate; });
      var rung = rungs[pickLevel(rungs.map(function (r) { return r.bitrate; }), bps)];
      if (!rung) return;
      ready[rung.url] = download(rung.url, "text");
      return ready[rung.url].body.then(function (m3u8) {
        var first = /^[^#\s][^\n]*$/m.exec(m3u8);
        if (first) ready[absolute(first[0].trim(), rung.url)] = download(absolute(first[0].trim(), rung.url));
      });
    }).catch(function () { /* hls.js loads what is missing itself */ });
    return ready;
  }

  /* An hls.js loader that answers from the prefetched downloads (each once), else loads as usual. */
  function prefetched(Base, ready) {
    function Loader(config) { this.inner = new Base(config); this.stats = this.inner.stats; this.context = null; }
    Loader.prototype.load = function (context, config, callbacks) {
      var inner = this.inner, stats = this.stats, url = absolute(context.url, location.href), got = ready[url];
      this.context = context;
      if (!got) { inner.load(context, config, callbacks); return; }
      delete ready[url];
      got.body.then(function (data) {
        if (stats.aborted) return;
        stats.loading.start = got.timing.start;
        stats.loading.first = Math.max(got.timing.first, got.timing.start);
        stats.loading.end = Math.max(got.timing.end, stats.loading.first + 1);
        stats.loaded = stats.total = data.byteLength || data.length;
        callbacks.onSuccess({ url: url, data: data, code: 200 }, stats, context, null);
      }, function () {
        if (!stats.aborted) inner.load(context, config, callbacks);
      });
    };
    Loader.prototype.abort = function () { this.stats.aborted = true; this.inner.abort(); };
    Loader.prototype.destroy = function () { this.inner.destroy(); };
    Loader.prototype.getCacheAge = function () { return null; };
    Loader.prototype.getResponseHeader = function (name) {
      return this.inner.getResponseHeader ? this.inner.getResponseHeader(name) : null;
    };
    return Loader;
  }

  function attachHls(at) {
    var bps = bandwidth(), ready = window.fetch && window.URL && !(at > 0) && !live ? prefetch(bps) : {};
    return script(video.getAttribute("data-cp-hls-js")).then(function () {
      var Hls = window.Hls;
      if (!Hls || !Hls.isSupported()) { useMp4(); return; }
      hls = new Hls({ capLevelToPlayerSize: true, autoStartLoad: false, startPosition: at > 0 ? at : -1,
                      abrEwmaDefaultEstimate: bps || 250000,
                      pLoader: prefetched(Hls.DefaultConfig.loader, ready),
                      fLoader: prefetched(Hls.DefaultConfig.loader, ready) });
      if (live) {
        /* A live or event playlist without #EXT-X-ENDLIST is "live"; hls.js reloads it until it gets one. */
        hls.on(Hls.Events.LEVEL_LOADED, function (event, data) { liveState(data.details.live ? "live" : "ended"); });
      }
      hls.on(Hls.Events.ERROR, function (event, data) {
        if (data.fatal) failed(data.type === Hls.ErrorTypes.NETWORK_ERROR);
      });
      hls.on(Hls.Events.MANIFEST_PARSED, function (event, data) {
        hls.startLevel = pickLevel(data.levels.map(function (l) { return l.bitrate; }), bps);
        box.setAttribute("data-start-level", hls.startLevel);
        hls.startLoad(at > 0 ? at : -1);
      });
      hls.attachMedia(video);
      hls.loadSource(hlsUrl);
    }, useMp4);
  }

  /* An MSE engine can stop with media buffered ahead (WebKitGTK, at a switch of rung in the first seconds) without
     an error event: after 4 s of playing without progress, hls.js rebuilds the media source at the same position
     (its documented recovery, recoverMediaError), at most twice per lesson. A buffer that ran dry is left alone. */
  var stall = { at: -1, since: 0, recovered: 0 };
  setInterval(function () {
    /* Not skipped while seeking: the stop seen in WebKitGTK is a seek that never ends (readyState 1, 22 s buffered). */
    if (!hls || video.paused || video.ended || stall.recovered >= 2) { stall.at = -1; return; }
    var now = Date.now(), b = video.buffered, ahead = b.length ? b.end(b.length - 1) - video.currentTime : 0;
    if (video.currentTime !== stall.at || ahead < 1) { stall.at = video.currentTime; stall.since = now; return; }
    if (now - stall.since >= 4000) {
      stall.recovered += 1;
      stall.since = now;
      box.setAttribute("data-recovered", stall.recovered);
      hls.recoverMediaError();
    }
  }, 1000);

  function play() {
    var promise = video.play();
    /* Refused (no user gesture yet): the poster and its button stay, and the next tap tries again. */
    if (promise && promise.catch) promise.catch(function () {
      if (video.paused && !video.currentTime) figure.setAttribute("data-state", "idle");
    });
  }

  function liveState(value) {
    if (!live || box.getAttribute("data-live-state") === value) return;
    box.setAttribute("data-live-state", value);
    if (badge) { badge.textContent = badge.getAttribute("data-" + value + "-text"); badge.hidden = false; }
  }
  if (live) video.addEventListener("ended", function () { liveState("ended"); });

  /* No network (or the stream failed): play the MP4 when a copy is kept in Cache Storage, else say, in the
     page's language, that the video needs a network; the next tap tries again. */
  var message = figure.querySelector(".cp-player__message");
  function savedCopy() {
    var mp4 = video.getAttribute("data-mp4");
    if (!window.caches || !mp4 || /\/$/.test(mp4)) return Promise.resolve(null);
    return caches.match(absolute(mp4, location.href)).then(function (response) {
      return response ? response.blob() : null;
    }).then(function (blob) { return blob ? URL.createObjectURL(blob) : null; }, function () { return null; });
  }
  function say(text) {
    message.textContent = text;
    message.hidden = !text;
  }
  function failed(network) {
    if (hls) { hls.destroy(); hls = null; }
    savedCopy().then(function (url) {
      if (url) {
        engine = "mp4";
        box.setAttribute("data-engine", "saved");
        video.src = url;
        play();
        return;
      }
      started = false;
      engine = chosen;  /* the next tap starts over */
      box.setAttribute("data-engine", engine);
      if (engine !== "mp4") { video.removeAttribute("src"); video.load(); }
      figure.setAttribute("data-state", "failed");
      say(message.getAttribute(network || navigator.onLine === false ? "data-offline" : "data-failed"));
    });
  }
  window.addEventListener("online", function () {
    if (figure.getAttribute("data-state") === "failed") { say(""); figure.setAttribute("data-state", "idle"); }
  });
  video.addEventListener("error", function () {
    var code = video.error && video.error.code;
    if (started && engine !== "hls.js") failed(code === 2 || code === 4);
  });

  /* The first start: attach the stream (loading hls.js), then play at the resume position. */
  function begin() {
    if (started) { play(); return; }
    say("");
    if (!fromDisk && navigator.onLine === false) { started = true; failed(true); return; }
    started = true;
    figure.setAttribute("data-state", "loading");
    var at = resumeAt();
    pendingSeek = null;
    if (engine === "hls.js") {
      attachHls(at).then(function () {
        if (at > 0 && !hls) video.currentTime = at;  /* hls.js could not run: the MP4 */
        play();
      });
      return;
    }
    /* Native HLS and the MP4 play within the tap itself (iOS Safari allows play() only there). */
    if (engine === "native") video.src = hlsUrl;
    if (at > 0) video.currentTime = at;
    play();
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
    if (live) return;  /* a live stream has no progress to keep */
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
