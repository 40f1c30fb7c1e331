/**
 * The Host for "this PC": WindowsHost on Windows, told whether the process is elevated; none elsewhere,
 * where the app and the CLI offer the training machines instead (services.ts makes one the default).
 * The Electron app and the CLI both build it here, so both know the PC's real administrator rights.
 */
import type { Host } from './host.ts'
import { createWindowsHost } from './windows-host.ts'
import { isElevatedLevel, parseIntegrityLevel } from '../parse/whoami-groups.ts'

/** Asks Windows for this process's integrity level; false when it cannot tell. */
export async function detectElevation(host: Host): Promise<boolean> {
  try {
    const r = await host.run({
      name: 'app.whoami-groups',
      file: 'whoami.exe',
      args: ['/groups', '/fo', 'csv', '/nh'],
      timeoutMs: 15_000,
      outputEncoding: 'console',
    })
    return r.ok && isElevatedLevel(parseIntegrityLevel(r.stdout))
  } catch {
    return false
  }
}

export function selectThisPcHost(platform: NodeJS.Platform, elevated: boolean): (() => Host) | undefined {
  if (platform !== 'win32') return undefined
  return () => createWindowsHost({ platform, elevated })
}

/** This PC's Host factory with elevation detected once; undefined off Windows. */
export async function thisPcHostFor(
  platform: NodeJS.Platform = process.platform,
): Promise<{ thisPcHost: (() => Host) | undefined; elevated: boolean }> {
  if (platform !== 'win32') return { thisPcHost: undefined, elevated: false }
  const elevated = await detectElevation(createWindowsHost({ platform }))
  return { thisPcHost: selectThisPcHost(platform, elevated), elevated }
}
