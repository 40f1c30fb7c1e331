/**
 * Installation media, read-and-plan half: the training media answer DISM /Get-WimInfo in the format of
 * the real captures (test/fixtures/dism-image-info), the reader builds the layer picture from that text, and the
 * plan follows Microsoft's documented order with one command builder.
 */
import { describe, it, expect } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { parseDismImageInfo, stripPasteDecoration } from '../../../main/parse/dism-image-info.ts'
import { TRAINING_MEDIA, trainingMedium } from '../../../main/media/training/media.ts'
import { answerWimInfo } from '../../../main/media/training/wim-info.ts'
import { readMedium, parseWimLanguages } from '../../../main/media/read.ts'
import { resolveMedium, trainingSource } from '../../../main/media/sources.ts'
import { planMediaUpdate, runStepsOf, stepCommand, MediaPlanError, FAT32_MAX_FILE } from '../../../main/media/plan.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { allKnownUpdates, knownUpdate } from '../../../main/knowledge/servicing-chains.ts'
import { buildDataSet } from '../../../main/catalog/local-catalog/data-set.ts'

const CATALOG_UPDATES = buildDataSet()
import { runCliInProcess } from '../cli-child.ts'

/** The `Label :` sequence of a DISM answer (paste decoration removed), from `Details for image` on. */
const labels = (text: string) =>
  text
    .split(/\r?\n/)
    .map(stripPasteDecoration)
    .map((l) => /^\s*([^:]+?)\s+:/.exec(l)?.[1])
    .filter((x): x is string => !!x)

const media = (name: string) => trainingMedium(name)!

describe('training media answer DISM /Get-WimInfo like the real captures', () => {
  it('the list form has the labels of the captured list, and parses to the same record shape', () => {
    const cap = loadFixture('dism-image-info/en-wiminfo-list-tiny11-70.txt')
    const m = media('iso-x64-24h2')
    const ours = answerWimInfo(m, ['/English', '/Get-WimInfo', `/WimFile:${m.root}\\sources\\install.wim`])
    expect(ours.exitCode).toBe(0)
    expect(labels(ours.stdout).slice(0, 5)).toEqual(labels(cap.text).slice(0, 5))
    const a = parseDismImageInfo(cap.text)
    const b = parseDismImageInfo(ours.stdout)
    expect(b.format).toBe(a.format)
    expect(b.dismVersion).toMatch(/^10\.0\.\d+\.\d+$/)
    expect(b.images.map((i) => i.index)).toEqual([1, 2, 3])
    expect(Object.keys(b.images[0]).sort()).toEqual(Object.keys(a.images[0]).sort())
  })

  it('the /Index form has the captured labels in the captured order, and every field the parser reads is filled as in the capture', () => {
    const cap = loadFixture('dism-image-info/en-wiminfo-index-markdown-mct375.txt')
    for (const m of TRAINING_MEDIA) {
      const ours = answerWimInfo(m, [
        '/English',
        '/Get-WimInfo',
        `/WimFile:${m.root}\\sources\\install.wim`,
        '/Index:1',
      ])
      const capLabels = labels(cap.text)
      expect(labels(ours.stdout).slice(0, capLabels.length)).toEqual(capLabels)
      const a = parseDismImageInfo(cap.text).images[0]
      const b = parseDismImageInfo(ours.stdout).images[0]
      for (const k of Object.keys(a) as Array<keyof typeof a>)
        expect(b[k] === null, `${m.name} ${k}`).toBe(a[k] === null)
      expect(b.version).toBe('10.0.26100')
      expect(b.arch).toBe(m.name.includes('arm64') ? 'arm64' : 'x64')
    }
  })

  it('a file the medium does not have gets DISM error 2', () => {
    const m = media('usb-fat32-x64')
    const r = answerWimInfo(m, ['/Get-WimInfo', '/WimFile:E:\\sources\\install.esd'])
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toContain('The system cannot find the file specified.')
  })

  it('languages: the block form (indented, first one "(Default)") and the same-line form', () => {
    expect(
      parseWimLanguages(
        'Modified : x\r\nLanguages :\r\n        en-GB (Default)\r\n        de-DE\r\n\r\nThe operation completed successfully.',
      ),
    ).toEqual(['en-GB', 'de-DE'])
    expect(parseWimLanguages('Languages : en-US (Default)\n')).toEqual(['en-US'])
    expect(parseWimLanguages('Index : 1\n')).toEqual([])
  })
})

describe('media scan', () => {
  it('lists every layer of the x64 medium with build, languages and staleness against KB5086672', async () => {
    const s = await readMedium(resolveMedium('iso-x64-24h2'), { kb: 'KB5086672' })
    expect(s.warnings).toEqual([])
    expect(s.arch).toBe('x64')
    expect(s.branchId).toBe('win11-24h2')
    expect(s.layers.map((l) => `${l.layer}${l.index ?? ''}`)).toEqual([
      'install1',
      'winre1',
      'install2',
      'winre2',
      'install3',
      'winre3',
      'boot1',
      'boot2',
      'setup',
    ])
    const i2 = s.layers[2]
    expect([i2.name, i2.edition, i2.version, i2.languages]).toEqual([
      'Windows 11 Pro',
      'Professional',
      '10.0.26100.1742',
      ['en-US'],
    ])
    expect(i2.staleness).toBe('stale')
    expect(
      s.layers
        .filter((l) => l.layer === 'winre')
        .every((l) => l.staleness === 'stale' && l.target?.startsWith('KB5074108')),
    ).toBe(true)
    expect(s.layers.find((l) => l.layer === 'setup')).toMatchObject({
      version: '10.0.26100.1742',
      staleness: 'unknown',
    })
  })

  it('with no --kb the target is the newest RELEASED cumulative update of the branch, never an optional preview; the training Catalog serves it', async () => {
    const s = await readMedium(resolveMedium('iso-x64-24h2'))
    const known = allKnownUpdates().filter((u) => u.kind === 'lcu' && u.branchIds.includes('win11-24h2'))
    const newest = (list: typeof known) => [...list].sort((a, b) => b.released.localeCompare(a.released))[0]!
    expect(newest(known).preview).toBe(true) // the knowledge's newest is a preview (KB5124010): the case this guards
    expect(s.targetKb).toBe(newest(known.filter((u) => !u.preview)).kb)
    expect(knownUpdate(s.targetKb!)?.preview).toBeFalsy()
    expect(CATALOG_UPDATES.some((u) => u.kb === s.targetKb && u.arch === 'x64')).toBe(true)
    expect(CATALOG_UPDATES.some((u) => u.kb === s.targetKb && u.arch === 'arm64')).toBe(true)
  })

  it('an image at the target is current; a stale mount is reported; an unknown name is a clear error', async () => {
    const src = trainingSource({
      ...media('iso-x64-24h2'),
      install: {
        ...media('iso-x64-24h2').install,
        images: media('iso-x64-24h2').install.images.map((i) => ({ ...i, ubr: 8117 })),
      },
    })
    const s = await readMedium(src, { kb: 'KB5086672' })
    expect(s.layers.filter((l) => l.layer === 'install').map((l) => l.staleness)).toEqual([
      'current',
      'current',
      'current',
    ])
    const stale = await readMedium(resolveMedium('usb-stale-mount'))
    expect(stale.staleMounts).toEqual(['C:\\ServicingDesk\\work\\mount\\install-1'])
    expect(() => resolveMedium('no-such-stick')).toThrow(/No medium 'no-such-stick'.*iso-x64-24h2/)
  })
})

const kinds = (steps: readonly { kind: string }[]) => steps.map((s) => s.kind)
const pkgs = (steps: readonly MediaPlanStep[]) => steps.flatMap((s) => ('package' in s ? [s] : []))
type MediaPlanStep = Awaited<ReturnType<typeof plan>>['steps'][number]

async function plan(name: string, kb = 'KB5086672', arch?: string, setupDu?: string) {
  const src = resolveMedium(name)
  return planMediaUpdate(await readMedium(src, { kb }), src, { kb, arch, setupDu })
}

describe('media plan', () => {
  it('ARM64 before the checkpoint: WinRE, then boot.wim 1 and 2, then install.wim 1..3; checkpoint before the target in each; only ARM64 packages', async () => {
    const p = await plan('usb-arm64-24h2')
    expect(p.arch).toBe('arm64')
    const order = p.steps
      .filter((s) => s.kind === 'mount')
      .map((s) => (s.kind === 'mount' ? `${s.image}${s.index}${s.readOnly ? 'ro' : ''}` : ''))
    expect(order).toEqual(['install1ro', 'winre1', 'boot1', 'boot2', 'install1', 'install2', 'install3'])
    const adds = pkgs(p.steps)
    expect(adds.every((s) => 'package' in s && s.package.arch === 'arm64')).toBe(true)
    expect(p.commands.filter((c) => /Add-Package/.test(c)).every((c) => /\\arm64\\/.test(c))).toBe(true)
    for (const img of ['boot', 'install'] as const) {
      const kbs = adds
        .filter((s) => s.kind === 'add-package' && s.image === img && s.index === 2)
        .map((s) => (s.kind === 'add-package' ? s.package.kb : ''))
      expect(kbs).toEqual(['KB5043080', 'KB5086672'])
    }
    expect(
      adds
        .filter((s) => s.kind === 'add-package' && s.image === 'winre')
        .map((s) => (s.kind === 'add-package' ? s.package.kb : '')),
    ).toEqual(['KB5074108'])
    // Each install.wim index: update, then the refreshed winre.wim, then cleanup, commit, export.
    const i3 = p.steps.filter(
      (s) => 'index' in s && s.index === 3 && (s.kind === 'copy-winre' || ('image' in s && s.image === 'install')),
    )
    expect(kinds(i3)).toEqual([
      'mount',
      'add-package',
      'add-package',
      'copy-winre',
      'cleanup-image',
      'unmount-commit',
      'export',
    ])
    expect(kinds(p.steps)).not.toContain('split-image')
    expect(p.space.enough).toBe(true)
  })

  it('x64 already past the checkpoint gets no checkpoint (it fails on a newer image); the FAT32 stick is split under 4 GB', async () => {
    const p = await plan('usb-fat32-x64', 'KB5086672', 'x64')
    expect(
      pkgs(p.steps)
        .map((s) => ('package' in s ? s.package.kb : ''))
        .filter((k) => k === 'KB5043080'),
    ).toEqual([])
    // The split is the last image step; then the run's own: the images staged into the copy, the copy written back.
    const at = p.steps.findIndex((s) => s.kind === 'split-image')
    const last = p.steps[at]!
    expect(last).toEqual({ kind: 'split-image', maxMb: 3800 })
    expect(kinds(p.steps.slice(at + 1))).toEqual(['stage', 'write-back'])
    expect(last.kind === 'split-image' && last.maxMb * 1024 * 1024 < FAT32_MAX_FILE).toBe(true)
    expect(p.commands[at]).toBe(
      '%SystemRoot%\\System32\\Dism.exe /English /Split-Image /ImageFile:C:\\ProgramData\\ServicingDesk\\work\\export\\install.wim /SWMFile:C:\\ProgramData\\ServicingDesk\\work\\media\\sources\\install.swm /FileSize:3800',
    )
    expect(kinds((await plan('iso-x64-24h2')).steps)).not.toContain('split-image')
  })

  it('the stale mount is cleaned up first, and the space it holds counts as free once it is', async () => {
    const p = await plan('usb-stale-mount')
    expect(p.steps[0]).toEqual({ kind: 'cleanup-mountpoints' })
    expect(p.commands[0]).toBe('%SystemRoot%\\System32\\Dism.exe /English /Cleanup-Mountpoints')
    // 20 GB free now is too little; with the stale mount's 18.1 GB given back it is enough.
    expect(trainingMedium('usb-stale-mount')!.workFreeBytes).toBeLessThan(p.space.neededBytes)
    expect(p.space.enough).toBe(true)
    expect(p.notes.join(' ')).toMatch(/18\.1 GB of the free space comes back when the stale mount is cleaned up/)
  })

  it('lists every step the run takes: the copy into the work folder first, the write-back last; each mount folder made first', async () => {
    for (const name of ['iso-x64-24h2', 'usb-arm64-24h2', 'usb-fat32-x64', 'usb-stale-mount']) {
      const p = await plan(name)
      expect(runStepsOf(p), name).toEqual(p.steps)
      expect(
        p.steps.filter((s) => s.kind === 'copy-to-work'),
        name,
      ).toHaveLength(1)
      expect(p.steps.at(-1), name).toEqual({ kind: 'write-back' })
      expect(p.commands[p.steps.findIndex((s) => s.kind === 'copy-to-work')], name).toMatch(
        /^%SystemRoot%\\System32\\Robocopy\.exe \S+ C:\\ProgramData\\ServicingDesk\\work\\media \/MIR \/R:0$/,
      )
      p.steps.forEach((s, i) => {
        if (s.kind !== 'mount') return
        const [mk, mount] = p.commands[i]!.split('\n')
        const dir = /\/MountDir:(\S+)/.exec(mount!)![1]
        expect(mk).toBe(`%SystemRoot%\\System32\\cmd.exe /c if not exist ${dir} mkdir ${dir}`)
      })
    }
  })

  it('refuses a wrong --arch, an unknown KB and a KB for another branch', async () => {
    await expect(plan('usb-arm64-24h2', 'KB5086672', 'x64')).rejects.toThrow(MediaPlanError)
    await expect(plan('usb-arm64-24h2', 'KB9999999')).rejects.toThrow(/not a cumulative update in the knowledge/)
    await expect(plan('usb-arm64-24h2', 'KB5082052')).rejects.toThrow(/is for win11-23h2/)
  })

  it("a named Setup DU is expanded into sources after the images, before the FAT32 split, for the medium's architecture", async () => {
    const p = await plan('usb-fat32-x64', 'KB5086672', undefined, 'kb5099999')
    const i = p.steps.findIndex((s) => s.kind === 'expand-setup-du')
    expect(p.steps[i]).toEqual({ kind: 'expand-setup-du', package: { kb: 'KB5099999', arch: 'x64', role: 'setup-du' } })
    expect(p.steps.slice(i + 1).map((s) => s.kind)).toEqual(['split-image', 'stage', 'write-back'])
    // The Setup DU's .cab is read from its folder in the work folder, where its copy step put it.
    expect(p.commands[i]).toBe(
      '%SystemRoot%\\System32\\expand.exe C:\\ProgramData\\ServicingDesk\\work\\packages\\x64\\KB5099999\\*.cab -F:* C:\\ProgramData\\ServicingDesk\\work\\media\\sources',
    )
    expect(p.steps).toContainEqual({
      kind: 'copy-package',
      package: { kb: 'KB5099999', arch: 'x64', role: 'setup-du' },
    })
    await expect(plan('usb-fat32-x64', 'KB5086672', undefined, 'setup.cab')).rejects.toThrow(/not a KB number/)
    expect(kinds((await plan('usb-fat32-x64')).steps)).not.toContain('expand-setup-du')
  })

  it('one command builder derives the exact argv from each intent step', () => {
    const f = { work: 'W:\\w', media: 'W:\\w\\media' }
    expect(stepCommand({ kind: 'mount', image: 'boot', index: 2 }, f)).toEqual({
      file: 'dism.exe',
      args: [
        '/English',
        '/Mount-Image',
        '/ImageFile:W:\\w\\media\\sources\\boot.wim',
        '/Index:2',
        '/MountDir:W:\\w\\mount\\boot-2',
      ],
    })
    expect(
      stepCommand(
        { kind: 'add-package', image: 'install', index: 3, package: { kb: 'KB5086672', arch: 'arm64', role: 'lcu' } },
        f,
      ).args,
    ).toEqual([
      '/English',
      '/Image:W:\\w\\mount\\install-3',
      '/Add-Package',
      '/PackagePath:W:\\w\\packages\\arm64\\KB5086672',
    ])
    expect(stepCommand({ kind: 'cleanup-image', image: 'winre', index: 1, resetBase: true }, f).args.slice(2)).toEqual([
      '/Cleanup-Image',
      '/StartComponentCleanup',
      '/ResetBase',
    ])
    expect(stepCommand({ kind: 'mount', image: 'winre', index: 3 }, f).args).toContain('/Index:1')
  })
})

describe('media CLI', () => {
  const home = tempDirSync('sd-media-')
  it('media list --json, media scan --json, media plan (text) and a clear error for an unknown medium', async () => {
    const list = await runCliInProcess(home, ['media', 'list', '--json'])
    expect(list.code ?? 0).toBe(0)
    expect(JSON.parse(list.stdout).media.map((m: { name: string }) => m.name)).toEqual(
      TRAINING_MEDIA.map((m) => m.name),
    )
    const scan = await runCliInProcess(home, ['media', 'scan', 'usb-arm64-24h2', '--kb', 'KB5086672', '--json'])
    expect(JSON.parse(scan.stdout).layers).toHaveLength(9)
    const p = await runCliInProcess(home, ['media', 'plan', 'usb-fat32-x64', '--kb', 'KB5086672'])
    expect(p.stdout).toMatch(/Split-Image/)
    const bad = await runCliInProcess(home, ['media', 'scan', 'nope'])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/No medium 'nope'/)
  })

  it("a run's exit code is its own: one an earlier run in the same process left (a refused plan's 3) is not read as this run's", async () => {
    process.exitCode = 3
    try {
      expect((await runCliInProcess(home, ['media', 'list', '--json'])).code).toBe(0)
      expect(process.exitCode).toBe(3)
    } finally {
      process.exitCode = undefined
    }
  })
})
