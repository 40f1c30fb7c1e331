/**
 * "Every package is verified before it runs", for WinRE: the Safe OS update package is hashed
 * right before the step that adds it to the mounted winre.wim and compared with the Catalog's hashes the
 * repair recorded. Bytes swapped between the download and that step are refused: DISM never gets the
 * add-package command, the run ends failed naming the file, and nothing after it runs.
 */
import { describe, it, expect } from 'vitest'
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { createWinreService } from '../../../main/winre/winre-service.ts'
import type { CommandSpec, Host } from '../../../main/host/host.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const wref: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }

/** Records every command the runner hands the machine. */
function recordingHost(inner: Host, log: CommandSpec[]): Host {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'run')
        return (spec: CommandSpec, opts?: unknown) => {
          log.push(spec)
          return (target.run as (s: CommandSpec, o?: unknown) => Promise<unknown>)(spec, opts)
        }
      const v = Reflect.get(target, prop, receiver)
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
}

function setup() {
  const dir = tempDirSync('sd-sec-safeos-')
  const store = new TrainingStore(dir)
  const machine = (r: MachineRef) => new TrainingHost((r as { name: string }).name, store)
  const log: CommandSpec[] = []
  const winre = createWinreService({
    dataDir: dir,
    hostFor: (r) => recordingHost(machine(r), log),
    scan: (r) => scanMachine(machine(r)),
  })
  return { dir, winre, log }
}

describe('WinRE Safe OS package re-hashed right before its step', () => {
  const tamper: { name: string; when: 'before-run' | 'after-mount'; change: (path: string) => void; says: RegExp }[] = [
    {
      name: 'replaced with random bytes of the same size before the run',
      when: 'before-run',
      change: (p) => writeFileSync(p, randomBytes(statSync(p).size)),
      says: /is not the file that was verified/,
    },
    {
      name: 'one byte flipped after the image was mounted',
      when: 'after-mount',
      change: (p) => {
        const b = readFileSync(p)
        b[b.length >> 1] ^= 0xff
        writeFileSync(p, b)
      },
      says: /is not the file that was verified/,
    },
    {
      name: 'cut short by one byte after the image was mounted',
      when: 'after-mount',
      change: (p) => truncateSync(p, statSync(p).size - 1),
      says: /is not the file that was verified/,
    },
    {
      name: 'one byte appended before the run',
      when: 'before-run',
      change: (p) => writeFileSync(p, Buffer.concat([readFileSync(p), Buffer.from([0])])),
      says: /is not the file that was verified/,
    },
    {
      name: 'removed after the image was mounted',
      when: 'after-mount',
      change: (p) => rmSync(p),
      says: /cannot be read at .*ENOENT/,
    },
  ]

  it(`swapped bytes (${tamper.length} cases): refused before DISM sees the file; the run ends failed`, {
    timeout: hangMs(300_000),
  }, async () => {
    let ran = 0
    for (const c of tamper) {
      const { winre, log } = setup()
      const { repair } = await winre.report(wref)
      const pkg = repair.safeOsPackage
      expect(pkg, c.name).not.toBeNull()
      expect(pkg!.sha1 ?? pkg!.sha256, c.name).toMatch(/^[0-9a-f]{40,64}$/)
      const mount = repair.steps.find((s) => s.op === 'dism-mount-image')!
      if (c.when === 'before-run') c.change(pkg!.path)
      const run = await winre.repair(wref, repair.id, {
        checkpointHook: (point) => {
          if (c.when === 'after-mount' && point === `command:${mount.id}`) c.change(pkg!.path)
        },
      })
      expect(run.status, c.name).toBe('failed')
      const add = run.results.find((r) => r.stepId === repair.steps.find((s) => s.op === 'dism-add-package')!.id)
      expect(add?.ok, c.name).toBe(false)
      expect(add?.exitCode, c.name).toBeNull()
      expect(add?.output, c.name).toMatch(c.says)
      // Nothing after it ran: no cleanup, unmount, enable.
      const addIndex = repair.steps.findIndex((s) => s.op === 'dism-add-package')
      for (const later of repair.steps.slice(addIndex + 1))
        expect(
          run.results.some((r) => r.stepId === later.id),
          `${c.name}: ${later.op}`,
        ).toBe(false)
      // DISM was never handed the package; the commands before it did run.
      expect(
        log.map((x) => x.name),
        c.name,
      ).toContain('winre.dism-mount-image')
      expect(
        log.map((x) => x.name),
        c.name,
      ).not.toContain('winre.dism-add-package')
      ran++
    }
    expect(ran).toBe(5)
  })

  it('the untouched file passes: the step runs and its output records the re-hash', {
    timeout: hangMs(600_000),
  }, async () => {
    const { winre, log } = setup()
    const { repair } = await winre.report(wref)
    const run = await winre.repair(wref, repair.id)
    expect(log.map((x) => x.name)).toContain('winre.dism-add-package')
    expect(run.status).toBe('completed')
    const add = run.results.find((r) => r.stepId === repair.steps.find((s) => s.op === 'dism-add-package')!.id)
    expect(add?.ok).toBe(true)
    expect(add?.output).toMatch(/Re-hashed right before the step: .* SHA-1 [0-9a-f]{40}.* match the Catalog/)
  })
})
