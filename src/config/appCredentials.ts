import { createPrivateKey } from 'node:crypto';
import type { z } from 'zod';

export interface AppCredentials {
  appId: string;
  privateKey: string;
}

/**
 * app_id and app_private_key, which only work together. The key is checked
 * to parse as a PEM private key here, before anything runs; messages give
 * its length and shape, never its text.
 */
export function appCredentials(appId: string, rawKey: string, ctx: z.RefinementCtx): AppCredentials | undefined {
  // Secrets pasted into the UI often come with \r\n or literal "\n" sequences.
  const privateKey = rawKey.trim().replace(/\r\n/g, '\n').replace(/\\n/g, '\n');
  if (appId === '' && privateKey === '') return undefined;
  if (appId === '' || privateKey === '') {
    const missing = appId === '' ? 'app_id' : 'app_private_key';
    ctx.addIssue({
      code: 'custom',
      message: `app_id and app_private_key must be set together (a GitHub App's id and its private key), got ${missing} empty and ${missing === 'app_id' ? 'app_private_key' : 'app_id'} set`,
    });
    return undefined;
  }
  let problem: string | undefined;
  if (!/^(\d+|Iv[0-9A-Za-z.]+)$/.test(appId))
    problem = `app_id must be a GitHub App's id (a whole number such as 123456) or client id (Iv…), got ${JSON.stringify(appId)}`;
  else if (!parsesAsPrivateKey(privateKey))
    problem = `app_private_key must be a PEM private key (the .pem file GitHub gives for the app, "-----BEGIN RSA PRIVATE KEY-----" …), got ${privateKey.length} characters that do not parse as one (the value is not shown)`;
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return undefined;
  }
  return { appId, privateKey };
}

function parsesAsPrivateKey(text: string): boolean {
  if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return false;
  try {
    createPrivateKey({ key: text, format: 'pem' });
    return true;
  } catch {
    return false;
  }
}
