/* cloudpeds search: on first use loads lunr.js and the small entry file of the page's language; each
   query then loads the index shards it needs (.js files, so it also works from file://). Searches as
   you type, groups results by kind. No framework. */
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
  var SNIPPETS = 12;
  var state = { engine: null, docs: null, loading: null, timer: 0, asked: 0 };

  function script(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src; tag.async = true; tag.onload = resolve; tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  /* A shard: "zh/terms-003.<hash>.js" registers itself as cpSearchShards["zh/terms-003"]. */
  function fetchShard(path) {
    var name = path.replace(/\.[0-9a-f]+\.js$/, "");
    var shards = window.cpSearchShards || {};
    if (shards[name]) return Promise.resolve(shards[name]);
    return script(root + "/search/" + path).then(function () {
      var data = (window.cpSearchShards || {})[name];
      if (!data) throw new Error("search shard did not load: " + path);
      return data;
    });
  }

  /* First use: lunr.js and the language's entry file (small); shards come with the queries. */
  function load() {
    if (state.loading) return state.loading;
    status.textContent = t.loading;
    /* lunr.js's URL comes from the page, so the build may give it a content-hashed name. */
    var lunrReady = window.lunr ? Promise.resolve() : script(box.getAttribute("data-cp-lunr"));
    var data = (window.cpSearchData || {})[lang] ? Promise.resolve() : script(root + "/search/index." + lang + ".js");
    state.loading = Promise.all([lunrReady, data]).then(function () {
      var entry = window.cpSearchData[lang];
      state.engine = new window.cpTokenizer.Engine(window.lunr, entry, fetchShard);
      state.docs = state.engine.docs;
      status.textContent = "";
      if (input.value) run();
    }, function () { status.textContent = t.failed; state.loading = null; });
    return state.loading;
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

  function render(text, found) {
    var terms = window.cpTokenizer.tokenize(text).filter(function (s) { return s.length > 0; })
      .sort(function (a, b) { return b.length - a.length; });
    results.replaceChildren();
    if (!found.length) { status.textContent = t.none; return; }
    status.textContent = t.count.replace("{n}", found.length);
    var groups = {}, order = [], shown = [], links = {};
    found.slice(0, 60).forEach(function (hit) {
      var kind = state.docs[+hit.ref][1];
      if (!groups[kind]) { groups[kind] = []; order.push(kind); }
      groups[kind].push(+hit.ref);
    });
    /* Groups in the order of their best result (the first result overall is the best one). */
    order.forEach(function (kind) {
      var section = document.createElement("section");
      section.className = "cp-search__group cp-search__group--" + kind;
      var heading = document.createElement("h2");
      heading.textContent = t["kind." + kind] || kind;
      var list = document.createElement("ul");
      groups[kind].slice(0, kind === "section" || kind === "page" ? 6 : 10).forEach(function (ref) {
        var doc = state.docs[ref];
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.className = "cp-search__result";
        link.href = root + "/" + doc[0];
        link.innerHTML = '<span class="cp-search__title">' + highlight(doc[2], terms) + "</span>" +
          (doc[3] ? '<span class="cp-search__chapter">' + escapeHtml(doc[3]) + "</span>" : "");
        link.addEventListener("click", function () { dialog.close(); });
        item.appendChild(link);
        list.appendChild(item);
        shown.push(ref);
        links[ref] = link;
      });
      section.append(heading, list);
      results.appendChild(section);
    });
    /* Snippets follow a moment later, from the small text blocks of the first results shown (the
       rest keep title and chapter: a phone shows a handful at a time, and each block is a download). */
    var snipped = shown.slice(0, SNIPPETS);
    state.engine.texts(snipped).then(function (texts) {
      snipped.forEach(function (ref) {
        if (!texts[ref] || !links[ref].isConnected) return;
        var span = document.createElement("span");
        span.className = "cp-search__snippet";
        span.innerHTML = highlight(snippet(texts[ref], terms), terms);
        links[ref].appendChild(span);
      });
    }, function () { /* titles are enough when a text block cannot load */ });
  }

  function run() {
    var text = input.value.trim(), asked = ++state.asked;
    if (!text) { results.replaceChildren(); status.textContent = ""; return; }
    if (!state.engine) { load(); return; }
    state.engine.search(text).then(function (found) {
      if (asked === state.asked) render(text, found);  /* a later keystroke wins */
    }, function () { if (asked === state.asked) status.textContent = t.failed; });
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
