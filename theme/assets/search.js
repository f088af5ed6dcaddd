/* cloudpeds search: on first use loads lunr.js and the small entry file of the page's language; each
   query then loads the index shards it needs (.js files, so it also works from file://). Searches as
   you type, groups results by kind. No framework. */
(function () {
  "use strict";
  var box = document.querySelector(".cp-search");
  if (!box) return;
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

  /* replaceChildren is Chrome 86 / Safari 14: older WeChat kernels lack it. */
  function clear(element) {
    while (element.firstChild) element.removeChild(element.firstChild);
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
    /* The tokenizer and engine too: a first visit to a page loads no search code it may never use. */
    var coreReady = window.cpTokenizer ? Promise.resolve() : script(box.getAttribute("data-cp-search-core"));
    var data = (window.cpSearchData || {})[lang] ? Promise.resolve() : script(root + "/search/index." + lang + ".js");
    state.loading = Promise.all([lunrReady, coreReady, data]).then(function () {
      var entry = window.cpSearchData[lang];
      state.engine = new window.cpTokenizer.Engine(window.lunr, entry, fetchShard);
      state.docs = state.engine.docs;
      status.textContent = "";
      if (input.value) run();
    }, function () { status.textContent = t.failed; state.loading = null; });
    return state.loading;
  }

  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  /* `text` into `parent` as text nodes, what was typed (whole query words, Chinese bigrams/characters) in
     <mark>: built from the text itself, never from HTML, so "<" stays "<" and nothing inside an entity
     can be marked. */
  function highlight(parent, text, terms) {
    if (!terms.length) { parent.appendChild(document.createTextNode(text)); return parent; }
    var pattern = new RegExp(terms.map(escapeRegExp).join("|"), "gi"), at = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      if (!match[0]) { pattern.lastIndex++; continue; }
      if (match.index > at) parent.appendChild(document.createTextNode(text.slice(at, match.index)));
      var mark = document.createElement("mark");
      mark.textContent = match[0];
      parent.appendChild(mark);
      at = match.index + match[0].length;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
    return parent;
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    if (text) element.textContent = text;
    return element;
  }

  /* A danger sign's or referral's level as a badge: shape, colour and word, from the one urgency scale
     (cloudpeds.clinical.urgency, shipped in the index entry as [rank, shape, word, fill, border, ink]). */
  function badge(level) {
    var style = (state.engine.entry.scale || {})[level];
    if (!style) return null;
    var element = span("cp-search__level cp-search__level--" + level);
    element.style.background = style[3];
    element.style.borderColor = style[4];
    element.style.color = style[5];
    var shape = span("cp-search__shape", style[1]);
    shape.setAttribute("aria-hidden", "true");
    element.append(shape, document.createTextNode(" " + style[2]));
    return element;
  }

  function snippet(text, terms) {
    var lower = text.toLowerCase(), at = -1;
    terms.some(function (term) { at = lower.indexOf(term); return at >= 0; });
    var start = Math.max(0, at - 30);
    var piece = text.slice(start, start + 120);
    return (start > 0 ? "…" : "") + piece + (start + 120 < text.length ? "…" : "");
  }

  /* Never a dead end: with no result, a link to the A–Z list of chapters. */
  function nothingFound() {
    clear(status);
    status.appendChild(document.createTextNode(t.none + " "));
    var az = document.createElement("a");
    az.className = "cp-search__az";
    az.href = box.querySelector(".cp-search__open").getAttribute("href");
    az.textContent = t.az;
    status.appendChild(az);
  }

  /* `original`: the query as typed, when `text` is its character-by-character fallback. */
  function render(text, found, original) {
    var terms = window.cpTokenizer.tokenize(text).filter(function (s) { return s.length > 0; })
      .sort(function (a, b) { return b.length - a.length; });
    clear(results);
    dialog.scrollTop = 0;
    if (!found.length) { nothingFound(); return; }
    status.textContent = (original ? t.fallback.replace("{query}", original).replace("{chars}", text) + " " : "") +
      t.count.replace("{n}", found.length);
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
        var level = state.engine.levels[ref], mark = level && badge(level);
        if (mark) link.appendChild(mark);
        link.appendChild(highlight(span("cp-search__title"), doc[2], terms));
        if (doc[3]) link.appendChild(span("cp-search__chapter", doc[3]));
        link.addEventListener("click", close);
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
        links[ref].appendChild(highlight(span("cp-search__snippet"), snippet(texts[ref], terms), terms));
      });
    }, function () { /* titles are enough when a text block cannot load */ });
  }

  function run() {
    var text = input.value.trim(), asked = ++state.asked;
    if (!text) { clear(results); status.textContent = ""; return; }
    if (!state.engine) { load(); return; }
    var failed = function () { if (asked === state.asked) status.textContent = t.failed; };
    state.engine.search(text).then(function (found) {
      if (asked !== state.asked) return;  /* a later keystroke wins */
      /* Chinese that finds nothing as typed (干咳: no such word in the manual) is asked again character
         by character, and the status says so. */
      var characters = !found.length && window.cpTokenizer.byCharacters(text);
      if (!characters) { render(text, found); return; }
      state.engine.search(characters).then(function (more) {
        if (asked === state.asked) render(characters, more, text);
      }, failed);
    }, failed);
  }

  /* <dialog> where the browser has it; elsewhere (Safari < 15.4, older WeChat X5 kernels) the same element
     opened in place as a full-screen panel (.cp-search--panel). */
  var modal = typeof dialog.showModal === "function";
  function isOpen() { return modal ? dialog.open : box.classList.contains("cp-search--panel"); }

  function open(event) {
    if (event) event.preventDefault();
    if (!isOpen()) {
      if (modal) dialog.showModal();
      else { dialog.setAttribute("open", ""); box.classList.add("cp-search--panel"); }
    }
    input.focus();
    input.select();
    load();
  }

  function close() {
    if (modal) { if (dialog.open) dialog.close(); return; }
    dialog.removeAttribute("open");
    box.classList.remove("cp-search--panel");
  }

  box.querySelector(".cp-search__open").addEventListener("click", open);
  box.querySelector(".cp-search__close").addEventListener("click", close);
  input.addEventListener("focus", load, { once: true });
  /* While an input method composes (pinyin "fa'shao" before it becomes 发烧) the letters are not the
     query: search when the composition ends. */
  function later() {
    clearTimeout(state.timer);
    state.timer = setTimeout(run, 80);
  }
  input.addEventListener("input", function (event) { if (!event.isComposing) later(); });
  input.addEventListener("compositionend", later);
  /* Keyboard: ↓/↑ move between results, Enter opens, Esc closes (the dialog does that). */
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !modal) { close(); return; }
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
