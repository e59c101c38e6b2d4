// The runner flags that the supervisor passes, or lets operators pass. tests/runner/flags.test.ts
// checks each against the real `claude self-hosted-runner --help`, so a renamed flag fails a test.
// (Kept here until the supervisor exports its own list.)
export const runnerFlagsWePass = [
  '--environment-secret-file',
  // A deprecated alias, for runners older than 2.1.216: 2.1.330's help names it in the
  // description of --environment-secret-file, and the binary still accepts it with a warning.
  '--pool-secret-file',
  '--capacity',
  '--exec-path',
  '--log-file',
  '--health-port',
  '--base-dir',
  '--retire-at',
  '--client-label',
  '--drain-grace-sec',
  '--drain-wait-sec',
  '--drain-marker-file',
  '--exit-if-unused-min',
  '--release-idle-session-min',
  '--kill-session-after-min',
  '--hooks-dir',
  '--agent-proxy-url',
  '--log-level',
] as const;
