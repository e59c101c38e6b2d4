#!/usr/bin/env node
// Generates the CDKTF bindings of the coder/coder provider from its real schema, at the version
// pinned in scripts/versions.env, through the same filesystem mirror as the Terraform tests.
// Output: cdktf/src/gen/coder (committed). `--check` regenerates elsewhere and fails on drift.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// The package's index also loads the jsii toolchain (jsii-pacmak) for other languages; only the
// TypeScript generator is needed here, so it is loaded directly.
const require = createRequire(import.meta.url);
const { TerraformProviderGenerator } = require('@cdktf/provider-generator/lib/get/generator/provider-generator.js');
const { CodeMaker } = require('codemaker');

async function generateProviderBindingsFromSchema(targetPath, schemaJSON) {
  const code = new CodeMaker();
  new TerraformProviderGenerator(code, schemaJSON).generateAll();
  await code.save(targetPath);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'cdktf', 'src', 'gen', 'coder');
const check = process.argv.includes('--check');
const version = /^CODER_PROVIDER_VERSION=(.+)$/m.exec(
  fs.readFileSync(path.join(root, 'scripts', 'versions.env'), 'utf8'),
)?.[1];
if (!version) throw new Error('CODER_PROVIDER_VERSION is missing from scripts/versions.env');

// The generator and Terraform read the CLI config: use the one that serves the mirror.
process.env.TF_CLI_CONFIG_FILE = path.join(root, '.cache', 'terraform', 'cli.tfrc');
// Generated code imports the CDK library through cdktf/src/cdk-lib.ts, the one place that names it.
const cdkImport = "import * as cdktf from 'cdktf';";
const localCdkImport = "import * as cdktf from '../../../cdk-lib';";

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'coder-bindings-'));
try {
  fs.writeFileSync(
    path.join(work, 'main.tf'),
    `terraform {\n  required_providers {\n    coder = {\n      source  = "coder/coder"\n      version = "${version}"\n    }\n  }\n}\n`,
  );
  const tf = (args) =>
    execFileSync('bash', [path.join(root, 'scripts', 'tf.sh'), ...args], {
      cwd: work,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, TF_DATA_DIR: path.join(work, '.terraform') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  tf(['init', '-input=false', '-no-color']);
  const schema = JSON.parse(tf(['providers', 'schema', '-json']));
  const coder = Object.entries(schema.provider_schemas).filter(([address]) => address.endsWith('/coder/coder'));
  if (coder.length !== 1) throw new Error('the schema has no coder/coder provider');
  schema.provider_schemas = Object.fromEntries(coder.map(([, value]) => ['registry.terraform.io/coder/coder', value]));
  // The generator records the version it was given; make it the pinned one.
  schema.provider_versions = { 'registry.terraform.io/coder/coder': version };

  const out = path.join(work, 'gen');
  await generateProviderBindingsFromSchema(out, schema);
  const generated = path.join(out, 'providers', 'coder');
  const files = fs.readdirSync(generated, { recursive: true }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const full = path.join(generated, file);
    fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(cdkImport, localCdkImport));
  }
  if (check) {
    const drift = [];
    for (const file of files) {
      const committed = path.join(target, file);
      if (
        !fs.existsSync(committed) ||
        fs.readFileSync(committed, 'utf8') !== fs.readFileSync(path.join(generated, file), 'utf8')
      ) {
        drift.push(file);
      }
    }
    const extra = fs.existsSync(target)
      ? fs.readdirSync(target, { recursive: true }).filter((f) => f.endsWith('.ts') && !files.includes(f))
      : [];
    if (drift.length + extra.length > 0) {
      console.error(`cdktf/src/gen/coder drifted from coder/coder ${version}: ${[...drift, ...extra].join(', ')}`);
      console.error('Run `npm run cdktf:generate` and commit the result.');
      process.exit(1);
    }
    console.log(`cdktf/src/gen/coder matches coder/coder ${version} (${files.length} files)`);
  } else {
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(generated, target, { recursive: true });
    console.log(`generated cdktf/src/gen/coder from coder/coder ${version} (${files.length} files)`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
