import picomatch from 'picomatch';

/** A matcher for `protected_paths` globs: the agent may read these paths but never change them. */
export function protectedMatcher(globs: string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const match = picomatch(globs, { dot: true });
  // `.git/**` should also cover `.git` itself and nested repositories' `.git` folders.
  return (path) => match(path) || match(`${path}/`) || globs.some((glob) => glob.endsWith('/**') && path === glob.slice(0, -3));
}
