// Where a JSON Pointer is in a body's text: the line and column of the value
// it names, or of the nearest object or array that holds it (a missing
// member is placed at its object). Asked only for errors, so it may parse
// the text again (jsonc-parser's tree keeps every node's offset).
import jsonc from 'jsonc-parser';
import { positionOf, segmentsOf } from './json-pointer.js';

export function locateJson(text: string, pointer: string): { line: number; column: number } {
  const root = jsonc.parseTree(text);
  if (root === undefined) return { line: 1, column: 1 };
  let node = root;
  for (const segment of segmentsOf(pointer)) {
    const key: string | number = node.type === 'array' ? Number(segment) : segment;
    const child = jsonc.findNodeAtLocation(node, [key]);
    if (child === undefined) break;
    node = child;
  }
  return positionOf(text, node.offset);
}
