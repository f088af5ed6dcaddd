// Prints the JS tokenizer's tokens for each text of a JSON list (stdin) as a JSON list of lists.
"use strict";
const path = require("path");
const core = require(path.resolve(__dirname, "..", "..", "theme", "assets", "search-core.js"));
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => process.stdout.write(JSON.stringify(JSON.parse(input).map(core.tokenize))));
