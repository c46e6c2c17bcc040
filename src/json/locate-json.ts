// Where a JSON Pointer is in a body's text: the line and column of the value
// it names, or of the nearest object or array that holds it (a missing
// member is placed at its object). Asked only for errors, so it may parse
// the text again (jsonc-parser's tree keeps every node's offset) — once per
// body, not once per error: a record of 50,000 bad array items has 50,000
// errors, and parsing its text for each kept the event loop for minutes.
import jsonc from 'jsonc-parser';
import { placesIn, segmentsOf } from './json-pointer.js';

export type JsonLocator = (pointer: string) => { line: number; column: number };

/**
 * A locator for `text`: its tree, each object's members by name and the line
 * starts made at the first question that needs them, reused for the next
 * (jsonc's findNodeAtLocation walks an object's members for every question:
 * 50,000 unknown members took 25 s).
 */
export function jsonLocator(text: string): JsonLocator {
  let root: jsonc.Node | undefined | null = null;
  const members = new Map<jsonc.Node, Map<string, jsonc.Node>>();
  const placeOf = placesIn(text);
  const childOf = (node: jsonc.Node, segment: string): jsonc.Node | undefined => {
    if (node.type === 'array') return /^\d+$/.test(segment) ? node.children?.[Number(segment)] : undefined;
    if (node.type !== 'object') return undefined;
    let byName = members.get(node);
    if (byName === undefined) {
      byName = new Map();
      for (const property of node.children ?? []) {
        const [name, value] = property.children ?? [];
        // The first of a repeated name, as jsonc's own lookup answers.
        if (name !== undefined && value !== undefined && !byName.has(String(name.value))) byName.set(String(name.value), value);
      }
      members.set(node, byName);
    }
    return byName.get(segment);
  };
  return (pointer) => {
    if (root === null) root = jsonc.parseTree(text);
    if (root === undefined) return { line: 1, column: 1 };
    let node = root;
    for (const segment of segmentsOf(pointer)) {
      const child = childOf(node, segment);
      if (child === undefined) break;
      node = child;
    }
    return placeOf(node.offset);
  };
}
