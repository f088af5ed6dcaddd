/* Act now and the referral handover note (转诊单): the small part every page loads.
   The note (note.js and note.css), the chapter's words (clinical/<id>.note.js) and data (clinical/<id>.js), the
   evaluator (bedside-core.js) and the QR encoder load on first use, from the URLs the page gives on .cp-note-entry
   (so the build may hash their names).
   With a child's age or weight set on this phone (localStorage "cloudpeds:child", written by the "this child"
   control), the act-now block shows this child's doses. Nothing is sent anywhere. */
(function () {
  "use strict";
  var CHILD_KEY = "cloudpeds:child";
  var loading = {};

  function script(url) {
    if (!url) return Promise.reject(new Error("no URL"));
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = url;
        tag.onload = resolve;
        tag.onerror = function () { delete loading[url]; tag.remove(); reject(new Error(url)); };
        document.head.appendChild(tag);
      });
    }
    return loading[url];
  }

  function entry() { return document.querySelector(".cp-note-entry"); }

  function style(url) {
    if (!url || document.querySelector("link[data-cp-note-style]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    link.setAttribute("data-cp-note-style", "");
    document.head.appendChild(link);
  }

  /* note.js and this chapter's data; the evaluator too when the page does not have it yet (optional). */
  function ready() {
    var at = entry();
    if (!at) return Promise.reject(new Error("no note on this page"));
    var core = window.CloudpedsBedside ? Promise.resolve() :
      script(at.getAttribute("data-cp-bedside-core")).catch(function () {});
    var chapter = at.getAttribute("data-cp-chapter");
    var clinical = (window.cpClinical || {})[chapter] ? Promise.resolve() : script(at.getAttribute("data-cp-clinical"));
    return Promise.all([script(at.getAttribute("data-cp-note-js")), script(at.getAttribute("data-cp-note-data")),
                        clinical, core])
      .then(function () { return window.CloudpedsNote; });
  }

  function childSet() {
    try {
      var child = JSON.parse(localStorage.getItem(CHILD_KEY) || "null");
      return !!(child && child.v === 1 && (child.weightKg > 0 || child.ageDays >= 0));
    } catch (error) { return false; }
  }

  var shown = false;
  function actNow() {
    var box = document.querySelector(".cp-act-now");
    if (!box || !(shown || childSet())) return;
    shown = true;
    ready().then(function (note) { note.actNow(box); }, function () {});
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-cp-note]") : null;
    if (!button) return;
    event.preventDefault();
    style(entry() && entry().getAttribute("data-cp-note-css"));
    ready().then(function (note) { note.open(button); }, function () {
      var failed = document.querySelector(".cp-note-failed");
      if (failed) failed.hidden = false;
    });
  });
  /* The "this child" result (bedside.js, .cp-child__result, redrawn on every change) gets the note's button too. */
  var watched = null;
  function resultButton() {
    var box = document.querySelector(".cp-child__result");
    var button = document.querySelector(".cp-note-entry [data-cp-note]");
    if (!box || !button) return;
    if (box !== watched && window.MutationObserver) {
      watched = box;
      new MutationObserver(resultButton).observe(box, {childList: true});
    }
    if (!box.firstChild || box.querySelector("[data-cp-note]")) return;
    var copy = button.cloneNode(true);
    copy.hidden = false;
    var line = document.createElement("p");
    line.className = "cp-child__note-open";
    line.appendChild(copy);
    box.appendChild(line);
  }
  document.addEventListener("cloudpeds:child", function () { actNow(); resultButton(); });
  window.addEventListener("storage", function (event) { if (event.key === CHILD_KEY) actNow(); });
  // A printed chapter shows act-now open (CSS does it too where ::details-content is known).
  window.addEventListener("beforeprint", function () {
    var box = document.querySelector(".cp-act-now");
    if (box) box.open = true;
  });

  function init() {
    document.querySelectorAll("[data-cp-note]").forEach(function (button) { button.hidden = false; });
    actNow();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
