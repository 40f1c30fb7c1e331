import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { loadFixture } from '../../fixtures/load.ts'
import { analyzeCbsLogText, primaryEpisode, codeOfLine, parsePackageIdentity } from '../../../main/parse/cbs-log.ts'

describe('CBS.log analysis (captured excerpts from Microsoft articles)', () => {
  it('0x800f0922: finds the first error (0x80070002 in the Task Scheduler installer), the failed installer and the outcome', () => {
    const a = analyzeCbsLogText(loadFixture('cbs-log/0x800f0922-scheduled-task.log').text)
    const ep = primaryEpisode(a)!
    expect(ep.outcomeCode).toBe('0x800F0922')
    expect(ep.firstError).toMatchObject({ code: '0x80070002', line: 14 })
    expect(ep.firstError!.text).toContain('RegisterTask failed 0x80070002')
    expect(ep.errorCount).toBeGreaterThan(5)
    expect(ep.rollback).toBe(true)
    expect(ep.phase).toMatch(/startupPhase 0/)
    expect(a.failedInstallers).toEqual([{ installer: 'Task Scheduler', code: '0x80070002', line: 25 }])
    expect(a.timeline.map((t) => t.what).join('\n')).toMatch(
      /First error 0x80070002[\s\S]*Task Scheduler[\s\S]*0x800F0922/,
    )
  })

  it('0x800f0831: missing manifest, the WER failure report names the package and phase', () => {
    const a = analyzeCbsLogText(loadFixture('cbs-log/0x800f0831-manifest-missing.log').text)
    const ep = primaryEpisode(a)!
    expect(a.missingManifests[0]).toMatchObject({ package: '\\<Missing_Package>', line: 1 })
    expect(ep).toMatchObject({
      outcomeCode: '0x800F0831',
      failingPackage: '\\<Failed_Package>',
      phase: 'Execute (Staged → Installed)',
    })
    expect(ep.firstError).toMatchObject({ code: '0x800F0831', name: 'CBS_E_STORE_CORRUPTION', line: 2 })
  })

  it('KB947821 summary: CSI Payload Corrupt, CBS MUM Missing and the operation result', () => {
    const a = analyzeCbsLogText(loadFixture('cbs-log/kb947821-checksur-summary.log').text)
    expect(a.corruptPayloads).toEqual([
      {
        component:
          'amd64_microsoft-windows-a..modernappmanagement_31bf3856ad364e35_10.0.19045.3636_none_23b3b3ece690d77b',
        file: 'EnterpriseModernAppMgmtCSP.dll',
        fixed: false,
        line: 2,
      },
    ])
    expect(a.missingManifests[0]!.package).toBe(
      'Microsoft-Windows-Client-Features-Package~31bf3856ad364e35~amd64~~10.0.19045.4291',
    )
    expect(a.summary).toMatchObject({ operation: 'Detect and Repair', result: '0x800F081F', detected: 2, repaired: 1 })
  })

  it('0x80070002: CSI bare codes and Win32 "error code 2" lines', () => {
    const a = analyzeCbsLogText(loadFixture('cbs-log/0x80070002-symptoms.log').text)
    expect(a.errors[0]).toMatchObject({ code: '0x80070002', line: 2 })
    expect(a.codeCounts['0x80070002']).toBeGreaterThanOrEqual(3)
  })

  it('0x800f0823: servicing stack versions and the package', () => {
    const a = analyzeCbsLogText(loadFixture('cbs-log/0x800f0823-servicing-stack.log').text)
    expect(a.servicingStack).toMatchObject({ required: '10.0.14393.5285', current: '10.0.14393.4349' })
    expect(primaryEpisode(a)).toMatchObject({
      outcomeCode: '0x800F0823',
      failingPackage: 'Package_for_KB5012170~31bf3856ad364e35~amd64~~14393.5285.1.4',
    })
    expect(a.errors[0]).toMatchObject({ time: '2023-09-04 15:01:53', level: 'Error' })
  })

  it('reads codes from each line form', () => {
    expect(codeOfLine('x [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]')).toEqual({
      code: '0x800F0922',
      name: 'CBS_E_INSTALLERS_FAILED',
    })
    expect(codeOfLine('AI failed. HRESULT = HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)').code).toBe('0x80070002')
    expect(codeOfLine('nothing here')).toEqual({ code: null, name: null })
    // Vista-era CBS prints 'hr: 0x…' with a space (real log: corpus/cbs-log/en-vista-driver-queue-0x800705aa-caret-m.log).
    expect(codeOfLine('Doqe: Failed processing queue with hr: 0x800705aa').code).toBe('0x800705AA')
    expect(
      analyzeCbsLogText(loadFixture('corpus/cbs-log/en-vista-driver-queue-0x800705aa-caret-m.log').text).errors[0]
        ?.code,
    ).toBe('0x800705AA')
    // 'The store corruption status report is incomplete. [HRESULT = 0x80070002]' at Info is bookkeeping, not a failure.
    const startup = analyzeCbsLogText(
      loadFixture('corpus/cbs-log/en-19041-startup-enablement-packages-installed.log').text,
    )
    expect(startup.errorCount).toBe(0)
    expect(primaryEpisode(startup)).toBeNull()
    expect(parsePackageIdentity('Package_for_KB5043080~31bf3856ad364e35~arm64~~26100.1742.1.10')).toMatchObject({
      kb: 'KB5043080',
      arch: 'arm64',
      version: '26100.1742.1.10',
    })
  })

  it('empty, binary and garbage text give an empty analysis, never a throw', () => {
    expect(primaryEpisode(analyzeCbsLogText(''))).toBeNull()
    expect(analyzeCbsLogText(undefined as unknown as string).errorCount).toBe(0)
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (s) => {
        analyzeCbsLogText(s)
      }),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'Error CBS ',
            '[HRESULT = 0x',
            'WER: Generating failure report for package: ',
            '(p) CSI Payload Corrupt (n) ',
            'Session: 1 initialized by client X',
            '\n',
            'Checking System Update Readiness',
            'Operation result: 0x',
          ),
        ),
        (parts) => {
          analyzeCbsLogText(parts.join(''))
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('analyze kind cbs-log', () => {
  it('detects CBS text and reports facts.errors as {code, name, line, text}, the first error and the cascade', async () => {
    const { analyzeText } = await import('../../../main/analyze/analyze.ts')
    const r = analyzeText(loadFixture('cbs-log/0x800f0922-scheduled-task.log').text)
    expect(r.kind).toBe('cbs-log')
    const errors = r.facts.errors as { code: string | null; name: string | null; line: number; text: string }[]
    expect(Object.keys(errors[0]!).sort()).toEqual(['code', 'line', 'name', 'text'])
    expect(r.facts.firstError).toMatchObject({ code: '0x80070002', name: 'ERROR_FILE_NOT_FOUND', line: 14 })
    expect(r.facts.outcomeCode).toBe('0x800F0922')
    expect(r.facts.cascadeCount).toBeGreaterThan(5)
    expect(r.findings.map((f) => f.id)).toEqual(['cbs-first-error', 'cbs-installer-failed'])
    const sum = analyzeText(loadFixture('cbs-log/kb947821-checksur-summary.log').text)
    expect(sum.kind).toBe('cbs-log')
    expect(sum.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['cbs-payload-corrupt', 'cbs-manifest-missing']),
    )
  })
})
