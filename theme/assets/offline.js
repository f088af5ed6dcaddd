/* cloudpeds: lessons saved for offline. A lesson's MP4, captions and posters go into the service worker's cache
   "cloudpeds-lessons-<scope>" with Cache.addAll, which stores all of them or none (a full quota rejects the
   whole batch); offline, player.js plays the MP4 from that cache and the worker answers the captions and
   posters from it (cloudpeds.delivery.service_worker). The list of saved lessons (titles, pages, files, size)
   is kept in localStorage and checked against the cache; the "saved" page lists them. */
(function () {
  "use strict";
  var CACHE = "cloudpeds-lessons-", INDEX = "cp-saved-lessons";
  var sw = navigator.serviceWorker;
  var supported = !!(window.caches && sw && location.protocol !== "file:");

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function mb(bytes) { return bytes >= 1e9 ? (bytes / 1e9).toFixed(1) + " GB" : (bytes / 1e6).toFixed(1) + " MB"; }
  function readIndex() {
    try { return JSON.parse(localStorage.getItem(INDEX) || "{}") || {}; } catch (e) { return {}; }
  }
  function writeIndex(index) {
    try { localStorage.setItem(INDEX, JSON.stringify(index)); } catch (e) { /* storage off */ }
  }
  function absolute(path) { return new URL(path, location.href).href; }
  function cache() {
    return sw.ready.then(function (registration) { return caches.open(CACHE + registration.scope); });
  }
  /* Saved means every file is in the cache. */
  function holds(files) {
    return cache().then(function (store) {
      return Promise.all(files.map(function (url) { return store.match(url); }));
    }).then(function (hits) { return hits.every(Boolean); });
  }
  function removeFiles(files) {
    return cache().then(function (store) {
      return Promise.all(files.map(function (url) { return store.delete(url); }));
    });
  }
  function storage(element, strings) {
    if (!element || !navigator.storage || !navigator.storage.estimate) return Promise.resolve(null);
    return navigator.storage.estimate().then(function (estimate) {
      element.textContent = fill(strings.storage, { used: mb(estimate.usage || 0), quota: mb(estimate.quota || 0) });
      return estimate;
    });
  }
  function isQuota(error) {
    return !!error && (error.name === "QuotaExceededError" || error.code === 22);
  }

  // -- a lesson page ------------------------------------------------------------------------------------
  var box = document.querySelector("[data-cp-save]");
  if (box && supported) {
    var data = JSON.parse(box.getAttribute("data-cp-save"));
    var s = data.strings, files = data.files.map(absolute);
    var button = box.querySelector(".cp-save__button"), remove = box.querySelector(".cp-save__remove");
    var status = box.querySelector(".cp-save__status"), used = box.querySelector(".cp-save__storage");
    var show = function (saved) {
      box.setAttribute("data-saved", saved ? "true" : "false");
      button.hidden = saved;
      remove.hidden = !saved;
      return storage(used, s);
    };
    // Only where a service worker runs this site (not under `mkdocs serve`, nor with the worker turned off).
    sw.getRegistration().then(function (registration) {
      if (!registration || !(registration.active || registration.installing || registration.waiting)) return;
      box.hidden = false;
      return holds(files).then(show);
    });
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = s.saving;
      box.setAttribute("data-saved", "saving");
      storage(used, s).then(function (estimate) {
        var free = estimate && estimate.quota ? estimate.quota - estimate.usage : Infinity;
        if (free < data.size) {
          var error = new Error("quota");
          error.name = "QuotaExceededError";
          error.free = free;
          throw error;
        }
        return cache().then(function (store) { return store.addAll(files); });
      }).then(function () {
        var index = readIndex();
        index[data.lesson] = { course: data.course, titles: data.titles, courseTitles: data.courseTitles,
                               pages: Object.keys(data.pages).reduce(function (out, lang) {
                                 out[lang] = absolute(data.pages[lang]); return out; }, {}),
                               files: files, size: data.size, at: new Date().toISOString() };
        writeIndex(index);
        status.textContent = s.saved;
        return show(true);
      }).catch(function (error) {
        // Nothing half-saved: addAll stores all or nothing, and whatever is there of this lesson goes.
        return removeFiles(files).then(function () {
          return navigator.storage && navigator.storage.estimate ? navigator.storage.estimate() : null;
        }).then(function (estimate) {
          var free = error.free !== undefined ? error.free : estimate ? estimate.quota - estimate.usage : 0;
          // The browser's estimate may still show room when a write was refused: then say only what it needs.
          var full = free < data.size ? s.full : s.full_need;
          status.textContent = isQuota(error) ? fill(full, { need: mb(data.size), free: mb(Math.max(0, free)) })
                                              : s.failed;
          return show(false);
        });
      }).then(function () { button.disabled = false; });
    });
    remove.addEventListener("click", function () {
      removeFiles(files).then(function () {
        var index = readIndex();
        delete index[data.lesson];
        writeIndex(index);
        status.textContent = s.removed;
        return show(false);
      });
    });
  }

  // -- the "saved" page -----------------------------------------------------------------------------------
  var list = document.querySelector("[data-cp-saved]");
  if (list) {
    var page = JSON.parse(list.getAttribute("data-cp-saved"));
    if (!supported) { list.querySelector(".cp-saved__unsupported").hidden = false; return; }
    var render = function () {
      var index = readIndex(), ids = Object.keys(index).sort(function (a, b) {
        return index[a].at < index[b].at ? 1 : -1;
      });
      var ul = list.querySelector(".cp-saved__list");
      return Promise.all(ids.map(function (id) { return holds(index[id].files); })).then(function (held) {
        ul.textContent = "";
        var shown = 0;
        ids.forEach(function (id, i) {
          var entry = index[id];
          if (!held[i]) { delete index[id]; return; } // evicted or removed elsewhere
          shown += 1;
          var li = document.createElement("li");
          li.className = "cp-saved__item";
          li.setAttribute("data-lesson", id);
          var link = document.createElement("a");
          link.href = entry.pages[page.lang] || entry.pages[Object.keys(entry.pages)[0]];
          link.textContent = entry.titles[page.lang] || entry.titles.zh;
          var meta = document.createElement("span");
          meta.className = "cp-saved__meta";
          meta.textContent = " " + (entry.courseTitles[page.lang] || entry.courseTitles.zh) + " · " + mb(entry.size) + " ";
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "md-button cp-saved__remove";
          drop.textContent = page.strings.remove;
          drop.addEventListener("click", function () {
            removeFiles(entry.files).then(function () {
              var now = readIndex();
              delete now[id];
              writeIndex(now);
              return render();
            });
          });
          li.appendChild(link);
          li.appendChild(meta);
          li.appendChild(drop);
          ul.appendChild(li);
        });
        writeIndex(index);
        list.querySelector(".cp-saved__empty").hidden = shown > 0;
        return storage(list.querySelector(".cp-save__storage"), page.strings);
      });
    };
    render();
  }
})();
