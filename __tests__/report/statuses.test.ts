import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { RUN_STATUSES } from '../../src/records/session.js';
import { STATUS_LABEL } from '../../src/text/format.js';

/** Every status a run can end with is labelled for people and documented where users look it up. */
describe('run statuses', () => {
  const statuses = [...RUN_STATUSES, 'skipped', 'refused'];
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const statusRow = readme.split('\n').find((line) => line.startsWith('| `status` |')) ?? '';
  const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { outputs: { status: { description: string } } };

  it.each(statuses)('%s has a label, a README entry and an action.yml entry', (status) => {
    expect(STATUS_LABEL[status]).toMatch(new RegExp(`^\\S+ ${status.replace('-', ' ')}$`));
    expect(statusRow).toContain(`\`${status}\``);
    expect(action.outputs.status.description).toMatch(new RegExp(`\\b${status}\\b`));
  });
});
