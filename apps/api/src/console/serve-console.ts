import type { INestApplication } from '@nestjs/common';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The console's client-side routes: a page load of one of these gets the console's index.html. */
export const CONSOLE_ROUTES = /^\/(?:login|submit|submissions(?:\/[^/]+(?:\/file\/[^/]+)?)?|operators)?\/?$/;

/**
 * Where `npm run build` puts the console (dist/console at the repository's root): found by walking up from
 * this file, which sits under apps/ in the sources and under dist/apps/ once built. HOPPER_CONSOLE_DIR overrides.
 */
export function consoleDir(): string | null {
  if (process.env.HOPPER_CONSOLE_DIR) return process.env.HOPPER_CONSOLE_DIR;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const built = join(dir, 'dist', 'console');
      return existsSync(join(built, 'index.html')) ? built : null;
    }
  }
  return null;
}

/**
 * Serves the console under `/`: its built files (hashed names, cached for a year; index.html never cached),
 * and index.html for a page load of any of its routes. /api and every other server path are untouched. Answers
 * whether the console was found (a tree that was not built serves the API alone).
 */
export function serveConsole(app: INestApplication, dir: string | null = consoleDir()): boolean {
  if (!dir) return false;
  const root = resolve(dir);
  const index = join(root, 'index.html');
  app.use('/assets', express.static(join(root, 'assets'), { immutable: true, maxAge: '365d' }));
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !CONSOLE_ROUTES.test(request.path)) return next();
    response.setHeader('Cache-Control', 'no-cache');
    // The page loads only what it was built with, from this server.
    response.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'self'");
    response.sendFile(index);
  });
  return true;
}
