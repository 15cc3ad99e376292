import { crc32, gzipSync } from 'node:zlib';

/**
 * Small hand-built files of each type for the identification tests (only the headers libmagic reads;
 * built here so the tests need no binary fixtures). Not used outside tests.
 */
export function storedZip(entries: Array<[name: string, data: string]>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const n = Buffer.from(name);
    const d = Buffer.from(text);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(d), 14);
    local.writeUInt32LE(d.length, 18);
    local.writeUInt32LE(d.length, 22);
    local.writeUInt16LE(n.length, 26);
    parts.push(local, n, d);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt32LE(crc32(d), 16);
    c.writeUInt32LE(d.length, 20);
    c.writeUInt32LE(d.length, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, n);
    offset += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

export function peFile(options: { pe64?: boolean; dll?: boolean }): Buffer {
  const b = Buffer.alloc(1024);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(options.pe64 ? 0x8664 : 0x14c, 0x84); // machine
  b.writeUInt16LE(1, 0x86); // sections
  b.writeUInt16LE(options.pe64 ? 240 : 224, 0x94); // optional header size
  b.writeUInt16LE(0x0102 | (options.dll ? 0x2000 : 0) | (options.pe64 ? 0x20 : 0), 0x96); // characteristics
  b.writeUInt16LE(options.pe64 ? 0x20b : 0x10b, 0x98); // optional header magic
  b.writeUInt16LE(2, 0x98 + 68); // subsystem: GUI
  return b;
}

export function elfFile(options: { bits: 32 | 64; sharedObject?: boolean }): Buffer {
  const b = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, options.bits === 64 ? 2 : 1, 1, 1, 0]).copy(b, 0);
  b.writeUInt16LE(options.sharedObject ? 3 : 2, 0x10); // e_type
  b.writeUInt16LE(options.bits === 64 ? 0x3e : 0x03, 0x12); // e_machine
  b.writeUInt32LE(1, 0x14); // e_version
  return b;
}

const ooxmlTypes = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

export const SAMPLES: ReadonlyArray<readonly [type: string, bytes: Buffer]> = [
  ['executable/windows/pe32', peFile({})],
  ['executable/windows/pe64', peFile({ pe64: true })],
  ['executable/windows/dll32', peFile({ dll: true })],
  ['executable/windows/dll64', peFile({ dll: true, pe64: true })],
  ['executable/linux/elf64', elfFile({ bits: 64 })],
  ['executable/linux/elf32', elfFile({ bits: 32 })],
  ['executable/linux/so64', elfFile({ bits: 64, sharedObject: true })],
  ['archive/zip', storedZip([['a.txt', 'hello']])],
  ['document/office/word', storedZip([['[Content_Types].xml', ooxmlTypes], ['_rels/.rels', '<x/>'], ['word/document.xml', '<w/>']])],
  ['document/office/excel', storedZip([['[Content_Types].xml', ooxmlTypes], ['_rels/.rels', '<x/>'], ['xl/workbook.xml', '<w/>']])],
  ['document/office/powerpoint', storedZip([['[Content_Types].xml', ooxmlTypes], ['ppt/presentation.xml', '<p/>']])],
  ['document/office/unknown', storedZip([['[Content_Types].xml', ooxmlTypes], ['docProps/app.xml', '<p/>']])],
  ['java/jar', storedZip([['META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\n'], ['a/B.class', '\xca\xfe']])],
  ['archive/7-zip', Buffer.concat([Buffer.from('377abcaf271c0004', 'hex'), Buffer.alloc(32)])],
  ['archive/rar', Buffer.from('526172211a0700cf907300000d00000000000000', 'hex')],
  ['archive/gzip', gzipSync('hello')],
  ['document/pdf', Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n')],
  ['image/png', Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex')],
  ['image/gif', Buffer.from('474946383961010001000000002c00000000010001000002', 'hex')],
  ['image/jpg', Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb', 'hex')],
  ['code/javascript', Buffer.from('function hello(a, b) {\n  var x = eval("a+b");\n  document.write(x);\n  return unescape(x);\n}\n')],
  ['code/vbs', Buffer.from('On Error Resume Next\nDim x\nSet x = CreateObject("WScript.Shell")\nx.Run "calc"\n')],
  [
    'code/ps1',
    Buffer.from('$c = New-Object System.Net.WebClient\n$d = [Convert]::FromBase64String("aGk=")\nInvoke-Expression $d\nStart-Sleep -Seconds 3\n'),
  ],
  ['code/python', Buffer.from('import os\nfrom sys import argv\n\ndef main():\n    print(argv)\n\nif __name__ == "__main__":\n    main()\n')],
  ['code/python', Buffer.from('#!/usr/bin/env python3\nprint("hi")\n')],
  ['code/shell', Buffer.from('#!/bin/sh\necho hi\n')],
  ['code/html', Buffer.from('<!DOCTYPE html>\n<html><head><title>x</title></head><body><p>hi</p></body></html>\n')],
  ['code/xml', Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<root><a>1</a></root>\n')],
  ['text/json', Buffer.from('{"a": [1, 2, {"b": null}]}\n')],
  ['text/plain', Buffer.from('just some plain words here\nand another line\n')],
  ['unknown', Buffer.from(Array.from({ length: 4096 }, (_, k) => (k * 7919 + (k >> 3) * 31) & 0xff))],
  ['empty', Buffer.alloc(0)],
];
