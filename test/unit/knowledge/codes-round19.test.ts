/**
 * Codes the knowledge did not hold, added from Microsoft's own pages (System Error Codes, COM and WMI error constants,
 * NTSTATUS values, WinHTTP errors, the app package deployment errors, the Sysprep article on per-user apps, the article
 * on error 0x80070103): each is known, named as Microsoft names it, cited, and the ones that report no failure to fix
 * is a warning with nothing to repair, not an error.
 */
import { describe, expect, it } from 'vitest'
import { explain } from '../../../main/knowledge/error-explain.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const ok = (code: string) => {
  const r = explain(code)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

const NAMED: [string, string][] = [
  ['0x80073D01', 'ERROR_DEPLOYMENT_BLOCKED_BY_POLICY'],
  ['0x80073CF2', 'ERROR_INSTALL_INVALID_PACKAGE'],
  ['0x80070001', 'ERROR_INVALID_FUNCTION'],
  ['0x80080005', 'CO_E_SERVER_EXEC_FAILURE'],
  ['0x80070052', 'ERROR_CANNOT_MAKE'],
  ['0x80070032', 'ERROR_NOT_SUPPORTED'],
  ['0x80072F78', 'ERROR_WINHTTP_INVALID_SERVER_RESPONSE'],
  ['0x80070066', 'ERROR_SEM_IS_SET'],
  ['0x80020010', 'DISP_E_BADCALLEE'],
  ['0xC0000135', 'STATUS_DLL_NOT_FOUND'],
  ['0x80070103', 'ERROR_NO_MORE_ITEMS'],
  ['0xC0190003', 'STATUS_TRANSACTION_NOT_ACTIVE'],
  ['0x8004402F', 'WBEMMOF_E_ERROR_CREATING_TEMP_FILE'],
  // E_NOINTERFACE (0x80004002) moved to the meaning-only list in round 21: a generic COM status any program returns,
  // no cause of a servicing failure (unknown-code-story.test.ts checks that list).
]

describe('explain: codes the knowledge did not hold before round 19', () => {
  it('each is known, named as Microsoft names it, verified, with a source a person can open', () => {
    for (const [code, name] of NAMED) {
      const v = ok(code)
      expect(v, code).toMatchObject({ known: true, name, verified: true })
      expect(v.sources.length, code).toBeGreaterThan(0)
      expect(v.causes.length, code).toBeGreaterThan(0)
    }
  })

  it('0x80073CF2 names the Sysprep case Microsoft documents: an app installed for a user, not provisioned for all', () => {
    expect(ok('0x80073CF2').causes.join(' ')).toMatch(/Sysprep/)
    expect(ok('0x80073CF2').sources.map((s) => s.key)).toContain('S-KB2769827')
  })

  it('0x80070103 on a driver is a warning with nothing to repair, not an error (Microsoft: safe to ignore)', () => {
    const out = diagnose({ text: 'Windows Update: Intel display driver - Install error 0x80070103' })
    const f = out.findings.find((x) => x.id === 'code-0x80070103')
    expect(f?.severity).toBe('warning')
    expect(f?.causes.join(' ')).toMatch(/safely ignored/)
    expect(f?.title).not.toMatch(/does not hold/)
  })
})

describe('0x80073CF2 beside Sysprep and an app left installed for one user: the cause, not only the code', () => {
  it('diagnose ranks sysprep-failed first (KB2769827), the code finding after it', () => {
    const text =
      'Generalize stopped. Sysprep reports 0x80073CF2 after the Store updated an app package for my account only; it is not provisioned for all users.'
    const out = diagnose({ text })
    const top = out.findings.filter((f) => f.severity !== 'info')
    expect(top[0]?.id).toBe('sysprep-failed')
    expect(top.map((f) => f.id)).toContain('code-0x80073CF2')
  })
})

describe('0x80072F78 (WinHTTP: the server response could not be parsed) is a download source the PC cannot use', () => {
  it('diagnose answers update-source-unreachable, not only the code', () => {
    const out = diagnose({
      text: 'Windows Update fails to download every update with error 0x80072F78 behind our proxy.',
    })
    expect(out.findings.filter((f) => f.severity !== 'info')[0]?.id).toBe('update-source-unreachable')
  })
})
