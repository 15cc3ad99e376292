import { MAX_TAG_VALUE_LENGTH } from '../../contract/service-result';

export const IOC_TAG_TYPES = ['network.static.uri', 'network.static.domain', 'network.static.ip', 'network.email.address'] as const;
export type IocTagType = (typeof IOC_TAG_TYPES)[number];

/** Distinct values kept per tag type: a file full of addresses must not make a result of unbounded size. */
export const DEFAULT_MAX_VALUES_PER_TYPE = 1000;

interface Found {
  values: Set<string>;
  /** A distinct value was turned away because the set was full. */
  capped: boolean;
  /** A public value was seen, kept or not (the heuristic reflects the whole scan, not just what fits). */
  sawPublic: boolean;
}

/** Distinct IOC values per tag type, in first-seen order, capped per type. */
export class IocCollector {
  private readonly found = new Map<IocTagType, Found>(
    IOC_TAG_TYPES.map((type) => [type, { values: new Set<string>(), capped: false, sawPublic: false }]),
  );

  constructor(readonly maxValuesPerType = DEFAULT_MAX_VALUES_PER_TYPE) {}

  add(type: IocTagType, value: string, isPublic: boolean): void {
    const found = this.found.get(type)!;
    if (isPublic) found.sawPublic = true;
    // Values that a tag cannot hold are not tagged in part: a cut URL is not what the file holds.
    if (value.length === 0 || value.length > MAX_TAG_VALUE_LENGTH || found.values.has(value)) return;
    if (found.values.size >= this.maxValuesPerType) {
      found.capped = true;
      return;
    }
    found.values.add(value);
  }

  values(type: IocTagType): string[] {
    return [...this.found.get(type)!.values];
  }

  capped(type: IocTagType): boolean {
    return this.found.get(type)!.capped;
  }

  sawPublic(type: IocTagType): boolean {
    return this.found.get(type)!.sawPublic;
  }
}
