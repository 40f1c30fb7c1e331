/**
 * `media update` through the engine: a run on the training media reaches the target on every layer and
 * proves it by reading the medium again; killed at every boundary (each journal write, each command's end) the
 * same call again finishes it with nothing committed twice and no mount left; the FAT32 stick ends in .swm parts
 * under 4 GB; the ARM64 stick gets ARM64 packages only; a stale mount is cleaned only after a yes; bad input is a
 * clear error that changes nothing.
 */
import { describe, it, expect } from 'vitest'
import { existsSync } from 'node:fs'
import { tempDirSync } from '../temp-dirs.ts'
import { runCli, runCliInProcess } from '../cli-child.ts'
import { TrainingMediaStore, type TrainingMediumState } from '../../../main/media/training/state.ts'
import { MediaJournalStore, type MediaJournal } from '../../../main/media/journal.ts'
import { updateMedium, type MediaUpdateOptions, type MediaUpdateOutcome } from '../../../main/media/update.ts'
import { FAT32_MAX_FILE } from '../../../main/media/plan.ts'
import { ruleFor } from '../../../main/runner/resume-rules.ts'
import { FULL, boundarySample, sampleNote } from '../../sample.ts'
import { hangMs } from '../../load.ts'

const KB = 'KB5086672'
const yes: MediaUpdateOptions['confirm'] = async () => true

function run(home: string, medium: string, opts: MediaUpdateOptions = {}, kb = KB): Promise<MediaUpdateOutcome> {
  return updateMedium(medium, kb, { dataDir: home, store: new TrainingMediaStore(home) }, { confirm: yes, ...opts })
}

/** What must be the same after any interrupted run and its rerun: every layer's build, packages, the .swm parts, the mounts. */
function mediumState(home: string, name: string) {
  const s: TrainingMediumState = new TrainingMediaStore(home).load(name)
  const img = (
    w: {
      images: Array<{ index: number; ubr: number; packages: string[]; winre?: { ubr: number; packages: string[] } }>
    } | null,
  ) =>
    (w?.images ?? []).map(
      (i) =>
        `${i.index}:${i.ubr}:${i.packages.join('+')}${i.winre ? `|winre ${i.winre.ubr}:${i.winre.packages.join('+')}` : ''}`,
    )
  return {
    install: img(s.medium.install),
    swm: s.medium.swm ? { parts: s.medium.swm.parts, images: img({ images: s.medium.swm.images }) } : null,
    boot: img(s.medium.boot),
    mounts: s.mounts.map((m) => m.dir),
  }
}

class Crash extends Error {}

/** The FAT32 stick as an earlier month's update left it: install.swm parts (three of 2,000 MB) at 26100.1742, no install.wim. */
function splitStick(home: string): number[] {
  const store = new TrainingMediaStore(home)
  const s = store.load('usb-fat32-x64')
  const total = s.medium.install!.images.reduce((n, i) => n + i.storedBytes, 0)
  const mb = 2000 * 1024 * 1024
  const parts = [mb, mb, total - 2 * mb]
  store.save({ ...s, medium: { ...s.medium, install: null, swm: { parts, images: s.medium.install!.images } } })
  return parts
}

/** The sweep writes a journal and the medium's state ~100 times a run: on tmpfs where there is one (fsync is free there). */
const sweepBase = existsSync('/dev/shm') ? '/dev/shm' : undefined

/** Nothing finished ran again: a step is `started` at most once after it finished (never), and ran at most once. */
function expectNothingTwice(j: MediaJournal, what: string) {
  const finished = new Set<string>()
  const ran = new Map<string, number>()
  for (const e of j.entries) {
    if (e.phase === 'started')
      expect(finished.has(e.stepId), `${e.stepId} started again after it finished (${what})`).toBe(false)
    if (e.phase === 'finished') {
      finished.add(e.stepId)
      if (!e.rechecked) ran.set(e.stepId, (ran.get(e.stepId) ?? 0) + 1)
    }
  }
  for (const [id, n] of ran) expect(n, `${id} ran ${n} times (${what})`).toBe(1)
}

/**
 * Every layer at its target but setup.exe, which no Setup Dynamic Update the training Catalog has can judge: the
 * run completes and is not verified as a whole (never "Verified" over a layer not judged).
 */
function expectAllButSetup(out: { verified: boolean; problems: string[] }, what = '') {
  expect(
    out.problems.filter((p) => !/setup\.exe .* was not judged: no Setup Dynamic Update was named/.test(p)),
    `${what} ${out.problems.join(' ')}`,
  ).toEqual([])
  expect(out.problems.some((p) => /was not judged/.test(p))).toBe(true)
  expect(out.verified).toBe(false)
}

describe('media update: every layer to the target, proven by reading the medium again', () => {
  it('the x64 ISO folder: every install.wim index at the LCU build, each winre.wim at the Safe OS DU version, boot.wim too', async () => {
    const home = tempDirSync('sd-media-x64-')
    const out = await run(home, 'iso-x64-24h2')
    expect(out.status).toBe('completed')
    expectAllButSetup(out, out.problems.join(' '))
    const installs = out.layers.filter((l) => l.layer === 'install')
    expect(installs.map((l) => [l.before, l.after])).toEqual(
      [1, 2, 3].map(() => ['10.0.26100.1742', '10.0.26100.8117']),
    )
    expect(out.layers.filter((l) => l.layer === 'winre').map((l) => l.after)).toEqual([
      '10.0.26100.7618',
      '10.0.26100.7618',
      '10.0.26100.7618',
    ])
    expect(out.layers.filter((l) => l.layer === 'boot').every((l) => l.after === '10.0.26100.8117' && l.atTarget)).toBe(
      true,
    )
    expect(out.mountsLeft).toEqual([])
    // The report names the medium, the layers before → after and each package with its SHA-256.
    expect(out.report).toMatch(/iso-x64-24h2/)
    expect(out.report).toMatch(/install\.wim #2\s+10\.0\.26100\.1742 → 10\.0\.26100\.8117/)
    for (const p of out.packages) expect(out.report).toContain(`SHA-256 ${p.sha256}`)
    expect(out.packages.map((p) => p.kb).sort()).toEqual(['KB5074108', 'KB5086672'])
    // The medium changed only at the end: the write-back is the last step and the only one that writes to D:\.
    const j = out.journal!
    const toMedium = j.plan.steps.filter((s) => s.step.kind === 'write-back')
    expect(toMedium.map((s) => s.id)).toEqual([j.plan.steps[j.plan.steps.length - 1].id])
    expect(out.commands[out.commands.length - 1]).toMatch(
      /^robocopy\.exe C:\\ProgramData\\ServicingDesk\\work\\media-iso-x64-24h2-\S+\\media D:\\Media\\Win11_24H2_x64 \/MIR \/R:0$/,
    )
    expect(out.commands.filter((c) => /D:\\Media/.test(c)).length).toBe(2) // copied in once, written back once
  })

  it('the ARM64 stick gets ARM64 packages only, the checkpoint first (it is at 26100.1150)', async () => {
    const home = tempDirSync('sd-media-arm64-')
    const out = await run(home, 'usb-arm64-24h2')
    expectAllButSetup(out, out.problems.join(' '))
    const adds = out
      .journal!.plan.steps.filter((s) => s.step.kind === 'add-package')
      .map((s) => s.step as Extract<MediaJournal['plan']['steps'][number]['step'], { kind: 'add-package' }>)
    expect(adds.length).toBeGreaterThan(0)
    expect(adds.every((a) => a.package.arch === 'arm64')).toBe(true)
    expect(out.packages.every((p) => p.arch === 'arm64' && /-arm64_/.test(p.fileName))).toBe(true)
    expect(out.commands.filter((c) => /\/Add-Package/.test(c)).every((c) => /\\packages\\arm64\\/.test(c))).toBe(true)
    // Checkpoint KB5043080 (26100.1742) before KB5086672 in every image below it.
    const install1 = adds.filter((a) => a.image === 'install' && a.index === 1).map((a) => a.package.kb)
    expect(install1).toEqual(['KB5043080', 'KB5086672'])
  })

  it('an x64 package offered to the ARM64 stick is refused by DISM as not applicable (0x800f081e), and nothing is added', async () => {
    const home = tempDirSync('sd-media-arm64-x64-')
    const { TrainingMediumHost } = await import('../../../main/media/training/host.ts')
    const store = new TrainingMediaStore(home)
    const host = new TrainingMediumHost(store, 'usb-arm64-24h2')
    const w = 'C:\\ProgramData\\ServicingDesk\\work\\t'
    const d = (...args: string[]) =>
      host.run({
        name: 'test.dism',
        file: 'dism.exe',
        args: ['/English', ...args],
        timeoutMs: 1000,
        outputEncoding: 'console',
      })
    await host.run({
      name: 'test.copy',
      file: 'robocopy.exe',
      args: ['F:\\', `${w}\\media`, '/MIR', '/R:0'],
      timeoutMs: 1000,
      successExitCodes: [0, 1],
    })
    expect(
      (
        await d(
          '/Mount-Image',
          `/ImageFile:${w}\\media\\sources\\install.wim`,
          '/Index:1',
          `/MountDir:${w}\\mount\\install-1`,
        )
      ).exitCode,
    ).toBe(0)
    const wrong = await d(
      `/Image:${w}\\mount\\install-1`,
      '/Add-Package',
      `/PackagePath:${w}\\packages\\x64\\KB5043080`,
    )
    expect(wrong.exitCode).toBe(0x800f081e)
    expect(wrong.stdout).toMatch(/Error: 0x800f081e\r\n\r\nThe specified package is not applicable to this image\./)
    expect(store.load('usb-arm64-24h2').mounts[0].image.packages).toEqual([])
    const right = await d(
      `/Image:${w}\\mount\\install-1`,
      '/Add-Package',
      `/PackagePath:${w}\\packages\\arm64\\KB5043080`,
    )
    expect(right.exitCode).toBe(0)
    expect(store.load('usb-arm64-24h2').mounts[0].image.packages).toEqual(['KB5043080'])
  })

  it('the FAT32 stick ends in install.swm parts, each under 4 GB, and Setup still reads the images from them', async () => {
    const home = tempDirSync('sd-media-fat32-')
    const out = await run(home, 'usb-fat32-x64')
    expectAllButSetup(out, out.problems.join(' '))
    expect(out.swmParts!.length).toBeGreaterThanOrEqual(2)
    expect(out.swmParts!.every((p) => p > 0 && p < FAT32_MAX_FILE)).toBe(true)
    const s = new TrainingMediaStore(home).load('usb-fat32-x64')
    expect(s.medium.install).toBeNull()
    expect(out.layers.filter((l) => l.layer === 'install').map((l) => l.after)).toEqual([
      '10.0.26100.8117',
      '10.0.26100.8117',
    ])
  })
})

describe("media update with the month's Setup Dynamic Update: verified as a whole", () => {
  it('June 2026 (KB5094126): the knowledge names KB5102558, it is expanded into sources, setup.exe reaches its version and the run ends VERIFIED', async () => {
    const home = tempDirSync('sd-media-setupdu-')
    const out = await run(home, 'iso-x64-24h2', {}, 'KB5094126')
    expect(out.status).toBe('completed')
    expect(out.problems).toEqual([])
    expect(out.verified).toBe(true)
    expect(out.plan.setupDu).toBe('KB5102558')
    expect(out.plan.notes.some((n) => /Setup Dynamic Update KB5102558 \(2026-06\) goes with KB5094126/.test(n))).toBe(
      true,
    )
    const setup = out.layers.find((l) => l.layer === 'setup')!
    expect([setup.before, setup.after, setup.atTarget]).toEqual(['10.0.26100.1742', '10.0.26100.8655', true])
    expect(out.packages.map((p) => p.kb).sort()).toEqual(['KB5089593', 'KB5094126', 'KB5102558'])
    expect(
      out.commands.some((c) =>
        /^expand\.exe \S+\\packages\\x64\\KB5102558\\\*\.cab -F:\* \S+\\media\\sources$/.test(c),
      ),
    ).toBe(true)
    // The medium itself (read again from its saved state) carries the setup files at that version.
    const s = new TrainingMediaStore(home).load('iso-x64-24h2')
    expect([s.medium.setupDu, s.medium.setupVersion]).toEqual(['KB5102558', '10.0.26100.8655'])
    expect(out.report).toMatch(/VERIFIED by reading the medium again/)
  })

  it('a month no source names a Setup DU for (March 2026) is not verified over setup.exe, and says why', async () => {
    const home = tempDirSync('sd-media-setupdu-gap-')
    const out = await run(home, 'iso-x64-24h2')
    expect(out.plan.setupDu).toBeNull()
    expect(out.plan.notes.some((n) => /No Setup Dynamic Update is known for win11-24h2 in 2026-03/.test(n))).toBe(true)
    expect(out.verified).toBe(false)
  })

  it('a Setup DU whose files did not reach the medium (expand gave no new setup.exe) is NOT verified', async () => {
    const home = tempDirSync('sd-media-setupdu-stale-')
    const { TrainingMediaStore: Store } = await import('../../../main/media/training/state.ts')
    const store = new Store(home)
    // The run with the knowledge's DU, then the setup files put back at their old version: the proof reads them again.
    const out = await run(home, 'iso-x64-24h2', {}, 'KB5094126')
    expect(out.verified).toBe(true)
    const s = store.load('iso-x64-24h2')
    store.save({ ...s, medium: { ...s.medium, setupVersion: '10.0.26100.1742' } })
    const again = await run(home, 'iso-x64-24h2', {}, 'KB5094126')
    expect(again.verified).toBe(false)
    expect(again.problems.join(' ')).toMatch(/setup\.exe is 10\.0\.26100\.1742, not 10\.0\.26100\.8655 \(KB5102558\)/)
  })
})

describe('a split stick (install.swm) updated again (the monthly update of a FAT32 stick)', () => {
  it('the plan joins each index from the .swm parts into the work folder before any install mount, and counts the joined file', async () => {
    const home = tempDirSync('sd-media-swm-plan-')
    const whole = await run(home, 'usb-fat32-x64', { confirm: async () => false })
    const parts = splitStick(home)
    const out = await run(home, 'usb-fat32-x64', { confirm: async () => false })
    expect(out.status).toBe('declined')
    const kinds = out.plan.steps.map((x) => x.kind)
    const firstMount = out.plan.steps.findIndex((x) => x.kind === 'mount' && x.image === 'install')
    // The medium and its two packages (the Safe OS DU, the cumulative update) copied into the work folder first.
    expect(kinds.slice(0, 5)).toEqual(['copy-to-work', 'copy-package', 'copy-package', 'join-swm', 'join-swm'])
    expect(kinds.lastIndexOf('join-swm')).toBeLessThan(firstMount)
    expect(out.plan.commands[3]).toBe(
      '%SystemRoot%\\System32\\Dism.exe /English /Export-Image /SourceImageFile:C:\\ProgramData\\ServicingDesk\\work\\media\\sources\\install.swm /SWMFile:C:\\ProgramData\\ServicingDesk\\work\\media\\sources\\install*.swm /SourceIndex:1 /DestinationImageFile:C:\\ProgramData\\ServicingDesk\\work\\join\\install.wim',
    )
    // Every install step uses the joined install.wim; nothing names the install.wim the split medium does not have.
    expect(out.plan.commands[firstMount]).toMatch(
      /\/Mount-Image \/ImageFile:C:\\ProgramData\\ServicingDesk\\work\\join\\install\.wim \/Index:1 /,
    )
    expect(out.plan.commands.some((c) => /media\\sources\\install\.wim/.test(c))).toBe(false)
    expect(kinds.slice(-3)).toEqual(['split-image', 'stage', 'write-back'])
    expect(out.plan.space.neededBytes).toBe(whole.plan.space.neededBytes + parts.reduce((n, p) => n + p, 0))
  })

  it('the second update ends verified: every index at the target, fresh .swm parts under 4 GB, none of the old ones left over', async () => {
    const home = tempDirSync('sd-media-swm-again-')
    splitStick(home)
    const out = await run(home, 'usb-fat32-x64')
    expect(out.status, out.note).toBe('completed')
    expectAllButSetup(out, out.problems.join(' '))
    expect(out.layers.filter((l) => l.layer === 'install').map((l) => `${l.before} → ${l.after}`)).toEqual([
      '10.0.26100.1742 → 10.0.26100.8117',
      '10.0.26100.1742 → 10.0.26100.8117',
    ])
    expect(out.layers.filter((l) => l.layer === 'winre').every((l) => l.atTarget)).toBe(true)
    const s = new TrainingMediaStore(home).load('usb-fat32-x64')
    expect(s.medium.install).toBeNull()
    expect(s.medium.swm!.parts.length).toBe(2)
    expect(s.medium.swm!.parts.every((p) => p > 0 && p < FAT32_MAX_FILE)).toBe(true)
    expect(out.swmParts).toEqual(s.medium.swm!.parts)
    expect(s.mounts).toEqual([])
  })
})

describe('media update survives being interrupted at every boundary', () => {
  it(`usb-fat32-x64 split by an earlier update (install.swm parts): ${FULL ? 'every boundary' : 'a seeded sample of boundaries (each kind, each kind of step)'} (in process) + the same call again = the uninterrupted result, nothing committed twice, no mount left`, {
    timeout: hangMs(300_000),
  }, async () => {
    const baseHome = tempDirSync('sd-media-crash-base-', sweepBase)
    splitStick(baseHome)
    const points: string[] = []
    const base = await run(baseHome, 'usb-fat32-x64', {
      checkpointHook: (p) => {
        points.push(p)
      },
    })
    expectAllButSetup(base)
    const want = mediumState(baseHome, 'usb-fat32-x64')
    expect(want.mounts).toEqual([])
    expect(want.swm!.parts.length).toBe(2)
    expect(base.journal!.plan.steps.filter((x) => x.step.kind === 'join-swm').length).toBe(2)
    expect(points.filter((p) => p.startsWith('command:')).length).toBeGreaterThan(30)
    // Every boundary under test:full; under npm test a sample drawn by the seed: each kind of boundary, the first and
    // the last, and the end of a command of each kind of step (the rule book answers each kind its own way).
    const stepKind = new Map(base.journal!.plan.steps.map((x) => [x.id, x.step.kind]))
    const kills = boundarySample('media crash-resume usb-fat32-x64', points, (p) =>
      p.startsWith('command:') ? [`command of a ${stepKind.get(p.slice(8))} step`] : [],
    )
    if (FULL) expect(kills).toHaveLength(points.length)
    let swept = 0
    for (const n of kills) {
      const home = tempDirSync(`sd-media-crash-${n}-`, sweepBase)
      splitStick(home)
      let seen = 0
      await expect(
        run(home, 'usb-fat32-x64', {
          checkpointHook: (p) => {
            if (++seen === n) throw new Crash(`crash at ${n} (${p})`)
          },
        }),
        `crash ${n}`,
      ).rejects.toBeInstanceOf(Crash)
      const again = await run(home, 'usb-fat32-x64')
      const at = `after crash ${n} (${points[n - 1]}; ${sampleNote()})`
      expect(again.status, at).toBe('completed')
      expectAllButSetup(again, `${at}: ${again.problems.join(' ')}`)
      expect(mediumState(home, 'usb-fat32-x64'), at).toEqual(want)
      // After the last boundary (the `ended` entry) the run had finished: the call again finds the medium at the target and runs nothing.
      if (n < points.length) expectNothingTwice(again.journal!, at)
      else expect(again.note, at).toMatch(/at KB5086672 on every layer already.*nothing ran/)
      // Killed after a command took effect and before its end was written: the rule book's question answers it
      // from the medium (re-checked, not run again), except for the steps it says simply run again.
      const cut = /^command:(.+)$/.exec(points[n - 1])?.[1]
      if (cut) {
        const kind = again.journal!.plan.steps.find((x) => x.id === cut)!.step.kind
        const how = again
          .journal!.entries.filter((e) => e.phase === 'finished' && e.stepId === cut)
          .map((e) => ((e as { rechecked: boolean }).rechecked ? 'rechecked' : 'ran'))
        expect(how, at).toEqual([ruleFor('media', kind) === 'runs-again' ? 'ran' : 'rechecked'])
      }
      swept++
    }
    expect(swept).toBe(kills.length)
  })

  it('the real CLI killed (SIGKILL) in the middle, then the same command again: verified, nothing twice', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = tempDirSync('sd-media-kill-')
    const args = ['media', 'update', 'usb-arm64-24h2', '--kb', KB, '--yes', '--json']
    const killed = await runCli(home, args, { killAt: 40 })
    expect(killed.signal, killed.stderr).toBe('SIGKILL')
    expect(killed.stderr).toMatch(/killed at boundary 40 \((journal|command):/)
    const again = await runCli(home, args)
    expect(again.code, again.stderr).toBe(4)
    const out = JSON.parse(again.stdout)
    expectAllButSetup(out)
    expect(out.resumed).toBe(true)
    expect(out.mountsLeft).toEqual([])
    const j = new MediaJournalStore(home).load(out.runId)
    expectNothingTwice(j, 'after the kill')
    expect(j.entries.some((e) => e.phase === 'resumed')).toBe(true)
  })
})

describe('media update: a stale mount, and bad input', () => {
  it('a stale mount is reported and left alone without a yes; with a yes /Cleanup-Mountpoints runs first and the update finishes', async () => {
    const home = tempDirSync('sd-media-stale-')
    const asked: string[] = []
    const no = await run(home, 'usb-stale-mount', {
      confirm: async (q) => {
        asked.push(q.kind)
        return false
      },
    })
    expect(no.status).toBe('declined')
    expect(asked).toEqual(['stale-mount'])
    expect(no.note).toMatch(/C:\\ServicingDesk\\work\\mount\\install-1.*Cleanup-Mountpoints only after you say yes/)
    expect(new TrainingMediaStore(home).load('usb-stale-mount').mounts.map((m) => m.status)).toEqual(['Needs Remount'])
    const out = await run(home, 'usb-stale-mount')
    expectAllButSetup(out, out.problems.join(' '))
    expect(out.journal!.plan.steps[0].step).toEqual({ kind: 'cleanup-mountpoints' })
    expect(out.commands[0]).toBe('dism.exe /English /Cleanup-Mountpoints')
    expect(new TrainingMediaStore(home).load('usb-stale-mount').mounts).toEqual([])
  })

  it('without a yes for the update itself nothing changes', async () => {
    const home = tempDirSync('sd-media-no-')
    const out = await run(home, 'iso-x64-24h2', { confirm: async () => false })
    expect(out.status).toBe('declined')
    expect(new TrainingMediaStore(home).changed('iso-x64-24h2')).toBe(false)
  })

  it('an unknown medium, a wrong KB, too little space: clear errors, nothing changed', async () => {
    const home = tempDirSync('sd-media-bad-')
    await expect(run(home, 'usb-nothing')).rejects.toThrow(/No medium 'usb-nothing'\. Training media: iso-x64-24h2/)
    await expect(run(home, 'iso-x64-24h2', {}, 'KB12')).rejects.toThrow(/'KB12' is not a KB number/)
    await expect(run(home, 'iso-x64-24h2', {}, 'KB9999999')).rejects.toThrow(
      /KB9999999 is not a cumulative update in the knowledge.*Nothing was changed/,
    )
    await expect(run(home, 'iso-x64-24h2', {}, 'KB5082052')).rejects.toThrow(/is for win11-23h2.*Nothing was changed/)
    const store = new TrainingMediaStore(home)
    const s = store.load('iso-x64-24h2')
    store.save({ ...s, workFreeBytes: 10 * 1024 ** 3 })
    await expect(run(home, 'iso-x64-24h2')).rejects.toThrow(
      /Not enough space in the work folder: the update needs about 36\.9 GB, 10\.7 GB is free.*nothing was changed/,
    )
    expect(store.load('iso-x64-24h2').copies).toEqual({})
    expect(new MediaJournalStore(home).listFor('iso-x64-24h2').journals).toEqual([])
  })

  it('cancelled between steps (never inside a DISM command): the same call again finishes it', async () => {
    const home = tempDirSync('sd-media-cancel-')
    const ac = new AbortController()
    const seen: string[] = []
    const first = await run(home, 'usb-fat32-x64', {
      signal: ac.signal,
      onProgress: (p) => {
        seen.push(`${p.phase} ${p.image}`)
        if (p.phase === 'finished' && p.index === 4) ac.abort()
      },
    })
    expect(first.status).toBe('cancelled')
    expect(first.note).toMatch(/Cancelled before ".*"; run the same command again to finish it\./)
    expect(seen.filter((x) => x.startsWith('started')).length).toBe(5)
    const again = await run(home, 'usb-fat32-x64')
    expect(again.resumed).toBe(true)
    expectAllButSetup(again, again.problems.join(' '))
    expectNothingTwice(again.journal!, 'after the cancel')
  })

  it('an unfinished run for one KB is finished first; another KB is refused until then', async () => {
    const home = tempDirSync('sd-media-other-kb-')
    let n = 0
    await expect(
      run(home, 'iso-x64-24h2', {
        checkpointHook: () => {
          if (++n === 10) throw new Crash('stop')
        },
      }),
    ).rejects.toBeInstanceOf(Crash)
    await expect(run(home, 'iso-x64-24h2', {}, 'KB5043080')).rejects.toThrow(
      /update of iso-x64-24h2 to KB5086672 .* has not finished/,
    )
  })

  it('the CLI: without --yes it shows the plan and changes nothing (exit 1); a bad name is a clear error (exit 2); after --yes, media scan shows the new builds', async () => {
    const home = tempDirSync('sd-media-cli-')
    const no = await runCliInProcess(home, ['media', 'update', 'iso-x64-24h2', '--kb', KB, '--json'])
    expect(no.code).toBe(1)
    expect(JSON.parse(no.stdout)).toMatchObject({
      status: 'declined',
      verified: false,
      note: expect.stringMatching(/only after you say yes \(--yes\)/),
    })
    expect(new TrainingMediaStore(home).changed('iso-x64-24h2')).toBe(false)
    const bad = await runCliInProcess(home, ['media', 'update', 'usb-nothing', '--kb', KB, '--yes'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/No medium 'usb-nothing'/)
    const yes = await runCliInProcess(home, ['media', 'update', 'usb-arm64-24h2', '--kb', KB, '--yes', '--json'])
    expect(yes.code, yes.stderr).toBe(4)
    expectAllButSetup(JSON.parse(yes.stdout))
    const scan = JSON.parse(
      (await runCliInProcess(home, ['media', 'scan', 'usb-arm64-24h2', '--kb', KB, '--json'])).stdout,
    )
    expect(
      scan.layers
        .filter((l: { layer: string }) => l.layer === 'install')
        .map((l: { version: string; staleness: string }) => `${l.version} ${l.staleness}`),
    ).toEqual(['10.0.26100.8117 current', '10.0.26100.8117 current', '10.0.26100.8117 current'])
    expect((await runCliInProcess(home, ['media', 'reset', 'usb-arm64-24h2'])).code).toBe(0)
    expect(new TrainingMediaStore(home).changed('usb-arm64-24h2')).toBe(false)
  })

  it('a commit lost halfway (the image unmounted, its .wim index not at the new build) stops the run with the reason; nothing more runs', async () => {
    const home = tempDirSync('sd-media-lost-')
    let at = ''
    await expect(
      run(home, 'usb-fat32-x64', {
        checkpointHook: (p) => {
          if (p.startsWith('journal:started:') && p.includes('unmount-commit-boot-1')) {
            at = p
            throw new Crash(p)
          }
        },
      }),
    ).rejects.toBeInstanceOf(Crash)
    expect(at).toMatch(/unmount-commit-boot-1/)
    // What a power cut in the middle of the commit can leave: the mount gone, the .wim index as it was.
    const store = new TrainingMediaStore(home)
    const s = store.load('usb-fat32-x64')
    store.save({ ...s, mounts: s.mounts.filter((m) => !/boot-1$/.test(m.dir)) })
    const again = await run(home, 'usb-fat32-x64')
    expect(again.status).toBe('failed')
    expect(again.note).toMatch(/Commit and unmount boot\.wim #1.*changes are lost.*Nothing more runs/s)
    expect(again.verified).toBe(false)
    const j = again.journal!
    const cut = j.plan.steps.findIndex((x) => x.id.includes('unmount-commit-boot-1'))
    const startedAfter = j.entries.filter(
      (e) => e.phase === 'started' && j.plan.steps.findIndex((x) => x.id === e.stepId) > cut,
    )
    expect(startedAfter).toEqual([])
    expect(store.load('usb-fat32-x64').medium.boot!.images.map((i) => i.ubr)).toEqual([1742, 1742])
  })
})
