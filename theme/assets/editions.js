/* cloudpeds editions: "changed since your last visit".
 * The page carries its edition (script.cp-edition-data, from the cloudpeds/manual plugin). The last
 * edition the reader saw is kept in localStorage; when this edition is newer, a notice links to the
 * "What's new" page, which also lists the editions published in between. Visiting that page, or
 * "Got it", records this edition as seen. Nothing is fetched. */
(function () {
  "use strict";
  var KEY = "cp-edition-seen";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)); } catch (e) { return null; }
  }
  function save(data) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ version: data.version, number: data.number, label: data.label }));
    } catch (e) { /* private mode: nothing to remember */ }
  }
  function text(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }
  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function start() {
    var holder = document.querySelector("script.cp-edition-data");
    if (!holder) return;
    var data;
    try { data = JSON.parse(holder.textContent); } catch (e) { return; }
    var seen = load();
    var onWhatsNew = document.querySelector(".cp-whats-new");
    if (!seen || typeof seen.number !== "number") { save(data); return; }  // first visit: nothing to compare
    if (seen.number >= data.number) return;  // this edition, or an older one opened on purpose
    var s = data.strings;
    var message = text(s.since_visit, { old: seen.label || seen.version, "new": data.label });
    if (onWhatsNew) {
      var since = onWhatsNew.querySelector(".cp-since");
      if (since) {
        since.appendChild(element("p", "cp-since__message", message));
        var skipped = (data.editions || []).filter(function (e) { return e.number > seen.number && e.number < data.number; });
        if (skipped.length) {
          since.appendChild(element("p", null, s.since_skipped));
          var list = element("ul", "cp-since__editions");
          var root = new URL(data.root + "/", window.location.href);
          skipped.forEach(function (e) {
            var link = element("a", null, e.label);
            link.href = new URL("../" + encodeURIComponent(e.version) + "/" + data.whatsNewPath, root).href;
            var item = element("li");
            item.appendChild(link);
            list.appendChild(item);
          });
          since.appendChild(list);
        }
        since.hidden = false;
      }
      save(data);  // the reader is looking at the list now
      return;
    }
    var notice = document.querySelector(".cp-since-visit");
    if (!notice) return;
    notice.setAttribute("role", "status");
    notice.appendChild(element("span", "cp-since-visit__message", message + " "));
    var see = element("a", "cp-since-visit__see", s.since_see);
    see.href = data.whatsNew;
    notice.appendChild(see);
    var dismiss = element("button", "cp-since-visit__dismiss", s.since_dismiss);
    dismiss.type = "button";
    dismiss.addEventListener("click", function () { save(data); notice.hidden = true; });
    notice.appendChild(document.createTextNode(" "));
    notice.appendChild(dismiss);
    notice.hidden = false;
  }

  /* Material's version button is labelled "Select version" but shows the edition's title: screen
   * readers and voice control need the visible words in the name too (WCAG 2.5.3). */
  function labelVersionButton() {
    var topic = document.querySelector(".md-header__topic");
    if (!topic || !window.MutationObserver) return;
    function fix() {
      var button = topic.querySelector(".md-version__current");
      if (!button || button.getAttribute("data-cp-labelled")) return;
      button.setAttribute("aria-label", (button.getAttribute("aria-label") || "") + "：" + button.textContent.trim());
      button.setAttribute("data-cp-labelled", "1");
    }
    fix();
    new MutationObserver(fix).observe(topic, { childList: true, subtree: true });
  }

  /* Switching editions opens the same page of the other edition. Material finds it in the other edition's
   * sitemap.xml, which is empty without site_url; the releases folder's layout is known (releases/<version>/
   * <the same path>), so ask the server whether that page exists and fall back to the edition's home page. */
  function samePageOnSwitch() {
    var holder = document.querySelector("script.cp-edition-data");
    if (!holder || !window.fetch) return;
    var data;
    try { data = JSON.parse(holder.textContent); } catch (e) { return; }
    var root = new URL(data.root + "/", window.location.href).href;
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.md-version__link");
      var here = window.location.href.split("#")[0];
      var path = here.indexOf(root) === 0 ? here.slice(root.length) : "";
      if (!link || !path || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      event.stopImmediatePropagation();  // before Material's own handler, which needs the sitemap
      var home = link.href;
      var target = new URL(path, home).href + window.location.hash;
      window.fetch(target, { method: "HEAD" })
        .then(function (response) { window.location.href = response.ok ? target : home; })
        .catch(function () { window.location.href = home; });
    }, true);
  }

  function ready() { start(); labelVersionButton(); samePageOnSwitch(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
