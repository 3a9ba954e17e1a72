import { readConfig } from '../../src/config/readConfig.js';
import { BASE_INPUTS, configProblems } from '../support/configProblems.js';
import { credentialOptions } from '../../src/model/credentials.js';

const base = BASE_INPUTS;
const VALUE = 'gw-secret-value-1234';

const problems = configProblems;

describe('anthropic_auth and anthropic_headers', () => {
  it('sends the key as x-api-key with no headers by default', () => {
    expect(readConfig(base).gateway).toEqual({ auth: 'x-api-key', headers: {} });
  });

  it('reads "Name: value" lines, blank lines ignored, names in lower case, values kept whole', () => {
    const config = readConfig({ ...base, INPUT_ANTHROPIC_AUTH: 'bearer', INPUT_ANTHROPIC_HEADERS: `X-Gateway-Key: ${VALUE}\n\n  cf-access-token:  a:b=c  \n` });
    expect(config.gateway).toEqual({ auth: 'bearer', headers: { 'x-gateway-key': VALUE, 'cf-access-token': 'a:b=c' } });
  });

  it('refuses a bad line naming the input, the line and the header, never the value', () => {
    const cases: Array<[string, string]> = [
      [`just ${VALUE}`, 'line 1 is not "Name: value"'],
      [`X-Ok: 1\nX-Empty:   `, 'line 2 gives X-Empty no value'],
      [`Authorization: Bearer ${VALUE}`, 'line 1 sets Authorization, which the client sends itself'],
      [`x-api-key: ${VALUE}`, 'line 1 sets x-api-key, which the client sends itself'],
      [`Bad Name: ${VALUE}`, 'line 1 is not "Name: value"'],
    ];
    for (const [headers, expected] of cases) {
      const [problem] = problems({ INPUT_ANTHROPIC_HEADERS: headers });
      expect(problem).toContain('anthropic_headers must be "Name: value" lines');
      expect(problem).toContain(expected);
      expect(problem).not.toContain(VALUE);
    }
    expect(problems({ INPUT_ANTHROPIC_AUTH: 'basic' })).toEqual(['anthropic_auth must be one of x-api-key, bearer, got basic']);
  });

  it('puts the key in the header chosen, and stops the client adding the other', () => {
    expect(credentialOptions('k', { auth: 'x-api-key', headers: { 'x-gw': 'g' } })).toEqual({
      apiKey: null,
      authToken: null,
      defaultHeaders: { 'x-gw': 'g', 'X-Api-Key': 'k', Authorization: null },
    });
    expect(credentialOptions('k', { auth: 'bearer', headers: {} })).toEqual({ apiKey: 'k', defaultHeaders: {} });
  });
});
