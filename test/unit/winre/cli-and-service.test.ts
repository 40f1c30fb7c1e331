/**
 * `servicing-desk winre` as a person runs it (the CLI's program in this process, runCliInProcess; the refusal without a
 * terminal as a child process with stdin closed, the boundary it tests), and the service's refusals.
 */
import { describe, it, expect, beforeEach } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { createWinreService } from '../../../main/winre/winre-service.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { CLI } from '../../cli-script.ts'
import { runCliInProcess } from '../cli-child.ts'

let home: string
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sd-winre-cli-'))
  return () => rmSync(home, { recursive: true, force: true })
})
const cli = (...args: string[]) => runCliInProcess(home, args)
function child(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SERVICING_DESK_HOME: home },
    input: '',
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('servicing-desk winre', () => {
  it('--json prints {health, repair} only; the text report shows the layout and every command', async () => {
    const r = await cli('winre', '--machine', 'x64-winre-partition-full', '--json')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.health.expected).toMatchObject({ verdict: 'stale', kb: 'KB5087593', verified: false })
    expect(out.repair.steps.length).toBe(11)
    const t = await cli('winre', '--machine', 'x64-winre-partition-full')
    expect(t.stdout).toMatch(/> {2}4 recovery +529 MB +83 MB free/)
    expect(t.stdout).toContain('diskpart.exe /s C:\\ProgramData\\ServicingDesk\\winre\\resize-recovery.txt')
    expect(t.stdout).toContain('nothing runs until you confirm')
  })

  it('reads a snapshot file (read-only: the repair is shown, never run)', async () => {
    const snap = await cli('scan', '--machine', 'arm64-winre-disabled', '--json')
    const file = join(home, 'snap.json')
    writeFileSync(file, snap.stdout)
    const r = await cli('winre', '--snapshot', file, '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).repair.notes.join(' ')).toMatch(/snapshot of another PC/)
    const refuse = await cli('winre', '--snapshot', file, 'repair', '--yes')
    expect(refuse.code).toBe(2)
    expect(refuse.stderr).toMatch(/read-only/)
  })

  it('repair without --yes and without a terminal refuses and changes nothing', async () => {
    const r = child('winre', 'repair', '--machine', 'arm64-winre-disabled')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/No terminal to confirm on/)
    expect(
      JSON.parse((await cli('winre', '--machine', 'arm64-winre-disabled', '--json')).stdout).health.winre.status,
    ).toBe('disabled')
  })

  it('repair --yes --json on arm64-winre-disabled: completed, verified; a second run has nothing to do', async () => {
    const r = await cli('winre', 'repair', '--machine', 'arm64-winre-disabled', '--yes', '--json')
    expect(r.code).toBe(0)
    const run = JSON.parse(r.stdout)
    expect(run).toMatchObject({
      status: 'completed',
      runner: 'host-sequence',
      verification: { verified: true, after: { status: 'enabled', version: '10.0.26100.8455' } },
    })
    const again = JSON.parse(
      (await cli('winre', '--machine', 'arm64-winre-disabled', 'repair', '--yes', '--json')).stdout,
    )
    expect(again.results).toEqual([])
  })
})

describe('the WinRE service refuses what it must', () => {
  it('an unknown id, another machine, a snapshot, and a machine that changed since the repair was shown', async () => {
    const store = new TrainingStore(home)
    const name = (ref: MachineRef) => (ref as { name: string }).name
    const svc = createWinreService({
      dataDir: home,
      hostFor: (ref) => new TrainingHost(name(ref), store),
      scan: (ref) => scanMachine(new TrainingHost(name(ref), store)),
    })
    const ref: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }
    await expect(svc.repair(ref, 'nope')).rejects.toThrow(/No WinRE repair with id 'nope'/)
    await expect(svc.repair(ref, '../../etc')).rejects.toThrow(/Invalid repair id/)
    const { repair } = await svc.report(ref)
    await expect(svc.repair({ kind: 'training', name: 'x64-healthy' }, repair.id)).rejects.toThrow(/another machine/)
    await expect(svc.repair({ kind: 'snapshot', id: 'abc' }, repair.id)).rejects.toThrow(/read-only/)
    // Someone enables WinRE by hand after the repair was shown: the shown commands no longer fit.
    await new TrainingHost('arm64-winre-disabled', store).run({
      name: 'winre.reagentc-enable',
      file: 'reagentc.exe',
      args: ['/enable'],
      timeoutMs: 1000,
    })
    await expect(svc.repair(ref, repair.id)).rejects.toThrow(/changed since this repair was shown/)
  })

  it('a failed step stops the run: nothing after it runs, and there is no verification', async () => {
    const store = new TrainingStore(home)
    const name = (ref: MachineRef) => (ref as { name: string }).name
    const svc = createWinreService({
      dataDir: home,
      hostFor: (ref) => new TrainingHost(name(ref), store),
      scan: (ref) => scanMachine(new TrainingHost(name(ref), store)),
    })
    const ref: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }
    const { repair } = await svc.report(ref)
    // Make the Safe OS add fail: the mount folder is taken by another mounted image.
    await new TrainingHost('arm64-winre-disabled', store).run({
      name: 'winre.dism-mount-image',
      file: 'dism.exe',
      args: [
        '/Mount-Image',
        '/ImageFile:C:\\Windows\\System32\\Recovery\\Winre.wim',
        '/Index:1',
        '/MountDir:C:\\elsewhere',
      ],
      timeoutMs: 1000,
    })
    const run = await svc.repair(ref, repair.id)
    expect(run.status).toBe('failed')
    expect(run.results.at(-1)).toMatchObject({ stepId: 's2-dism-mount-image', ok: false })
    expect(run.results).toHaveLength(2)
    expect(run.verification).toBeNull()
  })
})
