import { readIngestDataBlock } from './ingest-data-block';

const refusal = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('readIngestDataBlock (seed 000 order and messages)', () => {
  it('refuses an empty data block before anything else', () => {
    expect(refusal(() => readIngestDataBlock({}, 'file.bin'))).toBe('Missing data block');
  });

  it.each([['5'], [1.5], [2 ** 60], [true], [{}]])('refuses notification_threshold %j', (threshold) => {
    expect(refusal(() => readIngestDataBlock({ name: 'a', notification_threshold: threshold }, null))).toBe(
      'notification_threshold should be and int',
    );
  });

  it('takes falsy thresholds as none, as Assemblyline does', () => {
    for (const threshold of [0, null, false]) {
      expect(readIngestDataBlock({ name: 'a', notification_threshold: threshold }, null).notificationThreshold).toBeNull();
    }
    expect(readIngestDataBlock({ name: 'a', notification_threshold: 500 }, null).notificationThreshold).toBe(500);
  });

  it('checks the threshold before the name', () => {
    expect(refusal(() => readIngestDataBlock({ notification_threshold: 'x' }, null))).toBe('notification_threshold should be and int');
  });

  it('refuses notification queue names that cannot be queues', () => {
    expect(refusal(() => readIngestDataBlock({ name: 'a', notification_queue: 'a/b' }, null))).toMatch(/must not contain/);
    expect(refusal(() => readIngestDataBlock({ name: 'a', notification_queue: 7 }, null))).toBe('notification_queue should be a string');
    expect(readIngestDataBlock({ name: 'a', notification_queue: 'soar' }, null).notificationQueue).toBe('soar');
  });

  it('names an upload from json.name first, else from the file part (which may be the literal "bin")', () => {
    expect(readIngestDataBlock({ name: 'real.exe' }, 'bin').name).toBe('real.exe');
    expect(readIngestDataBlock({ metadata: {} }, 'upload.doc').name).toBe('upload.doc');
  });

  it('lets a name key given for an upload win even when empty, as data.get("name", filename) does', () => {
    expect(refusal(() => readIngestDataBlock({ name: '' }, 'upload.doc'))).toBe('Filename missing');
    expect(refusal(() => readIngestDataBlock({ name: null }, 'upload.doc'))).toBe('Filename missing');
    expect(refusal(() => readIngestDataBlock({ metadata: {} }, ''))).toBe('Filename missing');
  });

  it('names a JSON submission from name, then sha256, then the URL basename, then a file-source input', () => {
    const sha256 = 'a'.repeat(64);
    expect(readIngestDataBlock({ sha256, name: 'n.bin' }, null).name).toBe('n.bin');
    expect(readIngestDataBlock({ sha256 }, null).name).toBe(sha256);
    expect(readIngestDataBlock({ url: 'https://example.com/path/payload.js' }, null).name).toBe('payload.js');
    expect(readIngestDataBlock({ vt: 'abc' }, null, 'abc').name).toBe('abc');
  });

  it('ignores sha256 and url when a file was uploaded', () => {
    const block = readIngestDataBlock({ sha256: 'b'.repeat(64), url: 'http://x/y' }, 'up.bin');
    expect(block).toMatchObject({ sha256: null, url: null, name: 'up.bin' });
  });

  it('answers Filename missing when nothing names the file, Invalid filename when nothing safe is left', () => {
    expect(refusal(() => readIngestDataBlock({ metadata: { a: 1 } }, null))).toBe('Filename missing');
    expect(refusal(() => readIngestDataBlock({ url: 'http://example.com/dir/' }, null))).toBe('Filename missing');
    expect(refusal(() => readIngestDataBlock({ name: 'dir/' }, null))).toBe('Invalid filename');
    expect(refusal(() => readIngestDataBlock({ name: '\u0001\u0002' }, null))).toBe('Invalid filename');
    expect(refusal(() => readIngestDataBlock({ name: 42 }, null))).toBe('Invalid filename');
  });

  it('reduces names to a safe basename', () => {
    expect(readIngestDataBlock({ name: '/tmp/x/../evil\u0000.exe' }, null).name).toBe('evil.exe');
  });

  it('refuses a sha256 or url that is not a string', () => {
    expect(refusal(() => readIngestDataBlock({ sha256: 5 }, null))).toBe('sha256 should be a string');
    expect(refusal(() => readIngestDataBlock({ url: ['x'] }, null))).toBe('url should be a string');
  });
});
