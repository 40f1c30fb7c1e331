/**
 * On real Windows (WindowsHost): the data folder guard creates a folder with SYSTEM + Administrators only,
 * owner Administrators, reads it back with Get-Acl and passes it; a folder that inherits %TEMP%'s access list
 * (the current user may write) is refused with the icacls fix. The package signature checker accepts a file
 * Microsoft signed and refuses an unsigned one. Elevation is needed to set an owner: without it the
 * creation case says so and checks the refusal instead. Elsewhere the suite skips with a note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWindowsHost } from '../../main/host/windows-host.ts'
import { detectElevation } from '../../main/host/this-pc.ts'
import { guardDataDir, DataDirRefused } from '../../main/security/data-dir-guard.ts'
import { windowsPackageSignatureChecker } from '../../main/security/package-signature.ts'
import { noteSkipped, onWindows } from './on-windows.ts'

noteSkipped('the data folder ACL and package signature tests')

describe.skipIf(!onWindows)('data folder ACL and package signatures on Windows', () => {
  const host = createWindowsHost()
  let dir = ''
  let elevated = false
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sd-acl-'))
    elevated = await detectElevation(host)
  })
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => {})
  })

  it('a new data folder gets SYSTEM + Administrators only and passes its own check', async () => {
    const data = join(dir, 'ServicingDesk')
    if (!elevated) {
      await expect(guardDataDir({ dir: data, platform: 'win32', host, elevated })).rejects.toThrow(
        /start Servicing Desk once as administrator/,
      )
      return
    }
    expect(await guardDataDir({ dir: data, platform: 'win32', host, elevated })).toEqual({
      created: true,
      checked: 'acl',
    })
    expect(await guardDataDir({ dir: data, platform: 'win32', host, elevated })).toEqual({
      created: false,
      checked: 'acl',
    })
  }, 120_000)

  it('a folder with the inherited access list of %TEMP% is refused, naming icacls', async () => {
    const open = join(dir, 'inherited')
    await mkdir(open)
    await writeFile(join(open, 'x.txt'), 'x')
    const err = await guardDataDir({ dir: open, platform: 'win32', host, elevated: true }).catch((e) => e)
    expect(err).toBeInstanceOf(DataDirRefused)
    expect(err.message).toMatch(/icacls .* \/setowner \*S-1-5-32-544/)
  }, 120_000)

  it('Get-AuthenticodeSignature through the Host: a Microsoft-signed file passes, an unsigned one does not', async () => {
    const checker = windowsPackageSignatureChecker(host)
    const signed = join(
      process.env.SystemRoot ?? 'C:\\Windows',
      'System32',
      'WindowsPowerShell',
      'v1.0',
      'powershell.exe',
    )
    expect(await checker.check(signed)).toMatchObject({ ok: true, signer: expect.stringMatching(/Microsoft/) })
    const unsigned = join(dir, 'unsigned.msu')
    await writeFile(unsigned, Buffer.alloc(4096, 7))
    const r = await checker.check(unsigned)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.reason).toMatch(/NotSigned|UnknownError/)
  }, 120_000)
})
