/**
 * A mounted installation medium as restore-health's same-build source, in-process:
 * - real DISM /Get-WimInfo captures (test/fixtures/dism-image-info) read by the parser feed the choice: the
 *   index of the PC's build.UBR (or its servicing base: a 23H2 ISO's images say 22621), architecture and
 *   edition; another build, another architecture, an ESD, nothing mounted;
 * - the training machine's DISM answers read exactly like those captures;
 * - the ladder end to end on x64-store-corrupt-iso: the medium of this build repairs the store before any
 *   download, verified; with only the wrong-build ISO mounted it is refused (both builds named) and the
 *   update files of this build repair it instead, verified;
 * - interrupted at every boundary (the hook throws, a new service resumes from the journal), the media ladder
 *   ends as the uninterrupted run: verified, the same outcomes, the store repaired once;
 * - the step kind takes a letter, a file name and an index only (hostile params counted).
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RepairRun } from '../../../preload/model/repair.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { parseDismImageInfo } from '../../../main/parse/dism-image-info.ts'
import {
  chooseMediaSource,
  findInstallMedia,
  mediaSourceArg,
  wimInfoSpec,
  type MountedMedium,
} from '../../../main/repair/media.ts'
import { commandOf, commandLineOf } from '../../../main/repair/step-kinds.ts'
import { step, type RepairEnv } from '../../../main/repair/types.ts'
import { renderWimInfo } from '../../../main/training/renderers/wim-info.ts'
import { trainingProfile } from '../../../main/training/profiles/index.ts'
import { createServices } from '../../../main/services.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const detail = loadFixture('dism-image-info/en-wiminfo-index-markdown-mct375.txt')
const list = loadFixture('dism-image-info/en-wiminfo-list-tiny11-70.txt')

/** A medium read from real captures: the list's indexes, and the one index whose detail was captured. */
function capturedMedium(letter: string, file: 'install.wim' | 'install.esd'): MountedMedium {
  return {
    letter,
    file,
    path: `${letter}:\\sources\\${file}`,
    images: parseDismImageInfo(detail.text).images,
    problem: null,
  }
}

describe('reading the media (real captures)', () => {
  it('the captured index detail gives build, UBR, architecture and edition; the list gives the indexes', () => {
    expect(detail.source).toMatch(/MediaCreationTool\.bat\/issues\/375/)
    expect(parseDismImageInfo(detail.text).images).toEqual([
      {
        index: 3,
        name: 'Windows 11 Enterprise',
        version: '10.0.22621',
        spBuild: 2861,
        arch: 'x64',
        edition: 'Enterprise',
      },
    ])
    expect(parseDismImageInfo(list.text).images.map((i) => i.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(wimInfoSpec('E', 'install.wim', 2)).toEqual({
      name: 'repair.wim-info',
      file: 'dism.exe',
      args: ['/English', '/Get-WimInfo', '/WimFile:E:\\sources\\install.wim', '/Index:2'],
      timeoutMs: 120_000,
      outputEncoding: 'console',
    })
  })
})

describe('chooseMediaSource', () => {
  const esd = capturedMedium('J', 'install.esd')
  it('same build (the 23H2 PC on the 22621 base the ISO reports), same UBR and architecture: the ESD index, esd: source', () => {
    const c = chooseMediaSource([esd], { build: 22631, ubr: 2861, arch: 'x64', editionId: 'Enterprise' })
    expect(c.notes).toEqual([])
    expect(c.chosen).toEqual({
      letter: 'J',
      file: 'install.esd',
      path: 'J:\\sources\\install.esd',
      index: 3,
      name: 'Windows 11 Enterprise',
      edition: 'Enterprise',
      build: 22621,
      ubr: 2861,
    })
    expect(mediaSourceArg('J', 'install.esd', 3)).toBe('esd:J:\\sources\\install.esd:3')
    expect(mediaSourceArg('E', 'install.wim', 2)).toBe('wim:E:\\sources\\install.wim:2')
  })
  it('another build: refused, both builds named', () => {
    const c = chooseMediaSource([esd], { build: 22631, ubr: 4317, arch: 'x64', editionId: 'Enterprise' })
    expect(c.chosen).toBeNull()
    expect(c.notes).toEqual([
      'J:\\sources\\install.esd holds Windows 22621.2861; this PC runs 22631.4317: installation media of another build is not a repair source (DISM needs the exact same build), so it is not used.',
    ])
  })
  it('a build of another branch with the same UBR is not the same build', () => {
    const c = chooseMediaSource([esd], { build: 26100, ubr: 2861, arch: 'x64', editionId: 'Enterprise' })
    expect(c.chosen).toBeNull()
    expect(c.notes[0]).toMatch(/holds Windows 22621\.2861; this PC runs 26100\.2861/)
  })
  it('another architecture: refused, both named', () => {
    const c = chooseMediaSource([esd], { build: 22631, ubr: 2861, arch: 'arm64', editionId: 'Enterprise' })
    expect(c.chosen).toBeNull()
    expect(c.notes).toEqual([
      'J:\\sources\\install.esd holds images for 22621.2861 (x64); this PC is arm64 (build 22631.2861): another architecture is not a repair source, so it is not used.',
    ])
  })
  it('nothing mounted: no choice, nothing to say; an unreadable medium is named', () => {
    expect(chooseMediaSource([], { build: 22631, ubr: 2861, arch: 'x64', editionId: null })).toEqual({
      chosen: null,
      notes: [],
    })
    const bad: MountedMedium = {
      letter: 'F',
      file: 'install.wim',
      path: 'F:\\sources\\install.wim',
      images: [],
      problem: 'DISM /Get-WimInfo listed no image index',
    }
    expect(chooseMediaSource([bad], { build: 22631, ubr: 2861, arch: 'x64', editionId: null }).notes).toEqual([
      'F:\\sources\\install.wim is not used as a repair source: DISM /Get-WimInfo listed no image index.',
    ])
  })
  it("the PC's edition where the medium has it; otherwise the same build of another edition, said so; a second match is named", () => {
    const img = (index: number, edition: string) => ({
      index,
      name: `Windows 11 ${edition}`,
      version: '10.0.26100.4349',
      spBuild: 4349,
      arch: 'x64' as const,
      edition,
    })
    const wim: MountedMedium = {
      letter: 'E',
      file: 'install.wim',
      path: 'E:\\sources\\install.wim',
      images: [img(1, 'Core'), img(2, 'Professional'), img(3, 'Enterprise')],
      problem: null,
    }
    expect(
      chooseMediaSource([wim], { build: 26100, ubr: 4349, arch: 'x64', editionId: 'Professional' }).chosen?.index,
    ).toBe(2)
    const other = chooseMediaSource([wim], { build: 26100, ubr: 4349, arch: 'x64', editionId: 'Education' })
    expect(other.chosen?.index).toBe(1)
    expect(other.notes).toEqual([
      "E:\\sources\\install.wim has no image of this PC's edition (Education); index 1 (Core) of the same build is used.",
    ])
    const two = chooseMediaSource([wim, { ...wim, letter: 'F', path: 'F:\\sources\\install.wim' }], {
      build: 26100,
      ubr: 4349,
      arch: 'x64',
      editionId: 'Enterprise',
    })
    expect(two.chosen?.path).toBe('E:\\sources\\install.wim')
    expect(two.notes).toEqual(['F:\\sources\\install.wim also matches 26100.4349; E:\\sources\\install.wim is used.'])
  })
})

describe("the training machine's DISM /Get-WimInfo reads like the captures", () => {
  const state = trainingProfile('x64-store-corrupt-iso')!
  const run = (args: string[]) =>
    renderWimInfo({ state, spec: { name: 'repair.wim-info', file: 'dism.exe', args, timeoutMs: 1 }, options: {} }) as {
      exitCode: number
      stdout: string
    }
  it('the list and each index detail parse to the modelled images; a missing file is Error: 2', () => {
    for (const m of state.mountedMedia!) {
      const path = `${m.letter}:\\sources\\${m.file}`
      const l = run(['/English', '/Get-WimInfo', `/WimFile:${path}`])
      expect(l.exitCode).toBe(0)
      expect(parseDismImageInfo(l.stdout).images.map((i) => i.index)).toEqual(m.images.map((i) => i.index))
      for (const i of m.images) {
        const d = run(['/English', '/Get-WimInfo', `/WimFile:${path}`, `/Index:${i.index}`])
        expect(parseDismImageInfo(d.stdout).images).toEqual([
          {
            index: i.index,
            name: i.name,
            version: `10.0.${i.build}`,
            spBuild: i.spBuild,
            arch: i.arch,
            edition: i.edition,
          },
        ])
        // The same field lines, in the same order, as the captured detail.
        const labels = (t: string) =>
          t
            .split(/\r?\n/)
            .map((x) => /^(\w[\w ]*?) : /.exec(x.replace(/\*\*/g, ''))?.[1])
            .filter(Boolean)
        expect(labels(d.stdout).slice(0, 18)).toEqual(labels(detail.text).slice(0, 18))
      }
    }
    const missing = run(['/English', '/Get-WimInfo', '/WimFile:F:\\sources\\install.wim'])
    expect(missing.exitCode).toBe(2)
    expect(missing.stdout).toContain('Error: 2\r\n\r\nThe system cannot find the file specified.')
  })
})

describe('the ladder on x64-store-corrupt-iso (in-process)', () => {
  it('finds both media through the Host, takes E: index 2 before any download, and ends verified', {
    timeout: hangMs(600_000),
  }, async () => {
    const dataDir = tempDirSync('sd-repair-media-')
    const services = createServices({ dataDir, platform: 'linux' })
    const ref = { kind: 'training' as const, name: 'x64-store-corrupt-iso' }
    const media = await findInstallMedia(new TrainingHost(ref.name, services.trainingStore))
    expect(
      media.map((m) => [m.path, m.images.map((i) => `${i.index}:${i.version}.${i.spBuild}:${i.edition}`)]),
    ).toEqual([
      [
        'D:\\sources\\install.esd',
        ['1:10.0.22621.2861:Core', '2:10.0.22621.2861:Professional', '3:10.0.22621.2861:Enterprise'],
      ],
      ['E:\\sources\\install.wim', ['1:10.0.22621.4317:Professional', '2:10.0.22621.4317:Enterprise']],
    ])
    const offers = await services.repairs.offers(ref)
    const offer = offers.offers.find((o) => o.repairId === 'restore-health')!
    expect(offer.warnings).toEqual([
      'D:\\sources\\install.esd holds Windows 22621.2861; this PC runs 22631.4317: installation media of another build is not a repair source (DISM needs the exact same build), so it is not used.',
    ])
    expect(offer.steps.map((s) => s.id)).toEqual([
      's1-scan-health',
      's2-restore-wu',
      's3-restore-media',
      's4-fetch-source',
      's5-expand-msu',
      's6-expand-cab',
      's7-restore-source',
      's8-sfc',
      's9-check-health',
    ])
    expect(offer.steps[2]!.commandLine).toBe(
      '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /RestoreHealth /Source:wim:E:\\sources\\install.wim:2 /LimitAccess',
    )
    expect(offer.steps[2]!.title).toBe(
      'Repair from the installation media E:\\sources\\install.wim (index 2, Windows 11 Enterprise, 22621.4317)',
    )

    const run = await services.repairs.run(ref, 'restore-health')
    expect(run.verified).toBe(true)
    expect(run.results.map((r) => `${r.stepId}:${r.outcome}`)).toEqual([
      's1-scan-health:done',
      's2-restore-wu:not-fixed',
      's3-restore-media:done',
      's4-fetch-source:skipped',
      's5-expand-msu:skipped',
      's6-expand-cab:skipped',
      's7-restore-source:skipped',
      's8-sfc:skipped',
      's9-check-health:done',
    ])
    expect(run.verification?.detail).toMatch(
      /repaired by: Repair from the installation media E:\\sources\\install\.wim/,
    )
    const after = await services.diagnose({ machine: ref })
    // No current store finding; the one the run fixed is in the history with it.
    expect(
      after.findings.filter(
        (f) =>
          /component-store/.test(f.id) &&
          f.state === 'current' &&
          (f.severity === 'critical' || f.severity === 'error'),
      ),
    ).toEqual([])
    expect(after.findings.find((f) => f.id === 'component-store-corruption')?.state).toBe('past')
  })

  it('with only the wrong-build ISO mounted: refused with both builds, and the update files of this build repair it', {
    timeout: hangMs(600_000),
  }, async () => {
    const dataDir = tempDirSync('sd-repair-media-')
    const services = createServices({ dataDir, platform: 'linux' })
    const ref = { kind: 'training' as const, name: 'x64-store-corrupt-iso' }
    const s = services.trainingStore.load(ref.name)
    s.mountedMedia = s.mountedMedia!.filter((m) => m.letter === 'D')
    delete s.files['E:\\sources\\install.wim']
    services.trainingStore.save(s)
    const offer = (await services.repairs.offers(ref)).offers.find((o) => o.repairId === 'restore-health')!
    expect(offer.warnings).toEqual([
      expect.stringMatching(
        /^D:\\sources\\install\.esd holds Windows 22621\.2861; this PC runs 22631\.4317: .*not used\.$/,
      ),
    ])
    expect(offer.steps.some((st) => st.kind === 'dism-restore-health-media')).toBe(false)
    const run = await services.repairs.run(ref, 'restore-health')
    expect(run.verified).toBe(true)
    expect(run.results.map((r) => `${r.stepId}:${r.outcome}`)).toEqual([
      's1-scan-health:done',
      's2-restore-wu:not-fixed',
      's3-fetch-source:done',
      's4-expand-msu:done',
      's5-expand-cab:done',
      's6-restore-source:done',
      's7-sfc:skipped',
      's8-check-health:done',
    ])
  })
})

describe('the media step kind', () => {
  const env: RepairEnv = { hostKind: 'training', dataDir: '/data', resumeCommand: null }
  it('builds /Source:wim:/esd: from a letter, a file name and an index only (hostile params counted)', () => {
    expect(
      commandLineOf(
        step('s3', 'dism-restore-health-media', { letter: 'E', file: 'install.wim', index: 2 }, 't', 'e'),
        env,
      ),
    ).toBe(
      '%SystemRoot%\\System32\\Dism.exe /English /Online /Cleanup-Image /RestoreHealth /Source:wim:E:\\sources\\install.wim:2 /LimitAccess',
    )
    expect(
      commandOf(step('s3', 'dism-restore-health-media', { letter: 'J', file: 'install.esd', index: 3 }, 't', 'e'), env)
        ?.args,
    ).toEqual([
      '/English',
      '/Online',
      '/Cleanup-Image',
      '/RestoreHealth',
      '/Source:esd:J:\\sources\\install.esd:3',
      '/LimitAccess',
    ])
    const hostile: Array<Record<string, unknown>> = [
      { letter: 'C', file: 'install.wim', index: 1 },
      { letter: 'e', file: 'install.wim', index: 1 },
      { letter: 'E:', file: 'install.wim', index: 1 },
      { letter: 'E', file: 'install.swm', index: 1 },
      { letter: 'E', file: '..\\..\\evil.wim', index: 1 },
      { letter: 'E', file: 'install.wim', index: 0 },
      { letter: 'E', file: 'install.wim', index: 65 },
      { letter: 'E', file: 'install.wim', index: 1.5 },
      { letter: 'E', file: 'install.wim', index: '1 /Quiet' },
      { letter: 'E', file: 'install.wim', index: 1, source: '\\\\evil\\share' },
      { path: 'E:\\sources\\install.wim:1' },
    ]
    let ran = 0
    for (const p of hostile) {
      expect(() => commandOf(step('s3', 'dism-restore-health-media', p, 't', 'e'), env), JSON.stringify(p)).toThrow(
        /invalid params/,
      )
      ran++
    }
    expect(ran).toBe(11)
  })
})

class Crash extends Error {}

describe('the media ladder interrupted at every boundary (in one process)', () => {
  it('each interruption + resume ends as the uninterrupted run: verified from the medium, store repaired once', {
    timeout: hangMs(300_000),
  }, async () => {
    const m = 'x64-store-corrupt-iso'
    const ref = { kind: 'training' as const, name: m }
    const state = (home: string) => JSON.parse(readFileSync(join(home, 'training', `${m}.json`), 'utf8'))
    const repairBlocks = (home: string) =>
      (state(home).files['C:\\Windows\\Logs\\CBS\\CBS.log'] as string).split('Operation: Detect and Repair').length - 1
    const outcomes = (r: RepairRun) =>
      r.results.map((x) => `${x.stepId}:${x.outcome === 'rechecked' ? 'done' : x.outcome}`)
    const baseHome = tempDirSync('sd-media-crash-base-')
    let points = 0
    const base = await createServices({ dataDir: baseHome, platform: 'linux' }).repairs.run(ref, 'restore-health', {
      checkpointHook: () => {
        points++
      },
    })
    expect(base.verified).toBe(true)
    expect(outcomes(base)).toContain('s3-restore-media:done')
    expect(repairBlocks(baseHome)).toBe(1)
    expect(points).toBeGreaterThan(15)
    let cases = 0
    for (let n = 1; n <= points; n++) {
      const home = tempDirSync(`sd-media-crash-${n}-`)
      let seen = 0
      await expect(
        createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'restore-health', {
          checkpointHook: (p) => {
            if (++seen === n) throw new Crash(`crash at ${n} (${p})`)
          },
        }),
      ).rejects.toBeInstanceOf(Crash)
      const r = await createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'restore-health')
      expect(r.verified, `crash ${n}`).toBe(true)
      expect(outcomes(r), `crash ${n}`).toEqual(outcomes(base))
      expect(repairBlocks(home), `crash ${n}`).toBe(1)
      expect(state(home).componentStore, `crash ${n}`).toEqual(state(baseHome).componentStore)
      cases++
    }
    expect(cases).toBe(points)
  })
})
