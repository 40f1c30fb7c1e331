/** On Windows, the CLI inspects this PC through WindowsHost; elsewhere there is no "this PC" host. */
import type { Host } from '../host/host.ts'

export async function thisPcHostFactory(platform: NodeJS.Platform = process.platform): Promise<(() => Host) | undefined> {
  if (platform !== 'win32') return undefined
  const modulePath = '../host/windows-host.ts'
  const mod = (await import(modulePath)) as { createWindowsHost: () => Host }
  return () => mod.createWindowsHost()
}
