/**
 * The Microsoft signature check on real Windows (Get-AuthenticodeSignature through WindowsHost): a file
 * Microsoft signed is valid with a Microsoft signer; the same file with one byte changed, and an unsigned
 * file, are invalid with the reason. Elsewhere the suite skips with a note (unit tests cover the parser).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWindowsHost } from '../../main/host/windows-host.ts'
import { signatureCheckerFor, windowsSignatureChecker } from '../../main/download/signature.ts'
import { noteSkipped, onWindows } from './on-windows.ts'

noteSkipped('the Authenticode signature tests')

describe.skipIf(!onWindows)('Microsoft signature check on Windows', () => {
  const host = createWindowsHost()
  const checker = windowsSignatureChecker(host)
  // Embedded-signed by Microsoft on every Windows 10/11 (x64 and ARM64).
  const signed = join(
    process.env.SystemRoot ?? 'C:\\Windows',
    'System32',
    'WindowsPowerShell',
    'v1.0',
    'powershell.exe',
  )
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sd-sig-'))
  })
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('accepts a file Microsoft signed, naming the signer', async () => {
    const r = await checker.check(signed)
    expect(r).toMatchObject({ status: 'valid', signer: expect.stringMatching(/Microsoft/) })
  })

  it('refuses the same file with one byte changed (hash mismatch)', async () => {
    const copy = join(dir, 'tampered.exe')
    await copyFile(signed, copy)
    const fh = await open(copy, 'r+')
    try {
      // A byte inside the code (past the headers), not inside the signature blob.
      const buf = Buffer.alloc(1)
      await fh.read(buf, 0, 1, 4096)
      buf[0] ^= 0xff
      await fh.write(buf, 0, 1, 4096)
    } finally {
      await fh.close()
    }
    const r = await checker.check(copy)
    expect(r.status).toBe('invalid')
  })

  it('refuses an unsigned file, and a path with quotes in it is passed as one literal', async () => {
    const odd = join(dir, "it's ‘odd’ $(whoami).msu")
    await writeFile(odd, 'not a package')
    const r = await checker.check(odd)
    expect(r).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/NotSigned|UnknownError|not signed/i) })
  })

  it('is what the app uses on this PC', async () => {
    const { thisPcHostFor } = await import('../../main/host/this-pc.ts')
    const { thisPcHost } = await thisPcHostFor()
    expect(thisPcHost).toBeDefined()
    const r = await signatureCheckerFor(thisPcHost!(), 'win32').check(signed)
    expect(r.status).toBe('valid')
  })
})
