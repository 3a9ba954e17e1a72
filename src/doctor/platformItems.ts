import type { DoctorItem } from '../records/doctor.js';
import type { PlatformFacts } from './facts.js';
import { answerText } from './checklist.js';

/** Provider bedrock or vertex: the credentials, then the model, judged from what the platform said. */
export function platformItems(facts: PlatformFacts, modelName: string, priceKnown: boolean): DoctorItem[] {
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
  let model: DoctorItem;
  if (!priceKnown) {
    model = {
      ...base,
      status: 'fail',
      detail: `${modelName} has no built-in price, so the dollar budget cannot be kept and the run stops before its first request.`,
      fix: 'Set model_prices, e.g. {"input": 3, "output": 15} (dollars per million tokens).',
    };
  } else if (!facts.credentials.ok) {
    model = { ...base, status: 'unknown', detail: 'Cannot be asked without credentials the platform accepts.', fix: facts.credentialsFix };
  } else if (facts.model.ok) {
    model = { ...base, status: 'pass', detail: facts.model.value };
  } else {
    model = { ...base, status: 'fail', detail: `${answerText(facts.model)}.`, fix: facts.modelFix };
  }
  return [credentials, model];
}
