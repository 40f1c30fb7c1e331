/**
 * The media update works only in ProgramData's checked tree, through the one writer (main/media/work-guard.ts): the
 * run's work folder is `C:\ProgramData\ServicingDesk\work\media-<id>` (never a folder at a drive's root, which
 * Authenticated Users may change), every argv path of a step stays in it (or is the medium or the app's own package
 * folder), a journal of a run that worked at the drive's root is not continued, and a .cab planted beside the Setup
 * Dynamic Update in its package folder stops the run before expand reads `*.cab` into `sources`.
 * The PowerShell of the guard itself runs in real PowerShell in test/unit/pwsh/media-guard.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { TrainingMediaStore } from '../../../main/media/training/state.ts'
import { updateMedium, type MediaUpdateOptions } from '../../../main/media/update.ts'
import { runCommands, type CommandFolders } from '../../../main/media/plan.ts'
import { MediaWorkFolderError, mediaGuardCommand, outsideWorkFolder } from '../../../main/media/work-guard.ts'
import { MediaJournalStore } from '../../../main/media/journal.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'

const yes: MediaUpdateOptions['confirm'] = async () => true

function dirsUnder(dir: string): string[] {
  const out: string[] = []
  for (const n of readdirSync(dir)) {
    const p = join(dir, n)
    if (statSync(p).isDirectory()) out.push(p, ...dirsUnder(p))
  }
  return out
}

describe("the media update's work folder", () => {
  it("is under C:\\ProgramData\\ServicingDesk\\work, and every command of the run names only it, the medium and the app's packages", async () => {
    const home = tempDirSync('sd-media-work-')
    const out = await updateMedium(
      'iso-x64-24h2',
      'KB5094126',
      { dataDir: home, store: new TrainingMediaStore(home) },
      { confirm: yes },
    )
    expect(out.status).toBe('completed')
    expect(out.journal!.plan.work).toMatch(/^C:\\ProgramData\\ServicingDesk\\work\\media-iso-x64-24h2-[0-9a-z-]+$/)
    for (const c of out.commands) expect(c, c).not.toMatch(/C:\\ServicingDesk\\/i)
    expect(out.commands.filter((c) => /\\work\\/i.test(c)).every((c) => c.includes(out.journal!.plan.work))).toBe(true)
  })

  it("refuses a step whose command names a folder outside the run's work folder (a drive root's work folder included)", () => {
    const root = 'D:\\Media\\Win11'
    const good: CommandFolders = {
      work: 'C:\\ProgramData\\ServicingDesk\\work\\media-x-1',
      media: 'C:\\ProgramData\\ServicingDesk\\work\\media-x-1\\media',
      kits: '/home/u/.sd/kits/media',
    }
    const pkg = { kb: 'KB5102558', arch: 'x64' as const, role: 'setup-du' as const }
    expect(outsideWorkFolder(runCommands({ kind: 'expand-setup-du', package: pkg }, good, root), good, root)).toBeNull()
    expect(outsideWorkFolder(runCommands({ kind: 'copy-package', package: pkg }, good, root), good, root)).toBeNull()
    expect(outsideWorkFolder(runCommands({ kind: 'write-back' }, good, root), good, root)).toBeNull()
    const old: CommandFolders = {
      work: 'C:\\ServicingDesk\\work\\media-x-1',
      media: 'C:\\ServicingDesk\\work\\media-x-1\\media',
    }
    expect(outsideWorkFolder(runCommands({ kind: 'copy-to-work' }, old, root), old, root)).toMatch(
      /not one the app makes under C:\\ProgramData\\ServicingDesk\\work/,
    )
    const stray = { ...good, media: 'C:\\Users\\Public\\media' }
    expect(outsideWorkFolder(runCommands({ kind: 'write-back' }, stray, root), stray, root)).toMatch(
      /C:\\Users\\Public\\media names a folder outside the run's work folder/,
    )
    expect(() => mediaGuardCommand({ kind: 'copy-to-work' }, old, new Map())).toThrow(MediaWorkFolderError)
  })

  it('has a guard before every step: the first makes the folders through the one writer, a package is re-hashed and must be alone in its folder', () => {
    const f: CommandFolders = {
      work: 'C:\\ProgramData\\ServicingDesk\\work\\media-x-1',
      media: 'C:\\ProgramData\\ServicingDesk\\work\\media-x-1\\media',
    }
    const pkg = { kb: 'KB5102558', arch: 'x64' as const, role: 'setup-du' as const }
    const files = new Map([
      ['KB5102558-x64', { ...pkg, fileName: 'windows11.0-kb5102558-x64.cab', sha256: 'a'.repeat(64), sizeBytes: 1 }],
    ])
    const first = decodePowerShellScript(mediaGuardCommand({ kind: 'copy-to-work' }, f, files).args)!
    expect(first).toMatch(
      /Use-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\work\\media-x-1'; if \(\$why\) \{ Stop-SdStep \$why \}/,
    )
    const expand = decodePowerShellScript(mediaGuardCommand({ kind: 'expand-setup-du', package: pkg }, f, files).args)!
    expect(expand).toMatch(/Test-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\work\\media-x-1'/)
    expect(expand).toMatch(
      /Test-SdOnlyFiles 'C:\\ProgramData\\ServicingDesk\\work\\media-x-1\\packages\\x64\\KB5102558' @\('windows11\.0-kb5102558-x64\.cab'\)/,
    )
    expect(expand).toMatch(
      /Assert-SdFileSha256 'C:\\ProgramData\\ServicingDesk\\work\\media-x-1\\packages\\x64\\KB5102558\\windows11\.0-kb5102558-x64\.cab' 'A{64}'/,
    )
  })

  it('a .cab planted beside the Setup Dynamic Update in its package folder stops the run before expand; the medium is not changed', async () => {
    const home = tempDirSync('sd-media-planted-cab-')
    const store = new TrainingMediaStore(home)
    const before = JSON.stringify(store.load('iso-x64-24h2').medium)
    const out = await updateMedium(
      'iso-x64-24h2',
      'KB5094126',
      { dataDir: home, store },
      {
        confirm: yes,
        checkpointHook: (point) => {
          if (!/^command:s\d+-copy-package-kb5102558$/.test(point)) return
          const dir = dirsUnder(join(store.dir, 'work', 'iso-x64-24h2')).find((d) => /[\\/]kb5102558$/i.test(d))!
          mkdirSync(dir, { recursive: true })
          writeFileSync(join(dir, 'planted.cab'), "a standard user's setup files")
        },
      },
    )
    expect(out.status).toBe('failed')
    const refused = out.journal!.entries.find((e) => e.phase === 'finished' && e.result.outcome === 'refused')
    expect(refused && refused.phase === 'finished' && `${refused.stepId}: ${refused.result.output}`).toMatch(
      /-expand-setup-du-kb5102558: Not run: C:\\ProgramData\\ServicingDesk\\work\\media-\S+\\packages\\x64\\KB5102558\\planted\.cab is not a file this step put there/,
    )
    expect(JSON.stringify(store.load('iso-x64-24h2').medium)).toBe(before)
  })

  it("does not continue a run an earlier version started at the drive's root (C:\\ServicingDesk\\work), and says why", async () => {
    const home = tempDirSync('sd-media-old-root-')
    const store = new TrainingMediaStore(home)
    const journals = new MediaJournalStore(home)
    // Interrupted after its first step (the copy into the work folder).
    const first = await updateMedium(
      'iso-x64-24h2',
      'KB5094126',
      { dataDir: home, store, journals },
      {
        confirm: yes,
        checkpointHook: (p) => {
          if (/^journal:finished:s01-/.test(p)) throw new Error('killed')
        },
      },
    ).catch((e: Error) => e)
    expect(first).toBeInstanceOf(Error)
    const j = journals.listFor('iso-x64-24h2').journals[0]!
    const moved = JSON.parse(JSON.stringify(j)) as typeof j
    moved.plan.work = moved.plan.work.replace('C:\\ProgramData\\ServicingDesk\\work', 'C:\\ServicingDesk\\work')
    const saved = journals as unknown as { save: (x: typeof j) => void }
    saved.save(moved)
    await expect(
      updateMedium('iso-x64-24h2', 'KB5094126', { dataDir: home, store, journals }, { confirm: yes }),
    ).rejects.toThrow(
      /works in C:\\ServicingDesk\\work\\media-\S+, a folder at the drive's root that standard users may change/,
    )
  })
})
