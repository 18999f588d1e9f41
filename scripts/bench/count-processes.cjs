// Preloaded into every Node.js process of a benchmarked synthesis
// (NODE_OPTIONS=--require): appends one line to $BENCH_PROCESS_LOG for every
// process the app starts, besides its own synthesis workers (the same script
// started again). cdktf-cli's and npx's own processes are not counted: only
// calls made while the app (main.js or main.ts) is the running script.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS */
const childProcess = require("node:child_process");
const { appendFileSync } = require("node:fs");

const LOG = process.env.BENCH_PROCESS_LOG;
const isApp = () => /(^|[\\/])main\.(js|ts)$/.test(process.argv[1] ?? "");

if (LOG) {
  for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"]) {
    const original = childProcess[name];
    childProcess[name] = function counted(command, args, ...rest) {
      const worker = command === process.execPath && Array.isArray(args) && args[0] === process.argv[1];
      if (isApp() && !worker) {
        const shown = [command, ...(Array.isArray(args) ? args : [])].join(" ");
        appendFileSync(LOG, `${name} ${shown}\n`);
      }
      return original.call(this, command, args, ...rest);
    };
  }
}
