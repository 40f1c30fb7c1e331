/**
 * WinRE's argv commands (reagentc, DISM, diskpart) touch only the folders the one writer checked, Windows' own Recovery
 * folder and the Safe OS package the runner re-hashes right before DISM adds it (docs/one-writer.md): the mount folder
 * and the diskpart script are in C:\ProgramData\ServicingDesk\winre, made by the writer's PowerShell steps
 * (create-work-dir, write-diskpart-script) before any program reads them. Every op is listed by its type, so an op added
 * to WinreOp without a line here fails the typecheck.
 */
import { describe, expect, it } from 'vitest'
import { winreSpec } from '../../../main/winre/step-builder.ts'
import { WORK_DIR, STAGED_WINRE_WIM } from '../../../main/machine/winre-commands.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import { writerFolders } from '../pwsh/script-registry.ts'
import type { WinreOp } from '../../../preload/model/winre.ts'

const OPS: Record<WinreOp, true> = {
  'reagentc-disable': true,
  'reagentc-enable': true,
  'reagentc-info': true,
  'write-diskpart-script': true,
  diskpart: true,
  'create-work-dir': true,
  'dism-mount-image': true,
  'dism-add-package': true,
  'dism-cleanup-image': true,
  'dism-unmount-image': true,
  'dism-get-imageinfo': true,
}
const PACKAGE = 'C:\\ProgramData\\ServicingDesk\\kits\\winre\\windows11.0-kb5062688-x64.cab'
const RESIZE = { disk: 0, osPartition: 3, recoveryPartition: 4, gpt: true }

describe("WinRE's commands and their folders", () => {
  it("name no folder but the writer's work folder, Windows' Recovery folder and the re-hashed Safe OS package", () => {
    const allowed = [WORK_DIR, 'C:\\Windows\\System32\\Recovery']
    for (const op of Object.keys(OPS) as WinreOp[]) {
      const spec = winreSpec(
        { safeOsPackage: { path: PACKAGE } as never },
        { id: 's1', op, resize: op === 'write-diskpart-script' ? RESIZE : null },
      )
      const script = decodePowerShellScript(spec.args)
      if (script !== null) {
        // A PowerShell step makes its folder through the writer (New-SdSecureFolder), under the work folder.
        expect(
          writerFolders(script).every((f) => f.toLowerCase().startsWith(WORK_DIR.toLowerCase())),
          op,
        ).toBe(true)
        expect(writerFolders(script).length, op).toBeGreaterThan(0)
        continue
      }
      for (const arg of spec.args) {
        const m = /^(?:\/[A-Za-z]+:)?([A-Za-z]:\\.*)$/.exec(arg)
        if (!m) continue
        const p = m[1]!.toLowerCase()
        const ok =
          allowed.some((a) => p === a.toLowerCase() || p.startsWith(`${a.toLowerCase()}\\`)) ||
          p === PACKAGE.toLowerCase() ||
          p === STAGED_WINRE_WIM.toLowerCase()
        expect(ok, `${op}: ${arg}`).toBe(true)
      }
    }
  })
})
