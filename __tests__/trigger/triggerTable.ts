/**
 * Prints what the trigger layer does with every real webhook example and its
 * variants, as a markdown table: `npx tsx __tests__/trigger/triggerTable.ts`.
 * The same cases are asserted by webhookExamples.test.ts.
 */
import { describeOutcome, startTriggerHarness, triggerCases } from './webhookExamples.js';

const harness = await startTriggerHarness();
try {
  const rows = ['| event | action | example | variant | outcome |', '| --- | --- | --- | --- | --- |'];
  for (const c of triggerCases()) {
    const { outcome } = await harness.resolve(c);
    rows.push(`| ${c.event} | ${c.action || '—'} | ${c.example} | ${c.variant} | ${describeOutcome(outcome)} |`);
  }
  process.stdout.write(`${rows.join('\n')}\n`);
} finally {
  await harness.close();
}
