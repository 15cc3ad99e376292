import { Readable } from 'node:stream';
import { AnalysisService, parseServiceManifest, ServiceContext, ServiceManifest, ServiceResultInput } from '@hopper/services';

/** Reads the whole (small) test file. */
export async function readAll(context: ServiceContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await context.openFile()) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

type Execute = (context: ServiceContext) => Promise<ServiceResultInput>;

/** A test service: a manifest (defaults filled in) and what it does; counts its runs by sha256. */
export class TestService implements AnalysisService {
  readonly manifest: ServiceManifest;
  readonly runs: string[] = [];

  constructor(manifest: Partial<ServiceManifest> & { name: string }, private readonly behaviour: Execute) {
    this.manifest = parseServiceManifest({ version: '1.0.0', category: 'Static Analysis', ...manifest });
  }

  execute(context: ServiceContext): Promise<ServiceResultInput> {
    this.runs.push(context.task.file.sha256);
    return this.behaviour(context);
  }
}

/** Scores every file: one section with a heuristic of `score` and a tag naming the file's text. */
export function scoringService(name: string, score: number): TestService {
  return new TestService({ name, parameters: [{ name: 'bonus', type: 'int', default: 0 }] }, async (context) => ({
    sections: [
      {
        title: `${name} saw the file`,
        body: (await readAll(context)).slice(0, 100),
        heuristic: { heur_id: `${name}.1`, name: 'Seen', score: score + Number(context.task.params.bonus) },
        tags: [{ type: 'file.behavior', value: `${name} ran` }],
      },
    ],
  }));
}

/**
 * "Unpacks" text files by a tiny language: `nest:N` yields `nest:N-1` (down to 0), `many:K` yields K distinct
 * files, `self` yields itself. So tests build trees of any shape without archives.
 */
export function unpackingService(): TestService {
  return new TestService({ name: 'Unpacker', category: 'Extraction', stage: 'EXTRACT', produces_extracted: true }, async (context) => {
    const text = (await readAll(context)).trim();
    const children: string[] = [];
    const nest = /^nest:(\d+)$/.exec(text);
    const many = /^many:(\d+)$/.exec(text);
    if (nest && Number(nest[1]) > 0) children.push(`nest:${Number(nest[1]) - 1}`);
    if (many) for (let index = 0; index < Number(many[1]); index++) children.push(`leaf ${index}`);
    if (text === 'self') children.push('self');
    for (const [index, child] of children.entries()) {
      await context.addExtracted({ name: `child-${index}.txt`, description: 'unpacked', stream: Readable.from([Buffer.from(child)]) });
    }
    return { sections: [{ title: `Unpacked ${children.length} file(s)` }] };
  });
}
