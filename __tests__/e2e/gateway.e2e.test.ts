import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const KEY = 'sk-ant-test-key-0123456789';
const GATEWAY_VALUE = 'gw-tenant-secret-7f3a9c';

describe('a company gateway in front of the Messages API (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('sends the key as x-api-key by default and no bearer header', async () => {
    scenario.model.script(reply([text(REPORT)]));
    const result = await scenario.run({ inputs: { prompt: 'Say what slugify does' } });
    expect(result.outputs.status).toBe('completed');
    const [first] = scenario.model.requests;
    expect(first!.headers['x-api-key']).toBe(KEY);
    expect(first!.headers.authorization).toBeUndefined();
  });

  it('sends a bearer key and the gateway headers on every request, and never shows a header value', async () => {
    scenario.model.script(reply([toolUse('str_replace_based_edit_tool', SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await scenario.run({
      inputs: { prompt: 'Fix slugify', anthropic_auth: 'bearer', anthropic_headers: `X-Gateway-Tenant: ${GATEWAY_VALUE}\nX-Team: web` },
    });

    expect(result.outputs.status).toBe('completed');
    const messages = scenario.model.requests.filter((request) => request.path === '/v1/messages');
    expect(messages).toHaveLength(2);
    for (const request of messages) {
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(request.headers['x-api-key']).toBeUndefined();
      expect(request.headers['x-gateway-tenant']).toBe(GATEWAY_VALUE);
      expect(request.headers['x-team']).toBe('web');
    }
    // A header value is a secret: masked for the runner, and nowhere in what the run shows.
    expect(result.stdout).toContain(`::add-mask::${GATEWAY_VALUE}`);
    const shown = [result.stdout.replace(`::add-mask::${GATEWAY_VALUE}`, ''), result.stderr, result.summary, JSON.stringify(result.outputs)].join('\n');
    expect(shown).not.toContain(GATEWAY_VALUE);
    expect(JSON.stringify(scenario.github.requests.map((request) => request.body))).not.toContain(GATEWAY_VALUE);
  });

  it('refuses a header line it cannot read before any request, naming the line and not the value', async () => {
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', anthropic_headers: `X-Gateway-Tenant ${GATEWAY_VALUE}` } });
    expect(result.exitCode).not.toBe(0);
    expect(result.summary).toContain('anthropic_headers must be "Name: value" lines; line 1 is not "Name: value"');
    expect(result.summary + result.stdout).not.toContain(GATEWAY_VALUE);
    expect(scenario.model.requests).toHaveLength(0);
  });
});
