import type { Config } from '../config/schema.js';

/** The traits of a run that change what the checklist asks of the repository. */
export interface RunTraits {
  /** The token is a GitHub App's (its pushes and PRs start workflows; the "Actions may open PRs" setting does not apply). */
  usesAppToken: boolean;
  /** The run's commits are signed (a `required_signatures` rule is then satisfied). */
  signsCommits: boolean;
}

/**
 * The one place that says which traits a configured run has, so the checklist
 * and the preflight follow the configuration. `sign_commits: auto` signs
 * exactly when a rule requires it, so only `false` leaves such a rule unmet.
 */
export function runTraits(config: Config): RunTraits {
  return { usesAppToken: config.app !== undefined, signsCommits: config.signCommits !== 'false' };
}
