import { IocCollector } from './ioc-collector';

describe('IocCollector', () => {
  it('keeps distinct values in first-seen order', () => {
    const collector = new IocCollector();
    for (const value of ['b.com', 'a.com', 'b.com']) collector.add('network.static.domain', value, true);
    expect(collector.values('network.static.domain')).toEqual(['b.com', 'a.com']);
    expect(collector.capped('network.static.domain')).toBe(false);
  });

  it('caps each type separately and says so', () => {
    const collector = new IocCollector(2);
    for (const value of ['1.1.1.1', '2.2.2.2', '1.1.1.1', '3.3.3.3']) collector.add('network.static.ip', value, false);
    collector.add('network.static.domain', 'a.com', true);
    expect(collector.values('network.static.ip')).toEqual(['1.1.1.1', '2.2.2.2']);
    expect(collector.capped('network.static.ip')).toBe(true);
    expect(collector.capped('network.static.domain')).toBe(false);
  });

  it('remembers a public value seen after the cap', () => {
    const collector = new IocCollector(1);
    collector.add('network.static.ip', '10.0.0.1', false);
    collector.add('network.static.ip', '8.8.8.8', true);
    expect(collector.values('network.static.ip')).toEqual(['10.0.0.1']);
    expect(collector.sawPublic('network.static.ip')).toBe(true);
  });

  it('does not tag values longer than a tag can hold', () => {
    const collector = new IocCollector();
    collector.add('network.static.uri', `http://a.com/${'x'.repeat(5000)}`, true);
    expect(collector.values('network.static.uri')).toEqual([]);
  });
});
