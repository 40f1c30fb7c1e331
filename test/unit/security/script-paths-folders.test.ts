/**
 * The script builders' path and work-folder parts, fast and in process: what the builders write is
 * what the pwsh tests run (test/unit/pwsh/collector-folder.test.ts, fix-package-runs…, which prove it on the
 * emulated PC); here each builder's output is pinned where it decides safety — every program by its full path under
 * %SystemRoot%, never a bare name; a work folder only under C:\ProgramData, made for Administrators and SYSTEM only,
 * refused when it is a link, another's, or written into while it was made; DISM given the checked copy in that folder.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { KitManifest } from '../../../preload/model/kit.ts'

// Loaded fresh for this file, so the module-level script text and tables are the ones under test (mutation testing).
let ADMIN_SIDS: typeof import('../../../main/host/secure-folder-script.ts')['ADMIN_SIDS']
let NATIVE_ARCH_LINES: string[]
let SECURE_FOLDER_FUNCTIONS: string
let secureFolderCall: (path: string) => string
let ST: typeof import('../../../main/host/system-tools.ts')
let CS: typeof import('../../../main/collector/collector-script.ts')
let collectorSteps: typeof import('../../../main/collector/steps.ts')['collectorSteps']
let IS: typeof import('../../../main/kit/install-script.ts')
let KitManifestSchema: typeof import('../../../preload/model/kit.ts')['KitManifestSchema']
beforeAll(async () => {
  vi.resetModules()
  ;({ ADMIN_SIDS, NATIVE_ARCH_LINES, SECURE_FOLDER_FUNCTIONS, secureFolderCall } = await import(
    '../../../main/host/secure-folder-script.ts'
  ))
  ST = await import('../../../main/host/system-tools.ts')
  CS = await import('../../../main/collector/collector-script.ts')
  ;({ collectorSteps } = await import('../../../main/collector/steps.ts'))
  IS = await import('../../../main/kit/install-script.ts')
  ;({ KitManifestSchema } = await import('../../../preload/model/kit.ts'))
})

const ADMINS = 'S-1-5-32-544'
const SYSTEM = 'S-1-5-18'

describe('the work folder functions every script carries (secure-folder-script.ts)', () => {
  const fn = (name: string) => {
    const at = SECURE_FOLDER_FUNCTIONS.indexOf(`function ${name}(`)
    expect(at, name).toBeGreaterThanOrEqual(0)
    const next = SECURE_FOLDER_FUNCTIONS.slice(at + 1).search(/\n(function |# )/)
    return SECURE_FOLDER_FUNCTIONS.slice(at, next === -1 ? undefined : at + 1 + next)
  }

  it('owners are exactly Administrators and SYSTEM (well-known SIDs)', () => {
    expect([...ADMIN_SIDS]).toEqual([ADMINS, SYSTEM])
  })

  it('refuses a file, a junction or link, and a folder another owns, each with the reason', () => {
    const test = fn('Test-SdFolderIsOurs')
    expect(test).toContain("if (-not $item.PSIsContainer) { return ($Path + ' is a file, not a folder') }")
    expect(test).toContain(
      "if ([int]($item.Attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0) { return ($Path + ' is a junction or a link, which could lead anywhere') }",
    )
    expect(test).toContain('.GetOwner([System.Security.Principal.SecurityIdentifier]).Value')
    expect(test).toContain(
      `if (@('${ADMINS}', '${SYSTEM}') -notcontains $owner) { return ($Path + ' belongs to ' + $owner + ', not to the administrators') }`,
    )
    expect(test).toContain(
      "if ($other) { return ($Path + ' lets ' + $other + ' write in it, not only the administrators') }",
    )
    expect(test).toMatch(/return \$null\n\}$/)
  })

  it('a grant is foreign when anyone but Administrators, SYSTEM, CREATOR OWNER or TrustedInstaller may write, delete or change the ACL', () => {
    const grant = fn('Get-SdForeignGrant')
    expect(grant).toContain("if ([string]$rule.AccessControlType -ne 'Allow') { continue }")
    expect(grant).toContain(
      `if (@('${ADMINS}', '${SYSTEM}', 'S-1-3-0', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464') -contains $sid) { continue }`,
    )
    const right = fn('Test-SdWriteRight')
    expect(right).toContain("if ($Rights -match '^-?[0-9]+$') { return (([long]$Rights -band 1343029318) -ne 0) }")
    expect(right).toContain(
      "return ($Rights -match 'FullControl|Modify|Write|CreateFiles|CreateDirectories|AppendData|Delete|ChangePermissions|TakeOwnership')",
    )
  })

  it("no link anywhere on the base's path, before any level is looked at", () => {
    expect(fn('New-SdSecureFolder')).toMatch(
      /^function New-SdSecureFolder\(\[string\]\$Base, \[string\]\$Child\) \{\n\s+\$why = Test-SdNoLinkOnPath \$Base\n\s+if \(\$why\) \{ return \$why \}/,
    )
    expect(fn('Test-SdNoLinkOnPath')).toContain('$up = Split-Path -Parent $at')
  })

  it('gives a folder an ACL of Administrators and SYSTEM only: owner Administrators, nothing inherited, full control each', () => {
    const acl = fn('Set-SdAdminOnlyAcl')
    expect(acl).toContain(`$acl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier '${ADMINS}'))`)
    expect(acl).toContain('$acl.SetAccessRuleProtection($true, $false)')
    expect(acl).toContain(`foreach ($sid in @('${ADMINS}', '${SYSTEM}')) {`)
    expect(acl).toContain("'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow'")
    expect(acl).toContain('Set-Acl -LiteralPath $Path -AclObject $acl')
    // Only these two: no other rule is added.
    expect(acl.match(/AddAccessRule/g)).toHaveLength(1)
  })

  it('checks every level below the base: an existing one must be ours; a new one is made, locked, checked again and must be empty; the leaf always gets the ACL', () => {
    const make = fn('New-SdSecureFolder')
    expect(make).toContain("foreach ($part in @($Child -split '\\\\' | Where-Object { $_ })) {")
    expect(make).toContain("$level = $level + '\\' + $part")
    expect(make).toMatch(
      /if \(Test-Path -LiteralPath \$level\) \{\n\s+\$why = Test-SdFolderIsOurs \$level\n\s+if \(\$why\) \{ return \$why \}\n\s+\} else \{/,
    )
    // Made without -Force (an existing one is never taken over), then the ACL, then checked.
    expect(make).toMatch(
      /New-Item -ItemType Directory -Path \$level \| Out-Null\n\s+Set-SdAdminOnlyAcl \$level\n\s+\$why = Test-SdFolderIsOurs \$level\n\s+if \(\$why\) \{ return \$why \}/,
    )
    expect(make).not.toMatch(/New-Item[^\n]*-Force/)
    expect(make).toContain(
      "if (@(Get-ChildItem -LiteralPath $level -Force).Count -gt 0) { return ($level + ' was written into by someone else while it was being created') }",
    )
    expect(make).toMatch(/\}\n\s+Set-SdAdminOnlyAcl \$level\n\s+return \$null\n\}$/)
  })

  it('secureFolderCall: a folder under C:\\ProgramData, as base and child, quoted as data', () => {
    expect(secureFolderCall('C:\\ProgramData\\ServicingDesk\\fix-package\\p1')).toBe(
      "New-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\fix-package\\p1'",
    )
    expect(secureFolderCall('c:\\programdata\\ServicingDesk')).toBe(
      "New-SdSecureFolder -Base 'c:\\programdata' -Child 'ServicingDesk'",
    )
    expect(secureFolderCall("C:\\ProgramData\\it's")).toBe("New-SdSecureFolder -Base 'C:\\ProgramData' -Child 'it''s'")
  })

  it('secureFolderCall refuses anything not under C:\\ProgramData (other drive, the base itself, a prefix, a line break)', () => {
    for (const bad of [
      'D:\\ProgramData\\x',
      'C:\\ProgramData',
      'C:\\ProgramData\\',
      'X:\\C:\\ProgramData\\x',
      'C:\\Users\\ProgramData\\x',
      'C:\\ProgramData\\a\nb',
      'C:\\ProgramDataX\\a',
    ]) {
      expect(() => secureFolderCall(bad), JSON.stringify(bad)).toThrow(
        `A work folder must be under C:\\ProgramData (got ${bad}).`,
      )
    }
  })

  it("reads the native architecture from the machine-wide environment first, the process's variables only as the fallback", () => {
    expect(NATIVE_ARCH_LINES).toEqual([
      '$Native = $null',
      "try { $Native = [string](Get-ItemProperty -LiteralPath 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment' -Name PROCESSOR_ARCHITECTURE -ErrorAction Stop).PROCESSOR_ARCHITECTURE } catch { $Native = $null }",
      'if (-not $Native) { $Native = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE } }',
    ])
  })
})

describe('programs by their full System32 path (system-tools.ts)', () => {
  it('the table: every program under System32 of %SystemRoot% (explorer.exe in it), by its on-disk name', () => {
    for (const [name, rel] of Object.entries(ST.SYSTEM_TOOLS)) {
      expect(rel.toLowerCase().endsWith(name), name).toBe(true)
      expect(rel === 'explorer.exe' || rel.startsWith('System32\\'), name).toBe(true)
    }
    expect(ST.SYSTEM_TOOLS['powershell.exe']).toBe('System32\\WindowsPowerShell\\v1.0\\powershell.exe')
    expect(ST.SYSTEM_TOOLS['dism.exe']).toBe('System32\\Dism.exe')
    expect(Object.isFrozen(ST.SYSTEM_TOOLS)).toBe(true)
  })

  it('psSystemTool: (Join-Path $env:SystemRoot …) for a table name in any case; anything else refused', () => {
    expect(ST.psSystemTool('dism.exe')).toBe("(Join-Path $env:SystemRoot 'System32\\Dism.exe')")
    expect(ST.psSystemTool('POWERSHELL.EXE')).toBe(
      "(Join-Path $env:SystemRoot 'System32\\WindowsPowerShell\\v1.0\\powershell.exe')",
    )
    for (const bad of [
      'dism',
      'C:\\Windows\\System32\\dism.exe',
      '.\\reg.exe',
      'sub/reg.exe',
      'c:reg.exe',
      'evil.exe',
      '',
      'toString',
      '__proto__',
      'constructor',
    ]) {
      expect(() => ST.psSystemTool(bad), bad).toThrow(ST.UnknownProgramError)
      expect(ST.isSystemTool(bad), bad).toBe(false)
    }
    expect(ST.isSystemTool(42 as unknown as string)).toBe(false)
  })

  it('the refusal names the program and every allowed name', () => {
    const e = new ST.UnknownProgramError('evil.exe')
    expect(e.name).toBe('UnknownProgramError')
    expect(e.file).toBe('evil.exe')
    expect(e.message).toBe(
      `refused to start 'evil.exe': programs are started only by their full path from the System32 table (${Object.keys(ST.SYSTEM_TOOLS).join(', ')})`,
    )
  })

  it("systemToolPath and systemToolName: there and back under the PC's own Windows folder; a path outside the table is no tool", () => {
    expect(ST.systemToolPath('Reg.exe', 'D:\\Win')).toBe('D:\\Win\\System32\\reg.exe')
    expect(() => ST.systemToolPath('reg', 'C:\\Windows')).toThrow(ST.UnknownProgramError)
    expect(ST.systemToolName('C:\\WINDOWS\\system32\\DISM.EXE', 'C:\\Windows')).toBe('dism.exe')
    expect(ST.systemToolName('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\Windows')).toBe(
      'powershell.exe',
    )
    expect(ST.systemToolName('C:\\Temp\\dism.exe', 'C:\\Windows')).toBeNull()
    expect(ST.systemToolName('C:\\Windows\\System32\\Dism.exe', 'D:\\Windows')).toBeNull()
  })
})

describe('the collector (collector-script.ts): its programs and its work folder', () => {
  let script = ''
  beforeAll(() => {
    script = CS.collectorScript({ version: '0.1.0' })
  })

  it('every command step carries its program as a path under %SystemRoot%, started as Join-Path $env:SystemRoot', () => {
    for (const s of collectorSteps()) {
      if (s.kind === 'command')
        expect(script).toContain(`file = '${s.spec.file}'; program = '${ST.SYSTEM_TOOLS[s.spec.file.toLowerCase()]}';`)
      if (s.kind === 'cabs') {
        const e = s.expand('x', 'y')
        expect(script).toContain(
          `expandFile = '${e.file}'; expandProgram = '${ST.SYSTEM_TOOLS[e.file.toLowerCase()]}';`,
        )
      }
    }
    const q = (a: string) => `'${a.replace(/'/g, "''")}'`
    for (const s of collectorSteps()) {
      // Each argument its own literal: the program gets them as it would from the app, never run together.
      if (s.kind === 'command')
        expect(script).toContain(
          `program = '${ST.SYSTEM_TOOLS[s.spec.file.toLowerCase()]}'; args = @(${s.spec.args.map(q).join(', ')}); timeoutMs = ${s.spec.timeoutMs}; encoding = '${s.spec.outputEncoding ?? 'console'}'; maxBytes = ${s.maxBytes};`,
        )
      if (s.kind === 'cabs') {
        const e = s.expand('{{Cab}}', '{{Dest}}')
        expect(e.args.length).toBeGreaterThan(1)
        expect(script).toContain(`expandArgs = @(${e.args.map(q).join(', ')}); expandTimeoutMs = ${e.timeoutMs};`)
      }
    }
    expect(script).toContain('$psi.FileName = Join-Path $env:SystemRoot $Program')
    expect(script).toContain("$SdcWhoami = 'System32\\whoami.exe'")
    expect(script).toContain('$r = Invoke-SdcProcess $s.program $resolved $s.timeoutMs $s.encoding')
    expect(script).toContain('$r = Invoke-SdcProcess $s.expandProgram $expandArgs $s.expandTimeoutMs')
  })

  it("a step's program is looked up in the table in any case, and one not in it stops the build", async () => {
    const stepsPath = '../../../main/collector/steps.ts'
    const real = await vi.importActual<typeof import('../../../main/collector/steps.ts')>(stepsPath)
    const cmd = (file: string) => ({
      kind: 'command' as const,
      maxBytes: 1024,
      why: 'test',
      spec: { name: `t.${file}`, file, args: ['/?'], timeoutMs: 1000 },
    })
    try {
      for (const [file, expected] of [
        ['REG.EXE', "program = 'System32\\reg.exe'; args = @('/?'); timeoutMs = 1000; encoding = 'console';"],
        ['evil.exe', null],
        ['C:\\Windows\\System32\\reg.exe', null],
      ] as const) {
        vi.resetModules()
        vi.doMock(stepsPath, () => ({ ...real, collectorSteps: () => [...real.collectorSteps(), cmd(file)] }))
        const { collectorScript } = await import('../../../main/collector/collector-script.ts')
        if (expected) expect(collectorScript({ version: '0.1.0' })).toContain(`file = '${file}'; ${expected}`)
        else expect(() => collectorScript({ version: '0.1.0' }), file).toThrow(`refused to start '${file}'`)
      }
    } finally {
      vi.doUnmock(stepsPath)
      vi.resetModules()
    }
  })

  it('refuses a work folder owned by anyone but Administrators or SYSTEM, and says so with its exit code', () => {
    expect([...CS.COLLECTOR_FOLDER_OWNERS]).toEqual([ADMINS, SYSTEM])
    expect(CS.COLLECTOR_EXIT_FOLDER_REFUSED).toBe(3)
    expect(script).toContain(`$SdcFolderOwners = @('${ADMINS}', '${SYSTEM}')`)
    expect(script).toMatch(/if \(\$refused\) \{\r?\n[^\n]*Nothing was collected[^\n]*\n\s+exit 3\r?\n\}/)
    expect(script).toContain(
      'Exit codes: 0 written; 2 the file would be over the size limit (nothing written); 3 its work folder',
    )
  })
})

describe('Install-Kit.ps1 (install-script.ts): the kit copied into an administrators-only folder and DISM by its path', () => {
  let m: KitManifest
  let script = ''
  beforeAll(() => {
    m = KitManifestSchema.parse({
      schemaVersion: 1,
      tool: { name: 'servicing-desk', version: '0.1.0' },
      created: '2026-11-21T08:00:00.000Z',
      target: {
        kb: 'KB5086672',
        arch: 'arm64',
        build: 26100,
        ubr: 1150,
        machine: 'PC-1',
        title: 'Cumulative Update (KB5086672)',
      },
      files: [
        {
          order: 1,
          role: 'checkpoint',
          kb: 'KB5043080',
          arch: 'arm64',
          fileName: 'windows11.0-kb5043080-arm64.msu',
          sizeBytes: 1,
          sha1: 'a'.repeat(40),
          sha256: 'b'.repeat(64),
          reason: 'checkpoint',
        },
        {
          order: 2,
          role: 'target',
          kb: 'KB5086672',
          arch: 'arm64',
          fileName: 'windows11.0-kb5086672-arm64.msu',
          sizeBytes: 1,
          sha1: 'c'.repeat(40),
          sha256: 'd'.repeat(64),
          reason: 'target',
        },
      ],
      notes: [],
    })
    script = IS.renderInstallScript(m)
  })

  it('the work folder: one per target and architecture under C:\\ProgramData\\ServicingDesk\\kit, only letters and digits from the manifest', () => {
    expect(IS.kitWorkFolder(m)).toBe('C:\\ProgramData\\ServicingDesk\\kit\\KB5086672-arm64')
    expect(IS.kitWorkFolder({ target: { ...m.target, kb: 'KB1\\..\\x', arch: 'a/b c' as 'x64' } })).toBe(
      'C:\\ProgramData\\ServicingDesk\\kit\\KB1x-abc',
    )
    expect(script).toContain("$Work = 'C:\\ProgramData\\ServicingDesk\\kit\\KB5086672-arm64'")
  })

  it('makes or refuses that folder before anything is copied, and stops when it is not safe', () => {
    expect(script).toContain(SECURE_FOLDER_FUNCTIONS)
    const call = script.indexOf(
      "$why = New-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\kit\\KB5086672-arm64'\nif ($why) { Fail \"The work folder is not safe to use, so nothing is installed: $why\" }",
    )
    expect(call).toBeGreaterThan(0)
    expect(call).toBeLessThan(script.indexOf('Copy-Item'))
  })

  it('DISM by its full path, on the checked copy of the target in the work folder', () => {
    expect(script).toContain(
      "& (Join-Path $env:SystemRoot 'System32\\Dism.exe') '/English' '/Online' '/Add-Package' '/PackagePath:C:\\ProgramData\\ServicingDesk\\kit\\KB5086672-arm64\\windows11.0-kb5086672-arm64.msu' '/NoRestart'",
    )
    expect(script).not.toMatch(/^\s*&\s*dism/im)
  })
})
