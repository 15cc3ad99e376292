#!/usr/bin/env node
// Part of `npm run build`: tsc compiles TypeScript only, so the Lua scripts that libs load at run time
// (libs/*/src/**/lua/*.lua, see libs/queues/src/lua-scripts.ts) are copied next to their compiled modules.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function copyLua(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) copyLua(full);
    else if (entry.name.endsWith('.lua')) {
      const target = path.join(ROOT, 'dist', path.relative(ROOT, full));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(full, target);
    }
  }
}

for (const top of ['libs', 'apps']) copyLua(path.join(ROOT, top));
