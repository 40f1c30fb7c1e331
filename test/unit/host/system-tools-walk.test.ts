/**
 * Every program the app starts is named from the System32 table (main/host/system-tools.ts). This walks
 * every command the builders produce — install steps, WinRE repair steps, every repair step kind (the
 * Fix-its and the restore-health rungs are made of them), the scan's probes on a training machine, the
 * one-off commands (servicing level, WIM info, CBS persist, signature, data-folder ACLs) — and every
 * `file:` the sources name, and fails on a bare name outside the table or on any path. The real host then
 * refuses such a name before it starts anything (a planted shutdown.exe beside the exe never runs).
 */
import { describe, it, expect } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { isSystemTool, systemToolPath, SYSTEM_TOOLS, UnknownProgramError } from '../../../main/host/system-tools.ts'
import { resolveSystemTool, WindowsHost } from '../../../main/host/windows-host.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import type { CommandResult, CommandSpec, Host, RunOptions } from '../../../main/host/host.ts'
import { STEP_KINDS, commandOf } from '../../../main/repair/step-kinds.ts'
import { step, type RepairEnv } from '../../../main/repair/types.ts'
import { buildStep } from '../../../main/install/step-commands.ts'
import { StepKindSchema, type PlanPackage, type PlanScope } from '../../../preload/model/plan.ts'
import { winreSpec } from '../../../main/winre/step-builder.ts'
import { WinreOpSchema } from '../../../preload/model/winre.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { wimInfoSpec } from '../../../main/repair/media.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { REPAIR_DEFINITIONS } from '../../../main/repair/definitions/index.ts'
import { hangMs } from '../../load.ts'

const ROOT = join(import.meta.dirname, '../../..')

function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...sources(p))
    else if (/\.tsx?$/.test(name)) out.push(p)
  }
  return out
}

describe('the System32 table', () => {
  it('names every tool the issue found missing, each under System32, and nothing resolves outside %SystemRoot%', () => {
    for (const t of [
      'shutdown.exe',
      'manage-bde.exe',
      'mountvol.exe',
      'robocopy.exe',
      'diskpart.exe',
      'reg.exe',
      'dism.exe',
      'powershell.exe',
    ]) {
      expect(systemToolPath(t, 'C:\\Windows'), t).toMatch(/^C:\\Windows\\System32\\[^\\]/)
    }
    for (const rel of Object.values(SYSTEM_TOOLS)) expect(rel).not.toMatch(/\.\.|^[\\/]|:/)
  })

  it('refuses a bare name outside it, any path, and look-alikes (on the real host before anything starts)', async () => {
    for (const bad of [
      'evil.exe',
      'shutdown',
      'D:\\kit\\shutdown.exe',
      '.\\shutdown.exe',
      'C:shutdown.exe',
      'System32\\reg.exe',
      'reg.exe ',
      '__proto__',
      'constructor',
    ]) {
      expect(() => resolveSystemTool(bad, 'win32', 'C:\\Windows'), bad).toThrow(UnknownProgramError)
      expect(isSystemTool(bad), bad).toBe(false)
    }
    expect(resolveSystemTool('SHUTDOWN.EXE', 'win32', 'C:\\Windows')).toBe('C:\\Windows\\System32\\shutdown.exe')
    const host = new WindowsHost({ platform: 'win32', systemRoot: 'C:\\Windows', oemCodePage: 437 })
    await expect(host.run({ name: 'x.planted', file: 'planted.exe', args: [], timeoutMs: 1000 })).rejects.toThrow(
      /System32 table/,
    )
  })

  it('the training machines refuse the same names (so every flow test run on one checks its programs)', async () => {
    const host = new TrainingHost('x64-healthy', new TrainingStore(tempDirSync('sd-tools-')))
    await expect(
      host.run({ name: 'install.restart', file: 'shutdown', args: ['/r'], timeoutMs: 1000 }),
    ).rejects.toThrow(UnknownProgramError)
    await expect(
      host.run({ name: 'install.restart', file: 'C:\\Users\\x\\shutdown.exe', args: ['/r'], timeoutMs: 1000 }),
    ).rejects.toThrow(UnknownProgramError)
  })
})

describe('every command the builders produce names a table program', () => {
  const seen = new Set<string>()
  const check = (what: string, spec: Pick<CommandSpec, 'file'>) => {
    expect(isSystemTool(spec.file), `${what}: '${spec.file}'`).toBe(true)
    seen.add(spec.file.toLowerCase())
  }

  it('repair step kinds (every Fix-it and restore-health rung is built from these)', () => {
    const env: RepairEnv = {
      hostKind: 'this-pc',
      dataDir: 'C:\\ProgramData\\ServicingDesk',
      resumeCommand: ['C:\\sd\\sd.exe', 'repair', 'restart'],
    }
    const params: Record<string, Array<Record<string, unknown>>> = {
      'dism-check-health': [{}],
      'dism-scan-health': [{}],
      'sfc-scannow': [{}],
      'dism-restore-health': [{ source: null }, { source: { kb: 'KB5044285', arch: 'x64' } }],
      'dism-restore-health-media': [
        { letter: 'E', file: 'install.wim', index: 2 },
        { letter: 'D', file: 'install.esd', index: 1 },
      ],
      'expand-msu': [{ kb: 'KB5044285', arch: 'x64' }],
      'expand-cab': [{ kb: 'KB5044285', arch: 'x64', build: 22631 }],
      restart: [{ delaySeconds: 0 }],
      'schedule-resume': [{ command: ['C:\\sd\\sd.exe', 'repair', 'restart'] }],
      'fetch-package': [{ kb: 'KB5044285', arch: 'x64' }],
      'esp-mount': [{ letter: 'S' }],
      'esp-move-folder': [{ letter: 'S', folder: 'HP' }],
      'esp-unmount': [{ letter: 'S' }],
      'dism-remove-package': [{ identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.10' }],
      'secure-boot-available-updates': [{ value: 0x5944 }],
      'secure-boot-task-run': [{}],
      'wu-services-stop': [{ services: ['bits', 'wuauserv'] }],
      'wu-folder-rename': [{ folder: 'catroot2', stamp: '20261123-010000' }],
      'wu-services-start': [{ services: ['cryptsvc'] }],
    }
    expect(Object.keys(params).sort()).toEqual(Object.keys(STEP_KINDS).sort())
    let built = 0
    for (const [kind, list] of Object.entries(params)) {
      for (const p of list) {
        const spec = commandOf(step('s1-x', kind, p, 't', 'e'), env)
        if (spec) {
          check(`repair ${kind}`, spec)
          built++
        }
      }
    }
    expect(built).toBeGreaterThanOrEqual(18)
  })

  it('install plan steps of every kind and scope', () => {
    const pkg: PlanPackage = {
      kb: 'KB5044285',
      fileName: 'windows11.0-kb5044285-x64.msu',
      arch: 'x64',
      sha1: null,
      sha256: null,
      path: 'C:\\ProgramData\\ServicingDesk\\downloads\\windows11.0-kb5044285-x64.msu',
      role: 'target',
      build: 22631,
      ubr: 4317,
      sizeBytes: null,
    }
    const scopes: PlanScope[] = [
      { kind: 'online' },
      { kind: 'image', dir: 'C:\\mnt', wim: { path: 'C:\\w\\install.wim', index: 1 } },
    ]
    let built = 0
    for (const kind of StepKindSchema.options) {
      for (const scope of scopes) {
        try {
          const b = buildStep(
            { scope, packages: [pkg] },
            { id: 's1', kind, packages: kind === 'add-package' ? [pkg.fileName] : [] },
            { resumeCommand: ['C:\\sd\\sd.exe', 'install', '--resume'] },
          )
          check(`install ${kind} (${scope.kind})`, b.command)
          built++
        } catch (err) {
          // Only the builder's own refusals (a kind that does not belong to that scope).
          expect((err as Error).name, `${kind}: ${(err as Error).message}`).toBe('StepIntentError')
        }
      }
    }
    expect(built).toBeGreaterThanOrEqual(6)
  })

  it('WinRE repair steps of every op', () => {
    const repair = {
      safeOsPackage: {
        kb: 'KB5034440',
        fileName: 'x.cab',
        path: 'C:\\ProgramData\\ServicingDesk\\downloads\\x.cab',
        sha1: null,
        sha256: null,
        sizeBytes: null,
      },
    } as unknown as Parameters<typeof winreSpec>[0]
    for (const op of WinreOpSchema.options) {
      const resize =
        op === 'write-diskpart-script' ? { disk: 0, osPartition: 3, recoveryPartition: 4, sizeBytes: null } : null
      check(`winre ${op}`, winreSpec(repair, { id: 's1', op, resize } as Parameters<typeof winreSpec>[1]))
    }
    check('wim info', wimInfoSpec('E', 'install.wim'))
  })

  it('the scan probes (recorded on a training machine)', async () => {
    const inner = new TrainingHost('x64-healthy', new TrainingStore(tempDirSync('sd-tools-scan-')))
    const files: string[] = []
    const recording: Host = {
      info: () => inner.info(),
      run: (spec: CommandSpec, o?: RunOptions): Promise<CommandResult> => {
        files.push(spec.file)
        return inner.run(spec, o)
      },
      openRead: (p) => inner.openRead(p),
      listDir: (p) => inner.listDir(p),
      exists: (p) => inner.exists(p),
    }
    await scanMachine(recording)
    expect(files.length).toBeGreaterThan(5)
    for (const f of files) check('scan probe', { file: f })
  })

  it('every Fix-it the training machines are offered: the command of each step starts with a table program (or runs in the app)', {
    timeout: hangMs(600_000),
  }, async () => {
    const services = createServices({ dataDir: tempDirSync('sd-tools-fixit-'), platform: 'linux' })
    const offered = new Set<string>()
    let steps = 0
    for (const p of trainingProfiles) {
      const { offers } = await services.repairs.offers({ kind: 'training', name: p.name })
      for (const o of offers) {
        offered.add(o.repairId)
        for (const st of o.steps) {
          // Shown by its full path under %SystemRoot%: the path is the table's for that program.
          const path = /^(?:%SystemRoot%\\|& "\$env:SystemRoot\\)([^" ]+)/.exec(st.commandLine)?.[1] ?? ''
          const first = path.split('\\').pop()!
          expect(
            st.commandLine.startsWith('(in the app)') ||
              (isSystemTool(first) && SYSTEM_TOOLS[first.toLowerCase()]!.toLowerCase() === path.toLowerCase()),
            `${p.name} ${o.repairId} ${st.id}: ${st.commandLine.slice(0, 80)}`,
          ).toBe(true)
          if (!st.commandLine.startsWith('(in the app)')) seen.add(first.toLowerCase())
          steps++
        }
      }
    }
    // Every Fix-it definition is offered on some training machine, so each was walked.
    expect([...offered].sort()).toEqual(REPAIR_DEFINITIONS.map((d) => d.id).sort())
    expect(steps).toBeGreaterThan(15)
  })

  it('every `file:` a source names is a table program (nothing new slips in as a bare name)', () => {
    const files = sources(join(ROOT, 'main')).filter((f) => !relative(ROOT, f).startsWith(join('main', 'training')))
    let literals = 0
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      // `file: 'x.exe'` in a spec, and install's `command('name', 'x.exe', …)`.
      for (const m of text.matchAll(/\bfile:\s*'([^'\n]*)'\s*[,}]|\bcommand\('[a-z0-9.-]+',\s*'([^'\n]*)'/g)) {
        const name = m[1] ?? m[2]
        if (name === 'install.wim' || name === 'install.esd') continue // an install medium's image file, not a program
        expect(isSystemTool(name), `${relative(ROOT, f)}: '${name}'`).toBe(true)
        literals++
      }
    }
    expect(literals).toBeGreaterThan(30)
    // Every tool the app names is one the builders above produced (the table has no stale entries it needs).
    for (const t of [
      'shutdown.exe',
      'robocopy.exe',
      'mountvol.exe',
      'diskpart.exe',
      'dism.exe',
      'reg.exe',
      'powershell.exe',
    ])
      expect(seen.has(t), t).toBe(true)
  })
})
