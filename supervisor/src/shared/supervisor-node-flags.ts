/**
 * Node's flags for the long-lived supervisor: `start`'s detached child and the fresh one that the
 * stall watchdog starts. `--jitless` (a Node option: no executable memory, the interpreter only)
 * keeps V8's compilers from being paged in and from filling code space for a process that waits
 * almost all of its life: idle RSS about 4.5 MiB less (61 to 56.5 MiB on Node 20), CPU per hour
 * the same within a 10 ms tick (bench/RESULTS.md, "Footprint"). Nothing in the supervisor needs
 * WebAssembly, the one feature it takes away (the Coder API and the health polls use node:http).
 */
export const supervisorNodeFlags: readonly string[] = ['--jitless'];
