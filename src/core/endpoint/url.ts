/**
 * The one URL helper: every endpoint and retriever URL is parsed, joined and redacted here, so the
 * endpoint, the retriever, the CLI and the extension agree on what is accepted and on what a printed,
 * logged or stored URL may show.
 */
import { UrlError } from '../errors';

/**
 * Query parameters that carry credentials (api_key, key, token, access_token, password, secret, sig,
 * X-Amz-Signature, …): their values never leave this module in clear. Matching on part of the name
 * errs on the side of hiding a harmless value.
 */
const CREDENTIAL_PARAM = /key|token|secret|passw|pwd|auth|sig|credential|session|cookie/i;

const REDACTED = '***';

/** Parses `raw` as an http(s) URL; anything else (ftp:, file:, not a URL) is refused with a UrlError. */
export function parseHttpUrl(raw: string, what = 'the URL'): URL {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new UrlError(`${what} "${redactUrl(raw)}" is not a URL`, 'give it as http://host:port/path');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new UrlError(`${what} "${redactUrl(raw)}" uses ${u.protocol}, not http: or https:`, 'give it as http://host:port/path');
  }
  return u;
}

/** `base` with `path` appended to its path (one slash between), keeping its query string and credentials. */
export function joinUrlPath(base: string | URL, path: string): URL {
  const u = new URL(base.toString());
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return u;
}

/** The URL without user:password and with credential-like query values replaced by `***`; no trailing slash. */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(url.toString());
  } catch {
    return redactLooseUrl(String(url));
  }
  u.username = '';
  u.password = '';
  for (const k of new Set(u.searchParams.keys())) if (CREDENTIAL_PARAM.test(k)) u.searchParams.set(k, REDACTED);
  return u.toString().replace(/\/$/, '').replace(/\*\*\*|%2A%2A%2A/g, REDACTED);
}

/** A string that does not parse as a URL, redacted by pattern: userinfo and credential-like parameters. */
function redactLooseUrl(s: string): string {
  return s
    .replace(/(\/\/)[^@/?#\s]*@/g, '$1')
    .replace(/([?&;])([^=&#\s]*)=([^&#\s]*)/g, (m, sep: string, k: string) => (CREDENTIAL_PARAM.test(k) ? `${sep}${k}=${REDACTED}` : m));
}

/** What the SDK client needs from a base URL: the URL without credentials or query, the query, and Basic auth. */
export interface ClientUrl {
  /** Scheme, host and path, without userinfo, query or trailing slash. */
  base: string;
  /** The query string's parameters, sent with every request (`/v1?api_key=…` keeps working). */
  query: Record<string, string>;
  /** `Basic …` from the URL's user:password: fetch refuses URLs that carry them. */
  basicAuth?: string;
  /** The raw secrets in the URL (password, user, their Basic form, credential parameter values), for scrubbing texts. */
  secrets: string[];
}

export function clientUrl(raw: string): ClientUrl {
  const u = parseHttpUrl(raw, 'the endpoint URL');
  const query: Record<string, string> = {};
  for (const [k, v] of u.searchParams) query[k] = v;
  const secrets = urlSecrets(u);
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  const basicAuth = user || pass ? `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` : undefined;
  const bare = new URL(u.toString());
  bare.username = '';
  bare.password = '';
  bare.search = '';
  bare.hash = '';
  return { base: bare.toString().replace(/\/+$/, ''), query, basicAuth, secrets };
}

/** The secret parts of a URL: user, password, user:password in base64, credential-like parameter values. */
export function urlSecrets(url: string | URL): string[] {
  let u: URL;
  try {
    u = new URL(url.toString());
  } catch {
    return [];
  }
  const out: string[] = [];
  const user = safeDecode(u.username);
  const pass = safeDecode(u.password);
  if (user || pass) out.push(user, pass, u.username, u.password, Buffer.from(`${user}:${pass}`).toString('base64'));
  for (const [k, v] of u.searchParams) if (CREDENTIAL_PARAM.test(k)) out.push(v, encodeURIComponent(v));
  // A short fragment (a one-letter user) would shred every text it occurs in; such a "secret" protects nothing.
  return [...new Set(out.filter((s) => s.length >= 3))];
}

/**
 * A text for users (an error, a log line, a server's answer) with its secrets removed: every URL in
 * it redacted, `Bearer …`/`Basic …` credentials and the given secrets replaced by `***`.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi, (m) => redactUrl(m));
  out = out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{3,}/gi, `$1 ${REDACTED}`);
  // Longest first: a secret that contains another is replaced whole.
  for (const s of [...secrets].filter((x) => x.length >= 3).sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
