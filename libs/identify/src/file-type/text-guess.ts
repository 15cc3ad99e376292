/**
 * Guesses the language of a text file from its head, the way Assemblyline does: strong indicators score
 * 15 each, weak ones 1 per occurrence, and the best type wins if it reaches 20 (so one strong indicator is
 * never enough alone). Patterns are a subset of Assemblyline's, for the types intake must tell apart.
 */
const STRONG_SCORE = 15;
const WEAK_SCORE = 1;
const MINIMUM_SCORE = 20;

const STRONG: Readonly<Record<string, RegExp[]>> = {
  'code/vbs': [
    /(^|\n)On[ \t]+Error[ \t]+Resume[ \t]+Next/,
    /(^|\n)(?:Private)?[ \t]*Sub[ \t]+\w+\(*/,
    /(^|\n)ExecuteGlobal/,
    /(^|\n)REM[ \t]+/,
    /(ubound|lbound)\(/,
    /CreateObject\(/,
    /Set[ \t]+\w+[ \t]*=/,
  ],
  'code/javascript': [
    /function([ \t]*|[ \t]+\w+[ \t]*)\([\w \t,]*\)[ \t\n\r]*\{/,
    /\beval[ \t]*\(/,
    /new[ \t]+ActiveXObject\(/,
    /unescape\(/,
    /\.createElement\(/,
    /document\.write\(/,
  ],
  'code/python': [
    /(^|\n)[ \t]*if[ \t]+__name__[ \t]*==[ \t]*['"]__main__['"][ \t]*:/,
    /(^|\n)[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+[\w.*]+([ \t]+as \w+)?/,
    /(^|\n)[ \t]*def[ \t]*\w+[ \t]*\([^)]*\)[ \t]*:/,
  ],
  'code/ps1': [
    /(Get-ExecutionPolicy|Get-Service|Where-Object|ConvertTo-HTML|Select-Object|Get-Process|Clear-History|ForEach-Object|Clear-Content|Compare-Object|New-ItemProperty|New-Object|New-WebServiceProxy|Set-Alias|Wait-Job|Get-Counter|Test-Path|Get-WinEvent|Start-Sleep|Set-Location|Get-ChildItem|Rename-Item|Stop-Process|Add-Type|Out-String|Write-Error|Invoke-(Expression|WebRequest))/i,
    /(-memberDefinition|-Name|-namespace|-passthru|-command|-TypeName|-join|-split)/i,
    /(\.Get(String|Field|Type|Method)|FromBase64String)\(/i,
    /System\.Net\.WebClient/i,
    /Net\.ServicePointManager/i,
  ],
  'code/html': [/<!doctype[ \t]+html/i, /<html[\s>]/i, /<\/html>/i, /<(body|head|script|iframe)[\s>]/i],
  'code/xml': [/^\s*<\?xml[^>]+\?>/, /<[^>]+xmlns[:=][^>]+>/],
  'code/batch': [
    /(^|\n| |\t|@)(chcp|set \/p)[ \t]+/i,
    /(^|\n)taskkill[ \t]+(\/F|\/im)/i,
    /(^|\n)reg[ \t]+delete[ \t]+/i,
    /(^|\n)%comspec%[ \t]+\/c[ \t]+/i,
  ],
  'code/php': [/(^|\n)<\?php/, /function[ \t]+\w+[ \t]*\([ \t]*\$[^)]+\)[ \t\n]*\{/],
};

const WEAK: Readonly<Record<string, RegExp>> = {
  'code/javascript': /var |String\.(fromCharCode|raw)\(|Math\.(round|pow|sin|cos)\(|(isNaN|isFinite|parseInt|parseFloat)\(|(document|window)\[|this\.\w+/g,
  'code/vbs': /(^|\n)[ \t]*(Dim|Sub|Loop|Attribute|Function|End[ \t]+Function)[ \t]+|End[ \t]+Sub|CreateObject|WScript|window_onload/g,
  'code/python': /try:|except:|else:|(^|\n)import [\w.]+/g,
  'code/ps1': /\s-([A-Z][a-z0-9]+)+|([A-Z][a-z0-9]+)+-([A-Z][a-z0-9]+)+|\$\w+[ \t]*=/g,
  'code/batch': /(^|\n| |\t|@|&)(echo|netsh|sc|pkgmgr|netstat|rem|::|move)[ \t]+|(^|\n)pause/gi,
  'code/php': /\$this->/g,
  'code/html': /<(div|p|a|span|table|meta|link|title)[\s>]/gi,
};

/** `#!/usr/bin/env python3`, `#!/bin/sh` … decide the language outright. */
const SHEBANG = /^#![\w./-]+\/(?:env[ \t]+)?(\w+)/;
const SHEBANG_TYPES: Readonly<Record<string, string>> = {
  python: 'code/python',
  python2: 'code/python',
  python3: 'code/python',
  sh: 'code/shell',
  bash: 'code/shell',
  zsh: 'code/shell',
  node: 'code/javascript',
  pwsh: 'code/ps1',
  perl: 'code/perl',
  ruby: 'code/ruby',
};

export function guessTextType(text: string): string | null {
  const shebang = SHEBANG.exec(text);
  if (shebang) {
    const type = SHEBANG_TYPES[shebang[1]!.replace(/[\d.]+$/, '')] ?? SHEBANG_TYPES[shebang[1]!];
    if (type) return type;
  }
  let best: string | null = null;
  let bestScore = 0;
  for (const type of new Set([...Object.keys(STRONG), ...Object.keys(WEAK)])) {
    let score = 0;
    for (const pattern of STRONG[type] ?? []) if (pattern.test(text)) score += STRONG_SCORE;
    const weak = WEAK[type];
    if (weak) score += (text.match(weak)?.length ?? 0) * WEAK_SCORE;
    if (score > bestScore) {
      best = type;
      bestScore = score;
    }
  }
  return bestScore >= MINIMUM_SCORE ? best : null;
}
