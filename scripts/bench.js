#!/usr/bin/env node
// Runs one benchmark: `npm run bench -- <name> [--n=N]`; with no name, lists them.
//
// Benchmarks are TypeScript (bench/<name>.bench.ts) and run compiled from dist/, the way the apps run,
// so they measure the same JavaScript production executes. The build (~6 s) runs only when the compiled
// file is missing or older than a .ts file under bench/, libs/ or apps/ (or a tsconfig), so repeated runs start
// at once. Human-readable lines go to stdout as the benchmark goes; the last stdout line is the result
// as one JSON object. Timing never decides the exit code: a missed target is reported, not failed,
// because a noisy machine must not break a build.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { newestSourceMtime } = require('./newest-source');

const ROOT = path.resolve(__dirname, '..');
const BENCH_DIR = path.join(ROOT, 'bench');
const SUFFIX = '.bench.ts';

function available() {
  return fs
    .readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length))
    .sort();
}

/** The first line of a benchmark's leading doc comment, as its one-line description. */
function describe(name) {
  const source = fs.readFileSync(path.join(BENCH_DIR, name + SUFFIX), 'utf8');
  const match = /^\s*\/\*\*\s*(.*?)\s*(\*\/|\n)/.exec(source);
  return match ? match[1] : '';
}

function buildIfStale(compiled) {
  const sources = Math.max(
    newestSourceMtime(BENCH_DIR),
    newestSourceMtime(path.join(ROOT, 'libs')),
    // The ingest benchmarks run the API application itself.
    newestSourceMtime(path.join(ROOT, 'apps')),
    ...['tsconfig.json', 'tsconfig.build.json'].map((file) => fs.statSync(path.join(ROOT, file)).mtimeMs),
  );
  if (fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= sources) return;
  process.stderr.write('[bench] sources changed since the last build: npm run build\n');
  // Build output goes to stderr so stdout carries only the benchmark's lines.
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (build.status !== 0 || !fs.existsSync(compiled)) {
    process.stderr.write('[bench] the build failed; fix the errors above and run again\n');
    process.exit(1);
  }
}

function parseArgs(argv) {
  const options = {};
  const names = [];
  for (const arg of argv) {
    const n = /^--n=(.*)$/.exec(arg);
    if (n) {
      if (!/^[1-9]\d*$/.test(n[1])) usage(`--n must be a positive integer, not "${n[1]}"`);
      options.n = Number(n[1]);
    } else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else names.push(arg);
  }
  if (names.length > 1) usage('one benchmark at a time');
  return { name: names[0], options };
}

function usage(problem) {
  process.stderr.write(`[bench] ${problem}\nusage: npm run bench -- <name> [--n=N]   (npm run bench lists them)\n`);
  process.exit(2);
}

async function main() {
  const { name, options } = parseArgs(process.argv.slice(2));
  const names = available();
  if (!name) {
    console.log('available benchmarks (npm run bench -- <name> [--n=N]):');
    for (const each of names) console.log(`  ${each.padEnd(16)} ${describe(each)}`);
    return;
  }
  if (!names.includes(name)) usage(`no benchmark "${name}"; available: ${names.join(', ')}`);

  const compiled = path.join(ROOT, 'dist', 'bench', `${name}.bench.js`);
  buildIfStale(compiled);
  const result = await require(compiled).run({ ...options, log: (line) => console.log(line) });
  console.log(JSON.stringify(result));
  // No process.exit here: the benchmark closes its connections, so the process ending on its own
  // is the check that it did.
}

main().catch((error) => {
  process.stderr.write(`[bench] ${error && error.name === 'BenchSetupError' ? error.message : (error && error.stack) || error}\n`);
  // Exit explicitly: a benchmark that failed midway may still hold connections open.
  process.exit(1);
});
