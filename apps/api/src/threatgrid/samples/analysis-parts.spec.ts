import type { AnalysisArtifact, Indicator, ThreatGridAnalysis } from '../analysis';
import { analysisEntry, analysisPart } from './analysis-parts';

const indicator = (ioc: string, severity: number): Indicator => ({
  ioc,
  title: `${ioc} title`,
  category: ['Dynamic Analysis'],
  severity,
  confidence: 100,
  hits: 1,
  tags: [],
  data: [{ sha256: 'a'.repeat(64), service: 'Sandbox', section_title: 'x' }],
});

const artifact = (sha256: string, origin: AnalysisArtifact['origin']): AnalysisArtifact => ({
  sha256,
  sha1: '',
  md5: '',
  size: 10,
  path: `${origin}.bin`,
  type: 'unknown',
  origin,
});

const analysis: ThreatGridAnalysis = {
  metadata: {
    malware_desc: [{ filename: 'invoice.pdf', type: 'document/pdf', magic: '', sha256: 'a'.repeat(64), sha1: 'b'.repeat(40), md5: 'c'.repeat(32), size: 10 }],
    analysis_id: 'S1',
    submission_id: 7,
    sandcastle_env: { vm: 'win10', playbook: '', network_exit: '', run_time: 3 },
    submitted_at: '2026-03-01T10:00:00Z',
    completed_at: '2026-03-01T10:00:03Z',
    permalink: 'https://hopper.example/api/v4/submission/S1/',
  },
  threat: { threat_score: 70, heuristic_score: 700, max_severity: 70, max_confidence: 100, count: 2 },
  iocs: [indicator('DYN.1', 70), indicator('DYN.2', 10)],
  dynamic: { processes: { 1: { pid: 4242, name: 'AcroRd32.exe' } } },
  observables: {
    ips: ['10.0.0.1', '185.220.101.4'],
    domains: ['c2.evil-domain.net'],
    urls: [],
    emails: [],
    hashes: { sha256: ['a'.repeat(64)], sha1: [], md5: [] },
  },
  domains: { 'c2.evil-domain.net': { ips: [], content_categories: [] } },
  network: { 1: { dst: '10.0.0.1', dst_port: null, protocol: '' }, 2: { dst: '185.220.101.4', dst_port: null, protocol: '' } },
  artifacts: { 1: artifact('a'.repeat(64), 'submitted'), 2: artifact('d'.repeat(64), 'extracted') },
  service_errors: [],
  warnings: [],
  permalink: 'https://hopper.example/api/v4/submission/S1/',
};

describe('analysisPart', () => {
  it('puts lists and maps under items, each the same value analysis.json holds', () => {
    expect(analysisPart(analysis, 'iocs')).toEqual({ items: analysis.iocs });
    expect(analysisPart(analysis, 'artifacts')).toEqual({ items: analysis.artifacts });
    expect(analysisPart(analysis, 'processes')).toEqual({ items: { 1: { pid: 4242, name: 'AcroRd32.exe' } } });
    expect(analysisPart(analysis, 'network_streams')).toEqual({ items: analysis.network });
  });

  it('answers the metadata bare, as Threat Grid does', () => {
    expect(analysisPart(analysis, 'metadata')).toBe(analysis.metadata);
  });

  it('annotations: the observables plus network keyed by each IP, with no made-up enrichment', () => {
    expect(analysisPart(analysis, 'annotations')).toEqual({
      items: {
        ...analysis.observables,
        network: { '10.0.0.1': {}, '185.220.101.4': {} },
      },
    });
  });

  it('an analysis with nothing found gives empty items, never a missing key', () => {
    const empty: ThreatGridAnalysis = {
      ...analysis,
      iocs: [],
      artifacts: {},
      network: {},
      dynamic: { processes: {} },
      observables: { ips: [], domains: [], urls: [], emails: [], hashes: { sha256: [], sha1: [], md5: [] } },
    };
    expect(analysisPart(empty, 'iocs')).toEqual({ items: [] });
    expect(analysisPart(empty, 'artifacts')).toEqual({ items: {} });
    expect(analysisPart(empty, 'processes')).toEqual({ items: {} });
    expect(analysisPart(empty, 'annotations').items.network).toEqual({});
  });
});

describe('analysisEntry', () => {
  it('finds an indicator by its ioc name, exactly', () => {
    expect(analysisEntry(analysis, 'iocs', 'DYN.2')).toBe(analysis.iocs[1]);
    expect(analysisEntry(analysis, 'iocs', 'dyn.2')).toBeNull();
    expect(analysisEntry(analysis, 'iocs', 'DYN.3')).toBeNull();
  });

  it('finds an artifact or a network stream by its key', () => {
    expect(analysisEntry(analysis, 'artifacts', '2')).toEqual(artifact('d'.repeat(64), 'extracted'));
    expect(analysisEntry(analysis, 'artifacts', '3')).toBeNull();
    expect(analysisEntry(analysis, 'network_streams', '1')).toEqual({ dst: '10.0.0.1', dst_port: null, protocol: '' });
    expect(analysisEntry(analysis, 'network_streams', '0')).toBeNull();
  });

  it('never answers what an object inherits', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(analysisEntry(analysis, 'artifacts', key)).toBeNull();
      expect(analysisEntry(analysis, 'network_streams', key)).toBeNull();
    }
  });
});
