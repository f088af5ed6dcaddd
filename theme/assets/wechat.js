/* cloudpeds in WeChat's in-app browser (loaded by sw-register.js only when the user agent says
   MicroMessenger). On iOS WeChat is a WKWebView without service workers: nothing is kept for offline use,
   and zip downloads are blocked. On Android (XWeb) the service worker usually registers; when it does not,
   the same hint shows. The hint shows once (it is remembered), with the way round: open the page in the
   system browser and add it to the home screen. */
(function () {
  "use strict";
  var KEY = "cloudpeds:wechat-hint";
  var ua = navigator.userAgent;
  if (!/MicroMessenger/i.test(ua)) return;
  var ios = /iPhone|iPad|iPod/i.test(ua);
  document.documentElement.setAttribute("data-cp-wechat", ios ? "ios" : "android");
  var en = (document.documentElement.lang || "").indexOf("en") === 0;
  var t = en ? {
    offline: "WeChat's browser cannot keep this manual for use without a network.",
    how: ios ? "Tap ··· (top right) → Open in Safari, then Share → Add to Home Screen."
      : "Tap ··· (top right) → Open in browser, then add the page to the home screen.",
    zip: "WeChat cannot download files on iPhone: tap ··· (top right) → Open in Safari, then download.",
    ok: "Got it", label: "Use offline"
  } : {
    offline: "微信内置浏览器不能保存本手册供无网络时使用。",
    how: ios ? "点右上角 ··· →「在 Safari 中打开」，再点「分享」→「添加到主屏幕」。"
      : "点右上角 ··· →「在浏览器中打开」，再把页面添加到主屏幕。",
    zip: "iPhone 上的微信不能下载文件：点右上角 ··· →「在 Safari 中打开」后再下载。",
    ok: "知道了", label: "离线使用"
  };

  function remembered() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function remember() {
    try { localStorage.setItem(KEY, "1"); } catch (e) { /* private mode: shows again next time */ }
  }

  function paragraph(text, name) {
    var p = document.createElement("p");
    p.className = name;
    p.textContent = text;
    return p;
  }

  function show() {
    if (remembered() || document.querySelector(".cp-wechat")) return;
    remember();  /* once: the next page does not show it again */
    var box = document.createElement("div");
    box.className = "cp-update cp-wechat";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", t.label);
    var text = document.createElement("div");
    text.className = "cp-update__text";
    text.appendChild(paragraph(t.offline, "cp-wechat__offline"));
    text.appendChild(paragraph(t.how, "cp-wechat__how"));
    var ok = document.createElement("button");
    ok.type = "button";
    ok.className = "cp-update__reload";
    ok.textContent = t.ok;
    ok.addEventListener("click", function () { box.parentNode.removeChild(box); });
    box.appendChild(text);
    box.appendChild(ok);
    document.body.appendChild(box);
  }

  /* Zip links (the offline bundle): on iOS WeChat a download goes nowhere, so say so and give the way. */
  function zipLink(target) {
    var link = target && target.closest ? target.closest("a[href]") : null;
    return link && /\.zip(?:[?#]|$)/i.test(link.getAttribute("href")) ? link : null;
  }
  if (ios) {
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (link) {
      if (!zipLink(link)) return;
      var note = paragraph(t.zip, "cp-wechat__zip");
      link.parentNode.insertBefore(note, link.nextSibling);
    });
    document.addEventListener("click", function (event) {
      var link = zipLink(event.target);
      if (!link) return;
      event.preventDefault();
      var note = link.nextSibling && link.nextSibling.className === "cp-wechat__zip" ? link.nextSibling : null;
      if (!note) {
        note = paragraph(t.zip, "cp-wechat__zip");
        link.parentNode.insertBefore(note, link.nextSibling);
      }
      note.setAttribute("role", "alert");
    }, true);
    show();
    return;
  }
  /* Android WeChat: hint only when the service worker does not take this page within a while. */
  var sw = navigator.serviceWorker;
  if (!sw) { show(); return; }
  if (window.cpNoServiceWorker) { show(); return; }
  document.addEventListener("cloudpeds:no-service-worker", show);
  var settled = false;
  sw.ready.then(function () { settled = true; }, function () {});
  setTimeout(function () { if (!settled) show(); }, 15000);  /* registered but never ready */
})();
