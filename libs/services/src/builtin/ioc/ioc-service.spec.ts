import { Readable } from 'node:stream';
import { parseServiceManifest } from '../../contract/manifest-schema';
import { parseServiceResult, resultScore, resultTags, type ServiceResultBody } from '../../contract/service-result';
import { acceptsFileType } from '../../contract/service-selection';
import { InMemoryContext } from '../../testing/in-memory-context';
import { ChunkedTestContext } from '../characterize/chunked-test-context';
import { IOC_DEFAULT_MAX_BYTES, IOC_MANIFEST, IocService } from './ioc-service';

async function run(context: InMemoryContext, service = new IocService()): Promise<ServiceResultBody> {
  return parseServiceResult('IOC', await service.execute(context));
}

const tagValues = (result: ServiceResultBody, type: string) => resultTags(result).filter((tag) => tag.type === type).map((tag) => tag.value);
const section = (result: ServiceResultBody, title: string) => result.sections.find((s) => s.title === title);

const SAMPLE = 'GET http://evil.example.com/payload then beacon 8.8.8.8 and mail ops@evil-domain.net\n';

describe('IocService', () => {
  it('has a valid manifest that skips empty files and metadata', () => {
    expect(parseServiceManifest(IOC_MANIFEST)).toEqual(IOC_MANIFEST);
    expect(IOC_MANIFEST).toMatchObject({ name: 'IOC', version: '1.0.0', category: 'Static Analysis', stage: 'CORE', timeout_seconds: 120 });
    expect(IOC_MANIFEST.parameters).toEqual([{ name: 'max_bytes', type: 'int', default: IOC_DEFAULT_MAX_BYTES }]);
    expect(acceptsFileType(IOC_MANIFEST, 'text/plain')).toBe(true);
    expect(acceptsFileType(IOC_MANIFEST, 'empty')).toBe(false);
    expect(acceptsFileType(IOC_MANIFEST, 'metadata/sysmon')).toBe(false);
  });

  it('tags the URL, its host, the public IP and the email in a text file, and scores them', async () => {
    const result = await run(InMemoryContext.forFile(Buffer.from(SAMPLE), { type: 'text/plain' }));
    expect(tagValues(result, 'network.static.uri')).toEqual(['http://evil.example.com/payload']);
    expect(tagValues(result, 'network.static.domain')).toEqual(['evil.example.com', 'evil-domain.net']);
    expect(tagValues(result, 'network.static.ip')).toEqual(['8.8.8.8']);
    expect(tagValues(result, 'network.email.address')).toEqual(['ops@evil-domain.net']);
    expect(result.sections.map((s) => s.title)).toEqual(['URLs', 'Domains', 'IP addresses', 'Email addresses']);
    expect(section(result, 'URLs')!.heuristic).toMatchObject({ heur_id: 'IOC.1', score: 50 });
    expect(section(result, 'IP addresses')!.heuristic).toMatchObject({ heur_id: 'IOC.2', score: 50 });
    expect(section(result, 'Email addresses')!.heuristic).toMatchObject({ heur_id: 'IOC.3', score: 10 });
    expect(section(result, 'Domains')!.heuristic).toBeNull();
    expect(section(result, 'IP addresses')!.body).toBe('8.8.8.8');
    expect(resultScore(result)).toBe(110);
  });

  it('finds the same IOCs in UTF-16LE text', async () => {
    const data = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]), Buffer.from(SAMPLE, 'utf16le'), Buffer.alloc(3)]);
    const result = await run(InMemoryContext.forFile(data, { type: 'executable/windows/pe32' }));
    expect(tagValues(result, 'network.static.uri')).toEqual(['http://evil.example.com/payload']);
    expect(tagValues(result, 'network.static.ip')).toEqual(['8.8.8.8']);
    expect(tagValues(result, 'network.email.address')).toEqual(['ops@evil-domain.net']);
  });

  it('finds IOCs that straddle chunk boundaries, whatever the chunking', async () => {
    const data = Buffer.concat([Buffer.from([0xff, 0x00]), Buffer.from(SAMPLE), Buffer.from([0x01]), Buffer.from(SAMPLE.replace('8.8.8.8', '1.1.1.1'), 'utf16le')]);
    const expected = await run(InMemoryContext.forFile(data));
    expect(tagValues(expected, 'network.static.ip')).toEqual(['8.8.8.8', '1.1.1.1']);
    for (const sizes of [[1], [3, 1, 2], [7], [17, 5]]) expect(await run(ChunkedTestContext.chunked(data, sizes))).toEqual(expected);
  });

  it('finds an IOC in a line much longer than the string window', async () => {
    const line = `${'x '.repeat(300)}https://evil-domain.net/drop ${'y '.repeat(300)}9.9.9.9 ${'z '.repeat(50)}`;
    const service = new IocService({ strings: { windowLength: 256, overlapLength: 64 } });
    const result = await run(ChunkedTestContext.chunked(Buffer.from(line), [13]), service);
    expect(tagValues(result, 'network.static.uri')).toEqual(['https://evil-domain.net/drop']);
    expect(tagValues(result, 'network.static.ip')).toEqual(['9.9.9.9']);
  });

  it('applies the false-positive rules to a binary-looking file', async () => {
    const strings = ['kernel32.dll', 'System.Text.Encoding', 'System.IO', 'Microsoft.Win32', 'update.zip', 'FileVersion', '2.1.4.120', '1.2.3.4.5', '0.0.0.0', '999.1.1.1', 'this.name'];
    const data = Buffer.concat(strings.flatMap((s) => [Buffer.from(s, s === 'FileVersion' || s === '2.1.4.120' ? 'utf16le' : 'latin1'), Buffer.from([0, 0])]));
    const result = await run(InMemoryContext.forFile(data, { type: 'executable/windows/pe32' }));
    expect(resultTags(result)).toEqual([]);
    expect(result.sections).toEqual([]);
    expect(resultScore(result)).toBe(0);
  });

  it('keeps private addresses without scoring them', async () => {
    const result = await run(InMemoryContext.forFile(Buffer.from('listen 192.168.1.20 and 127.0.0.1\n')));
    expect(tagValues(result, 'network.static.ip')).toEqual(['192.168.1.20', '127.0.0.1']);
    expect(resultScore(result)).toBe(0);
  });

  it('caps the values per tag type and says so in the section', async () => {
    const text = Array.from({ length: 30 }, (_, i) => `10.0.0.${i + 1}`).join(' ');
    const result = await run(InMemoryContext.forFile(Buffer.from(text)), new IocService({ maxValuesPerType: 10 }));
    const ips = section(result, 'IP addresses')!;
    expect(ips.tags).toHaveLength(10);
    expect(ips.body).toContain('only the first 10 distinct values are listed and tagged');
  });

  it('scans only max_bytes bytes and says the file was longer', async () => {
    const data = Buffer.from(`ping 8.8.8.8 ${'.'.repeat(100)} ping 9.9.9.9`);
    const result = await run(ChunkedTestContext.chunked(data, [7], { params: { max_bytes: 50 } }));
    expect(tagValues(result, 'network.static.ip')).toEqual(['8.8.8.8']);
    expect(section(result, 'Scan limit reached')!.body).toBe(`Only the first 50 bytes of ${data.length} were searched for IOCs (max_bytes); the rest of the file was not.`);
    const whole = await run(InMemoryContext.forFile(data, { params: { max_bytes: data.length } }));
    expect(section(whole, 'Scan limit reached')).toBeUndefined();
  });

  it('gives an empty result for a file without IOCs', async () => {
    expect(await run(InMemoryContext.forFile(Buffer.from('nothing to see here\n')))).toEqual({ sections: [], tags: [] });
  });

  it('stops when aborted before it starts', async () => {
    const context = InMemoryContext.forFile(Buffer.from(SAMPLE));
    context.abort('timed out');
    await expect(new IocService().execute(context)).rejects.toThrow('timed out');
  });

  it('stops reading when aborted mid-stream', async () => {
    let chunksRead = 0;
    class AbortingContext extends InMemoryContext {
      override async openFile(): Promise<Readable> {
        const abort = () => this.abort('stopped by the dispatcher');
        return Readable.from(
          (function* () {
            for (let i = 0; i < 1000; i++) {
              chunksRead++;
              if (i === 2) abort();
              yield Buffer.from(SAMPLE);
            }
          })(),
        );
      }
    }
    const context = new AbortingContext(Buffer.alloc(0), InMemoryContext.forFile(Buffer.from(SAMPLE)).task);
    await expect(new IocService().execute(context)).rejects.toThrow('stopped by the dispatcher');
    expect(chunksRead).toBeLessThan(100);
  });
});
