import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks presented API keys against the configured ones in constant time. Keys are hashed
 * first so every comparison has the same length, and every configured key is compared, so the
 * time taken reveals neither which key matched nor how much of one did.
 */
export class ApiKeyCheck {
  private readonly digests: readonly Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digestOf);
  }

  /** True when keys are configured, so clients must present one. */
  get required(): boolean {
    return this.digests.length > 0;
  }

  accepts(presented: string | undefined): boolean {
    if (!this.required) {
      return true;
    }

    const digest = digestOf(presented ?? '');
    let matched = false;

    for (const candidate of this.digests) {
      matched = timingSafeEqual(candidate, digest) || matched;
    }

    return matched && presented !== undefined && presented.length > 0;
  }

  /** Checks an `Authorization: Bearer KEY` header value. */
  acceptsHeader(header: string | undefined): boolean {
    return this.accepts(bearerToken(header));
  }
}

/** Returns the token of an `Authorization: Bearer TOKEN` header, or undefined for any other form. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) {
    return undefined;
  }

  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);

  return match === null ? undefined : match[1];
}

function digestOf(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
