// Runs a CDK CLI's `synth` (cdktf or cdktn) in an app folder, offline and without colour; on
// failure, prints what the CLI said and exits with its status. Shared by the example scripts.
"use strict";
const { spawnSync } = require("child_process");

/** Runs `command ...args` in `cwd`; returns only when it succeeded. */
function synthWithCli(command, args, cwd) {
  const synth = spawnSync(command, args, {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1", FORCE_COLOR: "0" },
    encoding: "utf8",
  });
  if (synth.status !== 0) {
    process.stderr.write(synth.stdout + synth.stderr);
    process.exit(synth.status ?? 1);
  }
}

module.exports = { synthWithCli };
