/**
 * Intent in data, commands in code: every step kind builds its argv from typed params; anything else in a
 * plan or journal (an unknown kind, extra or ill-typed params, a path smuggled in) is refused with the reason.
 * And the training renderers print what our parser reads exactly like the real captures (test/fixtures).
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  STEP_KINDS,
  commandOf,
  commandOfKind,
  commandLineOf,
  kindOf,
  paramsOf,
  innerCabName,
} from '../../../main/repair/step-kinds.ts'
import { step, type RepairEnv } from '../../../main/repair/types.ts'
import { parseDismOutput } from '../../../main/parse/dism-output.ts'
import {
  renderDismCheckHealth,
  renderDismRestoreHealth,
  renderDismScanHealth,
  renderSfcScannow,
} from '../../../main/training/renderers/repair.ts'
import { trainingProfile } from '../../../main/training/profiles/index.ts'
import type { TrainingCommandOutcome } from '../../../main/training/command.ts'

const env: RepairEnv = { hostKind: 'training', dataDir: '/data', resumeCommand: null }
const fixture = (p: string) =>
  readFileSync(join(import.meta.dirname, '../../fixtures', p), 'utf8')
    .split('\n')
    .slice(1)
    .join('\n')

describe('step kinds build their commands from intent', () => {
  it('every kind in the allowlist (each checked)', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['dism-check-health', {}, '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /CheckHealth'],
      ['dism-scan-health', {}, '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /ScanHealth'],
      [
        'dism-restore-health',
        { source: null },
        '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /RestoreHealth',
      ],
      [
        'dism-restore-health',
        { source: { kb: 'KB5044285', arch: 'x64' } },
        '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /RestoreHealth /Source:/data/repair-sources/KB5044285-x64/source /LimitAccess',
      ],
      [
        'dism-restore-health-media',
        { letter: 'E', file: 'install.wim', index: 2 },
        '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /RestoreHealth /Source:wim:E:\\sources\\install.wim:2 /LimitAccess',
      ],
      ['sfc-scannow', {}, '%SystemRoot%\\System32\\sfc.exe /scannow'],
      [
        'expand-msu',
        { kb: 'KB5044285', arch: 'x64' },
        '%SystemRoot%\\System32\\expand.exe -F:* /data/repair-sources/KB5044285-x64/KB5044285-x64.msu /data/repair-sources/KB5044285-x64/msu',
      ],
      [
        'expand-cab',
        { kb: 'KB5044285', arch: 'x64', build: 22631 },
        '%SystemRoot%\\System32\\expand.exe -F:* /data/repair-sources/KB5044285-x64/msu/Windows11.0-KB5044285-x64.cab /data/repair-sources/KB5044285-x64/source',
      ],
      ['restart', { delaySeconds: 0 }, '%SystemRoot%\\System32\\shutdown.exe /r /t 0'],
      ['restart', { delaySeconds: 3600 }, '%SystemRoot%\\System32\\shutdown.exe /r /t 3600'],
      [
        'schedule-resume',
        { command: ['C:\\Program Files\\Servicing Desk\\sd.exe', 'repair', 'restart'] },
        '%SystemRoot%\\System32\\reg.exe add HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce /v ServicingDeskRepair /t REG_SZ /d "\\"C:\\Program Files\\Servicing Desk\\sd.exe\\" repair restart" /f',
      ],
      [
        'fetch-package',
        { kb: 'KB5044285', arch: 'x64' },
        '(in the app) download KB5044285 (x64) from the Catalog, verify its hash, save as /data/repair-sources/KB5044285-x64/KB5044285-x64.msu',
      ],
      ['esp-mount', { letter: 'S' }, '%SystemRoot%\\System32\\mountvol.exe S: /s'],
      [
        'esp-move-folder',
        { letter: 'S', folder: 'HP' },
        '%SystemRoot%\\System32\\Robocopy.exe S:\\EFI\\HP /data/esp-moved/HP /E /MOVE /COPY:DAT /R:1 /W:1',
      ],
      ['esp-unmount', { letter: 'S' }, '%SystemRoot%\\System32\\mountvol.exe S: /d'],
      [
        'secure-boot-available-updates',
        { value: 0x5944 },
        '%SystemRoot%\\System32\\reg.exe add HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot /v AvailableUpdates /t REG_DWORD /d 0x5944 /f',
      ],
      [
        'secure-boot-task-run',
        {},
        '%SystemRoot%\\System32\\schtasks.exe /Run /TN \\Microsoft\\Windows\\PI\\Secure-Boot-Update',
      ],
    ]
    // PowerShell steps (reset-wu-components): the argv carries the script encoded; the line shows the script.
    const ps: Array<[string, Record<string, unknown>, RegExp]> = [
      [
        'wu-services-stop',
        { services: ['bits', 'wuauserv'] },
        /^& "\$env:SystemRoot\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe" -NoProfile -Command \{ \$action = 'Stop'; \$names = 'bits','wuauserv'; .*Stop-Service -InputObject \$s -Force.*Where-Object \{ \$_\.Status -ne 'Stopped' \}\)\.Count\) \{ exit 1 \} \}$/,
      ],
      [
        'wu-folder-rename',
        { folder: 'catroot2', stamp: '20261123-010000' },
        /^& "\$env:SystemRoot\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe" -NoProfile -Command \{ \$from = Join-Path \$env:SystemRoot 'System32\\catroot2'; \$name = 'catroot2\.sd-20261123-010000'; \$restart = @\(\); .*Rename-Item -LiteralPath \$from -NewName \$name -ErrorAction Stop.*finally \{ if \(\$code -ne 0\) \{ foreach \(\$n in \$restart\) \{ try \{ Start-Service -Name \$n.* exit \$code \}$/,
      ],
      [
        'wu-services-start',
        { services: ['cryptsvc'] },
        /^& "\$env:SystemRoot\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe" -NoProfile -Command \{ \$action = 'Start'; \$names = 'cryptsvc'; .*Where-Object \{ \$_\.Status -ne 'Running' \}\)\.Count\) \{ exit 1 \} \}$/,
      ],
    ]
    cases.push([
      'dism-remove-package',
      { identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.10' },
      '%SystemRoot%\\System32\\Dism.exe /English /Online /Remove-Package /PackageName:Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.10 /NoRestart',
    ])
    // The resume entry is built from this copy's own command (env), which the step must name.
    const own = (kind: string, params: Record<string, unknown>): RepairEnv =>
      kind === 'schedule-resume' ? { ...env, hostKind: 'this-pc', resumeCommand: params.command as string[] } : env
    for (const [kind, params, line] of cases)
      expect(commandLineOf(step('s1-x', kind, params, 't', 'e'), own(kind, params)), kind).toBe(line)
    for (const [kind, params, re] of ps) {
      expect(commandLineOf(step('s1-x', kind, params, 't', 'e'), env), kind).toMatch(re)
      const spec = commandOf(step('s1-x', kind, params, 't', 'e'), env)!
      expect([spec.file, ...spec.args.slice(0, 6)], kind).toEqual([
        'powershell.exe',
        '-NoLogo',
        '-NoProfile',
        '-NonInteractive',
        '-ExecutionPolicy',
        'Bypass',
        '-EncodedCommand',
      ])
    }
    expect(new Set([...cases, ...ps].map((c) => c[0]))).toEqual(new Set(Object.keys(STEP_KINDS)))
    expect(cases).toHaveLength(18)
    expect(ps).toHaveLength(3)
    expect(commandOf(step('s1', 'dism-restore-health', { source: null }, 't', 'e'), env)?.timeoutMs).toBeGreaterThan(0)
    expect(innerCabName('KB5034441', 'x64', 19045)).toBe('Windows10.0-KB5034441-x64.cab')
  })

  it('refuses what is not intent (each case checked)', () => {
    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['format-disk', {}, /Unknown repair step kind 'format-disk'/],
      ['dism-check-health', { extra: '/Source:x' }, /invalid params/],
      ['dism-restore-health', { source: '\\\\evil\\share' }, /invalid params/],
      ['dism-restore-health', { source: { kb: 'KB1; del *', arch: 'x64' } }, /invalid params/],
      ['expand-msu', { kb: 'KB5044285', arch: 'x64', path: 'C:\\Windows' }, /invalid params/],
      ['expand-cab', { kb: 'KB5044285', arch: 'x64', build: 1 }, /invalid params/],
      ['restart', { delaySeconds: -1 }, /invalid params/],
      ['restart', { delaySeconds: '0 & calc' }, /invalid params/],
      ['schedule-resume', { command: [] }, /invalid params/],
      ['esp-move-folder', { letter: 'S', folder: 'Microsoft' }, /invalid params/],
    ]
    for (const [kind, params, re] of bad)
      expect(() => commandOf(step('s1-x', kind, params, 't', 'e'), env), `${kind} ${JSON.stringify(params)}`).toThrow(
        re,
      )
    expect(bad).toHaveLength(10)
    // A resume entry: never without this copy's own command, never one a journal names that is not it.
    const resume = step('s1-r', 'schedule-resume', { command: ['C:\\evil.exe', '/c'] }, 't', 'e')
    expect(() => commandOf(resume, env)).toThrow(/has no resume command here/)
    expect(() =>
      commandOf(resume, {
        ...env,
        hostKind: 'this-pc',
        resumeCommand: ['C:\\Program Files\\Servicing Desk\\Servicing Desk.exe', '--resume-repair', 'restart'],
      }),
    ).toThrow(/not this copy's own/)
    expect(() => kindOf('__proto__')).toThrow(/Unknown repair step kind/)
    expect(() => paramsOf(step('s1', 'sfc-scannow', { a: 1 }, 't', 'e'))).toThrow(/invalid params/)
  })
})

describe('a command built from a kind outside a repair (the fleet scripts)', () => {
  it('is the same argv a repair step of that kind gets, and its params are checked by the kind', () => {
    const viaStep = commandOf(
      step(
        's1',
        'dism-remove-package',
        { identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1.1.1' },
        't',
        'e',
      ),
      env,
    )
    const direct = commandOfKind(
      'dism-remove-package',
      { identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1.1.1' },
      env,
    )
    expect(direct).toEqual(viaStep)
    expect(commandOfKind('esp-mount', { letter: 'Z' }, env).args).toEqual(['Z:', '/s'])
    expect(() => commandOfKind('esp-mount', { letter: 'Z:; format c:' }, env)).toThrow(/invalid params/)
    expect(() => commandOfKind('esp-mount', { letter: 'Z', extra: 1 }, env)).toThrow(/invalid params/)
  })
  it('refuses a kind that runs in the app (it has no command) and a kind nobody registered', () => {
    expect(() => commandOfKind('fetch-package', { kb: 'KB5043080', arch: 'x64' }, env)).toThrow(/runs in the app/)
    expect(() => commandOfKind('no-such-kind' as never, {}, env)).toThrow(/Unknown repair step kind/)
  })
})

describe("a kind's schema", () => {
  it('is built on its first read and is then the same schema at every read (what a listing of offers reads)', () => {
    for (const [name, k] of Object.entries(STEP_KINDS)) {
      const first = k.params
      expect(k.params, name).toBe(first)
      expect(kindOf(name).params, name).toBe(first)
    }
  })
})

describe('training repair output reads like the real captures', () => {
  const corrupt = trainingProfile('x64-component-store-corrupt')!
  const healthy = trainingProfile('x64-healthy')!
  const run = (fn: typeof renderDismCheckHealth, state = corrupt, args: string[] = []) =>
    fn({ state, spec: { name: 'x', file: 'dism.exe', args, timeoutMs: 1 }, options: {} }) as TrainingCommandOutcome

  it('RestoreHealth: the WU-source failure and the success parse as the fixtures do', () => {
    const fail = run(renderDismRestoreHealth, corrupt, ['/English', '/Online', '/Cleanup-Image', '/RestoreHealth'])
    const want = parseDismOutput(fixture('dism-output/restorehealth-source-missing.txt'), 0x800f081f)
    const got = parseDismOutput(fail.stdout, fail.exitCode)
    expect({
      result: got.result,
      errorCode: got.errorCode,
      message: got.message,
      componentStore: got.componentStore,
    }).toEqual({
      result: want.result,
      errorCode: want.errorCode,
      message: want.message,
      componentStore: want.componentStore,
    })
    expect(got.errorCode).toBe('0x800F081F')
    expect(fail.exitCode >>> 0).toBe(0x800f081f)
    const ok = run(renderDismRestoreHealth, healthy, ['/RestoreHealth'])
    const wantOk = parseDismOutput(fixture('dism-output/restorehealth-success.txt'), 0)
    const gotOk = parseDismOutput(ok.stdout, ok.exitCode)
    expect({ result: gotOk.result, componentStore: gotOk.componentStore, errorCode: gotOk.errorCode }).toEqual({
      result: wantOk.result,
      componentStore: wantOk.componentStore,
      errorCode: wantOk.errorCode,
    })
    expect(ok.stdout).toMatch(/\[=+100\.0%=+\] The restore operation completed successfully\./)
  })

  it('Check/ScanHealth say repairable on the corrupt store, healthy elsewhere', () => {
    expect(parseDismOutput(run(renderDismCheckHealth).stdout, 0).componentStore).toBe('repairable')
    expect(parseDismOutput(run(renderDismScanHealth).stdout, 0).componentStore).toBe('repairable')
    expect(parseDismOutput(run(renderDismCheckHealth, healthy).stdout, 0).componentStore).toBe('healthy')
  })

  it("sfc on a healthy store prints the capture's lines", () => {
    const out = run(renderSfcScannow, healthy)
      .stdout.split(/\r\n/)
      .filter((l) => l !== '')
    expect(out).toEqual(
      fixture('sfc/scannow-no-violations.txt')
        .split('\n')
        .filter((l) => l !== ''),
    )
    expect(run(renderSfcScannow).stdout).toContain(
      'Windows Resource Protection found corrupt files but was unable to fix some of them.',
    )
  })
})
