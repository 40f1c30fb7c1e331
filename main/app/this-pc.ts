/**
 * Picks the Host for "this PC": WindowsHost on Windows; none elsewhere, where the app offers the
 * training machines instead (services.ts makes a training machine the default then).
 */
import type { Host } from '../host/host.ts'
import { createWindowsHost } from '../host/windows-host.ts'

export function selectThisPcHost(platform: NodeJS.Platform, elevated: boolean): (() => Host) | undefined {
  if (platform !== 'win32') return undefined
  return () => createWindowsHost({ platform, elevated })
}
