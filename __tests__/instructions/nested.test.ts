import type { NestedInstructionFile } from '../../src/instructions/loadInstructions.js';
import { NestedInstructions } from '../../src/instructions/nested.js';

const file = (path: string, text: string): NestedInstructionFile => ({ path, dir: path.slice(0, path.lastIndexOf('/')), text, bytes: text.length, cut: false });
const FILES = [file('packages/AGENTS.md', 'Packages rule.'), file('packages/api/AGENTS.md', 'API rule.'), file('web/AGENTS.md', 'Web rule.')];

describe('nested AGENTS.md delivery', () => {
  it('delivers a file the first time a path under its directory is worked on, and never again', () => {
    const nested = new NestedInstructions(FILES, 'main');
    const first = nested.forPath('web/src/app.ts');
    expect(first).toHaveLength(1);
    expect(first[0]).toContain('Instructions for web/ from web/AGENTS.md (base branch main)');
    expect(first[0]).toContain('Web rule.');
    expect(nested.forPath('web/other.ts')).toEqual([]);
    expect(nested.delivered.map((f) => f.path)).toEqual(['web/AGENTS.md']);
  });

  it('matches by directory: the directory itself and what is under it, not a sibling with the same prefix', () => {
    expect(new NestedInstructions(FILES, 'main').forPath('webapp/x.ts')).toEqual([]);
    expect(new NestedInstructions(FILES, 'main').forPath('web')).toHaveLength(1);
    expect(new NestedInstructions(FILES, 'main').forPath('./web/')).toHaveLength(1);
    expect(new NestedInstructions(FILES, 'main').forPath('.')).toEqual([]);
    expect(new NestedInstructions(FILES, 'main').forPath('README.md')).toEqual([]);
  });

  it('delivers every file that applies, outer directory first', () => {
    const nested = new NestedInstructions(FILES, 'main');
    const texts = nested.forPath('packages/api/src/index.ts');
    expect(texts.map((text) => /from (\S+)/.exec(text)?.[1])).toEqual(['packages/AGENTS.md', 'packages/api/AGENTS.md']);
    // Working in packages/ later does not bring the outer file again.
    expect(nested.forPath('packages/cli/x.ts')).toEqual([]);
  });

  it('takes what a resumed conversation already carries as delivered', () => {
    const earlier = new NestedInstructions(FILES, 'main');
    const conversation = [
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't1',
            content: [{ type: 'text', text: 'ok' }, ...earlier.forPath('web/a.ts').map((text) => ({ type: 'text', text }))],
          },
        ],
      },
    ];
    const resumed = new NestedInstructions(FILES, 'main');
    resumed.restore(conversation);
    expect(resumed.forPath('web/b.ts')).toEqual([]);
    expect(resumed.forPath('packages/api/b.ts')).toHaveLength(2);
    expect(resumed.delivered.map((f) => f.path)).toEqual(['web/AGENTS.md', 'packages/AGENTS.md', 'packages/api/AGENTS.md']);
  });
});
