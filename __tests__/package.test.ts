import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { bin?: Record<string, string> };

describe('package.json', () => {
  it('names only bin files the bundle has, each starting with a node shebang', () => {
    const bins = Object.entries(pkg.bin ?? {});
    expect(bins.length).toBeGreaterThan(0);
    for (const [name, path] of bins) {
      const file = new URL(`../${path}`, import.meta.url);
      expect([name, path, existsSync(file)]).toEqual([name, path, true]);
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    }
  });
});
