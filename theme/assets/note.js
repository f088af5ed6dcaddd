/* The referral handover note (转诊单) and this child's act-now doses; loaded on first use by the inline loader (theme/partials/cp-note.html).

   The note is one plain text, written in the page's language (a Chinese note: 体温 38.2 ℃，呼吸 52 次/分): the same
   text is printed on an A5 sheet, copied for WeChat and carried by the QR code. It is made from the chapter's data
   (clinical/<id>.note.js: signs, referrals, doses and the words), the child set on this phone (localStorage
   "cloudpeds:child") and what the doctor types here. Only the referring clinic's name is kept (localStorage
   "cloudpeds:clinic"); no name or ID number is asked, and nothing is sent anywhere. */
(function () {
  "use strict";
  var CHILD_KEY = "cloudpeds:child";
  var CLINIC_KEY = "cloudpeds:clinic";
  var CHILD_EXPIRES_MS = 2 * 60 * 60 * 1000;

  function lang() { return /^en/i.test(document.documentElement.lang || "") ? "en" : "zh"; }
  function entry() { return document.querySelector(".cp-note-entry"); }
  /* The note's words (clinical/<id>.note.js) with the evaluator's data (clinical/<id>.js) as `clinical`. */
  function chapterData() {
    var at = entry(), id = at && at.getAttribute("data-cp-chapter");
    var note = (window.cpNoteData || {})[id], clinical = (window.cpClinical || {})[id];
    if (!note || !clinical) return null;
    note.clinical = clinical.data;
    return note;
  }

  function storedChild() {
    if (window.cpBedside && typeof window.cpBedside.child === "function") return window.cpBedside.child();
    try {
      var child = JSON.parse(localStorage.getItem(CHILD_KEY) || "null");
      if (!child || child.v !== 1) return null;
      if (child.touched && Date.now() - Number(new Date(child.touched)) > CHILD_EXPIRES_MS) return null;
      return child;
    } catch (error) { return null; }
  }

  // -- numbers and doses ---------------------------------------------------------------------
  function num(value) { return String(Math.round(value * 1000) / 1000); }
  function doseItem(data, id) {
    var doses = data.clinical.doses;
    for (var i = 0; i < doses.length; i++) if (doses[i].id === id) return doses[i];
    return null;
  }
  /* This child's dose card from the evaluator's twin (bedside-core.js, CloudpedsBedside.doseFor): amount (capped at
     the maximum), the measurable volume of each formulation and the line in each language; null without it. */
  function doseFor(dose, child) {
    var core = window.CloudpedsBedside;
    if (!core || typeof core.doseFor !== "function" || !child) return null;
    try { return core.doseFor(dose, child); } catch (error) { return null; }
  }
  function hasAmount(card) { return !!card && card.amount !== null && card.amount !== undefined; }

  // -- act now ---------------------------------------------------------------------------------
  function actNow(box) {
    var data = chapterData();
    if (!data) return;
    var L = lang(), words = data.lang[L].words, child = storedChild();
    box.querySelectorAll(".cp-act-now__dose[data-cp-dose]").forEach(function (line) {
      var out = line.querySelector(".cp-act-now__child");
      var dose = doseItem(data, line.getAttribute("data-cp-dose"));
      var result = dose && child ? doseFor(dose, child) : null;
      if (!out) return;
      var text = result ? childDoseText(data, dose, result, child, L, words) : "";
      out.textContent = text;
      out.hidden = !text;
    });
    var hint = box.querySelector(".cp-act-now__hint");
    if (hint) hint.hidden = !!(child && child.weightKg > 0);
  }

  function childDoseText(data, dose, card, child, L, words) {
    if (!hasAmount(card) && card.reason === "weight") return "";  // a weight is needed: nothing to say yet
    var who = words["act_now.for_child"] + (child.weightKg > 0 ? words["punct.open"] + num(child.weightKg) + " kg" +
      words["punct.close"] : "");
    return who + words["punct.colon"] + (hasAmount(card) ? card.text[L] : words["act_now.no_dose"]);
  }

  // -- the note --------------------------------------------------------------------------------
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localDateTime(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" +
      pad(date.getHours()) + ":" + pad(date.getMinutes());
  }
  function localTime(date) { return pad(date.getHours()) + ":" + pad(date.getMinutes()); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function field(labelText, input, hint) {
    return el("label", {}, [document.createTextNode(labelText), document.createElement("br"), input,
      hint ? el("span", {"class": "cp-note__hint", text: " " + hint}) : null]);
  }

  /* The evaluator's result for this child, when the chapter page has the evaluator: signs met and the referral. */
  function evaluation(data, child) {
    var shown = window.cpBedside && typeof window.cpBedside.result === "function" ? window.cpBedside.result() : null;
    if (shown) return shown;  // the result the page shows
    var core = window.CloudpedsBedside;
    if (!child || !core || typeof core.evaluate !== "function") return null;
    // The page's own chart when the export has one per language (as bedside.js evaluates).
    var page = Object.assign({}, data.clinical, {chart: (data.clinical.charts || {})[lang()] || data.clinical.chart});
    try { return core.evaluate(page, child); } catch (error) { return null; }
  }
  function metSigns(result) {
    if (!result) return [];
    var signs = result.signs_met || result.signsMet || result.signs || [];
    return signs.map(function (sign) { return typeof sign === "string" ? sign : sign.id; });
  }
  function resultReferral(result) {
    if (!result) return null;
    var referral = result.referral;
    return referral ? (typeof referral === "string" ? referral : referral.id) : null;
  }

  /* The most urgent referral that one of the ticked signs calls for (the page's own rule). */
  function referralForSigns(words, ticked) {
    var best = null;
    words.referrals.forEach(function (referral) {
      var hit = referral.signs.some(function (id) { return ticked.indexOf(id) >= 0; });
      if (hit && (!best || words.levels[referral.urgency].rank < words.levels[best.urgency].rank)) best = referral;
    });
    return best;
  }

  function ageText(value, unit, W) {
    if (!(value >= 0) || value === "") return W["unknown"];
    return num(value) + " " + (W["unit." + unit] || unit);
  }

  function measureText(code, value, data, words) {
    var W = words.words, vocab = data.clinical.vocabulary.measures[code] || {};
    var unit = words.units[vocab.unit] || vocab.unit || "";
    return (W["measure." + code] || code) + " " + num(value) + (unit === "%" ? "" : " ") + unit;
  }

  /* The note as plain text: the one text that is printed, copied and put in the QR code. */
  function noteText(state, data, L) {
    var words = data.lang[L], W = words.words, colon = W["punct.colon"], part = W["part"], sep = W["sep"];
    var lines = [W["title"] + " · " + words.title];
    lines.push(W["time"] + colon + state.time.replace("T", " "));
    var age = W["age"] + colon + ageText(state.ageValue, state.ageUnit, W);
    if (state.gestation) age += part + W["gestation"] + " " + num(state.gestation) + " " + W["unit.w"];
    lines.push(age + part + W["weight"] + colon + (state.weight > 0 ? num(state.weight) + " kg" : W["unknown"]));
    var measures = data.measures.filter(function (code) { return state.measures[code] !== undefined; })
      .map(function (code) { return measureText(code, state.measures[code], data, words); });
    lines.push(W["measures"] + colon + (measures.length ? measures.join(sep) : W["none"]));
    var signs = words.signs.filter(function (s) { return state.signs.indexOf(s.id) >= 0; })
      .map(function (s) { return s.text; });
    lines.push(W["signs"] + colon + (signs.length ? signs.join(part) : W["none"]));
    var referral = words.referrals.filter(function (r) { return r.id === state.referral; })[0];
    if (referral) {
      var level = words.levels[referral.urgency];
      lines.push(W["urgency"] + colon + level.shape + " " + level.word);
      /* A consortium member's site (cloudpeds build --site): its own route for this level, with the phone. */
      var member = data.clinical.member, route = member && member.routes ? member.routes[referral.urgency] : null;
      var target = route ? route.department[L] + "（" + route.phone + "）" : referral.target;
      if (route && L !== "zh") target = route.department[L] + " (" + route.phone + ")";
      lines.push(W["target"] + colon + target + part + W["time_frame"] + colon + referral.time_frame);
    }
    var given = state.treatment.map(function (t) {
      var dose = words.doses[t.id];
      return dose.drug + " " + (t.amount !== "" ? num(t.amount) + " " + t.unit : "") + " " + dose.route +
        " " + (L === "zh" ? "" : "at ") + t.time;
    });
    lines.push(W["treatment"] + colon + (given.length ? given.join(part) : W["none"]));
    lines.push(W["clinic"] + colon + (state.clinic || W["unknown"]) +
      (state.initials ? part + W["clinician"] + colon + state.initials : ""));
    var foot = [state.disclaimer, state.edition].filter(Boolean).join(" · ");
    if (foot) lines.push(foot);
    return lines.join("\n").replace(/ {2,}/g, " ");
  }

  function pageDisclaimer() {
    var banner = document.querySelector(".cp-disclaimer");
    return banner ? banner.textContent.replace(/^\s*⚠\s*/, "").trim() : "";
  }
  function pageEdition(W) {
    var script = document.querySelector(".cp-edition-data");
    if (!script) return "";
    try {
      var edition = JSON.parse(script.textContent);
      return edition && edition.label ? W["edition"] + W["punct.colon"] + edition.label +
        (edition.date ? " · " + edition.date : "") : "";
    } catch (error) { return ""; }
  }

  var dialog = null;
  function open(button) {
    var data = chapterData();
    if (!data) return;
    var L = lang(), words = data.lang[L], W = words.words;
    var child = storedChild(), result = evaluation(data, child), now = new Date();
    var ticked = metSigns(result);
    var state = {
      time: localDateTime(now), ageValue: child && child.age ? child.age.value : "",
      ageUnit: child && child.age ? child.age.unit : "y", gestation: child && child.gestationWeeks || "",
      weight: child && child.weightKg || "", measures: {}, signs: ticked.slice(),
      referral: resultReferral(result), treatment: [], clinic: "", initials: "",
      disclaimer: pageDisclaimer(), edition: pageEdition(W),
    };
    try { state.clinic = localStorage.getItem(CLINIC_KEY) || ""; } catch (error) { state.clinic = ""; }
    /* On a member's site the referring clinic is that member unless the doctor typed another. */
    var member = data.clinical && data.clinical.member;
    if (!state.clinic && member && member.name) state.clinic = member.name[lang()] || "";
    if (child && child.measures) {
      data.measures.forEach(function (code) {
        if (typeof child.measures[code] === "number") state.measures[code] = child.measures[code];
      });
    }
    var manualReferral = !!state.referral;
    if (!state.referral) {
      var fromSigns = referralForSigns(words, state.signs);
      state.referral = fromSigns ? fromSigns.id : null;
    }

    if (dialog) dialog.remove();
    dialog = el("dialog", {"class": "cp-note", "aria-labelledby": "cp-note-title", lang: L});
    var text = el("textarea", {"class": "cp-note__text", readonly: "readonly", rows: "12", "aria-label": W["text"]});
    var status = el("p", {"class": "cp-note__status", role: "status"});
    var qrBox = el("div", {"class": "cp-note__qr", role: "img", "aria-label": W["qr_label"], hidden: "hidden"});
    function update() {
      text.value = noteText(state, data, L);
      qrBox.hidden = true;
      qrBox.textContent = "";
      status.textContent = "";
    }

    var body = el("div", {"class": "cp-note__body"});
    body.appendChild(el("p", {"class": "cp-note__privacy", text: W["privacy"]}));
    if (!child) body.appendChild(el("p", {"class": "cp-note__hint", text: W["no_child"]}));

    // Who refers: the clinic (kept on this phone) and optional initials (not kept).
    var clinic = el("input", {type: "text", value: state.clinic, autocomplete: "organization", maxlength: "60",
                              "class": "cp-note-clinic"});
    clinic.addEventListener("input", function () {
      state.clinic = clinic.value.trim();
      try { localStorage.setItem(CLINIC_KEY, state.clinic); } catch (error) { /* private mode: typed each time */ }
      update();
    });
    var initials = el("input", {type: "text", value: "", maxlength: "8", autocomplete: "off", "class": "cp-note-initials"});
    initials.addEventListener("input", function () { state.initials = initials.value.trim(); update(); });
    body.appendChild(el("fieldset", {}, [el("legend", {text: W["clinic"]}), field(W["clinic"], clinic, W["clinic_hint"]),
      field(W["initials"], initials)]));

    // The child: time, age, weight, measures.
    var time = el("input", {type: "datetime-local", value: state.time});
    time.addEventListener("input", function () { state.time = time.value; update(); });
    var ageValue = el("input", {type: "number", min: "0", step: "any", inputmode: "decimal", value: state.ageValue});
    var ageUnit = el("select", {}, ["d", "w", "mo", "y"].map(function (unit) {
      return el("option", {value: unit, text: W["unit." + unit], selected: unit === state.ageUnit ? "selected" : null});
    }));
    ageValue.addEventListener("input", function () { state.ageValue = ageValue.value === "" ? "" : Number(ageValue.value); update(); });
    ageUnit.addEventListener("change", function () { state.ageUnit = ageUnit.value; update(); });
    var weight = el("input", {type: "number", min: "0", step: "0.1", inputmode: "decimal", value: state.weight});
    weight.addEventListener("input", function () { state.weight = weight.value === "" ? "" : Number(weight.value); update(); });
    var childSet = el("fieldset", {}, [el("legend", {text: W["age"] + " · " + W["weight"]}), field(W["time"], time),
      el("label", {}, [document.createTextNode(W["age"]), document.createElement("br"), ageValue, document.createTextNode(" "), ageUnit]),
      field(W["weight"] + W["punct.open"] + "kg" + W["punct.close"], weight)]);
    var shown = ["temperature", "respiratory_rate", "heart_rate", "spo2"].filter(function (c) { return data.measures.indexOf(c) >= 0; });
    data.measures.forEach(function (code) { if (state.measures[code] !== undefined && shown.indexOf(code) < 0) shown.push(code); });
    shown.forEach(function (code) {
      var vocab = data.clinical.vocabulary.measures[code] || {};
      var input = el("input", {type: "number", step: "any", inputmode: "decimal", "data-cp-measure": code,
                               value: state.measures[code] !== undefined ? state.measures[code] : ""});
      input.addEventListener("input", function () {
        if (input.value === "") delete state.measures[code]; else state.measures[code] = Number(input.value);
        update();
      });
      childSet.appendChild(field((W["measure." + code] || code) + W["punct.open"] + (words.units[vocab.unit] || vocab.unit || "") +
        W["punct.close"], input));
    });
    body.appendChild(childSet);

    // Signs met and the referral.
    var referralSelect = el("select", {"class": "cp-note-referral", "aria-label": W["referral"]},
                            words.referrals.map(function (r) {
      var level = words.levels[r.urgency];
      return el("option", {value: r.id, text: level.shape + " " + level.word + " · " + r.target,
                           selected: r.id === state.referral ? "selected" : null});
    }));
    referralSelect.addEventListener("change", function () { state.referral = referralSelect.value; manualReferral = true; update(); });
    var signsSet = el("fieldset", {}, [el("legend", {text: W["signs"]})]);
    words.signs.filter(function (s) { return s.triage !== "green"; }).forEach(function (sign) {
      var box = el("input", {type: "checkbox", value: sign.id, checked: state.signs.indexOf(sign.id) >= 0 ? "checked" : null});
      box.addEventListener("change", function () {
        state.signs = state.signs.filter(function (id) { return id !== sign.id; });
        if (box.checked) state.signs.push(sign.id);
        if (!manualReferral) {
          var found = referralForSigns(words, state.signs);
          if (found) { state.referral = found.id; referralSelect.value = found.id; }
        }
        update();
      });
      signsSet.appendChild(el("label", {"class": "cp-note__check"}, [box, el("span", {text: sign.text})]));
    });
    body.appendChild(signsSet);
    body.appendChild(el("fieldset", {}, [el("legend", {text: W["referral"]}), referralSelect]));

    // Pre-referral treatment given: the chapter's dose items, with this child's computed dose.
    var treatSet = el("fieldset", {}, [el("legend", {text: W["treatment"]}), el("p", {"class": "cp-note__hint", text: W["treatment_hint"]})]);
    data.clinical.doses.forEach(function (dose) {
      var names = words.doses[dose.id];
      var computed = doseFor(dose, child);
      if (computed && !hasAmount(computed) && computed.reason !== "weight") return;  // not for this child's age
      var amount = hasAmount(computed) ? Math.round(computed.amount * 1000) / 1000 : "";
      var item = {id: dose.id, amount: amount, unit: dose.unit, time: localTime(new Date())};
      var tick = el("input", {type: "checkbox", value: dose.id, "class": "cp-note-dose"});
      var mg = el("input", {type: "number", min: "0", step: "any", inputmode: "decimal", value: amount,
                            "aria-label": names.drug + W["punct.open"] + dose.unit + W["punct.close"]});
      var at = el("input", {type: "time", value: item.time, "aria-label": W["given_at"]});
      function sync() {
        item.amount = mg.value === "" ? "" : Number(mg.value);
        item.time = at.value;
        state.treatment = state.treatment.filter(function (t) { return t.id !== dose.id; });
        if (tick.checked) state.treatment.push(item);
        update();
      }
      [tick, mg, at].forEach(function (input) { input.addEventListener("input", sync); input.addEventListener("change", sync); });
      treatSet.appendChild(el("div", {"class": "cp-note__dose"}, [
        el("label", {"class": "cp-note__check"}, [tick, el("span", {text: names.drug + " · " + names.route + " · " +
          names.indication + (computed && computed.capped ? W["punct.open"] + W["capped"] + W["punct.close"] : "")})]),
        el("label", {}, [mg, document.createTextNode(" " + dose.unit + " · " + W["given_at"] + " "), at])]));
    });
    body.appendChild(treatSet);

    // The three ways out.
    var printButton = el("button", {type: "button", "class": "cp-note-print", text: W["print"]});
    var copyButton = el("button", {type: "button", "class": "cp-note-copy", text: W["copy"]});
    var qrButton = el("button", {type: "button", "class": "cp-note-qr", text: W["qr"]});
    printButton.addEventListener("click", function () { printNote(text.value, W); });
    copyButton.addEventListener("click", function () { copyText(text, status, W); });
    qrButton.addEventListener("click", function () { showQr(text.value, qrBox, status, W); });
    body.appendChild(el("div", {"class": "cp-note__actions"}, [printButton, copyButton, qrButton]));
    body.appendChild(status);
    body.appendChild(qrBox);
    body.appendChild(text);

    var close = el("button", {type: "button", "class": "cp-note-close", text: W["close"]});
    close.addEventListener("click", function () {
      if (typeof dialog.close === "function") dialog.close(); else dialog.remove();  /* no <dialog>: a panel */
    });
    dialog.appendChild(el("div", {"class": "cp-note__bar"}, [el("h2", {id: "cp-note-title", text: W["title"] + " · " + words.title}), close]));
    dialog.appendChild(body);
    document.body.appendChild(dialog);
    update();
    if (typeof dialog.showModal === "function") dialog.showModal();
    else { dialog.setAttribute("open", ""); dialog.classList.add("cp-note--panel"); }
    (state.clinic ? close : clinic).focus();
  }

  /* Print: an A5 sheet alone (cloudpeds.css: html.cp-note-printing, @page cp-note), then the page again. */
  function printNote(text, W) {
    var old = document.querySelector(".cp-note-sheet");
    if (old) old.remove();
    var lines = text.split("\n");
    var sheet = el("div", {"class": "cp-note-sheet", lang: document.documentElement.lang});
    sheet.appendChild(el("h1", {text: lines[0]}));
    lines.slice(1).forEach(function (line, index) {
      sheet.appendChild(el("p", {"class": index === lines.length - 2 ? "cp-note-sheet__disclaimer" : null, text: line}));
    });
    document.body.appendChild(sheet);
    var root = document.documentElement;
    function go() {
      root.classList.add("cp-note-printing");
      window.addEventListener("afterprint", function done() {
        root.classList.remove("cp-note-printing");
        window.removeEventListener("afterprint", done);
      });
      window.print();
    }
    // The sheet's page size and layout are in note.css (loaded with the note): print once it is there.
    var link = document.querySelector("link[data-cp-note-style]");
    if (link && !link.sheet) link.addEventListener("load", go, {once: true}); else go();
  }

  function copyText(area, status, W) {
    function fallback() {
      area.focus();
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
      status.textContent = ok ? W["copied"] : W["copy_failed"];
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(function () { status.textContent = W["copied"]; }, fallback);
    } else {
      fallback();
    }
  }

  function showQr(text, box, status, W) {
    var at = entry();
    var url = at && at.getAttribute("data-cp-qr-js");
    var ready = window.qrcode ? Promise.resolve() : new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = url;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
    ready.then(function () {
      var qrcode = window.qrcode;
      qrcode.stringToBytes = qrcode.stringToBytesFuncs["UTF-8"];
      var code = qrcode(0, "L");
      code.addData(text, "Byte");
      code.make();
      box.innerHTML = code.createSvgTag({cellSize: 4, margin: 16, scalable: true});
      box.hidden = false;
    }).catch(function () {
      box.hidden = true;
      status.textContent = W["qr_too_long"];
    });
  }

  window.CloudpedsNote = {open: open, actNow: actNow, text: noteText};
})();
