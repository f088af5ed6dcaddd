/* cloudpeds "this child": age, weight, measures and findings of the child in front of the doctor, kept on
 * this phone only (localStorage "cloudpeds:child", cleared by one tap or after 2 hours without use, never
 * sent anywhere), and what the chapter says for that child: the age band's signs first with their
 * thresholds, every dose for this weight, one result at the top, the flow chart's path and a walker that
 * starts from the known answers. Loaded on first use by the inline boot (theme/partials/cp-bedside.html),
 * with the evaluator (bedside-core.js) and the chapter's data (clinical/<chapter>.js, a script so it also
 * works from file://). Other scripts follow the child through the document event "cloudpeds:child"
 * (detail: the stored child or null) and window.cpBedside. */
(function () {
  "use strict";
  var KEY = "cloudpeds:child";
  var TTL = 2 * 60 * 60 * 1000;
  var UNITS = ["d", "w", "mo", "y"];
  var SKIPPED_MEASURES = { age: true, weight: true, gestational_age: true };
  var OPS = { ">": ">", ">=": "≥", "<": "<", "<=": "≤" };
  var button = document.querySelector(".cp-child-open");
  if (!button || window.cpBedside) return;
  var chapter = button.getAttribute("data-cp-chapter");
  var lang = button.getAttribute("data-cp-lang") === "en" ? "en" : "zh";
  var state = { data: null, page: null, t: null, core: null, child: null, result: null, ui: null, signs: null };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function script(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src; tag.async = true; tag.onload = resolve; tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }
  function t(key) { return (state.t && state.t[key]) || key; }
  function words(map) { return map ? (map[lang] || map.zh || "") : ""; }

  // -- storage: this phone only --------------------------------------------------------------------
  function read() {
    var child = null;
    try { child = JSON.parse(localStorage.getItem(KEY)); } catch (e) { child = null; }
    if (!child || child.v !== 1 || typeof child.touched !== "number" || typeof child.ageDays !== "number") return null;
    if (Date.now() - child.touched >= TTL) { forget(); return null; }
    return child;
  }
  function save(child) {
    child.touched = Date.now();
    try { localStorage.setItem(KEY, JSON.stringify(child)); } catch (e) { /* private mode: this page only */ }
  }
  function forget() { try { localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ } }
  function announce() {
    document.dispatchEvent(new CustomEvent("cloudpeds:child", { detail: state.child }));
  }

  // -- what the chapter says for this child -----------------------------------------------------------
  function level(id) {
    var found = null;
    state.data.urgency.levels.forEach(function (lv) { if (lv.id === id) found = lv; });
    return found;
  }
  function levelTag(id) {
    var lv = level(id);
    if (!lv) return null;
    return el("span", { class: "cp-tag cp-level--" + id }, [
      el("span", { class: "cp-shape", "aria-hidden": "true", text: lv.shape }), " " + words(lv.word)]);
  }
  function ageText(child) {
    var text = state.core.numberText(child.age.value) + " " + t("child.unit." + child.age.unit);
    if (typeof child.hoursOfAge === "number") text = state.core.numberText(child.hoursOfAge) + " h";
    return text;
  }
  function childText(child) {
    var parts = [ageText(child)];
    if (typeof child.weightKg === "number") parts.push(state.core.numberText(child.weightKg) + " kg");
    return parts.join(" · ");
  }
  function measuresUsed() {
    var used = [];
    var vocabulary = state.data.vocabulary;
    state.data.signs.forEach(function (sign) {
      sign.thresholds.forEach(function (entry) {
        var code = entry.table ? (vocabulary.tables[entry.table] || {}).measure : entry.measure;
        if (code && !SKIPPED_MEASURES[code] && vocabulary.measures[code] && used.indexOf(code) < 0) used.push(code);
      });
    });
    return used;
  }
  function findingsUsed() {
    var used = [];
    state.data.signs.forEach(function (sign) {
      sign.findings.forEach(function (code) { if (used.indexOf(code) < 0) used.push(code); });
    });
    return used.filter(function (code) { return state.data.vocabulary.findings[code]; });
  }
  function thresholdsAt(sign, ageDays) {
    var vocabulary = state.data.vocabulary, out = [];
    sign.thresholds.forEach(function (entry) {
      var measure = entry.measure, op = entry.op, value = entry.value;
      if (entry.table) {
        var table = vocabulary.tables[entry.table];
        if (!table) return;
        measure = table.measure; op = table.op; value = state.core.tableCutoff(table, ageDays);
      }
      if (value === null || value === undefined || SKIPPED_MEASURES[measure] || !vocabulary.measures[measure]) return;
      var spec = vocabulary.measures[measure];
      out.push(words(spec.label) + " " + OPS[op] + " " + state.core.numberText(value) + " " + spec.unit);
    });
    return out;
  }

  // -- the control ------------------------------------------------------------------------------------
  function field(id, label, input) {
    return el("div", { class: "cp-child__field" }, [el("label", { for: id, text: label }), input]);
  }
  function numberInput(id, min, max) {
    return el("input", { id: id, type: "number", inputmode: "decimal", step: "any", min: min, max: max,
      autocomplete: "off", class: "cp-child__input" });
  }
  function build() {
    var head = document.querySelector(".cp-chapter-head");
    var unit = el("select", { id: "cp-child-unit", class: "cp-child__unit", "aria-label": t("child.age") },
      UNITS.map(function (u) { return el("option", { value: u, text: t("child.unit." + u) }); }));
    var age = numberInput("cp-child-age", 0, 6575);
    var measures = measuresUsed().map(function (code) {
      var spec = state.data.vocabulary.measures[code];
      return field("cp-child-m-" + code, words(spec.label) + " (" + spec.unit + ")",
        numberInput("cp-child-m-" + code, spec.range[0], spec.range[1]));
    });
    var findings = findingsUsed().map(function (code) {
      return el("label", { class: "cp-child__finding" }, [
        el("input", { type: "checkbox", value: code, class: "cp-child__check" }),
        " " + words(state.data.vocabulary.findings[code])]);
    });
    var newborn = el("fieldset", { class: "cp-child__newborn", hidden: "" }, [
      el("legend", { text: t("child.newborn") }),
      field("cp-child-gestation", t("child.gestation"), numberInput("cp-child-gestation", 22, 44)),
      field("cp-child-hours", t("child.hours"), numberInput("cp-child-hours", 0, 672))]);
    var form = el("form", { class: "cp-child__form", hidden: "", novalidate: "" }, [
      el("p", { class: "cp-child__privacy", text: t("child.privacy") }),
      el("div", { class: "cp-child__row" }, [
        el("div", { class: "cp-child__field" }, [el("label", { for: "cp-child-age", text: t("child.age") }),
          el("span", { class: "cp-child__age" }, [age, unit])]),
        field("cp-child-weight", t("child.weight"), numberInput("cp-child-weight", 0.3, 150))]),
      newborn,
      measures.length ? el("fieldset", { class: "cp-child__measures" }, [el("legend", { text: t("child.measures") })].concat(measures)) : null,
      findings.length ? el("fieldset", { class: "cp-child__findings" }, [el("legend", { text: t("child.findings") })].concat(findings)) : null,
      el("div", { class: "cp-child__actions" }, [
        el("button", { type: "submit", class: "cp-fc-btn cp-fc-btn--primary", text: t("child.done") }),
        el("button", { type: "button", class: "cp-fc-btn cp-child__clear", text: t("child.clear"), onclick: clear })])
    ]);
    form.addEventListener("submit", function (event) { event.preventDefault(); toggle(false); });
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    var summary = el("div", { class: "cp-child__summary", hidden: "" }, [
      el("strong", { text: t("child.title") }), " ", el("span", { class: "cp-child__who" }), " ",
      el("button", { type: "button", class: "cp-fc-btn cp-child__edit", text: t("child.edit"), onclick: function () { toggle(true); } }),
      " ",
      el("button", { type: "button", class: "cp-fc-btn cp-child__clear", text: t("child.clear"), onclick: clear })]);
    var status = el("p", { class: "cp-child__status", role: "status" });
    var result = el("div", { class: "cp-child__result", "aria-live": "polite" });
    var section = el("section", { class: "cp-child", id: "cp-child", "aria-label": t("child.title") },
      [summary, form, status, result]);
    head.parentNode.insertBefore(section, head.nextSibling);
    button.setAttribute("aria-controls", "cp-child");
    button.addEventListener("click", function () { toggle(state.ui.form.hidden); });
    state.ui = { section: section, form: form, age: age, unit: unit, newborn: newborn, summary: summary,
                 status: status, result: result };
  }
  function toggle(open) {
    state.ui.form.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      state.ui.status.textContent = "";
      state.ui.age.focus();
    }
    if (state.child) touch();
    render();
  }
  function fill(child) {
    var form = state.ui.form;
    state.ui.age.value = child && child.age && child.age.value !== null ? child.age.value : "";
    state.ui.unit.value = child && child.age ? child.age.unit : "d";
    form.querySelector("#cp-child-weight").value = child && typeof child.weightKg === "number" ? child.weightKg : "";
    form.querySelector("#cp-child-gestation").value = child && typeof child.gestationWeeks === "number" ? child.gestationWeeks : "";
    form.querySelector("#cp-child-hours").value = child && typeof child.hoursOfAge === "number" ? child.hoursOfAge : "";
    Array.prototype.forEach.call(form.querySelectorAll("[id^='cp-child-m-']"), function (input) {
      var code = input.id.slice("cp-child-m-".length);
      input.value = child && child.measures && typeof child.measures[code] === "number" ? child.measures[code] : "";
    });
    Array.prototype.forEach.call(form.querySelectorAll(".cp-child__check"), function (box) {
      box.checked = !!(child && child.findings && child.findings.indexOf(box.value) >= 0);
    });
  }
  function fromForm() {
    var form = state.ui.form;
    function value(selector) {
      var input = form.querySelector(selector);
      var number = input && input.value !== "" ? Number(input.value) : null;
      return number === null || isNaN(number) || number < 0 ? null : number;
    }
    var age = value("#cp-child-age");
    if (age === null) return null;
    var measures = {};
    Array.prototype.forEach.call(form.querySelectorAll("[id^='cp-child-m-']"), function (input) {
      var number = input.value !== "" ? Number(input.value) : NaN;
      if (!isNaN(number)) measures[input.id.slice("cp-child-m-".length)] = number;
    });
    // Findings of other chapters stay (the same child, the same vocabulary); this chapter's follow the boxes.
    var boxes = form.querySelectorAll(".cp-child__check");
    var here = {};
    Array.prototype.forEach.call(boxes, function (box) { here[box.value] = box.checked; });
    var findings = ((state.child && state.child.findings) || []).filter(function (code) { return !(code in here); });
    Object.keys(here).forEach(function (code) { if (here[code]) findings.push(code); });
    var kept = (state.child && state.child.measures) || {};
    Object.keys(kept).forEach(function (code) {
      if (!form.querySelector("#cp-child-m-" + code) && !(code in measures)) measures[code] = kept[code];
    });
    // Gestation and hours of age count for a newborn only (the fields show under 28 days).
    var newborn = newbornAge();
    return state.core.makeChild({ age: { value: age, unit: state.ui.unit.value }, weightKg: value("#cp-child-weight"),
      gestationWeeks: newborn ? value("#cp-child-gestation") : null, hoursOfAge: newborn ? value("#cp-child-hours") : null,
      measures: measures, findings: findings }, Date.now());
  }
  function newbornAge() {
    var value = state.ui.age.value === "" ? NaN : Number(state.ui.age.value);
    return !isNaN(value) && value * state.core.DAYS_PER_UNIT[state.ui.unit.value] < 28;
  }
  function changed() {
    var child = fromForm();
    if (child) save(child); else forget();
    state.child = child;
    state.ui.status.textContent = "";
    announce();
    render();
  }
  function touch() { if (state.child) save(state.child); }
  function clear() {
    forget();
    state.child = null;
    fill(null);
    state.ui.form.hidden = true;
    button.setAttribute("aria-expanded", "false");
    announce();
    render();
    state.ui.status.textContent = t("child.cleared");
  }
  function expire() {
    if (state.child && !read()) {
      state.child = null;
      fill(null);
      announce();
      render();
    }
  }

  // -- the page for this child ----------------------------------------------------------------------
  function render() {
    var child = state.child;
    state.result = child ? state.core.evaluate(state.page, child) : null;
    var who = button.querySelector(".cp-child-open__state");
    if (who) who.textContent = " · " + (child ? childText(child) : t("child.set"));
    state.ui.newborn.hidden = !newbornAge();
    state.ui.summary.hidden = !child || !state.ui.form.hidden;
    if (child) state.ui.summary.querySelector(".cp-child__who").textContent = childText(child);
    renderResult();
    renderSigns();
    renderDoses();
    renderChart();
  }
  function renderResult() {
    var box = state.ui.result, r = state.result, data = state.data;
    while (box.firstChild) box.removeChild(box.firstChild);  /* replaceChildren: Chrome 86 / Safari 14 */
    box.className = "cp-child__result";
    if (!r) return;
    var child = state.child;
    var band = null;
    (data.age_bands || []).forEach(function (b) { if (!band && state.core.inBands([b.band], child.ageDays)) band = b; });
    var signText = {};
    data.signs.forEach(function (sign) { signText[sign.id] = words(sign.text); });
    var referral = null;
    data.referrals.forEach(function (ref) { if (ref.id === r.referral) referral = ref; });
    var urgency = r.urgency ? level(r.urgency) : null;
    if (urgency) box.className += " cp-level--" + urgency.id;
    var rows = [
      el("p", { class: "cp-child__headline" }, [
        el("strong", { text: t("child.result") }), " ", r.urgency ? levelTag(r.urgency) : null]),
      el("p", {}, [t("child.triage") + t("punct.colon"),
        r.triage === "none" ? t("child.no_triage") : words(data.urgency.triage[r.triage].word)]),
      band ? el("p", { text: t("child.age_band") + t("punct.colon") + words(band.label) }) : null
    ];
    if (urgency) rows.push(el("p", {}, [t("child.urgency") + t("punct.colon") + urgency.shape + " " + words(urgency.word) +
      t("punct.open") + words(urgency.when) + t("punct.close")]));
    if (referral) {
      rows.push(el("p", { class: "cp-child__referral" }, [el("strong", { text: t("child.refer_to") + t("punct.colon") }),
        el("a", { href: "#" + referral.id, text: words(referral.target) })]));
      rows.push(el("p", {}, [el("strong", { text: t("child.time_frame") + t("punct.colon") }), words(referral.time_frame)]));
    }
    if (r.signs.length) {
      rows.push(el("p", { class: "cp-child__label", text: t("child.signs_met") + t("punct.colon") }));
      rows.push(el("ul", { class: "cp-child__signs" }, r.signs.map(function (id) {
        return el("li", {}, [el("a", { href: "#" + id, text: signText[id] })]);
      })));
    } else {
      rows.push(el("p", { text: t("child.no_signs") }));
    }
    if (referral && referral.pre_referral.length) {
      var cards = {};
      r.preTransfer.forEach(function (card) { cards[card.id] = card; });
      rows.push(el("p", { class: "cp-child__label", text: t("child.pre_transfer") + t("punct.colon") }));
      rows.push(el("ol", { class: "cp-child__steps" }, referral.pre_referral.map(function (step) {
        var card = step.dose ? cards[step.dose] : null;
        return el("li", {}, [words(step.text), card ? doseLine(card) : null]);
      })));
    }
    if (r.unevaluated.length) {
      rows.push(el("details", { class: "cp-child__unevaluated" }, [
        el("summary", { text: t("child.unevaluated") + " " + r.unevaluated.length }),
        el("ul", {}, r.unevaluated.map(function (id) { return el("li", {}, [el("a", { href: "#" + id, text: signText[id] })]); }))]));
    }
    if (r.path.length && document.querySelector(".cp-flowchart")) rows.push(el("p", { class: "cp-child__note", text: t("child.path") }));
    rows.forEach(function (row) { if (row) box.appendChild(row); });
  }
  function doseLine(card) {
    var line = el("span", { class: "cp-child-dose" + (card.capped ? " cp-child-dose--capped" : "") +
      (card.amount === null ? " cp-child-dose--none" : "") }, [
      el("strong", { text: t("child.dose_for") + t("punct.colon") }), card.text[lang] || card.text.zh]);
    return line;
  }
  function renderSigns() {
    var box = document.querySelector(".cp-box--danger");
    var list = box && box.querySelector(".cp-signs");
    if (!list) return;
    if (!state.signs) {
      state.signs = Array.prototype.slice.call(list.children);
      state.folded = el("details", { class: "cp-child-other" }, [el("summary"), el("ul", { class: "cp-signs" })]);
    }
    var child = state.child, bySign = {}, met = {};
    state.data.signs.forEach(function (sign) { bySign[sign.id] = sign; });
    (state.result ? state.result.signs : []).forEach(function (id) { met[id] = true; });
    var folded = state.folded.querySelector("ul");
    var others = 0;
    state.signs.forEach(function (li) {
      var sign = bySign[li.id];
      var old = li.querySelectorAll(".cp-child-mark");
      Array.prototype.forEach.call(old, function (node) { node.remove(); });
      li.classList.remove("cp-sign--met");
      var applies = !child || !sign || state.core.inBands(sign.age_bands, child.ageDays);
      if (applies) list.appendChild(li); else { folded.appendChild(li); others++; }
      if (!child || !sign || !applies) return;
      if (met[li.id]) {
        li.classList.add("cp-sign--met");
        li.insertBefore(el("strong", { class: "cp-child-mark cp-child-met", text: "✓ " + t("child.met") + " " }), li.firstChild);
      }
      var limits = thresholdsAt(sign, child.ageDays);
      if (limits.length) {
        li.appendChild(el("span", { class: "cp-child-mark cp-child-threshold",
          text: t("child.this_age") + t("punct.colon") + limits.join(t("punct.list")) }));
      }
    });
    if (others) {
      state.folded.querySelector("summary").textContent = t("child.other_ages").replace("{n}", String(others));
      if (!state.folded.parentNode) list.parentNode.insertBefore(state.folded, list.nextSibling);
    } else if (state.folded.parentNode) {
      state.folded.remove();
    }
  }
  function renderDoses() {
    (state.data.doses || []).forEach(function (dose) {
      var section = document.getElementById(dose.id);
      if (!section || !section.classList.contains("cp-dose")) return;
      var old = section.querySelector(".cp-child-dose-line");
      if (old) old.remove();
      if (!state.child) return;
      var card = state.core.doseFor(dose, state.child);
      var line = el("p", { class: "cp-child-dose-line" }, [doseLine(card)]);
      var title = section.querySelector(".cp-dose__title");
      section.insertBefore(line, title ? title.nextSibling : section.firstChild);
    });
  }
  function knownSteps(path) {
    var chart = state.page.chart, signIds = {}, steps = [];
    state.data.signs.forEach(function (sign) { signIds[sign.id] = true; });
    for (var i = 0; i + 1 < path.length; i++) {
      var exits = chart.edges.filter(function (edge) { return edge.source === path[i]; });
      var linked = chart.nodes[path[i]].links.some(function (id) { return signIds[id]; });
      if (exits.length > 1 && !linked) return { steps: steps, current: path[i] };
      var edge = exits.filter(function (e) { return e.target === path[i + 1]; })[0];
      steps.push({ node: path[i], label: edge ? edge.label : null });
    }
    return { steps: steps, current: path[path.length - 1] };
  }
  function renderChart() {
    var figure = document.querySelector(".cp-flowchart");
    if (!figure || !state.page.chart) return;
    var path = state.result ? state.result.path : [];
    Array.prototype.forEach.call(figure.querySelectorAll("[data-node]"), function (node) {
      node.classList.toggle("cp-fc-node--path", path.indexOf(node.getAttribute("data-node")) >= 0);
    });
    if (figure.cpWalker) {
      var known = path.length ? knownSteps(path) : { steps: [], current: null };
      figure.cpWalker.prefill(known.steps, known.current);
    }
  }

  function start() {
    build();
    state.child = read();
    if (state.child) touch();
    fill(state.child);
    render();
    announce();
    if (window.cpBedsideOpen) toggle(true);
    setInterval(expire, 60 * 1000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) expire(); });
    window.addEventListener("storage", function (event) {
      if (event.key !== KEY && event.key !== null) return;
      state.child = read();
      fill(state.child);
      render();
      announce();
    });
  }

  window.cpBedside = {
    child: function () { return state.child; },
    clear: function () { if (state.ui) clear(); else forget(); },
    result: function () { return state.result; },
    data: function () { return state.data; }
  };
  // Its style sheet comes with it (a first visit loads none of this); the control works without it.
  var css = document.querySelector("link.cp-child-css") ? Promise.resolve() : new Promise(function (resolve) {
    var link = document.createElement("link");
    link.rel = "stylesheet"; link.className = "cp-child-css"; link.href = button.getAttribute("data-cp-css");
    link.onload = resolve; link.onerror = resolve;
    document.head.appendChild(link);
  });
  var core = window.CloudpedsBedside ? Promise.resolve() : script(button.getAttribute("data-cp-core"));
  var data = (window.cpClinical || {})[chapter] ? Promise.resolve() : script(button.getAttribute("data-cp-data"));
  Promise.all([core, data, css]).then(function () {
    var entry = window.cpClinical[chapter];
    state.core = window.CloudpedsBedside;
    state.data = entry.data;
    // The page's own chart (its labels are this language's): the path and the walker follow it.
    state.page = Object.assign({}, entry.data, { chart: (entry.data.charts || {})[lang] || entry.data.chart });
    state.t = entry.strings[lang] || entry.strings.zh;
    start();
  }).catch(function () {
    var note = document.createElement("p");
    note.className = "cp-child__status";
    note.setAttribute("role", "status");
    note.textContent = button.getAttribute("data-cp-failed");
    button.parentNode.parentNode.insertBefore(note, button.parentNode.nextSibling);
  });
})();
