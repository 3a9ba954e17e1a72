import type { Config } from '../config/schema.js';
import { errorMessage } from '../text/errorMessage.js';
import { modelAccess, type ModelAccess } from '../model/access.js';
import { probeBedrock } from './bedrockProbe.js';
import type { PlatformFacts } from './facts.js';
import { probeVertex } from './vertexProbe.js';

/**
 * Provider bedrock or vertex: the run's own credentials and client, asked something
 * that bills no tokens. Credentials that cannot even be found (no auth step) fail here
 * with the same sentence a run would stop on. `fallbackModel` (the caller leaves out one the
 * run would refuse anyway) is asked the same question with the same credentials.
 */
export async function probePlatform(opts: { config: Config; env: NodeJS.ProcessEnv; fallbackModel?: string; timeoutMs: number }): Promise<PlatformFacts> {
  const platform = opts.config.provider.kind;
  let access: ModelAccess;
  try {
    access = modelAccess(opts.config, opts.env);
  } catch (error) {
    const message = errorMessage(error);
    return { platform, credentials: { ok: false, message }, model: { ok: false, message }, credentialsFix: 'See the README, Providers.', modelFix: '' };
  }
  const asked = { model: opts.config.model, fallbackModel: opts.fallbackModel, timeoutMs: opts.timeoutMs };
  if (access.provider === 'bedrock') return probeBedrock({ access, ...asked });
  if (access.provider === 'vertex') return probeVertex({ access, ...asked });
  // Not reached: gather asks this only for bedrock and vertex.
  const message = `the ${platform} probe is not built yet`;
  return { platform, credentials: { ok: false, message }, model: { ok: false, message }, credentialsFix: 'See the README, Providers.', modelFix: '' };
}
