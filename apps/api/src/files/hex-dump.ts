/**
 * Assemblyline's hex dump (`assemblyline.common.hexdump.hexdump`): per line, the offset as eight upper-case
 * hex digits, a colon and two spaces, the bytes in lower-case hex separated by spaces and padded to a full
 * line, three spaces, then the bytes as ASCII with anything outside 0x20-0x7e shown as a dot. Lines are
 * joined with `\n`; an empty input gives an empty string.
 */
export function hexDump(data: Uint8Array, bytesPerLine = 16): string {
  const width = bytesPerLine * 3 - 1;
  const lines: string[] = [];
  for (let start = 0; start < data.length; start += bytesPerLine) {
    const line = data.subarray(start, start + bytesPerLine);
    const offset = start.toString(16).toUpperCase().padStart(8, '0');
    lines.push(`${offset}:  ${hexBytes(line).padEnd(width)}   ${printable(line)}`);
  }
  return lines.join('\n');
}

/** The bytes as lower-case hex pairs separated by spaces (Assemblyline's `dump`, the `bytes_only` form). */
export function hexBytes(data: Uint8Array): string {
  return Array.from(data, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

function printable(data: Uint8Array): string {
  return Array.from(data, (byte) => (byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.')).join('');
}
