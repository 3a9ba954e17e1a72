import { z } from 'zod';
import type { Config } from '../config/schema.js';
import type { GitHubTarget } from '../github/target.js';
import { ConfigError } from '../config/readConfig.js';
import { fallbackRefusal } from '../model/fallback.js';
import { fallbackPrice, priceForModel } from '../model/pricing.js';
import { baseBranchFor } from '../trigger/baseBranch.js';
import { readPayload } from '../trigger/readPayload.js';
import type { RunContext } from '../trigger/runContext.js';
import type { DoctorFacts, FallbackFacts, ForkFacts } from './facts.js';
import { tokenKind } from '../github/tokenKind.js';
import { probeGitHub } from './githubProbe.js';
import { probeModels } from './modelProbe.js';
import { probePlatform } from './platformProbe.js';

/** Long enough for a slow API, short enough that a hung one does not hold the job. */
const PROBE_TIMEOUT_MS = 15_000;

// Only the fields the fork check reads; anything else in the payload passes through.
const payloadFacts = z.object({
  repository: z.object({ full_name: z.string().optional(), fork: z.boolean().optional() }).loose().optional().catch(undefined),
  pull_request: z
    .object({ head: z.object({ repo: z.object({ full_name: z.string() }).loose().nullable().optional() }).loose() })
    .loose()
    .optional()
    .catch(undefined),
});

async function forkFacts(config: Config, context: RunContext): Promise<ForkFacts> {
  const parsed = payloadFacts.safeParse(await readPayload(context.eventPath).catch(() => undefined));
  const payload = parsed.success ? parsed.data : {};
  const own = context.owner && context.repo ? `${context.owner}/${context.repo}` : undefined;
  return {
    repositoryIsFork: payload.repository?.fork === true,
    repository: payload.repository?.full_name ?? own,
    headRepository: payload.pull_request?.head.repo?.full_name,
    allowForks: config.trigger.allowForks,
  };
}

function priceKnown(config: Config): boolean {
  try {
    priceForModel(config.model, config.priceOverride);
    return true;
  } catch {
    return false;
  }
}

/**
 * `fallback_model` judged by the run's own rules (`fallbackRefusal`, `fallbackPrice`), so the
 * doctor fails exactly what a run would refuse before its first request, in the same words.
 */
export function fallbackFacts(config: Pick<Config, 'model' | 'fallbackModel' | 'provider'>): FallbackFacts | undefined {
  const { model, fallbackModel } = config;
  if (fallbackModel === undefined) return undefined;
  const refusal = fallbackRefusal(config, { provider: config.provider.kind });
  if (refusal) return { name: fallbackModel, refusal };
  try {
    fallbackPrice({ model, fallbackModel });
    return { name: fallbackModel };
  } catch (error) {
    if (error instanceof ConfigError) return { name: fallbackModel, refusal: error.problems.join('; ') };
    throw error;
  }
}

/**
 * Everything `mode: doctor` judges, asked at once: the Models API with the
 * key, GitHub with the token, and the event payload. No model request, no
 * tokens spent, nothing written.
 */
export async function gatherFacts(opts: { config: Config; env: NodeJS.ProcessEnv; context: RunContext; github?: GitHubTarget }): Promise<DoctorFacts> {
  const { config, context, github } = opts;
  const onPlatform = config.provider.kind !== 'anthropic';
  const apiKeySet = config.apiKey !== '';
  const workBranch = `${config.branchPrefix}${config.taskKey || 'doctor-check'}`;
  const fallback = fallbackFacts(config);
  // One the run would refuse anyway is not asked about: its item fails on the refusal.
  const fallbackModel = fallback && !fallback.refusal ? fallback.name : undefined;
  const [models, platform, githubFacts, fork] = await Promise.all([
    apiKeySet && !onPlatform
      ? probeModels({
          apiKey: config.apiKey,
          baseUrl: config.baseUrl,
          gateway: config.gateway,
          model: config.model,
          fallbackModel,
          timeoutMs: PROBE_TIMEOUT_MS,
        })
      : undefined,
    onPlatform ? probePlatform({ config, env: opts.env, fallbackModel, timeoutMs: PROBE_TIMEOUT_MS }) : undefined,
    github
      ? probeGitHub({
          github,
          tokenKind: tokenKind(config.githubToken),
          baseBranch: baseBranchFor({ input: config.baseBranch, context, notice: () => undefined }),
          workBranch,
          branchPrefix: config.branchPrefix,
          timeoutMs: PROBE_TIMEOUT_MS,
        })
      : undefined,
    forkFacts(config, context),
  ]);
  return {
    apiKeySet,
    models: models?.models,
    model: models?.model,
    ...(fallback ? { fallback } : {}),
    ...(models?.fallback ? { fallbackModel: models.fallback } : {}),
    ...(platform ? { platform } : {}),
    modelName: config.model,
    priceKnown: priceKnown(config),
    github: githubFacts,
    fork,
    verify: config.verify,
  };
}
