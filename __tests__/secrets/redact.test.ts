import { createRedactor } from '../../src/secrets/redact.js';

const redact = createRedactor(['s3cret-value-123']);

describe('token shapes the redactor masks without being told their value', () => {
  it.each([
    ['GitHub personal', 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'],
    ['GitHub OAuth', 'gho_0123456789abcdefghijklmnopqrstuvwxyzAB'],
    ['GitHub user-to-server', 'ghu_0123456789abcdefghijklmnopqrstuvwxyzAB'],
    ['GitHub server-to-server', 'ghs_0123456789abcdefghijklmnopqrstuvwxyzAB'],
    ['GitHub refresh', 'ghr_0123456789abcdefghijklmnopqrstuvwxyzAB'],
    ['GitHub fine-grained', `github_pat_11ABCDEFG0123456789_${'a'.repeat(59)}`],
    ['Anthropic', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789-_AA'],
    ['AWS long-lived key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS temporary key id', 'ASIAIOSFODNN7EXAMPLE'],
    ['npm', 'npm_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['Slack bot', 'xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJ'],
    ['Slack user', 'xoxp-123456789012-1234567890123-abcdefghij'],
    ['Slack app-level', 'xoxa-2-abcdefghij0123'],
    ['Slack refresh', 'xoxr-abcdefghij0123'],
    ['Slack legacy', 'xoxs-abcdefghij0123'],
    ['PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----'],
    ['OpenSSH private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'],
    ['PGP private key', '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----'],
    ['a private key cut before its end', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
  ])('%s', (_kind, token) => {
    expect(redact(`before ${token} after`)).toMatch(/^before \*\*\*( after)?$/);
  });

  it('leaves look-alikes that are not tokens', () => {
    expect(redact('ghp_short npm_install AKIA1234 sk-ant-x xoxb-1')).toBe('ghp_short npm_install AKIA1234 sk-ant-x xoxb-1');
  });
});
