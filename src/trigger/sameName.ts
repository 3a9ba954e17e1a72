/**
 * Whether two GitHub logins or label names are the same. GitHub treats both
 * without regard to case (`NightShift` is the label `nightshift`, and the
 * example workflows' `if:` comparisons agree), so a job that starts must not
 * then skip or refuse because of case.
 */
export function sameName(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
