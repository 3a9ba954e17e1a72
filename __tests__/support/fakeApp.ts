import { generateKeyPairSync, randomBytes, verify } from 'node:crypto';

/** A GitHub App as the fake GitHub knows it: its id, its installation on the repository, its public key. */
export interface FakeApp {
  id: string;
  slug: string;
  installationId: number;
  publicKey: string;
}

/** A test's GitHub App: a fresh RSA key pair, the private key in the PKCS#1 PEM GitHub hands out. */
export function generateApp(id = '424242'): { app: FakeApp; privateKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { app: { id, slug: 'nightshift-test', installationId: 9_000_001, publicKey }, privateKey };
}

/**
 * Checks `Authorization: Bearer <jwt>` as GitHub does for app endpoints:
 * RS256 signed with the app's key, `iss` the app's id, issued no later than
 * now (a minute of clock drift allowed) and expiring within 10 minutes.
 * Returns why not, or undefined when it holds.
 */
export function jwtProblem(authorization: string | undefined, app: FakeApp): string | undefined {
  const match = /^bearer\s+([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(authorization ?? '');
  if (!match) return 'A JSON web token could not be decoded';
  const [, head, body, signature] = match as unknown as [string, string, string, string];
  let header: { alg?: string };
  let claims: { iss?: unknown; iat?: number; exp?: number };
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return 'A JSON web token could not be decoded';
  }
  if (header.alg !== 'RS256') return `'alg' must be RS256, got ${header.alg}`;
  if (!verify('RSA-SHA256', Buffer.from(`${head}.${body}`), app.publicKey, Buffer.from(signature, 'base64url'))) return 'A JSON web token could not be decoded';
  const now = Math.floor(Date.now() / 1000);
  if (String(claims.iss) !== app.id) return "'Issuer' claim ('iss') must be an Integer";
  if (typeof claims.iat !== 'number' || claims.iat > now + 60) return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
  if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp - claims.iat > 600) return "'Expiration time' claim ('exp') is too far in the future";
  return undefined;
}

export function installationToken(): string {
  return `ghs_app${randomBytes(18).toString('hex')}`;
}
