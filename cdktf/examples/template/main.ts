// The app that `cdktf synth` runs (see cdktf.json); also `npx tsx main.ts` from this folder.
import { synthTemplate } from './stack';

const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
console.log(`synthesized ${synthTemplate(outdir)}`);
