import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config/readConfig.js';

/**
 * The variables google-github-actions/auth exports with the path of the credentials file it
 * wrote (GOOGLE_GHA_CREDS_PATH is its own name; the other two are what Google's libraries and
 * gcloud read), in the order they are trusted.
 */
export const CREDENTIALS_VARIABLES = ['GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_GHA_CREDS_PATH', 'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE'] as const;

/** Workload Identity Federation: the auth action's default, no key at all, a subject token asked of GitHub's OIDC endpoint. */
const externalAccount = z.looseObject({
  type: z.literal('external_account'),
  audience: z.string().min(1),
  subject_token_type: z.string().min(1),
  token_url: z.url(),
  service_account_impersonation_url: z.url().optional(),
  quota_project_id: z.string().optional(),
  client_secret: z.string().optional(),
  credential_source: z.looseObject({
    url: z.url().optional(),
    file: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
});

/** A service account key (credentials_json): the private key is the secret. */
const serviceAccount = z.looseObject({
  type: z.literal('service_account'),
  project_id: z.string().optional(),
  private_key_id: z.string().optional(),
  private_key: z.string().includes('PRIVATE KEY', { message: 'private_key must be a PEM private key' }),
  client_email: z.string().min(1),
  token_uri: z.url().optional(),
});

/** gcloud's application default credentials of a person (a local run). */
const authorizedUser = z.looseObject({
  type: z.literal('authorized_user'),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  refresh_token: z.string().min(1),
  quota_project_id: z.string().optional(),
});

const credentialsSchema = z.discriminatedUnion('type', [externalAccount, serviceAccount, authorizedUser]);
export type GoogleCredentials = z.output<typeof credentialsSchema>;

/** The credentials file the auth step wrote: where it is, what it holds, and which of that is secret. */
export interface CredentialsFile {
  /** Absolute path, as the variable named it. */
  path: string;
  /** The variable that named it. */
  variable: string;
  credentials: GoogleCredentials;
  /** The raw bytes, so the file can be put back as it was if the agent's user changed it. */
  raw: string;
}

const AUTH_FIX =
  'add a google-github-actions/auth step before Nightshift (with workload_identity_provider and service_account) and give the job permissions: id-token: write';

/** The file the environment names, read and checked; a ConfigError naming the variable or the file and what is wrong. */
export function readCredentialsFile(env: NodeJS.ProcessEnv): CredentialsFile {
  const variable = CREDENTIALS_VARIABLES.find((name) => (env[name] ?? '').trim() !== '');
  if (!variable) {
    throw new ConfigError([`provider vertex needs Google credentials, but none of ${CREDENTIALS_VARIABLES.join(', ')} is set: ${AUTH_FIX}`]);
  }
  const given = env[variable]!.trim();
  const path = isAbsolute(given) ? given : resolve(given);
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([`${variable} names the Google credentials file ${path}, which cannot be read (${code}): ${AUTH_FIX}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError([`the Google credentials file ${path} (${variable}) is not JSON`]);
  }
  const parsed = credentialsSchema.safeParse(json);
  if (!parsed.success) {
    // Field names and what was expected, never the values: they may be the secret.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'type'}: ${issue.message}`).join('; ');
    throw new ConfigError([
      `the Google credentials file ${path} (${variable}) must be an external_account (Workload Identity Federation), service_account or authorized_user file: ${problems}`,
    ]);
  }
  return { path, variable, credentials: parsed.data, raw };
}

/**
 * Every secret value the file holds, for the redactor: the private key (whole and as its
 * one-line body), the headers the subject token is asked with (the auth action puts the
 * runner's OIDC request token there) and the token alone, client secrets and refresh tokens.
 */
export function credentialsSecrets(credentials: GoogleCredentials): string[] {
  switch (credentials.type) {
    case 'service_account': {
      const body = credentials.private_key.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
      return [credentials.private_key, body, credentials.private_key_id ?? ''].filter((value) => value.length >= 8);
    }
    case 'external_account': {
      const headers = Object.values(credentials.credential_source.headers ?? {});
      const tokens = headers.map((value) => value.replace(/^\s*(?:bearer|basic)\s+/i, ''));
      return [...headers, ...tokens, credentials.client_secret ?? ''].filter((value) => value.length >= 8);
    }
    case 'authorized_user':
      return [credentials.client_secret, credentials.refresh_token];
  }
}

/** The project the file itself names, the last place the project is looked for. */
export function credentialsProject(credentials: GoogleCredentials): string | undefined {
  if (credentials.type === 'service_account') return credentials.project_id || undefined;
  return credentials.quota_project_id || undefined;
}
