import { inertLog } from '../../src/outbound/inertLog.js';
import { workflowCommands } from '../support/workflowCommands.js';

const HOSTILE = [
  '::stop-commands::pwned',
  '::add-mask::everything',
  '  \t::error file=a.js,line=1::forged failure',
  '::set-output name=pr_url::https://evil.example/pr',
  '\u00a0::warning::non-breaking space first',
  '\u200b::notice::zero-width space first',
  'Which separator?\r::group::carriage return',
  'ok\r\n::endgroup::',
  'prefix ##[set-output name=pr_url;]https://evil.example',
  'x ##[stop-commands]token',
  '\u0085::debug::next line first',
].join('\n');

describe('inert log text', () => {
  it('leaves no line the runner would read as a workflow command', () => {
    expect(workflowCommands(HOSTILE).length).toBeGreaterThan(5);
    expect(workflowCommands(inertLog(HOSTILE))).toEqual([]);
  });

  it('keeps ordinary text as it was', () => {
    const text = 'step 3/40 · 1,200 tokens · $0.0100 — → bash: npm test; ✘ bash: exit 1\n\tindented: a::b and std::vector';
    expect(inertLog(text)).toBe(text);
  });

  it('shows a would-be command line, changed just enough', () => {
    expect(inertLog('::add-mask::x')).toBe('› ::add-mask::x');
    expect(inertLog('see ##[error]x')).toBe('see # #[error]x');
  });

  it('drops control and format characters, which a log cannot show anyway', () => {
    expect(inertLog('a\u001b[31mred\u200b\u202e')).toBe('a[31mred');
  });
});
