/**
 * Which Chromium the browser tests drive: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the one
 * @sparticuz/chromium brings through npm (Linux x64), so `npm test` needs no system package.
 */
import { existsSync } from 'node:fs'

export const chromiumArgs = [
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-sandbox',
]

export async function chromiumExecutable(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium'
  const mod = (await import('@sparticuz/chromium')) as unknown as { default: { executablePath(): Promise<string> } }
  return mod.default.executablePath()
}
