import type { Config } from '../config/schema.js';
import { errorMessage } from '../text/errorMessage.js';
import { modelAccess, type ModelAccess } from '../model/access.js';
import { probeBedrock } from './bedrockProbe.js';
import type { PlatformFacts } from './facts.js';
import { probeVertex } from './vertexProbe.js';

/**
 * Provider bedrock or vertex: the run's own credentials and client, asked something
 * that bills no tokens. Credentials that cannot even be found (no auth step) fail here
 * with the same sentence a run would stop on.
 */
export async function probePlatform(opts: { config: Config; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<PlatformFacts> {
  const platform = opts.config.provider.kind;
  let access: ModelAccess;
  try {
    access = modelAccess(opts.config, opts.env);
  } catch (error) {
    const message = errorMessage(error);
    return { platform, credentials: { ok: false, message }, model: { ok: false, message }, credentialsFix: 'See the README, Providers.', modelFix: '' };
  }
  if (access.provider === 'bedrock') return probeBedrock({ access, model: opts.config.model, timeoutMs: opts.timeoutMs });
  if (access.provider === 'vertex') return probeVertex({ access, model: opts.config.model, timeoutMs: opts.timeoutMs });
  // Not reached: gather asks this only for bedrock and vertex.
  const message = `the ${platform} probe is not built yet`;
  return { platform, credentials: { ok: false, message }, model: { ok: false, message }, credentialsFix: 'See the README, Providers.', modelFix: '' };
}
