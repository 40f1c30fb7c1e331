/**
 * The technician's flow through the contract, as the app calls it: the collector saved (the app's save
 * dialog, or its content for the preview's download), a collector file opened, the fix package built into a folder
 * picked for it (folder and zip, what it does in plain words), rehearsed on a model of that PC, and the proof — the
 * same comparison `proof --before --after` prints.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall, type Handlers } from '../../../main/handlers.ts'
import { collectorScript } from '../../../main/collector/collector-script.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { CLI } from '../../cli-script.ts'
import { hangMs } from '../../load.ts'

const dir = tempDirSync('sd-fixflow-')
const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })

async function call<T>(h: Handlers, name: Parameters<typeof invokeCall>[1], input: unknown): Promise<T> {
  const r = await invokeCall(h, name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

describe('saveCollector', () => {
  it("saves the collector through the front end's save dialog, as Collect-ServicingFacts.ps1, the same script the CLI writes", async () => {
    const saved: { name: string; content: string }[] = []
    const h = createHandlers(services, {
      saveFile: async (name, content) => {
        saved.push({ name, content })
        return `C:\\Users\\tech\\Documents\\${name}`
      },
    })
    const out = await call<{ saveStatus: string; savedTo: string; content: string; runCommand: string }>(
      h,
      'saveCollector',
      {},
    )
    expect(saved.map((s) => s.name)).toEqual(['Collect-ServicingFacts.ps1'])
    expect(saved[0]!.content).toBe(collectorScript({ version: services.appVersion }))
    expect(out).toMatchObject({
      saveStatus: 'saved',
      savedTo: 'C:\\Users\\tech\\Documents\\Collect-ServicingFacts.ps1',
    })
    expect(out.runCommand).toBe('powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\Collect-ServicingFacts.ps1')
  })
  it('without a save dialog (the preview) hands back the script for the page to download, and says it was not saved', async () => {
    const out = await call<{ saveStatus: string; savedTo: string | null; content: string }>(
      createHandlers(services),
      'saveCollector',
      {},
    )
    expect(out.saveStatus).toBe('unavailable')
    expect(out.savedTo).toBeNull()
    expect(out.content).toBe(collectorScript({ version: services.appVersion }))
  })
})

describe('collector file → fix package → rehearsal → proof, through the contract', () => {
  it('x64-component-store-corrupt: the package is the whole-PC plan (the store, the newest update, WinRE); the rehearsal ends verified and the proof says fixed', {
    timeout: hangMs(600_000),
  }, async () => {
    const h = createHandlers(services)
    const zip = await services.collect({ kind: 'training', name: 'x64-component-store-corrupt' })
    const { id } = await call<{ id: string }>(h, 'importSnapshot', {
      content: zip.toString('base64'),
      encoding: 'base64',
    })
    // A folder picked for a kit is not one to write a fix package into.
    const kitFolder = await call<{ handle: string }>(h, 'pickFolder', { purpose: 'kit-export' })
    const refused = await invokeCall(h, 'buildFixPackage', { snapshot: id, folder: kitFolder.handle })
    expect(refused.ok).toBe(false)
    expect(!refused.ok && refused.error.code).toBe('forbidden')
    const folder = await call<{ handle: string; label: string }>(h, 'pickFolder', { purpose: 'fix-package' })
    const progress: { label: string; fraction: number | null }[] = []
    const pkg = await invokeCall(
      h,
      'buildFixPackage',
      { snapshot: id, folder: folder.handle, operationId: 'op-1' },
      { emit: (_e, p) => progress.push(p as never) },
    )
    if (!pkg.ok) throw new Error(pkg.error.message)
    expect(pkg.value.folderLabel).toBe(folder.label)
    expect(existsSync(join(folder.label, 'Fix-HD-DESK-114.ps1'))).toBe(true)
    expect(existsSync(pkg.value.zipLabel)).toBe(true)
    // The newest cumulative update of 23H2, not the failed KB5046633 (the newest includes it).
    expect(pkg.value.kb).toBe('KB5129242')
    // What it does, in plain words and in the order the script runs it (the whole-PC plan's): README.txt's own list.
    expect(pkg.value.doesInOrder[0]).toMatch(/^repair: .*component store/i)
    expect(pkg.value.doesInOrder[1]).toMatch(/^install the update KB5129242/)
    expect(pkg.value.doesInOrder[2]).toMatch(/^repair the Windows Recovery Environment/)
    expect(pkg.value.doesInOrder.at(-1)).toMatch(/after/)
    const readme = readFileSync(join(folder.label, 'README.txt'), 'utf8')
    for (const line of pkg.value.doesInOrder) expect(readme).toContain(line)
    expect(progress.some((p) => /Building the kit for KB5129242/.test(p.label))).toBe(true)
    expect(progress.at(-1)?.fraction).toBe(1)

    const steps: { label: string; fraction: number | null }[] = []
    const r = await invokeCall(
      h,
      'rehearseFixPackage',
      { package: pkg.value.id, operationId: 'op-2' },
      { emit: (_e, p) => steps.push(p as never) },
    )
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.machine).toBe('import-hd-desk-114')
    expect(
      r.value.steps.every((s) => s.outcome === 'verified'),
      JSON.stringify(r.value.steps),
    ).toBe(true)
    expect(r.value.steps[0]!.title).toMatch(/^Repair: .*component store/i)
    expect(r.value.steps[1]!.title).toBe("Install KB5129242 from the package's kit")
    expect(r.value.steps.at(-1)!.title).toBe('Repair the recovery environment (WinRE)')
    // The rehearsal runs what the package does, in its order: a step per line, less the after file's collection.
    expect(r.value.steps).toHaveLength(pkg.value.doesInOrder.length - 1)
    // Every problem found before is gone and nothing is new: the PC is at its branch's newest update, so "fixed".
    expect(r.value.proof.remaining).toEqual([])
    expect(r.value.proof.added).toEqual([])
    expect(r.value.proof.verdict).toBe('fixed')
    expect(r.value.proof.resolved.map((f) => f.id)).toContain('component-store-corruption')
    expect(r.value.proof.after.build).toBe('22631.7584')
    // Progress climbs from 0 to 1 through the steps.
    const fr = steps.map((s) => s.fraction).filter((f): f is number => f !== null)
    expect(fr[0]).toBe(0)
    expect(fr.at(-1)).toBe(1)
    expect([...fr].sort((a, b) => a - b)).toEqual(fr)

    // The proof again, from the two files, is the CLI's `proof --before --after --json`.
    const again = await call<unknown>(h, 'compareSnapshots', { before: id, after: r.value.after })
    expect(again).toEqual(r.value.proof)
    services.resetTrainingMachine('import-hd-desk-114')
  })

  it('x64-store-corrupt-iso: the file holds no CBS.log, so the store repair is "not rehearsed", never verified, and the proof never says resolved; the first file offered as the after file is refused', {
    timeout: hangMs(600_000),
  }, async () => {
    const h = createHandlers(services)
    const zip = await services.collect({ kind: 'training', name: 'x64-store-corrupt-iso' })
    const { id } = await call<{ id: string }>(h, 'importSnapshot', {
      content: zip.toString('base64'),
      encoding: 'base64',
    })
    const folder = await call<{ handle: string; label: string }>(h, 'pickFolder', { purpose: 'fix-package' })
    const pkg = await call<{ id: string; doesInOrder: string[]; runOnPc?: string[] }>(h, 'buildFixPackage', {
      snapshot: id,
      folder: folder.handle,
    })
    // The build step says how the person at the PC runs the package (its README.txt's own lines).
    expect(pkg.runOnPc?.join('\n')).toContain(
      "& (Join-Path $env:SystemRoot 'System32\\WindowsPowerShell\\v1.0\\powershell.exe') -NoProfile -ExecutionPolicy Bypass -File .\\Fix-HD-DESK-117.ps1",
    )
    expect(readFileSync(join(folder.label, 'README.txt'), 'utf8')).toContain('-File .\\Fix-HD-DESK-117.ps1')
    const r = await call<{
      steps: { title: string; outcome: string; detail: string; technical?: string }[]
      proof: { verdict: string; resolved: { id: string }[]; notRehearsed?: { id: string; lacks: string }[] }
    }>(h, 'rehearseFixPackage', { package: pkg.id })
    expect(r.steps[0]!.title).toMatch(/component store/i)
    expect(r.steps[0]!.outcome).toBe('not-rehearsed')
    // Plain words in front, the log's name on the technical part.
    expect(r.steps[0]!.detail).toMatch(/^Not rehearsed: the snapshot lacks the evidence of this problem/)
    expect(r.steps[0]!.technical).toMatch(/^Not rehearsed: the snapshot lacks a CBS\.log/)
    expect(r.proof.verdict).toBe('not-rehearsed')
    expect(r.proof.notRehearsed?.map((f) => f.id)).toEqual(['component-store-corruption'])
    expect(r.proof.resolved.map((f) => f.id)).not.toContain('component-store-corruption')
    // The first file again as the after file: the same id, or the same zip opened a second time.
    const same = await invokeCall(h, 'compareSnapshots', { before: id, after: id })
    expect(!same.ok && same.error.message).toMatch(/That is the first file again/)
    const again = await call<{ id: string }>(h, 'importSnapshot', {
      content: zip.toString('base64'),
      encoding: 'base64',
    })
    const reopened = await invokeCall(h, 'compareSnapshots', { before: id, after: again.id })
    expect(!reopened.ok && reopened.error.message).toMatch(/That is the first file again/)
    services.resetTrainingMachine('import-hd-desk-117')
  })

  it('a package id or snapshot id the session did not make is refused with a plain sentence', async () => {
    const h = createHandlers(services)
    const r = await invokeCall(h, 'rehearseFixPackage', { package: 'fp-AAAAAAAAAAAAAAAAAAAAAA' })
    expect(!r.ok && r.error.message).toMatch(/not built in this session/)
    const c = await invokeCall(h, 'compareSnapshots', { before: 'abc', after: 'def' })
    expect(!c.ok && c.error.message).toMatch(/open the collector file again/)
  })
})

describe("the CLI's proof is the same comparison", () => {
  it('proof --before A --after B --json prints what compareSnapshots returns', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = join(dir, 'cli-home')
    const a = join(dir, 'a.zip'),
      b = join(dir, 'b.zip')
    const cli = (args: string[]) =>
      execFileSync(process.execPath, [CLI, ...args], {
        env: { ...process.env, SERVICING_DESK_HOME: home },
        encoding: 'utf8',
      })
    cli(['scan', '--machine', 'x64-pending-restart', '--out', a, '--json'])
    cli(['repair', 'restart', '--machine', 'x64-pending-restart', '--yes', '--json'])
    cli(['scan', '--machine', 'x64-pending-restart', '--out', b, '--json'])
    const printed = JSON.parse(cli(['proof', '--before', a, '--after', b, '--json']))
    const h = createHandlers(services)
    const ids = []
    for (const f of [a, b])
      ids.push(
        (
          await call<{ id: string }>(h, 'importSnapshot', {
            content: readFileSync(f).toString('base64'),
            encoding: 'base64',
          })
        ).id,
      )
    expect(await call(h, 'compareSnapshots', { before: ids[0], after: ids[1] })).toEqual(printed)
    // The restart is done, but the update that failed before it (KB5095011) is still not installed: partly fixed
    // until its install verifies ("done" means the update is installed).
    expect(printed.verdict).toBe('partly-fixed')
  })
})

describe("fix-package --rehearse: the app's flow from the command line", () => {
  it('builds the package from the collector file, rehearses it (each step verified) and prints the proof: fixed (the package installs the newest update too)', {
    timeout: hangMs(600_000),
  }, () => {
    const home = join(dir, 'cli-rehearse')
    const before = join(dir, 'wu-before.zip')
    const run = (args: string[]) =>
      execFileSync(process.execPath, [CLI, ...args], {
        env: { ...process.env, SERVICING_DESK_HOME: home },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
    run(['scan', '--machine', 'x64-wu-components-broken', '--out', before, '--json'])
    const out = JSON.parse(
      run(['fix-package', '--snapshot', before, '--out', join(dir, 'wu-pkg'), '--rehearse', '--json']),
    )
    expect(out.package.doesInOrder[0]).toMatch(/^repair: Reset the Windows Update components/)
    expect(out.rehearsal.steps.map((s: { outcome: string }) => s.outcome)).toEqual(['verified', 'verified'])
    expect(out.package.doesInOrder[1]).toMatch(/^install the update KB5129195/)
    expect(out.rehearsal.proof.remaining).toEqual([])
    expect(out.rehearsal.proof.added).toEqual([])
    expect(out.rehearsal.proof.verdict).toBe('fixed')
    expect(out.rehearsal.proof.resolved.map((f: { id: string }) => f.id)).toContain('wu-components')
  })
})
