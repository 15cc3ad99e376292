#!/usr/bin/env node
// Adds package-lock entries for platform-specific optional dependencies that the npm registry mirror of
// this workplace does not serve (it answers 404 for some of them, e.g. @swc/core-darwin-arm64), which
// makes `npm install` leave them out of the lock and `npm ci` then refuse the lock as out of sync.
// Each added entry carries the os/cpu(/libc) read from the package name, so npm skips it on every other
// platform and never tries to download it. Run after `npm install` changes the lock:
//   node scripts/lockfile-optional-entries.js
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const LOCK = path.join(__dirname, '..', 'package-lock.json');
const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'loong64', 'riscv64', 'wasm32', 'mips64el'];

/** os, cpu and libc constraints spelled in a platform package's name, e.g. `…-linux-arm-musleabihf`. */
function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = tokens.find((token) => OS.includes(token));
  const cpu = tokens.find((token) => CPU.includes(token));
  if (!os && !cpu) return null;
  const entry = {};
  if (cpu) entry.cpu = [cpu];
  if (os) entry.os = [os];
  if (os === 'linux') entry.libc = [tokens.some((token) => token.startsWith('musl')) ? 'musl' : 'glibc'];
  return entry;
}

const lock = JSON.parse(fs.readFileSync(LOCK, 'utf8'));
const added = [];
for (const [location, pkg] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) {
      console.warn(`left alone: ${name}@${spec} (no platform in its name, or not an exact version)`);
      continue;
    }
    lock.packages[`node_modules/${name}`] = { version: spec, ...platform, optional: true };
    added.push(`${name}@${spec}`);
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} entries:\n  ${added.join('\n  ')}` : 'nothing to add');
