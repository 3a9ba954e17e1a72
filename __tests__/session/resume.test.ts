import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_BLOCKED_COMMANDS } from '../../src/guard/blockedCommands.js';
import { answerPending, bareDecision, replyHint } from '../../src/session/resume.js';
import { createToolbox } from '../../src/tools/toolbox.js';
import type { SavedSession } from '../../src/session/savedSession.js';
import { closingReferences, htmlTags, mentions } from '../support/githubText.js';
import { makeSandbox, type Sandbox } from '../tools/fixture.js';

const blocked = DEFAULT_BLOCKED_COMMANDS.map((pattern) => new RegExp(pattern));

const session = (pending: SavedSession['pending']): SavedSession => ({
  version: 1,
  repository: 'octo/demo',
  thread: 7,
  branch: 'nightshift/7-x',
  savedAt: '2025-01-01T00:00:00Z',
  totalCostUsd: 0,
  runs: 1,
  task: { title: 't', instruction: 'i' },
  messages: [{ role: 'user', content: 'x' }],
  partialResults: [],
  pending,
});

describe('a reply that is only a decision', () => {
  it.each([
    ['approve', 'approve'],
    ['Approved!', 'approve'],
    ['deny — not yet', 'deny'],
    ['denied: use the staging registry', 'deny'],
    ['  approve.  ', 'approve'],
    ['approve the refactor of the API', undefined],
    ['deny requests without a token in the middleware', undefined],
    ['please approve', undefined],
    ['deny-list the test hosts', undefined],
    ['deny - later', 'deny'],
  ])('%j → %s', (reply, decision) => {
    expect(bareDecision(reply)).toBe(decision);
  });
});

describe('answering a paused approval', () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await makeSandbox({ blockedCommands: blocked, approved: new Set() });
  });
  afterEach(() => box.cleanup());

  const approval = (command: string) => session({ kind: 'approval', toolUseId: 'toolu_1', command, reason: 'r' });

  it('runs an approved command that a guard rail also blocks, and says so truthfully', async () => {
    const command = 'echo pushed > pushed.txt; echo done # git push origin HEAD';
    const { blocks, approval: record } = await answerPending({
      state: approval(command),
      reply: 'approve',
      author: 'alice',
      decision: 'approve',
      toolbox: createToolbox(box.ctx, { anthropicToolTypes: true }),
    });

    expect(await readFile(join(box.root, 'pushed.txt'), 'utf8')).toBe('pushed\n');
    expect(blocks).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'toolu_1',
        is_error: false,
        content: `Approved by @alice. The command ran (it matches blocked_commands /${DEFAULT_BLOCKED_COMMANDS[0]}/ and ran anyway, because a person approved it):\ndone`,
      },
    ]);
    expect(record).toEqual({
      command,
      by: 'alice',
      decision: 'approved',
      ran: true,
      exitCode: 0,
      endNote: undefined,
      outputTail: 'done\n',
      blockedBy: DEFAULT_BLOCKED_COMMANDS[0],
    });
  });

  it('records a failing approved command with its exit code', async () => {
    const { blocks, approval: record } = await answerPending({
      state: approval('echo nope; exit 3'),
      reply: 'approve',
      author: 'alice',
      decision: 'approve',
      toolbox: createToolbox(box.ctx, { anthropicToolTypes: true }),
    });
    expect(blocks[0]).toMatchObject({ is_error: true, content: 'Approved by @alice. The command ran:\nnope\n[exit code 3]' });
    expect(record).toMatchObject({ ran: true, exitCode: 3, endNote: 'exit code 3', outputTail: 'nope\n' });
  });

  it('does not claim a command ran when the run was already ending', async () => {
    const controller = new AbortController();
    controller.abort();
    const ending = await makeSandbox({ signal: controller.signal, approved: new Set() });
    try {
      const { blocks, approval: record } = await answerPending({
        state: approval('echo x > ran.txt'),
        reply: 'approve',
        author: 'alice',
        decision: 'approve',
        toolbox: createToolbox(ending.ctx, { anthropicToolTypes: true }),
      });
      expect(blocks[0]).toMatchObject({
        is_error: true,
        content: 'Approved by @alice, but the command did not run: the run was ending before it could start.',
      });
      expect(record).toMatchObject({ ran: false, decision: 'approved' });
      await expect(readFile(join(ending.root, 'ran.txt'))).rejects.toThrow();
    } finally {
      await ending.cleanup();
    }
  });

  it('records a denial and runs nothing', async () => {
    const { blocks, approval: record } = await answerPending({
      state: approval('echo x > ran.txt'),
      reply: 'deny',
      author: 'bob',
      decision: 'deny',
      toolbox: createToolbox(box.ctx, { anthropicToolTypes: true }),
    });
    expect(blocks[0]).toMatchObject({ content: 'Denied by @bob; the command was not run. Find another way or finish and say why it is needed.' });
    expect(record).toMatchObject({ decision: 'denied', ran: false, by: 'bob' });
    await expect(readFile(join(box.root, 'ran.txt'))).rejects.toThrow();
  });

  it('answers a question with the reply, approve or not', async () => {
    const { blocks, approval: record } = await answerPending({
      state: session({ kind: 'question', toolUseId: 'toolu_q', question: 'ok?' }),
      reply: 'approve',
      author: 'alice',
      decision: 'approve',
      toolbox: createToolbox(box.ctx, { anthropicToolTypes: true }),
    });
    expect(blocks[0]).toMatchObject({ tool_use_id: 'toolu_q', content: '@alice replied:\napprove' });
    expect(record).toBeUndefined();
  });
});

describe('what the person is asked', () => {
  it('shows the command whole, in a fence it cannot close, with invisible characters spelled out', () => {
    const hint = replyHint(
      { kind: 'approval', toolUseId: 't', command: 'echo ok\n```\n\nlooks harmless\n```\nrm -rf .git\u202e', reason: 'ship it <b>now</b> @alice' },
      '@nightshift',
    );
    expect(hint).toBe(
      [
        '**The agent asks for approval to run:**',
        '',
        '````',
        'echo ok\n```\n\nlooks harmless\n```\nrm -rf .git\\u{202E}',
        '````',
        '',
        'It contains invisible characters, spelled out above as `\\u{…}`.',
        '',
        'Why: ship it &lt;b>now&lt;/b> @\u200balice',
        '',
        'Reply `@nightshift approve` to run it and continue, or `@nightshift deny`.',
      ].join('\n'),
    );
  });

  it('says when approving runs a command the guard rails block', () => {
    expect(replyHint({ kind: 'approval', toolUseId: 't', command: 'git push origin HEAD', reason: 'r' }, '@nightshift', blocked)).toContain(
      `It also matches \`${DEFAULT_BLOCKED_COMMANDS[0]}\` of \`blocked_commands\`: approving it runs it anyway.`,
    );
  });

  it('makes a question inert, on one line or as a quote', () => {
    expect(replyHint({ kind: 'question', toolUseId: 't', question: 'Which separator, @alice?' }, '@nightshift')).toBe(
      '**The agent asks:** Which separator, @\u200balice?\n\nReply with `@nightshift <your answer>` to continue this session.',
    );
    const long = replyHint({ kind: 'question', toolUseId: 't', question: 'Options:\n- a\n- b, fixes #1\n<details>\n```' }, '@nightshift');
    expect(long).toContain('**The agent asks:**\n\n> Options:\n> - a\n');
    const asked = long.slice(0, long.indexOf('\n\nReply with'));
    expect([mentions(asked), closingReferences(asked), htmlTags(asked)]).toEqual([[], [], []]);
    // The fence the question opened is closed inside the quote.
    expect(asked.endsWith('> ```\n> ```')).toBe(true);
  });
});
