import { MAX_BATCH_BYTES, planBatches, requestBytes, type TreeChange } from '../../src/publish/commitBatches.js';

const add = (path: string, bytes: number): TreeChange => ({ path, kind: 'add', blob: 'b'.repeat(40), bytes, mode: '100644' });
const del = (path: string): TreeChange => ({ path, kind: 'delete', bytes: 0 });
const paths = (batches: TreeChange[][]) => batches.map((batch) => batch.map((change) => change.path));

describe('planBatches', () => {
  it('keeps a small change in one mutation, deletions first', () => {
    expect(paths(planBatches([add('a.txt', 10), del('old.txt'), add('b.txt', 20)]))).toEqual([['old.txt', 'a.txt', 'b.txt']]);
  });

  it('has no mutation for no change', () => {
    expect(planBatches([])).toEqual([]);
  });

  it('splits by the base64 size, in order, every batch within the bound', () => {
    const changes = [add('one.bin', 3_000_000), add('two.bin', 3_000_000), add('three.txt', 100), add('four.bin', 2_000_000)];
    const batches = planBatches(changes);
    expect(paths(batches)).toEqual([['one.bin'], ['two.bin', 'three.txt'], ['four.bin']]);
    for (const batch of batches) expect(batch.reduce((sum, change) => sum + requestBytes(change), 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
  });

  it('sends a file larger than the bound alone, since one file cannot be split', () => {
    expect(paths(planBatches([add('small.txt', 10), add('huge.bin', 10_000_000), add('after.txt', 10)]))).toEqual([['small.txt'], ['huge.bin'], ['after.txt']]);
  });

  it('counts a file as its base64 length plus its path', () => {
    expect(requestBytes(add('x', 3))).toBe(4 + 1 + 48);
    expect(requestBytes(add('x', 4))).toBe(8 + 1 + 48);
    expect(requestBytes(del('gone'))).toBe(4 + 48);
  });

  it('takes a smaller bound', () => {
    expect(paths(planBatches([add('a', 100), add('b', 100), add('c', 100)], 2 * requestBytes(add('a', 100))))).toEqual([['a', 'b'], ['c']]);
  });
});
