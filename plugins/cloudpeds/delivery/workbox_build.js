// Runs Workbox's generateSW for cloudpeds.delivery.service_worker (CommonJS, Node 20+).
// Usage: node workbox_build.js NODE_MODULES OPTIONS.json
// OPTIONS.json holds generateSW's options (JSON only: no regular expressions or functions).
// Prints {"count": …, "size": …, "warnings": […]} as JSON on stdout.
"use strict";
const path = require("path");
const fs = require("fs");

const [nodeModules, optionsFile] = process.argv.slice(2);
let workbox;
try {
  workbox = require(path.join(path.resolve(nodeModules), "workbox-build"));
} catch (error) {
  process.stderr.write(`workbox-build not found in ${nodeModules}: run \`npm ci\` (${error.code || error})\n`);
  process.exit(3);
}
const options = JSON.parse(fs.readFileSync(optionsFile, "utf8"));
workbox.generateSW(options).then(
  ({ count, size, warnings }) => {
    process.stdout.write(JSON.stringify({ count, size, warnings }) + "\n");
  },
  (error) => {
    process.stderr.write(`generateSW failed: ${error.message || error}\n`);
    process.exit(1);
  },
);
