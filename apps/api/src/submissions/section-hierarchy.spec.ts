import { sectionHierarchy } from './section-hierarchy';

const depths = (...values: number[]) => values.map((depth) => ({ depth }));

describe('sectionHierarchy (Assemblyline build_heirarchy_rec)', () => {
  it('nests each section under the last one a level above it', () => {
    expect(sectionHierarchy(depths(0, 1, 1, 2, 0, 1))).toEqual([
      { id: 0, children: [{ id: 1, children: [] }, { id: 2, children: [{ id: 3, children: [] }] }] },
      { id: 4, children: [{ id: 5, children: [] }] },
    ]);
  });

  it('answers an empty outline for no sections, and flat sections side by side', () => {
    expect(sectionHierarchy([])).toEqual([]);
    expect(sectionHierarchy(depths(0, 0))).toEqual([{ id: 0, children: [] }, { id: 1, children: [] }]);
  });

  it('is null when a section starts deeper than a level below the one before it', () => {
    expect(sectionHierarchy(depths(1))).toBeNull();
    expect(sectionHierarchy(depths(0, 2))).toBeNull();
  });
});
