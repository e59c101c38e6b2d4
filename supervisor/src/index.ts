// The bundle's entry point: everything testable lives in main.ts.
import { defaultBundlePath, main } from './main.js';

void main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  bundlePath: defaultBundlePath(),
}).then((code) => {
  process.exitCode = code;
});
