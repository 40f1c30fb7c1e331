/**
 * The media run copies its packages into the work folder: DISM reads each package from
 * `<work>\packages\<arch>\<KB>` (a folder only administrators can write), never from the app's download folder; the
 * copy is a visible step of the plan and the run, and the file there is hashed again right before the step that uses it.
 */
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { TrainingMediaStore } from '../../../main/media/training/state.ts'
import { updateMedium, type MediaUpdateOptions } from '../../../main/media/update.ts'
import { createMediaService } from '../../../main/media/media-service.ts'

const KB = 'KB5086672'
const yes: MediaUpdateOptions['confirm'] = async () => true
const run = (home: string, medium: string, opts: MediaUpdateOptions = {}) =>
  updateMedium(medium, KB, { dataDir: home, store: new TrainingMediaStore(home) }, { confirm: yes, ...opts })

/** Every file under a folder (the training host's work folder keeps the copied packages there). */
function filesUnder(dir: string): string[] {
  let out: string[] = []
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  for (const n of names) {
    const p = join(dir, n)
    out = statSync(p).isDirectory() ? out.concat(filesUnder(p)) : out.concat([p])
  }
  return out
}

describe("the media run's packages in the work folder", () => {
  it("the plan shows one copy step per package, before any step reads it, and DISM names the work folder's copy", async () => {
    const home = tempDirSync('sd-media-pkg-plan-')
    const { plan } = await createMediaService({ dataDir: home }).plan('usb-arm64-24h2', KB)
    const copies = plan.steps.flatMap((s, i) => (s.kind === 'copy-package' ? [[i, s.package.kb]] : []))
    expect(copies.map(([, kb]) => kb).sort()).toEqual(
      [...new Set(plan.steps.flatMap((s) => (s.kind === 'add-package' ? [s.package.kb] : [])))].sort(),
    )
    for (const [i, kb] of copies) {
      const firstUse = plan.steps.findIndex((s) => s.kind === 'add-package' && s.package.kb === kb)
      expect(i).toBeLessThan(firstUse)
      expect(plan.commands[i as number]).toBe(
        `%SystemRoot%\\System32\\Robocopy.exe ${join(home, 'kits', 'media')}/${kb}-arm64 C:\\ProgramData\\ServicingDesk\\work\\packages\\arm64\\${kb} *${String(kb).toLowerCase()}* /R:0`,
      )
    }
    for (const [i, s] of plan.steps.entries())
      if (s.kind === 'add-package')
        expect(plan.commands[i]).toMatch(
          new RegExp(
            `/PackagePath:C:\\\\ProgramData\\\\ServicingDesk\\\\work\\\\packages\\\\arm64\\\\${s.package.kb}$`,
          ),
        )
  })

  it('a training run copies each verified file into the work folder and ends with every layer at its target', async () => {
    const home = tempDirSync('sd-media-pkg-run-')
    const out = await run(home, 'usb-arm64-24h2')
    expect(out.status).toBe('completed')
    expect(out.problems.filter((p) => !/setup\.exe .* was not judged/.test(p))).toEqual([])
    const copied = out.journal!.entries.filter((e) => e.phase === 'finished' && /-copy-package-/.test(e.stepId))
    expect(copied.map((e) => e.phase === 'finished' && e.result.outcome)).toEqual(out.packages.map(() => 'done'))
    // The copies in the work folder are the verified files, byte for byte.
    const work = filesUnder(join(new TrainingMediaStore(home).dir, 'work', 'usb-arm64-24h2'))
    for (const p of out.packages) {
      const f = work.find((w) => w.endsWith(p.fileName.toLowerCase()))
      expect(f, p.fileName).toBeDefined()
      expect(createHash('sha256').update(readFileSync(f!)).digest('hex')).toBe(p.sha256)
    }
  })

  it('a package swapped in the work folder after its copy is refused at use; nothing is added, and the run says why', async () => {
    const home = tempDirSync('sd-media-pkg-swap-')
    const store = new TrainingMediaStore(home)
    const before = JSON.stringify(store.load('usb-arm64-24h2').medium)
    const out = await run(home, 'usb-arm64-24h2', {
      checkpointHook: (point) => {
        if (!/^command:s\d+-copy-package-kb5086672$/.test(point)) return
        const f = filesUnder(join(store.dir, 'work', 'usb-arm64-24h2')).find(
          (w) => /kb5086672/.test(w) && !w.endsWith('.json'),
        )!
        writeFileSync(f, 'not the verified package')
      },
    })
    expect(out.status).toBe('failed')
    const refused = out.journal!.entries.find((e) => e.phase === 'finished' && e.result.outcome === 'refused')
    expect(refused && refused.phase === 'finished' && refused.result.output).toMatch(
      /KB5086672 \(arm64\) at C:\\ProgramData\\ServicingDesk\\work\\media-.*\\packages\\arm64\\KB5086672\\.* is not the file that was verified: SHA-256 [0-9a-f]{64}, the journal says [0-9a-f]{64}\. Nothing was added\./,
    )
    // The medium itself was not changed (the write-back never ran).
    expect(JSON.stringify(store.load('usb-arm64-24h2').medium)).toBe(before)
  })

  it('killed right after a package was copied (before the journal said so), the same command again copies it again and finishes the run', async () => {
    const home = tempDirSync('sd-media-pkg-kill-')
    class Crash extends Error {}
    await expect(
      run(home, 'iso-x64-24h2', {
        checkpointHook: (p) => {
          if (/^command:s\d+-copy-package-kb5086672$/.test(p)) throw new Crash('killed')
        },
      }),
    ).rejects.toThrow(Crash)
    const again = await run(home, 'iso-x64-24h2')
    expect(again.resumed).toBe(true)
    expect(again.status).toBe('completed')
    expect(again.problems.filter((p) => !/setup\.exe .* was not judged/.test(p))).toEqual([])
  })
})
