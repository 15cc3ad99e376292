/** One section of a result's outline: its index in the result's sections, and the sections nested under it. */
export interface SectionNode {
  id: number;
  children: SectionNode[];
}

class InvalidSectionList extends Error {}

/**
 * Assemblyline's `section_hierarchy` (`build_heirarchy_rec` in the UI's helper/result.py): the sections
 * nested by their `depth`, each section the child of the last one a level above it. Null when a section is
 * more than one level deeper than the one before it (Assemblyline then leaves the hierarchy out).
 */
export function sectionHierarchy(sections: readonly { depth: number }[]): SectionNode[] | null {
  const root: SectionNode = { id: -1, children: [] };
  try {
    nest(sections, 0, 0, root);
    return root.children;
  } catch (error) {
    if (error instanceof InvalidSectionList) return null;
    throw error;
  }
}

/** Adds the sections from `start` at `level` (and those nested under them) to `parent`; answers where it stopped. */
function nest(sections: readonly { depth: number }[], start: number, level: number, parent: SectionNode): number {
  let id = start;
  let previous: SectionNode | null = null;
  while (id < sections.length) {
    const depth = sections[id].depth;
    if (depth === level) {
      previous = { id, children: [] };
      parent.children.push(previous);
      id++;
    } else if (depth > level) {
      if (!previous) throw new InvalidSectionList();
      id = nest(sections, id, level + 1, previous);
    } else break;
  }
  return id;
}
