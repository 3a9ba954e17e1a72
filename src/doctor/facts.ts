import type { TokenKind } from '../github/tokenKind.js';
import type { BranchRules } from '../github/branchRules.js';

/** An answer from an API: its value, or the HTTP status (when there was one) and what was said. */
export type Answer<T> = { ok: true; value: T } | { ok: false; status?: number; message: string };

/** What kind of token `github_token` is, read from its documented prefix. */
/** Everything the checklist is decided from: gathered once, then judged by a pure function. */
export interface DoctorFacts {
  apiKeySet: boolean;
  /** GET /v1/models: the ids on its first page (up to 1,000). */
  models?: Answer<string[]>;
  /** GET /v1/models/{model}. */
  model?: Answer<string>;
  modelName: string;
  /** The model has a built-in price or model_prices gives one (the dollar budget needs it). */
  priceKnown: boolean;
  /** `fallback_model`, when set: no item at all without it. */
  fallback?: FallbackFacts;
  /** GET /v1/models/{fallback_model}, asked when the fallback is not refused outright. */
  fallbackModel?: Answer<string>;
  /** Provider bedrock or vertex: what the platform said to the run's credentials (the two Anthropic items give way to these). */
  platform?: PlatformFacts;
  /** Set when there is a token and a repository to ask about. */
  github?: GitHubFacts;
  fork: ForkFacts;
  verify: string[];
}

export interface GitHubFacts {
  tokenKind: TokenKind;
  /** GET /repos/{o}/{r}: the classic token's scopes (X-OAuth-Scopes) and the caller's role, where GitHub sends them. */
  repository: Answer<{ scopes?: string[]; canPush?: boolean; private: boolean; defaultBranch: string }>;
  /** GET /repos/{o}/{r}/actions/permissions/workflow (needs admin read). */
  workflow: Answer<{ canApprovePullRequests: boolean; defaultPermissions: string }>;
  /** The rules on the branch the PR targets and on the work branch. */
  baseRules: BranchRules;
  workRules: BranchRules;
  /** branch_prefix, which the work branches start with. */
  branchPrefix: string;
}

export interface ForkFacts {
  /** The event's repository is itself a fork (`repository.fork`). */
  repositoryIsFork: boolean;
  repository?: string;
  /** A pull request event's head repository, when it names one. */
  headRepository?: string;
  allowForks: boolean;
}

/** `fallback_model` as the run would take it, before any API is asked. */
export interface FallbackFacts {
  name: string;
  /** Why the run would refuse it before its first request (the run's own sentence: no built-in price, the same as model, other tools). */
  refusal?: string;
}

/** What a cloud platform said, asked without a billed request. */
export interface PlatformFacts {
  /** bedrock or vertex, as the items name them. */
  platform: string;
  /** The credentials: found and accepted (the value says whose they are or what accepted them), or why not. */
  credentials: Answer<string>;
  /** The model: served to these credentials in this region (the value says what answered), or why not. */
  model: Answer<string>;
  /** What to change when the credentials fail: the auth step, the variables, the permission. */
  credentialsFix: string;
  /** What to change when the model is not reachable: model access, the id form, the region. */
  modelFix: string;
  /** The same question about `fallback_model`, with the same credentials, when it was asked. */
  fallback?: Answer<string>;
  fallbackFix?: string;
}
