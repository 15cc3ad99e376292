'use strict';
// Shared by the scripts that rebuild dist/ only when a TypeScript source changed since the last build.
const fs = require('node:fs');
const path = require('node:path');

/** The latest modification time (ms) of any source file below `dir` (TypeScript, Lua, the console's TSX, CSS and HTML), 0 when there is none. */
const SOURCE = /\.(ts|tsx|mts|lua|css|html)$/;
function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else if (SOURCE.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

module.exports = { newestSourceMtime };
