// ACP versions this server speaks, chosen per request by the API-Version header (acp.md §0, §7;
// docs/decisions/0021). One internal model; each version is a request reader plus a serializer.
import { errors } from "./errors";

export const V2026_04_17 = "2026-04-17";
export const V2025_09_29 = "2025-09-29";

/** Newest first, as the version error's `supported_versions` wants them. */
export const SUPPORTED_VERSIONS = [V2026_04_17, V2025_09_29] as const;
export type AcpVersion = (typeof SUPPORTED_VERSIONS)[number];

/** OpenAI's docs label the 2025-09-29 shapes "2025-09-12"; it is the same API. */
const ALIASES: Record<string, AcpVersion> = { "2025-09-12": V2025_09_29 };

export function negotiateVersion(header: string | null): AcpVersion {
  const value = header?.trim();
  if (!value) throw errors.missingVersion([...SUPPORTED_VERSIONS]);
  if ((SUPPORTED_VERSIONS as readonly string[]).includes(value)) return value as AcpVersion;
  const alias = ALIASES[value];
  if (alias) return alias;
  throw errors.unsupportedVersion(value, [...SUPPORTED_VERSIONS]);
}

/** 2026-04-17 made Idempotency-Key mandatory on every POST; before it was a SHOULD (acp.md §2.4). */
export function idempotencyKeyRequired(version: AcpVersion): boolean {
  return version >= V2026_04_17;
}
