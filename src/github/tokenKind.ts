export type TokenKind = 'none' | 'installation' | 'classic' | 'fine-grained' | 'oauth' | 'user-to-server' | 'other';

/** The token's kind from its prefix (GitHub documents ghp_, github_pat_, gho_, ghu_, ghs_). */
export function tokenKind(token: string): TokenKind {
  if (token === '') return 'none';
  if (token.startsWith('ghs_')) return 'installation';
  if (token.startsWith('ghp_')) return 'classic';
  if (token.startsWith('github_pat_')) return 'fine-grained';
  if (token.startsWith('gho_')) return 'oauth';
  if (token.startsWith('ghu_')) return 'user-to-server';
  return 'other';
}
