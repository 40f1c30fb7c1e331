/** openExternalSafely: https + allowlisted origin only; shell.openExternal is called from nowhere else. */
import { describe, expect, it, vi, beforeEach } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

const openExternal = vi.fn(async (_url: string, _opts?: unknown) => {})
vi.mock('electron', () => ({ shell: { openExternal } }))
const { openExternalSafely, checkExternalUrl } = await import('../../../main/app/security/open-external.ts')

beforeEach(() => openExternal.mockClear())

describe('openExternalSafely', () => {
  it.each([
    'file:///C:/Windows/System32/calc.exe',
    'javascript:alert(1)',
    'ms-settings:windowsupdate',
    'search-ms:query=calc',
    '\\\\attacker\\share\\x.exe',
    'http://support.microsoft.com/kb/5043080',
    'https://support.microsoft.com.attacker.com/',
    'https://user:pass@learn.microsoft.com/',
    'https://evil.example/?https://learn.microsoft.com',
    'https://catalog.update.microsoft.com/',
    'https://learn.microsoft.com:8443/',
    '',
    42,
    null,
  ])('refuses %s', async (url) => {
    expect(await openExternalSafely(url)).toBe(false)
    expect(openExternal).not.toHaveBeenCalled()
  })

  it('refuses a URL longer than 2048 characters', async () => {
    expect(await openExternalSafely(`https://learn.microsoft.com/${'a'.repeat(3000)}`)).toBe(false)
    expect(openExternal).not.toHaveBeenCalled()
  })

  it.each([
    'https://support.microsoft.com/help/5043080',
    'https://learn.microsoft.com/en-us/windows-hardware/manufacture/desktop/dism-operating-system-package-servicing-command-line-options',
    'https://www.catalog.update.microsoft.com/Search.aspx?q=KB5043080',
    'HTTPS://LEARN.MICROSOFT.COM/x',
  ])('opens %s once', async (url) => {
    expect(await openExternalSafely(url)).toBe(true)
    expect(openExternal).toHaveBeenCalledOnce()
    expect(openExternal.mock.calls[0][0]).toBe(checkExternalUrl(url))
  })
})

describe('shell.openExternal is called only by the helper', () => {
  it('appears in no other main/ or preload/ source file', () => {
    const root = join(import.meta.dirname, '../../..')
    const files: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.(ts|tsx)$/.test(name)) files.push(p)
      }
    }
    for (const d of ['main', 'preload', 'renderer']) walk(join(root, d))
    expect(files.length).toBeGreaterThan(100) // the walk saw the sources, so an empty result means something
    const offenders = files.filter(
      (f) =>
        /shell\s*\.\s*openExternal|openExternal\s*\}\s*from\s*'electron'/.test(readFileSync(f, 'utf8')) &&
        !f.endsWith(join('security', 'open-external.ts')),
    )
    expect(offenders.map((f) => f.slice(root.length))).toEqual([])
  })
})
