/**
 * Hosts the agent's commands may reach when `network: allowlist`: the common package
 * registries (so `npm ci`, `pip install`, `go mod download`, `cargo fetch` work) and
 * the repository's own GitHub host. Not the model's API: the agent never needs it.
 */
const DEFAULT_ALLOWED_HOSTS = [
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'pypi.org',
  'files.pythonhosted.org',
  'proxy.golang.org',
  'sum.golang.org',
  'index.crates.io',
  'static.crates.io',
  'crates.io',
  'rubygems.org',
  'index.rubygems.org',
  'repo.maven.apache.org',
  'repo1.maven.org',
  'plugins.gradle.org',
  'services.gradle.org',
  'api.nuget.org',
  'deb.debian.org',
  'archive.ubuntu.com',
  'security.ubuntu.com',
];

/** The default list plus the repository's GitHub host and the workflow's `allowed_hosts`. */
export function allowedHosts(opts: { serverUrl: string; extra: string[] }): string[] {
  const github = new URL(opts.serverUrl).hostname;
  const githubHosts = github === 'github.com' ? ['github.com', 'codeload.github.com', 'objects.githubusercontent.com'] : [github];
  return [...new Set([...DEFAULT_ALLOWED_HOSTS, ...githubHosts, ...opts.extra.map(normalizeHost)])];
}

/**
 * Whether `host` is on the list: an entry matches itself exactly, and `*.example.com`
 * matches any subdomain of example.com (not example.com itself). Names compare in lower
 * case with any trailing dot removed, so `Registry.NPMJS.org.` is the registry.
 */
export function hostAllowed(host: string, allowed: string[]): boolean {
  const name = normalizeHost(host);
  if (name === '') return false;
  return allowed.some((entry) => {
    const pattern = normalizeHost(entry);
    return pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1 : name === pattern;
  });
}

function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '');
}
