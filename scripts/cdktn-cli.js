#!/usr/bin/env node
// `node scripts/cdktn-cli.js <args>`: the real cdktn CLI (node_modules/cdktn-cli). cdktn-cli 0.24 wants Node 22:
// on Node 20 its bundled undici misses worker_threads.markAsUncloneable (Node 22.10+), supplied here as a no-op.
"use strict";
const path = require("path");
const workerThreads = require("worker_threads");

if (typeof workerThreads.markAsUncloneable !== "function") workerThreads.markAsUncloneable = () => {};
require(path.join(__dirname, "..", "node_modules", "cdktn-cli", "bin", "cdktn"));
