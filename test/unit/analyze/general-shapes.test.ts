/**
 * Readers of shapes, not of examples. Each test is a variant no corpus file holds (another
 * language, column order, wrapper or story), built from the structure of a real capture of the 2026-11-24
 * batch (test/fixtures/accuracy-2026-11-24, sources named in each test), so a fix that only matched that
 * file would not pass.
 */
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { readFormatTables } from '../../../main/parse/format-table.ts'
import type { TextFacts } from '../../../main/analyze/extract.ts'

const errors = (r: ReturnType<typeof analyzeText>) =>
  r.findings.filter((f) => f.severity === 'error' || f.severity === 'critical')
const at = (o: unknown, p: string) =>
  p
    .split('.')
    .reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o)

describe('rendered HTML around console output (structure: a Shiki-highlighted page, search-index file id 52631434398)', () => {
  it('German DISM output wrapped token by token in <span> tags, with &gt; in the prompt, reads as DISM output', () => {
    // The lines are real German DISM output (HanGhoul/windows-mtp-support-n-ltsc README.md), highlighted the way that page's highlighter does.
    const span = (t: string) => `<span class="line"><span style="color:#E1E4E8;">${t}</span></span>`
    const html = [
      `<pre class="shiki github-dark"><code>${span('PS C:\\\\Windows\\\\system32</span><span style="color:#F97583;">&gt;</span><span style="color:#E1E4E8;"> dism /online /add-package /packagepath:x.cab')}`,
      span('Tool zur Imageverwaltung f&#252;r die Bereitstellung'),
      span('Version: 10.0.19041.3636'),
      '<span class="line"></span>',
      span('Abbildversion: 10.0.19045.5131'),
      '<span class="line"></span>',
      span('[==========================100.0%==========================]'),
      `${span('Der Vorgang wurde erfolgreich beendet.')}</code></pre>`,
    ].join('\n')
    const r = analyzeText(html)
    expect(r.kind).toBe('dism-output')
    expect(at(r.facts, 'dism.result')).toBe('success')
    expect(at(r.facts, 'imageVersion')).toBe('10.0.19045.5131')
    expect(r.warnings.join(' ')).toMatch(/HTML/)
  })

  it('an SetupDiag XML report is not taken for HTML: its own tags stay', () => {
    const xml =
      '<SetupDiag>\n  <Version>1.6.0.0</Version>\n  <ProfileName>FindRollbackFailure</ProfileName>\n  <FailureDetails>RollbackErrorCode = 0xC1900101, ExtendedCode = 0x40017, LastOperation = x, LastPhase = Post First Boot</FailureDetails>\n</SetupDiag>'
    expect(analyzeText(xml).kind).toBe('setupdiag')
  })
})

describe("output kept as comments of a script (structure: a batch file's rem header, search-index file id 2563742896)", () => {
  it('reagentc /info behind "::" (a batch comment) and systeminfo behind "//" still read', () => {
    const info = [
      'Windows Recovery Environment (Windows RE) and system reset configuration',
      'Information:',
      '',
      '    Windows RE status:         Enabled',
      '    Windows RE location:       \\\\?\\GLOBALROOT\\device\\harddisk0\\partition4\\Recovery\\WindowsRE',
      '    Boot Configuration Data (BCD) identifier: 820361a0-efb2-11ef-8321-cafe74c0ef77',
      '',
      'REAGENTC.EXE: Operation Successful.',
    ]
    const r = analyzeText(info.map((l) => `:: ${l}`.trimEnd()).join('\n'))
    expect(r.kind).toBe('reagentc-info')
    expect(at(r.facts, 'winre.status')).toBe('enabled')
    expect(at(r.facts, 'winre.location.partition')).toBe(4)
    const si = [
      'Host Name:                 WINXI21H2',
      'OS Name:                   Microsoft Windows 11 Enterprise',
      'OS Version:                10.0.22000 N/A Build 22000',
      'System Type:               x64-based PC',
    ]
    const s = analyzeText(si.map((l) => `// ${l}`).join('\n'))
    expect(s.kind).toBe('os-info')
    expect(at(s.facts, 'os.build')).toBe(22000)
  })
})

describe('Format-Table read by its dash line (structure: ChristTitusTech/winutil#3214, a Get-ComputerInfo table in a question)', () => {
  it('columns in another order, a truncated cell and a blank cell read by position', () => {
    const t = readFormatTables(
      [
        'OsBuildNumber WindowsProductName  OsArchitecture CsName',
        '------------- ------------------  -------------- ------',
        '22631         Windows 10 Pro...   64-bit',
      ].join('\n'),
    )
    expect(t).toHaveLength(1)
    expect(t[0]!.rows[0]).toEqual({
      OsBuildNumber: '22631',
      WindowsProductName: 'Windows 10 Pro...',
      OsArchitecture: '64-bit',
      CsName: '',
    })
  })

  it('a question holding such a table and the error in words: the build is read, and the error is an error finding citing its line', () => {
    const r = analyzeText(
      [
        'Windows Update keeps failing on this laptop.',
        '',
        'OsArchitecture OsBuildNumber',
        '-------------- -------------',
        '64-bit         22631',
        '',
        'Every retry ends with the same error 0x80070643 in Settings.',
      ].join('\n'),
    )
    expect(r.kind).toBe('os-info')
    expect(at(r.facts, 'os.build')).toBe(22631)
    expect(at(r.facts, 'os.arch')).toBe('x64')
    const e = errors(r)
    expect(e.some((f) => /0x80070643/.test(f.title) && /Line 7\b/.test(f.detail))).toBe(true)
  })
})

describe("Win32_OperatingSystem as a list (structure: a Turkish note's Get-WmiObject win32_OperatingSystem, search-index file id 24341373498)", () => {
  it('Get-CimInstance … | Format-List Caption, BuildNumber, OSArchitecture (another order, a Spanish caption) reads as OS facts', () => {
    const r = analyzeText(
      [
        '',
        'OSArchitecture : 64 bits',
        'BuildNumber    : 19045',
        'Caption        : Microsoft Windows 10 Pro',
        'SystemDirectory : C:\\WINDOWS\\system32',
        '',
      ].join('\n'),
    )
    expect(r.kind).toBe('os-info')
    expect(at(r.facts, 'os.build')).toBe(19045)
    expect(at(r.facts, 'os.edition')).toBe('Pro')
  })
})

describe("the UBR from another tool's Windows version line (structure: a Japanese note, systeminfo then wsl --version, id 52469657608)", () => {
  it('English systeminfo followed by wsl --version gives the UBR of the same build, never of another', () => {
    const head = [
      'OS Name:                   Microsoft Windows 11 Pro',
      'OS Version:                10.0.22631 N/A Build 22631',
      'System Type:               x64-based PC',
      '',
    ]
    const same = analyzeText(
      [...head, 'WSL version: 2.3.26.0', 'Kernel version: 5.15.167.4-1', 'Windows version: 10.0.22631.4602'].join('\n'),
    )
    expect(at(same.facts, 'os.ubr')).toBe(4602)
    const other = analyzeText([...head, 'WSL version: 2.3.26.0', 'Windows version: 10.0.26100.2605'].join('\n'))
    expect(at(other.facts, 'os.ubr')).toBeNull()
  })
})

describe('Windows 7/8/8.1 builds written build.UBR (structure: nexusriot/ListSystemUpdates README, "Windows build number 9600.19785")', () => {
  it('7601.24544 and 9200.24138 are builds; a 9600.5 or a 1234.5678 is not', () => {
    const x = analyzeText(
      'Build 7601.24544 on the server, 9200.24138 on the other; 9600.5 and 1234.5678 are not builds.',
    ).facts.extracted as TextFacts
    expect(x.builds.map((b) => b.version).sort()).toEqual(['7601.24544', '9200.24138'])
  })
})

describe('DISM\'s failure told by a tool that runs it (structure: WOA-Project/WOA-Deployer-Rpi#24, "DISM Error: 2")', () => {
  it('"DISM Error: 87" with DISM\'s closing lines reads as a failed DISM run with the Win32 code as an HRESULT', () => {
    const r = analyzeText(
      [
        'DISM Error: 87',
        '',
        'The parameter is incorrect.',
        '',
        'The DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log',
      ].join('\n'),
    )
    expect(r.kind).toBe('dism-output')
    expect(at(r.facts, 'dism.result')).toBe('failed')
    expect(at(r.facts, 'dism.errorCode')).toBe('0x80070057')
  })
})

describe('Get-WinEvent tables of any provider (structure: PowerShell/PowerShell#7664, Service Control Manager 7023)', () => {
  it('an event the log gave level Error is an error finding citing its line; Information rows are not', () => {
    const r = analyzeText(
      [
        '',
        '   ProviderName: Service Control Manager',
        '',
        'TimeCreated                     Id LevelDisplayName Message',
        '-----------                     -- ---------------- -------',
        '11/2/2023 7:20:01 PM          7040 Information      The start type of the Background Intelligent Transfer Service service was changed…',
        '11/2/2023 7:19:44 PM          7031 Error            The Windows Update service terminated unexpectedly.  It has done this 1 time(s).…',
      ].join('\n'),
    )
    expect(r.kind).toBe('wu-event')
    const e = errors(r)
    expect(e).toHaveLength(1)
    expect(e[0]!.title).toMatch(/7031/)
    expect(e[0]!.detail).toMatch(/^Line 7:/)
  })
})

describe('a failure in words, and the level a log gives a line (structure: zeffy/wufuc#39 prose; krynddi/FF305SL dism.log)', () => {
  it('in a levelled DISM log, a Warning line saying "Failed" and a wimgapi trace line are not errors; an Error line is', () => {
    const routine = [
      '2024-03-01 10:00:00, Info                  DISM   API: PID=1 TID=2 DismApi.dll: <----- Starting DismApi.dll session -----> - DismInitializeInternal',
      '2024-03-01 10:00:01, Warning               DISM   DISM Provider Store: PID=1 TID=2 Failed to load the provider: C:\\Windows\\System32\\Dism\\SiloedPackageProvider.dll. - CDISMProviderStore::Internal_GetProvider(hr:0x8007007e)',
      '[1] [0x8007007b] FIOReadFileIntoBuffer:(1381): The filename, directory name, or volume label syntax is incorrect.',
      '2024-03-01 10:00:02, Info                  DISM   API: PID=1 TID=2 Leave DismOpenSessionInternal - DismOpenSessionInternal',
    ]
    expect(errors(analyzeText(routine.join('\n')))).toEqual([])
    const failed = [
      ...routine,
      '2024-03-01 10:00:03, Error                 DISM   DISM Package Manager: PID=1 TID=2 Failed finalizing changes. - CDISMPackageManager::Internal_Finalize(hr:0x800f0922)',
    ]
    expect(errors(analyzeText(failed.join('\n'))).some((f) => /0x800F0922/i.test(`${f.title} ${f.detail}`))).toBe(true)
  })
})

describe('what a later reagentc command did decides the WinRE state (structure: a transcript ending in reagentc /enable, id 36032241439)', () => {
  it('/info says enabled, then /disable succeeds: WinRE is disabled from then on', () => {
    const r = analyzeText(
      [
        'C:\\Windows\\system32>reagentc /info',
        'Windows Recovery Environment (Windows RE) and system reset configuration',
        'Information:',
        '',
        '    Windows RE status:         Enabled',
        '    Windows RE location:       \\\\?\\GLOBALROOT\\device\\harddisk0\\partition3\\Recovery\\WindowsRE',
        '    Boot Configuration Data (BCD) identifier: 5f7f6c2e-8d1a-11ef-9a3b-b4e8d5b5fa22',
        '',
        'REAGENTC.EXE: Operation Successful.',
        '',
        'C:\\Windows\\system32>reagentc /disable',
        'REAGENTC.EXE: Operation Successful.',
        '',
        'C:\\Windows\\system32>',
      ].join('\n'),
    )
    expect(at(r.facts, 'winre.status')).toBe('disabled')
    expect(at(r.facts, 'winre.location')).toBeNull()
  })
})

describe('a later success overtakes an earlier failure (line forms: CBS.log "Exec: Processing complete" lines, search-index file ids 4653903194 and 70322002133)', () => {
  const failed = [
    '2024-05-14 09:14:03, Info                  CBS    Session: 31146322_2207785418 initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)',
    "2024-05-14 09:14:03, Error                 CBS    Failed to resolve package 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.3915.1.7' [HRESULT = 0x800f0831 - CBS_E_STORE_CORRUPTION]",
    '2024-05-14 09:14:03, Error                 CBS    Failed to execute execution chain. [HRESULT = 0x800f0831 - CBS_E_STORE_CORRUPTION]',
    '2024-05-14 09:14:04, Info                  CBS    Exec: Processing complete.  Session: 31146322_2207785418, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.4061.1.12, hr: 0x800f0831',
  ]
  const errs = (lines: string[]) => analyzeText(lines.join('\n')).findings.filter((f) => f.severity === 'error')

  it('the failure alone is an error citing its line', () => {
    expect(errs(failed).some((f) => /0x800F0831/i.test(f.title) && /line 2\b/.test(f.detail))).toBe(true)
  })

  it('a later execution completing with S_OK (after a repair) makes it an overtaken failure, not an error', () => {
    const r = analyzeText(
      [
        ...failed,
        '2024-05-14 11:40:12, Info                  CBS    Session: 31146340_1071239985 initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)',
        '2024-05-14 11:52:30, Info                  CBS    Exec: Processing complete.  Session: 31146340_1071239985, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.4061.1.12 [HRESULT = 0x00000000 - S_OK]',
      ].join('\n'),
    )
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([])
    const w = r.findings.find((f) => f.id === 'cbs-failure-overtaken')
    expect(w?.detail).toMatch(/line 2\b.*line 6\b/)
  })

  it('a later completion that failed too, or one before the failure, does not overtake it', () => {
    expect(
      errs([
        ...failed,
        '2024-05-14 11:52:30, Info                  CBS    Exec: Processing complete.  Session: 31146340_1071239985, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.4061.1.12 [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]',
      ]).length,
    ).toBeGreaterThan(0)
    expect(
      errs([
        '2024-05-14 08:00:00, Info                  CBS    Exec: Processing complete.  Session: 31146300_1, Package: Package_for_KB5001716~31bf3856ad364e35~amd64~~19041.1.1 [HRESULT = 0x00000000 - S_OK]',
        ...failed,
      ]).length,
    ).toBeGreaterThan(0)
  })
})

describe("the session's end decides, not its first code (DISM.log line form as in test/fixtures/corpus/dism-log)", () => {
  it('a DISM run stopped by the user (ERROR_CANCELLED) is a cancelled run, a warning citing its line; another code stays an error', () => {
    const run = (code: string) =>
      [
        '2024-06-02 21:10:04, Info                  DISM   DISM.EXE: Executing command line: dism.exe  /Online /Cleanup-Image /RestoreHealth',
        `2024-06-02 21:19:47, Error                 DISM   DISM Package Manager: PID=5812 TID=7140 Failed to restore the image health. - CPackageManagerCLIHandler::ProcessCmdLine_CleanupImage(hr:${code})`,
        '2024-06-02 21:19:47, Info                  DISM   DISM.EXE: <----- Ending Dism.exe session ----->',
      ].join('\n')
    const c = analyzeText(run('0x800704c7'))
    expect(c.findings.filter((f) => f.severity === 'error')).toEqual([])
    expect(c.findings.find((f) => f.id === 'dism-cancelled')?.detail).toMatch(/^Line 2:/)
    expect(
      analyzeText(run('0x800f081f')).findings.some((f) => f.severity === 'error' && /0x800F081F/.test(f.title)),
    ).toBe(true)
  })

  it('in a CBS.log, a later S_OK for another package does not overtake the failed one', () => {
    const r = analyzeText(
      [
        '2024-05-14 09:14:03, Info                  CBS    Session: 31146322_2207785418 initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)',
        "2024-05-14 09:14:03, Error                 CBS    Failed to resolve package 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.3915.1.7' [HRESULT = 0x800f0831 - CBS_E_STORE_CORRUPTION]",
        '2024-05-14 09:14:04, Info                  CBS    Exec: Processing complete.  Session: 31146322_2207785418, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.4061.1.12, hr: 0x800f0831',
        '2024-05-14 11:52:30, Info                  CBS    Exec: Processing complete.  Session: 31146340_1071239985, Package: Package_for_DotNetRollup_481~31bf3856ad364e35~amd64~~10.0.9266.1 [HRESULT = 0x00000000 - S_OK]',
      ].join('\n'),
    )
    expect(r.findings.some((f) => f.severity === 'error' && /0x800F0831/i.test(f.title))).toBe(true)
  })
})

describe('every error finding of a CBS.log cites its line (line forms: a CheckSUR summary and a CBS session, as in test/fixtures/corpus/cbs-log)', () => {
  it('unfixed payload corruption in a summary names the line of each payload', () => {
    const r = analyzeText(
      [
        '2016-11-02 15:01:12, Info                  CBS    Checking System Update Readiness.',
        '2016-11-02 15:01:12, Info                  CBS    ',
        '2016-11-02 15:04:40, Info                  CBS    (p)	CSI Payload Corrupt			amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.14393.447_none_7c2d2c11e7ba6e4f\\cbscore.dll',
        '2016-11-02 15:04:40, Info                  CBS    Repair failed: Missing replacement payload.',
      ].join('\n'),
    )
    const bad = r.findings.filter((f) => f.severity === 'error' || f.severity === 'critical')
    expect(bad.length).toBeGreaterThan(0)
    for (const f of bad) expect(`${f.title} ${f.detail}`, f.id).toMatch(/\bline \d+/i)
  })
})
