/**
 * Reading: repair-source failures feed the component-store finding; DISM's final HRESULT written
 * without 0x is read; setup logs are read by severity and by their final result (a warning is no error, a
 * cancel is a cancel, sysprep's Error lines are a sysprep failure); WSUS 404 is "update source unreachable".
 * Every text below is a real capture or a verbatim slice of one (its source beside it).
 */
import { describe, it, expect } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { analyzeDismLogText } from '../../../main/parse/dism-log.ts'
import { analyzeSetupLog } from '../../../main/parse/setup-log.ts'
import { analyzeCbsLogText, CBS_MARKERS } from '../../../main/parse/cbs-log.ts'
import { parseDismOutput, looksLikeDismOutput } from '../../../main/parse/dism-output.ts'
import { emptyLogs } from '../../../main/diagnose/rule.ts'
import { loadFixture } from '../../fixtures/load.ts'

const ids = (f: { id: string }[]) => f.map((x) => x.id)
const severe = (f: { severity: string }[]) => f.filter((x) => x.severity === 'error' || x.severity === 'critical')

describe('repair-source failures feed the component-store finding', () => {
  it('a DISM.log whose Enable-Feature failed with 0x800F0906 (corpus capture): component-store-corruption with that code, no bare code finding', () => {
    const logs = emptyLogs()
    logs.dism.push({
      source: 'DISM.log',
      analysis: analyzeDismLogText(loadFixture('corpus/dism-log/en-timestampless-netfx3-0x800f0906.log').text),
    })
    const { findings } = diagnose({ logs })
    const f = findings.find((x) => x.id === 'component-store-corruption')
    expect(f?.codes).toContain('0x800F0906')
    expect(f?.title).toMatch(/no repair source/)
    expect(ids(findings)).not.toContain('code-0x800F0906')
  })

  it('RestoreHealth failing with 0x800F0915 (Spanish console, Raphire/Win11Debloat#608): the finding with 0x800F0915', () => {
    const { findings } = diagnose({
      text: loadFixture('corpus/dism-output/es-restorehealth-0x800f0915-win11-25h2.txt').text,
    })
    expect(findings.find((x) => x.id === 'component-store-corruption')?.codes).toEqual(['0x800F0915'])
    expect(ids(findings)).not.toContain('code-0x800F0915')
  })

  it('sfc "found corrupt files but was unable to fix some of them" alone gives the store finding', () => {
    // Verbatim sfc verdict lines, as the public scripts that test for them quote them (search index ids 12924094491, 57773048286).
    for (const line of [
      'Windows Resource Protection found corrupt files but was unable to fix some of them.',
      'Der Windows-Ressourcenschutz hat beschädigte Dateien gefunden, konnte jedoch einige davon nicht reparieren.',
    ]) {
      const { findings } = diagnose({ text: `Beginning system scan.  This process will take some time.\n\n${line}\n` })
      expect(ids(findings), line).toContain('component-store-corruption')
    }
    const clean = diagnose({ text: 'Windows Resource Protection did not find any integrity violations.\n' })
    expect(ids(clean.findings)).not.toContain('component-store-corruption')
  })
})

describe('DISM.log: the final result without 0x', () => {
  // Lines of a real DISM.log (Enable-Feature failing, 2017): search index file id 4653903194.
  const text = [
    '2017-03-10 10:24:32, Error                 DISM   DISM Package Manager: PID=6108 TID=5192 Failed while processing command enable-feature. - CPackageManagerCLIHandler::ExecuteCmdLine(hr:0x800f0922)',
    '2017-03-10 10:24:32, Error                 DISM   DISM.EXE: DISM Package Manager processed the command line but failed. HRESULT=800F0922',
  ].join('\n')
  it('HRESULT=800F0922 is read as 0x800F0922 and is the outcome', () => {
    const a = analyzeDismLogText(text)
    expect(a.outcome?.code).toBe('0x800F0922')
    expect(a.outcome?.line).toBe(2)
    expect(a.errors.map((e) => e.code)).toEqual(['0x800F0922', '0x800F0922'])
  })
  it('an outcome code that differs from the first error is in play (named by a finding)', () => {
    const a = analyzeDismLogText(`${text.split('\n')[0]!.replace('0x800f0922', '0x80070005')}\n${text.split('\n')[1]}`)
    expect(a.firstError?.code).toBe('0x80070005')
    expect(a.outcome?.code).toBe('0x800F0922')
    const logs = emptyLogs()
    logs.dism.push({ source: 'DISM.log', analysis: a })
    expect(diagnose({ logs }).findings.flatMap((f) => f.codes)).toContain('0x800F0922')
  })
})

describe('setup logs: by severity and by final result', () => {
  it('a setupact.log whose only problem is a Warning line with 0x80070002 gives no error finding', () => {
    // The first line of test/fixtures/setup-log/setupact-wimmount.log (a real setupact.log line).
    const warningOnly = loadFixture('setup-log/setupact-wimmount.log').text.split(/\r?\n/)[0]!
    expect(warningOnly).toMatch(/^Warning SP Failed to get WimMount ImagePath, 0x80070002/)
    const logs = emptyLogs()
    logs.setupLog.push({ source: 'setupact.log', analysis: analyzeSetupLog(warningOnly) })
    expect(severe(diagnose({ logs }).findings)).toEqual([])
  })

  it('a run that ends in 0x800704C7 is reported as cancelled, not as an error', () => {
    // Real setupact.log lines quoted in a public note (search index file id 4597678694): MOUPG's cancel chain.
    const lines = [
      '2023-12-17 16:25:02, Error                 MOUPG  CSetupResponseTemplate<class IDlpResponse>::OnCancel(238): Result = 0x800704C7',
      '2023-12-17 16:25:02, Error                 MOUPG  CSetupResponseTemplate<class IDlpResponse>::ExecuteRoutine(143): Result = 0x800704C7',
    ].join('\n')
    const a = analyzeSetupLog(lines)
    expect(a.finalResult?.code).toBe('0x800704C7')
    const logs = emptyLogs()
    logs.setupLog.push({ source: 'setupact.log', analysis: a })
    const { findings } = diagnose({ logs })
    const c = findings.find((f) => f.id === 'setup-cancelled')
    expect(c?.severity).toBe('info')
    expect(c?.title).toMatch(/cancelled/i)
    expect(ids(findings)).not.toContain('code-0x800704C7')
  })

  it('sysprep Error lines (an appx installed per user) are a sysprep failure naming the package', () => {
    // Real sysprep setupact.log lines (search index file id 20411776984).
    const text = [
      '2021-07-06 13:53:57, Error                 SYSPRP Package Microsoft.LanguageExperiencePackzh-CN_19041.26.68.0_neutral__8wekyb3d8bbwe was installed for a user, but not provisioned for all users. This package will not function properly in the sysprep image.',
      '2021-07-06 13:53:57, Error                 SYSPRP Failed to remove apps for the current user: 0x80073cf2.',
      '2021-07-06 13:53:57, Error                 SYSPRP Exit code of RemoveAllApps thread was 0x3cf2.',
    ].join('\n')
    const { findings } = diagnose({ text })
    const f = findings.find((x) => x.id === 'sysprep-failed')
    expect(f?.severity).toBe('error')
    expect(f?.causes[0]).toContain('Microsoft.LanguageExperiencePackzh-CN_19041.26.68.0_neutral__8wekyb3d8bbwe')
    expect(f?.remedies[0]?.commands?.[0]).toContain('Microsoft.LanguageExperiencePackzh-CN')
    // The remedy is Microsoft's KB2769827 steps (remove for the user, remove the provisioning), cited to that article.
    expect(f?.remedies[0]?.commands).toContain(
      'Remove-AppxProvisionedPackage -Online -PackageName Microsoft.LanguageExperiencePackzh-CN_19041.26.68.0_neutral__8wekyb3d8bbwe',
    )
    expect(f?.remedies[0]?.sources).toEqual(['S-SYSPREP-APPX'])
  })

  it("sfc's '[SR] Cannot repair member file … in the store, hash mismatch' CBS.log lines are unfixed store corruption, quoted as evidence", () => {
    // Real CBS.log line (krlvm/AccentColorizer-E11#3, Windows 11 22621.590).
    const line =
      "2022-09-02 11:06:03, Info                  CSI    00000297 [SR] Cannot repair member file [l:97]'Core\\FileExplorerExtensions\\Assets\\images\\contrast-standard\\theme-light\\windows.unpinfromhome.svg' of UserExperience-Core, version 10.0.22621.590, arch amd64, nonSxS, pkt {l:8 b:31bf3856ad364e35} in the store, hash mismatch"
    expect(new RegExp(CBS_MARKERS.source).test(line)).toBe(true) // a streamed CBS.log keeps the line
    const a = analyzeCbsLogText(line)
    expect(a.corruptPayloads).toEqual([
      expect.objectContaining({ component: 'UserExperience-Core, version 10.0.22621.590', fixed: false, line: 1 }),
    ])
    const logs = emptyLogs()
    logs.cbs.push({ source: 'CBS.log', analysis: a })
    const f = diagnose({ logs }).findings.find((x) => x.id === 'component-store-corruption')
    expect(f?.severity).toBe('error')
    expect(f?.evidence[0]?.excerpt).toContain('[SR] Cannot repair member file')
    // Without "in the store" (only the system copy is bad) it is not read as store corruption.
    expect(analyzeCbsLogText(line.replace(' in the store,', ',')).corruptPayloads).toEqual([])
  })

  it("a DISM cmdlet's error record gives back the code of the system message it prints (English and French)", () => {
    const rec = (msg: string) =>
      [
        `Enable-WindowsOptionalFeature : ${msg}`,
        'At line:1 char:1',
        '    + CategoryInfo          : NotSpecified: (:) [Enable-WindowsOptionalFeature], COMException',
        '    + FullyQualifiedErrorId : Microsoft.Dism.Commands.EnableWindowsOptionalFeatureCommand',
      ].join('\n')
    for (const msg of [
      'One or more required members of the transaction are not present.',
      'Un ou plusieurs membres requis de la transaction sont absents.',
    ]) {
      expect(looksLikeDismOutput(rec(msg))).toBeGreaterThanOrEqual(0.5)
      const f = parseDismOutput(rec(msg))
      expect([f.operation, f.result, f.errorCode]).toEqual(['Enable-Feature', 'failed', '0x8007371B'])
    }
    // A message not in the table: the operation is read, no code is made up.
    expect(parseDismOutput(rec('Feature name Foo is unknown.')).errorCode).toBeNull()
  })

  it('the code 0x800704C7 given alone is information (a cancelled run), not an error', () => {
    const f = diagnose({ code: '0x800704C7' }).findings.find((x) => x.id === 'code-0x800704C7')
    expect(f?.severity).toBe('info')
    expect(diagnose({ code: '0x80070005' }).findings.find((x) => x.id === 'code-0x80070005')?.severity ?? 'error').toBe(
      'error',
    )
  })

  it('an upgrade ending in 0xC1900108 gets the feature-update finding (a constructed line in the form of the ones above)', () => {
    const logs = emptyLogs()
    logs.setupLog.push({
      source: 'setupact.log',
      analysis: analyzeSetupLog(
        '2020-06-13 20:01:00, Error                 MOUPG  CDlpTask::Cancel(984): Result = 0xC1900108',
      ),
    })
    expect(diagnose({ logs }).findings.find((f) => f.id === 'feature-update-failed')?.codes).toContain('0xC1900108')
  })
})

describe('WSUS answering 404', () => {
  it('0x80244019 gives "update source unreachable"', () => {
    expect(ids(diagnose({ code: '0x80244019' }).findings)).toContain('update-source-unreachable')
  })
})
