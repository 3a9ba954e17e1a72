import type { ClientOptions } from '@anthropic-ai/sdk';

/** How the key is sent, and the headers a gateway requires (`anthropic_auth`, `anthropic_headers`). */
export interface Gateway {
  auth: 'x-api-key' | 'bearer';
  headers: Record<string, string>;
}

/**
 * The client's credential options. This SDK sends `apiKey` as a bearer token;
 * the Messages API documents `x-api-key`, and some gateways accept only one of
 * the two, so the choice is the workflow's. Every client we make (the run's,
 * the doctor's) takes its credential from here.
 */
export function credentialOptions(apiKey: string, gateway?: Gateway): Pick<ClientOptions, 'apiKey' | 'authToken' | 'defaultHeaders'> {
  const headers = gateway?.headers ?? {};
  if (gateway?.auth === 'bearer') return { apiKey, defaultHeaders: headers };
  // Authorization: null keeps the SDK from adding a bearer header of its own (or asking the environment for one).
  return { apiKey: null, authToken: null, defaultHeaders: { ...headers, 'X-Api-Key': apiKey, Authorization: null } };
}
