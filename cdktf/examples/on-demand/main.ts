// The app that `cdktf synth` runs (see cdktf.json); also `npx tsx main.ts` from this folder.
import { synthOnDemandTemplates } from './stack';

const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
const stacks = synthOnDemandTemplates(outdir);
console.log(`synthesized ${stacks.runner} and ${stacks.orchestrator}`);
