import { generateKeyPairSync } from 'node:crypto';
import { readConfig } from '../../src/config/readConfig.js';
import { BASE_INPUTS, configProblems } from '../support/configProblems.js';

const base = BASE_INPUTS;
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const problems = configProblems;

describe('sign_commits', () => {
  it('is auto by default and takes true or false', () => {
    expect(readConfig(base).signCommits).toBe('auto');
    expect(readConfig({ ...base, INPUT_SIGN_COMMITS: ' true ' }).signCommits).toBe('true');
    expect(readConfig({ ...base, INPUT_SIGN_COMMITS: 'false' }).signCommits).toBe('false');
  });

  it('refuses anything else, naming the input, the value and what it takes', () => {
    expect(problems({ INPUT_SIGN_COMMITS: 'yes' })).toEqual(['sign_commits must be one of auto, true, false, got yes']);
  });
});

describe('app_id and app_private_key', () => {
  it('are off when both are empty', () => {
    expect(readConfig(base).app).toBeUndefined();
  });

  it('give the app when both are set, with the key as pasted (CRLF or literal \\n sequences) made PEM again', () => {
    expect(readConfig({ ...base, INPUT_APP_ID: ' 123456 ', INPUT_APP_PRIVATE_KEY: privateKey }).app).toEqual({
      appId: '123456',
      privateKey: privateKey.trim(),
    });
    const pasted = privateKey.trim().replace(/\n/g, '\\n');
    expect(readConfig({ ...base, INPUT_APP_ID: 'Iv23liAbCdEf', INPUT_APP_PRIVATE_KEY: pasted }).app?.privateKey).toBe(privateKey.trim());
    expect(readConfig({ ...base, INPUT_APP_ID: '1', INPUT_APP_PRIVATE_KEY: privateKey.replace(/\n/g, '\r\n') }).app?.privateKey).toBe(privateKey.trim());
  });

  it('refuse one without the other, naming both', () => {
    expect(problems({ INPUT_APP_ID: '123456' })).toEqual([
      "app_id and app_private_key must be set together (a GitHub App's id and its private key), got app_private_key empty and app_id set",
    ]);
    expect(problems({ INPUT_APP_PRIVATE_KEY: privateKey })).toEqual([
      "app_id and app_private_key must be set together (a GitHub App's id and its private key), got app_id empty and app_private_key set",
    ]);
  });

  it('refuse a key that does not parse as a PEM private key, without printing it', () => {
    for (const key of ['secret-material-0123456789', `-----BEGIN RSA PRIVATE KEY-----\nsecret-material-0123456789\n-----END RSA PRIVATE KEY-----`]) {
      const [problem] = problems({ INPUT_APP_ID: '123456', INPUT_APP_PRIVATE_KEY: key });
      expect(problem).toMatch(/^app_private_key must be a PEM private key .*, got \d+ characters that do not parse as one \(the value is not shown\)$/);
      expect(problem).not.toContain('secret-material');
    }
  });

  it('refuse an app id that is neither a number nor a client id', () => {
    expect(problems({ INPUT_APP_ID: 'my app', INPUT_APP_PRIVATE_KEY: privateKey })).toEqual([
      'app_id must be a GitHub App\'s id (a whole number such as 123456) or client id (Iv…), got "my app"',
    ]);
  });
});
