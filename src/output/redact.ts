/**
 * Secrets never reach output. Every string that leaves the process through the output
 * module passes through `redact`, which removes passwords embedded in connection URLs and
 * any secret registered with `registerSecret` (the resolved database password).
 */
const secrets = new Set<string>();

/** Remember a secret so that it is scrubbed from all later output. */
export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= 3) secrets.add(secret);
}

/** Replace the password of a postgres:// URL with `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
  }
}

/** Scrub URL passwords, `password=` pairs and registered secrets from any text. */
export function redact(text: string): string {
  let out = text
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@')
    .replace(/(password\s*[=:]\s*)('[^']*'|"[^"]*"|\S+)/gi, '$1***')
    // SQL such as CREATE ROLE … PASSWORD 'x', as --debug would log it.
    .replace(/(password\s+)('(?:[^']|'')*')/gi, "$1'***'");
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}
