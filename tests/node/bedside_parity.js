// Evaluates the parity cases with the browser's evaluator (theme/assets/bedside-core.js) under Node.
// Usage: node bedside_parity.js CLINICAL_DIR CASES_JSON  → JSON list of results, one per case, in order.
"use strict";
const fs = require("fs");
const path = require("path");
const core = require(path.resolve(__dirname, "..", "..", "theme", "assets", "bedside-core.js"));

const [clinicalDir, casesFile] = process.argv.slice(2);
const chapters = {};
const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
const results = cases.map((item) => {
  if (!chapters[item.chapter]) {
    chapters[item.chapter] = JSON.parse(fs.readFileSync(path.join(clinicalDir, item.chapter + ".json"), "utf8"));
  }
  return core.evaluate(chapters[item.chapter], item.child);
});
process.stdout.write(JSON.stringify(results));
