#!/usr/bin/env node
// `npx privatelink-router routes|status ...`: the command-line tool (src/cli/main.ts, compiled to lib/).
"use strict";
require("../lib/cli/main").main();
