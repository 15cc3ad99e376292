import { ARTIFACT_ROUTES, ARTIFACT_TYPES, artifactNameOf } from './artifact-types';

describe('artifact names', () => {
  it('reads the name from the last segment of the path, a trailing slash ignored', () => {
    expect(artifactNameOf('/api/v2/samples/abc/report.html')).toBe('report.html');
    expect(artifactNameOf('/api/v2/samples/abc/screenshot.png/')).toBe('screenshot.png');
    expect(artifactNameOf('/api/v2/samples/abc/extracted-artifacts.zip')).toBe('extracted-artifacts.zip');
  });

  it("resolves Threat Grid's misspelt viedo.webm to video.webm", () => {
    expect(artifactNameOf('/api/v2/samples/abc/viedo.webm')).toBe('video.webm');
  });

  it('knows no other name: analysis.json, sample.zip and inherited keys are not artifacts', () => {
    for (const name of ['analysis.json', 'sample.zip', 'state', 'constructor', '__proto__', 'REPORT.HTML', '']) {
      expect(artifactNameOf(`/api/v2/samples/abc/${name}`)).toBeNull();
    }
  });

  it('serves each with its type', () => {
    expect(ARTIFACT_TYPES['report.html']).toBe('text/html');
    expect(ARTIFACT_TYPES['screenshot.png']).toBe('image/png');
    for (const name of ['timeline.json', 'warnings.json', 'registry.json', 'processes.json']) expect(ARTIFACT_TYPES[name]).toBe('application/json');
    for (const name of ['network-artifacts.zip', 'extracted-artifacts.zip']) expect(ARTIFACT_TYPES[name]).toBe('application/zip');
  });

  it('routes every name and alias explicitly, never analysis.json or a parameter for the name', () => {
    expect(ARTIFACT_ROUTES).toEqual(expect.arrayContaining([':id/report.html', ':id/network.pcap', ':id/viedo.webm']));
    expect(ARTIFACT_ROUTES).toHaveLength(Object.keys(ARTIFACT_TYPES).length + 1);
    for (const route of ARTIFACT_ROUTES) expect(route).toMatch(/^:id\/[a-z-]+\.[a-z]+$/);
    expect(ARTIFACT_ROUTES).not.toContain(':id/analysis.json');
  });
});
