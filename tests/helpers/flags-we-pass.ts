// The runner flags that the supervisor passes, or lets operators set through an input: the
// supervisor's own list. tests/runner/flags.test.ts checks each against the real
// `claude self-hosted-runner --help`, so a renamed flag fails a test.
import { supervisorOwnedRunnerFlags } from '../../supervisor/src/config/inputs.js';

export const runnerFlagsWePass = supervisorOwnedRunnerFlags;
