import type { ResultRecord } from '@hopper/datastore';
import { compareCodeUnits } from './code-unit-order';
import type { AnalysisArtifact, AnalysisDomain, AnalysisNetworkFlow, AnalysisObservables } from './threatgrid-analysis';

// Assemblyline tag names by what they hold, whatever the source (static, dynamic, email…):
// `network.static.ip`, `network.dynamic.domain`, `network.static.uri` (not `uri_path`), `network.email.address`.
const IP_TAG = /^network\.[a-z0-9_]+\.ip$/;
const DOMAIN_TAG = /^network\.[a-z0-9_]+\.domain$/;
const URI_TAG = /^network\.[a-z0-9_]+\.uri$/;
const EMAIL_TAG = 'network.email.address';

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareCodeUnits);
}

/**
 * The network indicators of every result's tags and the hashes of every file in the tree, each list
 * deduplicated and sorted. Tag values are kept as the services wrote them (no case folding).
 */
export function observablesOf(results: readonly ResultRecord[], artifacts: readonly AnalysisArtifact[]): AnalysisObservables {
  const ips: string[] = [];
  const domains: string[] = [];
  const urls: string[] = [];
  const emails: string[] = [];
  for (const { type, value } of results.flatMap((result) => result.tags)) {
    if (IP_TAG.test(type)) ips.push(value);
    else if (DOMAIN_TAG.test(type)) domains.push(value);
    else if (URI_TAG.test(type)) urls.push(value);
    else if (type === EMAIL_TAG) emails.push(value);
  }
  const known = (hash: string): boolean => hash !== '';
  return {
    ips: sortedUnique(ips),
    domains: sortedUnique(domains),
    urls: sortedUnique(urls),
    emails: sortedUnique(emails),
    hashes: {
      sha256: sortedUnique(artifacts.map((artifact) => artifact.sha256)),
      sha1: sortedUnique(artifacts.map((artifact) => artifact.sha1).filter(known)),
      md5: sortedUnique(artifacts.map((artifact) => artifact.md5).filter(known)),
    },
  };
}

/**
 * Threat Grid's `domains` map. Tags do not say which address a name resolved to, so `ips` stays empty rather
 * than guessed; Hopper has no content categories.
 */
export function domainsOf(observables: AnalysisObservables): Record<string, AnalysisDomain> {
  const domains: Record<string, AnalysisDomain> = {};
  for (const domain of observables.domains) domains[domain] = { ips: [], content_categories: [] };
  return domains;
}

/**
 * Threat Grid's `network` map, one flow per address seen, keyed "1", "2"…. Hopper records no ports, protocols or
 * sources: `dst_port` is null and `protocol` "" (not known), present because scripts read both of every
 * stream (Cisco's hash_query.py looks for DNS on port 53).
 */
export function networkOf(observables: AnalysisObservables): Record<string, AnalysisNetworkFlow> {
  const network: Record<string, AnalysisNetworkFlow> = {};
  observables.ips.forEach((ip, index) => {
    network[String(index + 1)] = { dst: ip, dst_port: null, protocol: '' };
  });
  return network;
}
