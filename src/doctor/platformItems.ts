import type { DoctorItem } from '../records/doctor.js';
import type { Answer, FallbackFacts, PlatformFacts } from './facts.js';
import { answerText, FALLBACK_FIX, fullStop, unpricedModelItem } from './checklist.js';

/** Provider bedrock or vertex: the credentials, then the model (and `fallback_model`, when set), judged from what the platform said. */
export function platformItems(facts: PlatformFacts, modelName: string, priceKnown: boolean, fallback?: FallbackFacts): DoctorItem[] {
  const credentials: DoctorItem = facts.credentials.ok
    ? { id: 'credentials', title: `The ${facts.platform} credentials work`, status: 'pass', detail: facts.credentials.value }
    : {
        id: 'credentials',
        title: `The ${facts.platform} credentials work`,
        status: 'fail',
        detail: `${answerText(facts.credentials)}.`,
        fix: facts.credentialsFix,
      };
  const base = { id: 'model', title: `The model ${modelName} is available on ${facts.platform}` };
  const model = priceKnown ? servedItem(base, facts, facts.model, facts.modelFix) : unpricedModelItem(base, modelName);
  if (!fallback) return [credentials, model];
  const fallbackBase = { id: 'fallback-model', title: `The fallback model ${fallback.name} is available on ${facts.platform}` };
  const fallbackModel: DoctorItem = fallback.refusal
    ? { ...fallbackBase, status: 'fail', detail: fullStop(fallback.refusal), fix: FALLBACK_FIX }
    : servedItem(fallbackBase, facts, facts.fallback ?? { ok: false, message: 'not asked' }, facts.fallbackFix ?? facts.modelFix);
  return [credentials, model, fallbackModel];
}

/** A model id as the platform answered it, asked with the credentials the first item judged. */
function servedItem(base: { id: string; title: string }, facts: PlatformFacts, answer: Answer<string>, fix: string): DoctorItem {
  if (!facts.credentials.ok)
    return { ...base, status: 'unknown', detail: 'Cannot be asked without credentials the platform accepts.', fix: facts.credentialsFix };
  if (answer.ok) return { ...base, status: 'pass', detail: answer.value };
  return { ...base, status: 'fail', detail: `${answerText(answer)}.`, fix };
}
