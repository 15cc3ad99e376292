#!/usr/bin/env node
// `npm start`: build if needed, make sure Redis and MongoDB answer (starting the local ones with
// scripts/services.sh when the configured ones do not), then run the API, ingester and dispatcher
// together until SIGINT/SIGTERM, which is passed on to all three.
'use strict';

const { execFileSync, spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { newestSourceMtime } = require('./newest-source');

const ROOT = path.resolve(__dirname, '..');
const APPS = ['api', 'ingester', 'dispatcher'];
const STOP_GRACE_MS = 10_000;
const say = (line) => process.stdout.write(`[hopper] ${line}\n`);

function buildIfNeeded() {
  // The web console's page counts as built output too (a tree built before it existed rebuilds).
  const entries = [...APPS.map((app) => path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js')), path.join(ROOT, 'dist', 'console', 'index.html')];
  const builtAt = Math.min(...entries.map((file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0)));
  const sourcesAt = Math.max(newestSourceMtime(path.join(ROOT, 'apps')), newestSourceMtime(path.join(ROOT, 'libs')));
  if (builtAt >= sourcesAt) return;
  say('building (npm run build)...');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    say('the build failed; see the errors above');
    process.exit(1);
  }
}

/** True when host:port accepts a TCP connection within a second. */
function reachable(url) {
  let host;
  let port;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'mongodb+srv:') return Promise.resolve(true); // resolved by the driver, not here
    host = parsed.hostname.replace(/^\[|\]$/g, '');
    port = Number(parsed.port) || (parsed.protocol.startsWith('redis') ? 6379 : 27017);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Starts the local services for the parts that do not answer and points the environment at them. */
async function ensureServices(config) {
  const parts = [
    { service: 'redis', variable: 'HOPPER_REDIS_URL', url: config.redis.url },
    { service: 'mongo', variable: 'HOPPER_MONGO_URL', url: config.mongo.url },
  ];
  const missing = [];
  for (const part of parts) if (!(await reachable(part.url))) missing.push(part);
  if (!missing.length) return;
  say(`${missing.map((p) => `${p.service} at ${p.url}`).join(' and ')} not reachable: starting local ones (scripts/services.sh up)`);
  const script = path.join(ROOT, 'scripts', 'services.sh');
  execFileSync(script, ['up', ...missing.map((p) => p.service)], { stdio: 'inherit' });
  const exports = execFileSync(script, ['env'], { encoding: 'utf8' });
  for (const part of missing) {
    const match = new RegExp(`^export ${part.variable}=(.*)$`, 'm').exec(exports);
    process.env[part.variable] = match[1];
    say(`using ${part.service} at ${match[1]}`);
  }
}

/**
 * When MongoDB is the local services' FerretDB, makes its lookups index-backed (`scripts/services.sh tune`:
 * GIN indexes, and the event trigger that adds those of the indexes the apps are about to declare). A failure
 * only costs speed, so it is reported and the start goes on.
 */
function tuneLocalDatastore(mongoUrl) {
  const script = path.join(ROOT, 'scripts', 'services.sh');
  let local;
  try {
    local = new URL(/^export HOPPER_MONGO_URL=(.*)$/m.exec(execFileSync(script, ['env'], { encoding: 'utf8' }))[1]);
    const configured = new URL(mongoUrl);
    const loopback = (host) => ['127.0.0.1', 'localhost', '[::1]'].includes(host);
    if (!loopback(configured.hostname) || configured.port !== local.port) return;
  } catch {
    return; // not a URL this script can compare (mongodb+srv:, several hosts): not the local services
  }
  const tune = spawnSync(script, ['tune'], { stdio: 'inherit' });
  if (tune.status !== 0) say('scripts/services.sh tune failed: lookups on the local FerretDB may scan whole collections');
}

async function waitForApi(url, children) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (children.some((child) => child.exitCode !== null)) return false;
    try {
      if ((await fetch(`${url}healthz`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function main() {
  buildIfNeeded();
  const { loadConfig, ConfigError } = require(path.join(ROOT, 'dist', 'libs', 'config', 'src'));
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  await ensureServices(config);
  tuneLocalDatastore(process.env.HOPPER_MONGO_URL ?? config.mongo.url);

  let stopping = false;
  const children = APPS.map((app) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js')], {
      cwd: ROOT,
      env: process.env,
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      say(`${app} exited unexpectedly (${signal ?? `code ${code}`}); stopping the others`);
      stop(1);
    });
    return child;
  });

  function stop(exitCode) {
    if (stopping) return;
    stopping = true;
    const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
    const killer = setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), STOP_GRACE_MS);
    Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve)))).then(() => {
      clearTimeout(killer);
      say('stopped');
      process.exit(exitCode);
    });
    running.forEach((child) => child.kill('SIGTERM'));
  }
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  const host = config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host;
  const apiUrl = `http://${host}:${config.api.port}/`;
  if (await waitForApi(apiUrl, children)) {
    say(`API:     ${apiUrl}`);
    say(`OpenAPI: ${apiUrl}api/docs`);
    say(`ready:   ${apiUrl}readyz   (Ctrl-C stops all three processes)`);
  }
}

main().catch((error) => {
  process.stderr.write(`[hopper] ${error.stack || error}\n`);
  process.exit(1);
});
