/**
 * Reads the process's integrity level from `whoami /groups /fo csv /nh`.
 *
 * The "Mandatory Label" group's SID names the level, whatever the display language:
 * S-1-16-4096 low, S-1-16-8192 medium, S-1-16-8448 medium plus, S-1-16-12288 high (elevated),
 * S-1-16-16384 system (https://learn.microsoft.com/en-us/windows/win32/secauthz/well-known-sids).
 * Pure and total: null when no mandatory label is present.
 */
export type IntegrityLevel = 'untrusted' | 'low' | 'medium' | 'high' | 'system'

export function parseIntegrityLevel(text: string): IntegrityLevel | null {
  if (typeof text !== 'string') return null
  const m = text.match(/S-1-16-(\d+)/)
  if (!m) return null
  const rid = Number.parseInt(m[1], 10)
  if (rid >= 16384) return 'system'
  if (rid >= 12288) return 'high'
  if (rid >= 8192) return 'medium'
  if (rid >= 4096) return 'low'
  return 'untrusted'
}

/** Administrator rights in effect: high or system integrity. */
export function isElevatedLevel(level: IntegrityLevel | null): boolean {
  return level === 'high' || level === 'system'
}
