import { fileTooLargeMessage, fileTooLargeRefusal, ingestRefusal, INVALID_SHA256, invalidSha256Refusal } from './refusals';

const good = 'ab'.repeat(32);
const params = { ignore_size: false, never_drop: false };
const config = { submission: { max_file_size: 100 } };

describe('invalidSha256Refusal', () => {
  it('refuses a task with any sha256 that is not 64 characters long', () => {
    expect(invalidSha256Refusal([{ sha256: good, size: 1 }])).toBeNull();
    expect(invalidSha256Refusal([{ sha256: good, size: 1 }, { sha256: good.slice(1), size: 1 }])).toBe('Invalid sha256');
    expect(invalidSha256Refusal([{ sha256: `${good}0`, size: 1 }])).toBe(INVALID_SHA256);
  });

  it('counts characters as Python does (code points)', () => {
    expect(invalidSha256Refusal([{ sha256: `${'a'.repeat(63)}😀`, size: 1 }])).toBeNull();
  });
});

describe('fileTooLargeRefusal', () => {
  it('refuses a total size over max_file_size with Assemblyline\'s text', () => {
    expect(fileTooLargeMessage(101, 100)).toBe('File too large (101 > 100)');
    expect(fileTooLargeRefusal([{ sha256: good, size: 60 }, { sha256: good, size: 41 }], params, 100)).toBe('File too large (101 > 100)');
    expect(fileTooLargeRefusal([{ sha256: good, size: 100 }], params, 100)).toBeNull();
  });

  it('lets ignore_size and never_drop through', () => {
    const big = [{ sha256: good, size: 101 }];
    expect(fileTooLargeRefusal(big, { ignore_size: true, never_drop: false }, 100)).toBeNull();
    expect(fileTooLargeRefusal(big, { ignore_size: false, never_drop: true }, 100)).toBeNull();
  });
});

describe('ingestRefusal', () => {
  it('checks the sha256 first, then the size, and answers null for a task that goes on', () => {
    expect(ingestRefusal({ files: [{ sha256: 'short', size: 1000 }], params }, config)).toBe('Invalid sha256');
    expect(ingestRefusal({ files: [{ sha256: good, size: 1000 }], params }, config)).toBe('File too large (1000 > 100)');
    expect(ingestRefusal({ files: [{ sha256: good, size: 10 }], params }, config)).toBeNull();
  });
});
