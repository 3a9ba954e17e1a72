/** GitHub.com's image hosts: attachments uploaded before user-attachments, and the signed URLs private attachments redirect to. */
const GITHUB_IMAGE_HOSTS = ['user-images.githubusercontent.com', 'private-user-images.githubusercontent.com'];

/** Paths GitHub serves uploaded attachments under, on the server's own host. */
const ATTACHMENT_PATHS = [/^\/user-attachments\/assets\/[\w-]+\/?$/, /^\/[\w.-]+\/[\w.-]+\/assets\/[\w/.-]+$/];

/**
 * Which URLs are GitHub attachments, derived from the run's server URL
 * (github.com, or a GitHub Enterprise Server, whose attachments live on its
 * own host under the same paths). Everything else is never fetched.
 */
export class AttachmentHosts {
  private readonly server: URL;

  constructor(serverUrl: string) {
    this.server = new URL(serverUrl);
  }

  /** A link in the request we may fetch: an attachment path on the server itself, or GitHub.com's image hosts. */
  isAttachment(raw: string): boolean {
    const url = parse(raw);
    if (!url || !this.schemeAllowed(url)) return false;
    if (url.origin === this.server.origin) return ATTACHMENT_PATHS.some((pattern) => pattern.test(url.pathname));
    return this.onGitHubCom() && GITHUB_IMAGE_HOSTS.includes(url.hostname) && url.protocol === 'https:';
  }

  /**
   * Where a redirect may lead: an attachment, the server's host by name
   * (a server's signed image URLs), or GitHub.com's image hosts.
   */
  mayRedirectTo(raw: string): boolean {
    const url = parse(raw);
    if (!url || !this.schemeAllowed(url)) return false;
    return this.isAttachment(raw) || url.hostname === this.server.hostname || (this.onGitHubCom() && GITHUB_IMAGE_HOSTS.includes(url.hostname));
  }

  /** The token goes to the GitHub server itself, never to another origin (a signed URL carries its own authority). */
  sendsToken(raw: string): boolean {
    return parse(raw)?.origin === this.server.origin;
  }

  private onGitHubCom(): boolean {
    return this.server.hostname === 'github.com';
  }

  /** https, or http only when the server itself is http (a server on a private network, the tests' fake). */
  private schemeAllowed(url: URL): boolean {
    return url.protocol === 'https:' || (url.protocol === 'http:' && this.server.protocol === 'http:');
  }
}

function parse(raw: string): URL | undefined {
  try {
    const url = new URL(raw);
    return url.username || url.password ? undefined : url;
  } catch {
    return undefined;
  }
}
