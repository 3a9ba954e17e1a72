import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The stage rule of ARCHITECTURE.md, checked on the source: every relative
 * import goes to a module of the same layer or one listed before it. The
 * layer list is read from ARCHITECTURE.md itself, so the document and the
 * check cannot drift apart.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const src = join(root, 'src');

function layersFromArchitecture(): string[] {
  const text = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith('Layers'));
  if (!section) throw new Error('ARCHITECTURE.md has no "## Layers" section');
  return [...section.matchAll(/^\d+\. `([^`]+)`/gm)].map((match) => match[1]!.replace(/\/$/, ''));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** A module's layer: its top folder under src/, or the file itself for the entry files at the top. */
function layerOf(file: string): string {
  const path = relative(src, file);
  return path.includes('/') ? path.split('/')[0]! : path;
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return (
    [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)]
      .map((match) => normalize(join(dirname(file), `${match[1]}.ts`)))
      // Text that only looks like an import (the demo repository's own files, in a template string) points nowhere.
      .filter((target) => existsSync(target))
  );
}

const layers = layersFromArchitecture();
const rank = new Map(layers.map((layer, index) => [layer, index]));
const files = sourceFiles(src);
const edges = files.flatMap((file) => relativeImports(file).map((target) => ({ from: file, to: target })));

/** Imports that point to a later layer than their own, as `from → to`. */
function upward(list: Array<{ from: string; to: string }>): string[] {
  return list
    .filter(({ from, to }) => (rank.get(layerOf(to)) ?? Infinity) > (rank.get(layerOf(from)) ?? -1))
    .map(({ from, to }) => `${relative(src, from)} → ${relative(src, to)}`);
}

describe('the layers of ARCHITECTURE.md', () => {
  it('name every folder and entry file of src/, once each', () => {
    const present = [...new Set(files.map(layerOf))].sort();
    expect([...layers].sort()).toEqual(present);
    expect(new Set(layers).size).toBe(layers.length);
  });

  it('hold: no import points to a later layer', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(upward(edges)).toEqual([]);
  });

  it('keep the records free of any stage', () => {
    expect(rank.get('records')).toBe(0);
    const reaching = edges.filter(({ from, to }) => layerOf(from) === 'records' && layerOf(to) !== 'records');
    expect(reaching).toEqual([]);
  });

  it('catch an import that points up', () => {
    const at = (path: string) => join(src, path);
    expect(
      upward([
        { from: at('records/report.ts'), to: at('publish/publishWork.ts') },
        { from: at('trigger/task.ts'), to: at('report/summary.ts') },
        { from: at('publish/publishWork.ts'), to: at('records/report.ts') },
      ]),
    ).toEqual(['records/report.ts → publish/publishWork.ts', 'trigger/task.ts → report/summary.ts']);
  });
});
