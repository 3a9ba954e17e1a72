/** Shapes of credentials worth masking even when we were never told their value. */
const TOKEN_SHAPES = [
  // GitHub: personal (ghp_), OAuth (gho_), user-to-server (ghu_), server-to-server (ghs_), refresh (ghr_), fine-grained.
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g,
  /\bsk-ant-[A-Za-z0-9_-]{20,}/g,
  // AWS access key ids: long-lived (AKIA) and temporary (ASIA).
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  // A key cut off before its END line (a capped output) is still masked, to the end of the text.
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
];

export type Redactor = (text: string) => string;

/**
 * One redactor for everything the run publishes: every known secret value
 * (longest first, so a secret containing another is masked whole) and
 * common token shapes become `***`.
 */
export function createRedactor(secrets: Array<string | undefined>): Redactor {
  const values = [...new Set(secrets.filter((value): value is string => !!value && value.length >= 6))].sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const value of values) result = result.split(value).join('***');
    for (const shape of TOKEN_SHAPES) result = result.replace(shape, '***');
    return result;
  };
}
