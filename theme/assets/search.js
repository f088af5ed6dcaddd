/* cloudpeds search: loads the prebuilt lunr index of the page's language on first use (a .js file,
   so it also works from file://), searches as you type, groups results by kind. No framework. */
(function () {
  "use strict";
  var box = document.querySelector(".cp-search");
  if (!box || !window.cpTokenizer) return;
  var root = box.getAttribute("data-cp-root") || ".";
  var lang = box.getAttribute("data-cp-lang") || "zh";
  var dialog = box.querySelector(".cp-search__dialog");
  var input = box.querySelector(".cp-search__input");
  var status = box.querySelector(".cp-search__status");
  var results = box.querySelector(".cp-search__results");
  var t = JSON.parse(box.querySelector(".cp-search__strings").textContent);
  var KINDS = ["chapter", "danger-sign", "referral", "recommendation", "flowchart", "section", "page", "lesson"];
  var state = { index: null, docs: null, loading: null, timer: 0 };

  function script(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src; tag.async = true; tag.onload = resolve; tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function load() {
    if (state.loading) return state.loading;
    status.textContent = t.loading;
    var lunrReady = window.lunr ? Promise.resolve() : script(root + "/assets/vendor/lunr.min.js");
    var data = (window.cpSearchData || {})[lang] ? Promise.resolve() : script(root + "/search/index." + lang + ".js");
    state.loading = Promise.all([lunrReady, data]).then(function () {
      window.cpTokenizer.register(window.lunr);
      var payload = window.cpSearchData[lang];
      state.index = window.lunr.Index.load(window.cpTokenizer.expandIndex(
        payload.index, payload.docs.map(function (doc) { return doc[1]; }), payload.boosts));
      state.docs = payload.docs;
      state.names = payload.names || {};
      status.textContent = "";
      if (input.value) run();
    }, function () { status.textContent = t.failed; state.loading = null; });
    return state.loading;
  }

  /* The ranking of plugins/cloudpeds/search/query.py `ranked`: an exact chapter name first. */
  function search(text) {
    var clauses = window.cpTokenizer.clauses(text);
    if (!clauses.length) return [];
    var hits = state.index.query(function (q) {
      clauses.forEach(function (c) { q.term(c.term, c); });
    });
    var exact = state.names[window.cpTokenizer.normalise(text).trim()];
    if (exact === undefined) return hits;
    return [{ ref: String(exact) }].concat(hits.filter(function (h) { return h.ref !== String(exact); }));
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }

  /* Highlight what was typed: whole query words, and Chinese bigrams/characters. */
  function highlight(text, terms) {
    var html = escapeHtml(text);
    if (!terms.length) return html;
    var pattern = new RegExp("(" + terms.map(function (s) {
      return escapeHtml(s).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")", "gi");
    return html.replace(pattern, "<mark>$1</mark>");
  }

  function snippet(text, terms) {
    var lower = text.toLowerCase(), at = -1;
    terms.some(function (term) { at = lower.indexOf(term); return at >= 0; });
    var start = Math.max(0, at - 30);
    var piece = text.slice(start, start + 120);
    return (start > 0 ? "…" : "") + piece + (start + 120 < text.length ? "…" : "");
  }

  function render(text) {
    var found = search(text);
    var terms = window.cpTokenizer.tokenize(text).filter(function (s) { return s.length > 0; })
      .sort(function (a, b) { return b.length - a.length; });
    results.replaceChildren();
    if (!found.length) { status.textContent = t.none; return; }
    status.textContent = t.count.replace("{n}", found.length);
    var groups = {}, order = [];
    found.slice(0, 60).forEach(function (hit) {
      var doc = state.docs[+hit.ref], kind = doc[1];
      if (!groups[kind]) { groups[kind] = []; order.push(kind); }
      groups[kind].push(doc);
    });
    /* Groups in the order of their best result (the first result overall is the best one). */
    order.forEach(function (kind) {
      var section = document.createElement("section");
      section.className = "cp-search__group cp-search__group--" + kind;
      var heading = document.createElement("h2");
      heading.textContent = t["kind." + kind] || kind;
      var list = document.createElement("ul");
      groups[kind].slice(0, kind === "section" || kind === "page" ? 6 : 10).forEach(function (doc) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.className = "cp-search__result";
        link.href = root + "/" + doc[0];
        link.innerHTML = '<span class="cp-search__title">' + highlight(doc[2], terms) + "</span>" +
          (doc[3] ? '<span class="cp-search__chapter">' + escapeHtml(doc[3]) + "</span>" : "") +
          (doc[4] ? '<span class="cp-search__snippet">' + highlight(snippet(doc[4], terms), terms) + "</span>" : "");
        link.addEventListener("click", function () { dialog.close(); });
        item.appendChild(link);
        list.appendChild(item);
      });
      section.append(heading, list);
      results.appendChild(section);
    });
  }

  function run() {
    var text = input.value.trim();
    if (!text) { results.replaceChildren(); status.textContent = ""; return; }
    if (!state.index) { load(); return; }
    render(text);
  }

  function open(event) {
    if (event) event.preventDefault();
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load();
  }

  box.querySelector(".cp-search__open").addEventListener("click", open);
  box.querySelector(".cp-search__close").addEventListener("click", function () { dialog.close(); });
  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", function () {
    clearTimeout(state.timer);
    state.timer = setTimeout(run, 80);
  });
  /* Keyboard: ↓/↑ move between results, Enter opens, Esc closes (the dialog does that). */
  dialog.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(results.querySelectorAll("a.cp-search__result"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = event.key === "ArrowDown" ? Math.min(links.length - 1, at + 1) : at - 1;
    event.preventDefault();
    if (next < 0) input.focus(); else links[next].focus();
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((document.activeElement || {}).tagName);
    if (!typing && (event.key === "/" || (event.key === "k" && (event.ctrlKey || event.metaKey)))) open(event);
  });
})();
