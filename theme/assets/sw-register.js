/* cloudpeds: registers the service worker (sw.js, made by Workbox at build time; cdn profile) and, when
   a new edition has been deployed, offers to reload. The new worker waits until the reader agrees, so a
   page never mixes two editions: "reload" tells it to take over, and every open page then reloads. */
(function () {
  "use strict";
  var me = document.currentScript;
  var sw = navigator.serviceWorker;
  /* WeChat's in-app browser keeps nothing offline on iOS (no service worker) and blocks downloads there:
     wechat.js (loaded only inside WeChat) says how to open the page in the system browser instead. */
  if (me && /MicroMessenger/i.test(navigator.userAgent) && location.protocol !== "file:") {
    var hint = document.createElement("script");
    hint.src = me.getAttribute("data-wechat");
    hint.async = true;
    document.head.appendChild(hint);
  }
  function noWorker() {
    window.cpNoServiceWorker = true;
    document.dispatchEvent(new CustomEvent("cloudpeds:no-service-worker"));
  }
  if (!me || !sw || location.protocol === "file:") return;
  var url = me.getAttribute("data-sw");
  var en = (document.documentElement.lang || "").indexOf("en") === 0;
  var t = en
    ? { text: "A new edition of the manual is available.", reload: "Reload", later: "Later", label: "Update" }
    : { text: "手册有新版本。", reload: "重新载入", later: "稍后", label: "更新" };
  var controlled = !!sw.controller;
  var reloading = false;

  sw.addEventListener("controllerchange", function () {
    if (!controlled) { controlled = true; return; } // the first install took control: nothing to reload
    if (reloading) return;
    reloading = true;
    location.reload();
  });

  function offer(worker) {
    if (document.querySelector(".cp-update")) return;
    var box = document.createElement("div");
    box.className = "cp-update";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", t.label);
    var text = document.createElement("p");
    text.className = "cp-update__text";
    text.setAttribute("role", "status");
    text.textContent = t.text;
    var reload = document.createElement("button");
    reload.type = "button";
    reload.className = "cp-update__reload";
    reload.textContent = t.reload;
    reload.addEventListener("click", function () {
      reload.disabled = true;
      worker.postMessage({ type: "SKIP_WAITING" });
    });
    var later = document.createElement("button");
    later.type = "button";
    later.className = "cp-update__later";
    later.textContent = t.later;
    later.addEventListener("click", function () { box.remove(); });
    box.append(text, reload, later);
    document.body.appendChild(box);
  }

  function track(worker) {
    worker.addEventListener("statechange", function () {
      if (worker.state === "installed" && sw.controller) offer(worker);
    });
  }

  function watch(registration) {
    if (!registration) { noWorker(); return; }  /* blocked (some embedded browsers, test profiles) */
    if (registration.waiting && sw.controller) offer(registration.waiting);
    if (registration.installing) track(registration.installing); // the update began before this script ran
    registration.addEventListener("updatefound", function () {
      if (registration.installing) track(registration.installing);
    });
  }

  function register() {
    sw.register(url).then(watch, noWorker);  /* no service worker: the site still works online */
  }
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
