/* cloudpeds bedside core: the browser's twin of the Python evaluator (cloudpeds.clinical.evaluate, doses,
 * dosetable, bedside). It reads a chapter's clinical/<chapter>.json (cloudpeds.clinical.export) and answers
 * for one child: signs met, triage colour, urgency level, referral, flowchart path and doses. Plain ES2017,
 * no dependencies, nothing fetched; the same file runs in the page and under Node (module.exports).
 * Every rule here mirrors a Python function named beside it; tests/unit/test_bedside_parity.py and
 * tests/browser/test_bedside_parity.py compare both on the cases of cloudpeds.clinical.parity. */
(function (root) {
  "use strict";

  var EPS = 1e-9;
  var TRIAGE_RANK = { red: 0, amber: 1, green: 2, none: 3 };
  var TRIAGE_LEVEL = { red: "emergency", amber: "urgent", green: "home" };
  var LEVEL_RANK = { emergency: 0, urgent: 1, routine: 2, observe: 3, "treat-home": 4, home: 5 };
  var DAYS_PER_UNIT = { d: 1, w: 7, mo: 365.25 / 12, y: 365.25 };
  var STORAGE_VERSION = 1;
  // bedside.WORDS
  var WORDS = {
    zh: { capped: "已达最大剂量", open: "（", close: "）", list: "；",
          min_age: "未到最小年龄", ages: "不适用于此年龄", min_weight: "未到最小体重",
          weight: "需要体重", no_band: "此年龄或体重无剂量", tablet: "片", puff: "揿" },
    en: { capped: "capped", open: " (", close: ")", list: "; ",
          min_age: "under the minimum age", ages: "not for this age", min_weight: "under the minimum weight",
          weight: "weight needed", no_band: "no dose for this age or weight", tablet: "tablet", puff: "puff" }
  };
  var LANGS = ["zh", "en"];

  // Python's round(x) (half to even) and round(x, 3) (exact ties cannot occur at 3 decimals).
  function pyRoundInt(x) {
    var floor = Math.floor(x);
    var diff = x - floor;
    if (diff > 0.5) return floor + 1;
    if (diff < 0.5) return floor;
    return floor % 2 === 0 ? floor : floor + 1;
  }
  function round3(x) { return x === null || x === undefined ? null : Number(x.toFixed(3)); }
  // Python f"{round(x, 3):g}" (dosetable.number)
  function numberText(x) {
    var value = Number(round3(x).toPrecision(6));
    return String(value);
  }
  function partText(part) { // f"{part:g}"[1:]
    return String(Number(part.toPrecision(6))).slice(1);
  }

  // evaluate.in_bands
  function inBands(bands, ageDays) {
    for (var i = 0; i < bands.length; i++) {
      if (bands[i][0] - EPS <= ageDays && ageDays < bands[i][1] - EPS) return true;
    }
    return false;
  }
  // findings.compare
  function compare(value, op, cutoff) {
    if (op === ">") return value > cutoff;
    if (op === ">=") return value >= cutoff;
    if (op === "<") return value < cutoff;
    if (op === "<=") return value <= cutoff;
    return false;
  }
  function has(object, key) { return object !== null && object !== undefined && Object.prototype.hasOwnProperty.call(object, key); }
  function num(value) { return value === null || value === undefined || value === "" ? null : Number(value); }

  // findings.ThresholdTable.cutoff
  function tableCutoff(table, ageDays) {
    var rows = table.rows;
    if (table.by === "age") {
      for (var i = 0; i < rows.length; i++) {
        if (rows[i].age[0] - EPS <= ageDays && ageDays < rows[i].age[1] - EPS) return rows[i].value;
      }
      return null;
    }
    var hours = ageDays * 24;
    if (hours < rows[0].hours) return null;
    for (var j = 0; j + 1 < rows.length; j++) {
      var low = rows[j], high = rows[j + 1];
      if (low.hours <= hours && hours < high.hours) {
        return low.value + (high.value - low.value) * (hours - low.hours) / (high.hours - low.hours);
      }
    }
    return rows[rows.length - 1].value;
  }

  // The evaluator's child (bedside.child_from_stored).
  function evaluatorChild(child) {
    var measures = {};
    var given = child.measures || {};
    Object.keys(given).forEach(function (code) {
      var value = num(given[code]);
      if (value !== null && !isNaN(value)) measures[code] = value;
    });
    if (num(child.gestationWeeks) !== null && !has(measures, "gestational_age")) {
      measures.gestational_age = num(child.gestationWeeks);
    }
    var findings = {};
    (child.findings || []).forEach(function (code) { findings[code] = true; });
    return { ageDays: Number(child.ageDays), weightKg: num(child.weightKg), measures: measures, findings: findings };
  }
  // evaluate._measure
  function measureOf(code, c) {
    if (code === "age") return c.ageDays;
    if (code === "weight") return c.weightKg;
    return has(c.measures, code) ? c.measures[code] : null;
  }
  // evaluate.sign_condition: true/false, or null when the sign has nothing to evaluate
  function signCondition(sign, c, vocabulary) {
    var checks = sign.findings.map(function (code) { return c.findings[code] === true; });
    sign.thresholds.forEach(function (entry) {
      if (entry.table) {
        var table = has(vocabulary.tables, entry.table) ? vocabulary.tables[entry.table] : null;
        var value = table ? measureOf(table.measure, c) : null;
        var cutoff = table ? tableCutoff(table, c.ageDays) : null;
        checks.push(value !== null && cutoff !== null && compare(value, table.op, cutoff));
        return;
      }
      var measured = measureOf(entry.measure, c);
      if (measured === null || entry.value === null || !has(vocabulary.measures, entry.measure)) {
        checks.push(false);
        return;
      }
      checks.push(compare(measured, entry.op, entry.value));
    });
    if (!checks.length) return null;
    return sign.match === "all" ? checks.every(Boolean) : checks.some(Boolean);
  }
  // evaluate.signs_met
  function signsMet(data, c) {
    var met = [], unevaluated = [];
    data.signs.forEach(function (sign) {
      if (sign.triage === "green" || !inBands(sign.age_bands, c.ageDays)) return;
      var holds = signCondition(sign, c, data.vocabulary);
      if (holds === null) unevaluated.push(sign.id);
      else if (holds) met.push(sign.id);
    });
    if (!met.length) {
      data.signs.forEach(function (sign) {
        if (sign.triage === "green" && inBands(sign.age_bands, c.ageDays) && signCondition(sign, c, data.vocabulary) !== false) {
          met.push(sign.id);
        }
      });
    }
    return { met: met, unevaluated: unevaluated };
  }

  function levelOfKind(kind) {
    if (kind === "treat") kind = "treat-home";
    return has(LEVEL_RANK, kind) ? kind : null;
  }
  function isDisposition(kind) { return kind === "treat" || has(LEVEL_RANK, kind); }
  function exitsOf(chart, nodeId) { return chart.edges.filter(function (e) { return e.source === nodeId; }); }

  // evaluate.worst_rank
  function worstRank(chart) {
    var memo = {};
    function visit(nodeId, trail) {
      if (has(memo, nodeId)) return memo[nodeId];
      var node = has(chart.nodes, nodeId) ? chart.nodes[nodeId] : null;
      if (node === null || trail.indexOf(nodeId) >= 0) return 99;
      var rank;
      if (isDisposition(node.kind)) {
        rank = LEVEL_RANK[levelOfKind(node.kind)];
      } else {
        rank = 99;
        var next = trail.concat([nodeId]);
        exitsOf(chart, nodeId).forEach(function (edge) { rank = Math.min(rank, visit(edge.target, next)); });
      }
      memo[nodeId] = rank;
      return rank;
    }
    Object.keys(chart.nodes).forEach(function (nodeId) { visit(nodeId, []); });
    return memo;
  }
  // evaluate.answer_exit: the label as Python normalises it (strip, lower, rstrip "?？。.")
  function answerWord(label) {
    return (label || "").trim().toLowerCase().replace(/[?？。.]+$/, "");
  }
  function answerExit(chart, nodeId, met, signIds, worst, answers) {
    var exits = exitsOf(chart, nodeId);
    if (!exits.length) return null;
    if (exits.length === 1) return exits[0];
    var linked = chart.nodes[nodeId].links.filter(function (link) { return signIds[link] === true; });
    if (linked.length) {
      var wanted = linked.some(function (link) { return met[link] === true; }) ? answers.yes : answers.no;
      for (var i = 0; i < exits.length; i++) {
        if (wanted.indexOf(answerWord(exits[i].label)) >= 0) return exits[i];
      }
    }
    var best = exits[0];
    var bestRank = has(worst, best.target) ? worst[best.target] : 99;
    for (var j = 1; j < exits.length; j++) {
      var rank = has(worst, exits[j].target) ? worst[exits[j].target] : 99;
      if (rank < bestRank) { best = exits[j]; bestRank = rank; }
    }
    return best;
  }
  // evaluate.walk
  function walk(data, met, signIds) {
    var chart = data.chart;
    var worst = chart._worst || (chart._worst = worstRank(chart));
    var path = [];
    var nodeId = chart.start;
    while (nodeId !== null && nodeId !== undefined && path.indexOf(nodeId) < 0) {
      path.push(nodeId);
      if (isDisposition(chart.nodes[nodeId].kind)) break;
      var edge = answerExit(chart, nodeId, met, signIds, worst, data.answers);
      nodeId = edge ? edge.target : null;
    }
    return path;
  }

  // doses.dose_for → {amount, capped, reason}
  function doseAmount(dose, c) {
    function none(reason) { return { amount: null, capped: false, reason: reason }; }
    var age = c.ageDays, weight = c.weightKg;
    if (age < (dose.min_age_days || 0) - EPS) return none("min_age");
    if (dose.ages && !(dose.ages[0] - EPS <= age && age < dose.ages[1] - EPS)) return none("ages");
    if (dose.min_weight_kg && (weight === null || weight < dose.min_weight_kg)) return none("min_weight");
    var amount = null, i;
    if (dose.by_age && dose.by_age.length) {
      for (i = 0; i < dose.by_age.length; i++) {
        var band = dose.by_age[i].age;
        if (band[0] - EPS <= age && age < band[1] - EPS) { amount = dose.by_age[i].dose; break; }
      }
      if (amount === null) return none("no_band");
    } else if (weight === null) {
      return none("weight");
    } else if (dose.by_weight && dose.by_weight.length) {
      for (i = 0; i < dose.by_weight.length; i++) {
        var w = dose.by_weight[i];
        if (w.from_kg <= weight && weight < w.to_kg) { amount = w.dose; break; }
      }
      if (amount === null) return none("no_band");
    } else {
      amount = dose.per_kg * weight;
    }
    if (dose.max_single !== null && dose.max_single !== undefined && amount > dose.max_single + EPS) {
      return { amount: dose.max_single, capped: true, reason: null };
    }
    return { amount: amount, capped: false, reason: null };
  }
  // doses._per_unit and doses.measurable
  function perUnit(unit, formulation) {
    var strength = formulation.strength;
    if (unit === "mL" || !strength) return [1, formulation.step_ml || 1];
    if (strength.ml !== null && strength.ml !== undefined) return [strength.mg / strength.ml, formulation.step_ml];
    return [strength.mg, formulation.split];
  }
  function measurable(amount, unit, formulation, maximum) {
    if (amount === null) return null;
    var pu = perUnit(unit, formulation);
    var quantity = amount / pu[0];
    var step = pu[1];
    var rounded = pyRoundInt(quantity / step) * step;
    var overMaximum = maximum !== null && maximum !== undefined && rounded * pu[0] > maximum + EPS;
    if (overMaximum || rounded > quantity * (1 + 0.1) + EPS) rounded = Math.floor(quantity / step + EPS) * step;
    return rounded > 0 ? round3(rounded) : null;
  }
  // dosetable.quantity_text
  function quantityText(quantity, unit, formulation, lang) {
    if (quantity === null) return "—";
    if (unit === "mL" || !formulation.strength || (formulation.strength.ml !== null && formulation.strength.ml !== undefined)) {
      return numberText(quantity) + " mL";
    }
    var whole = Math.trunc(quantity), part = quantity - whole;
    var text = (whole ? String(whole) : "") + (Math.abs(part - 0.5) < 1e-6 ? "½" : (part ? partText(part) : ""));
    var kind = formulation.form === "inhaler" ? WORDS[lang].puff : WORDS[lang].tablet;
    var plural = lang === "en" && quantity > 1 ? "s" : "";
    return (text || "0") + " " + kind + plural;
  }
  function normaliseChild(child) {
    return child && has(child, "findings") && typeof child.findings === "object" && !Array.isArray(child.findings)
      ? child : evaluatorChild(child || { ageDays: 0 });
  }

  // bedside.dose_card: one dose for this child, zh and en
  function doseFor(dose, child) {
    var c = normaliseChild(child);
    var result = doseAmount(dose, c);
    var amount = result.amount;
    var formulations = dose.formulations || [];
    var volumes = formulations.map(function (f) {
      var quantity = amount !== null ? measurable(amount, dose.unit, f, dose.max_single) : null;
      var text = {};
      LANGS.forEach(function (lang) { text[lang] = quantityText(quantity, dose.unit, f, lang); });
      return { formulation: f.id, quantity: quantity, text: text, label: f.label };
    });
    var text = {};
    LANGS.forEach(function (lang) {
      var words = WORDS[lang];
      var drug = (dose.drug_name && dose.drug_name[lang]) || dose.drug;
      if (amount === null) { text[lang] = drug + words.open + words[result.reason] + words.close; return; }
      var line = drug + " " + numberText(amount) + " " + dose.unit;
      if (result.capped) line += words.open + words.capped + " " + numberText(dose.max_single) + " " + dose.unit + words.close;
      var measured = [];
      volumes.forEach(function (v) {
        if (v.quantity !== null) measured.push(v.text[lang] + " " + (v.label[lang] || v.label.zh));
      });
      if (measured.length) line += " = " + measured.join(words.list);
      text[lang] = line;
    });
    return {
      id: dose.id, drug: dose.drug, amount: round3(amount), unit: dose.unit, capped: result.capped,
      max: dose.max_single === undefined ? null : dose.max_single, reason: result.reason,
      volumes: volumes.map(function (v) { return { formulation: v.formulation, quantity: v.quantity, text: v.text }; }),
      text: text
    };
  }

  // evaluate.evaluate + bedside.result
  function evaluate(data, child) {
    var c = normaliseChild(child);
    var found = signsMet(data, c);
    var met = found.met;
    var triageBySign = {};
    data.signs.forEach(function (sign) { triageBySign[sign.id] = sign.triage; });
    var triage = "none";
    met.forEach(function (id) { if (TRIAGE_RANK[triageBySign[id]] < TRIAGE_RANK[triage]) triage = triageBySign[id]; });
    var metSet = {};
    met.forEach(function (id) { metSet[id] = true; });
    var referral = null;
    data.referrals.forEach(function (r) {
      if (!r.signs.some(function (id) { return metSet[id] === true; })) return;
      if (referral === null || LEVEL_RANK[r.urgency] < LEVEL_RANK[referral.urgency]) referral = r;
    });
    var path = [], urgency = null;
    if (data.chart && Object.keys(data.chart.nodes).length) {
      var signIds = {};
      data.signs.forEach(function (sign) { signIds[sign.id] = true; });
      path = walk(data, metSet, signIds);
      var end = path.length ? data.chart.nodes[path[path.length - 1]] : null;
      urgency = end ? levelOfKind(end.kind) : null;
    }
    if (urgency === null) urgency = referral ? referral.urgency : (TRIAGE_LEVEL[triage] || null);
    var byId = {};
    (data.doses || []).forEach(function (dose) { byId[dose.id] = dose; });
    var doses = (data.doses || []).map(function (dose) { return doseFor(dose, c); })
      .filter(function (card) { return card.amount !== null; });
    var preTransfer = [];
    if (referral) {
      referral.pre_referral.forEach(function (step) {
        if (step.dose && has(byId, step.dose)) preTransfer.push(doseFor(byId[step.dose], c));
      });
    }
    return {
      signs: met, unevaluated: found.unevaluated, triage: triage, urgency: urgency,
      referral: referral ? referral.id : null, path: path,
      referralUrgency: referral ? referral.urgency : null,
      target: referral ? referral.target : null, timeFrame: referral ? referral.time_frame : null,
      doses: doses, preTransfer: preTransfer
    };
  }

  // The stored child: {v, ageDays, age: {value, unit}, gestationWeeks?, hoursOfAge?, weightKg?, measures,
  // findings, touched}. ageDays follows hoursOfAge when it is given (a newborn's age in hours).
  function makeChild(input, now) {
    var age = input.age || {};
    var unit = has(DAYS_PER_UNIT, age.unit) ? age.unit : "d";
    var value = num(age.value);
    var child = { v: STORAGE_VERSION, ageDays: value === null ? null : value * DAYS_PER_UNIT[unit],
                  age: { value: value, unit: unit }, measures: {}, findings: [], touched: now };
    if (num(input.hoursOfAge) !== null) {
      child.hoursOfAge = num(input.hoursOfAge);
      child.ageDays = child.hoursOfAge / 24;
    }
    if (num(input.gestationWeeks) !== null) child.gestationWeeks = num(input.gestationWeeks);
    if (num(input.weightKg) !== null) child.weightKg = num(input.weightKg);
    Object.keys(input.measures || {}).forEach(function (code) {
      var v = num(input.measures[code]);
      if (v !== null && !isNaN(v)) child.measures[code] = v;
    });
    child.findings = (input.findings || []).slice().sort();
    return child;
  }

  var api = {
    version: STORAGE_VERSION, WORDS: WORDS, DAYS_PER_UNIT: DAYS_PER_UNIT,
    evaluate: evaluate, doseFor: doseFor, makeChild: makeChild,
    inBands: inBands, tableCutoff: tableCutoff, measurable: measurable, quantityText: quantityText,
    numberText: numberText
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.CloudpedsBedside = api;
})(typeof self !== "undefined" ? self : this);
