import type { RunContext } from './runContext.js';

const BRANCH_REF = /^refs\/heads\/(.+)$/;

/**
 * The branch the work starts from and the pull request targets: `base_branch`
 * when set; for workflow_dispatch, the branch picked in the Run-workflow menu
 * (that is the code the person asked about); otherwise the default branch.
 * A dispatch on a tag or another non-branch ref has no branch to build on, so
 * it starts from the default branch and `notice` says so. No I/O.
 */
export function baseBranchFor(opts: {
  input: string;
  context: Pick<RunContext, 'eventName' | 'ref' | 'defaultBranch'>;
  notice: (line: string) => void;
}): string | undefined {
  const { input, context } = opts;
  if (input !== '') return input;
  if (context.eventName !== 'workflow_dispatch' || !context.ref) return context.defaultBranch;
  const branch = BRANCH_REF.exec(context.ref)?.[1];
  if (branch) return branch;
  const base = context.defaultBranch ? `${context.defaultBranch}, the default branch` : "the repository's default branch";
  opts.notice(`workflow_dispatch ran on ${context.ref}, which is not a branch: the work starts from ${base} (set base_branch to choose another)`);
  return context.defaultBranch;
}
