// Loads a cloudpeds search index file (as the browser does) and prints lunr.js results as JSON.
// Usage: node search_query.js INDEX_JS LANG QUERIES_JSON  →  {query: [[ref, score], ...]}
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const root = path.resolve(__dirname, "..", "..");
const lunr = require(path.join(root, "node_modules", "lunr"));
const core = require(path.join(root, "theme", "assets", "search-core.js"));

const [indexFile, lang, queriesJson] = process.argv.slice(2);
const sandbox = { window: {} };
vm.runInNewContext(fs.readFileSync(indexFile, "utf8"), sandbox);
const payload = sandbox.window.cpSearchData[lang];
core.register(lunr);
const started = process.hrtime.bigint();
const kinds = payload.docs.map((doc) => doc[1]);
const index = lunr.Index.load(core.expandIndex(payload.index, kinds, payload.boosts));
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
const out = { loadMs, results: {} };
for (const query of JSON.parse(queriesJson)) {
  const clauses = core.clauses(query);
  const hits = clauses.length ? index.query((q) => clauses.forEach((c) => q.term(c.term, c))) : [];
  out.results[query] = hits.map((h) => [h.ref, Math.round(h.score * 1e6) / 1e6]);
}
process.stdout.write(JSON.stringify(out));
