// Loads a cloudpeds search index as the browser does — the entry file, then only the shards each
// query needs — and prints lunr.js results as JSON.
// Usage: node search_query.js SEARCH_DIR LANG QUERIES_JSON
//   → {results: {query: [[ref, score], ...]}, shards: {query: [shard numbers]}, loadMs}
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const root = path.resolve(__dirname, "..", "..");
const lunr = require(path.join(root, "node_modules", "lunr"));
const core = require(path.join(root, "theme", "assets", "search-core.js"));

const [searchDir, lang, queriesJson] = process.argv.slice(2);
const sandbox = { window: {} };
vm.runInNewContext(fs.readFileSync(path.join(searchDir, `index.${lang}.js`), "utf8"), sandbox);
const entry = sandbox.window.cpSearchData[lang];

function fetchShard(file) {
  vm.runInNewContext(fs.readFileSync(path.join(searchDir, file), "utf8"), sandbox);
  return Promise.resolve(sandbox.window.cpSearchShards[file.replace(/\.[0-9a-f]+\.js$/, "")]);
}

async function main() {
  const out = { results: {}, shards: {}, texts: {} };
  for (const query of JSON.parse(queriesJson)) {
    // A fresh engine per query: each result must come from the shards that query loads alone.
    const engine = new core.Engine(lunr, entry, fetchShard);
    const hits = await engine.search(query);
    out.results[query] = hits.map((h) => [h.ref, h.score === Infinity ? "exact" : Math.round(h.score * 1e6) / 1e6]);
    out.shards[query] = Object.keys(engine.loaded).map(Number).sort((a, b) => a - b);
    const refs = hits.slice(0, 3).map((h) => Number(h.ref));
    out.texts[query] = refs.length ? Object.values(await engine.texts(refs)) : [];
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch((error) => { console.error(error); process.exit(1); });
