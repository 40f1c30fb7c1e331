/**
 * No user-provided string ever becomes PowerShell code. The scripts we write (plan export, a kit's
 * Install-Kit.ps1, the Authenticode check) carry package paths, file names, machine names, Catalog titles
 * and notes that can come from another PC or a hostile page. Every one of them, in every string field,
 * must land in a comment or a verbatim single-quoted literal, including the typographic quotes and the
 * `#>` / newline tricks PowerShell's grammar allows (powershell-lexer.ts).
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import { planInstallation } from '../../../main/install/planner.ts'
import { planToPowerShell } from '../../../main/install/script-export.ts'
import { renderInstallScript } from '../../../main/kit/install-script.ts'
import { authenticodeScript } from '../../../main/download/signature.ts'
import { PlanSchema, type Plan } from '../../../preload/model/plan.ts'
import { KitManifestSchema, type KitManifest } from '../../../preload/model/kit.ts'
import { HOSTILE, MARKER, stringLeaves, setAt, getAt } from './hostile-values.ts'
import { markerInCode, regionsOf } from './powershell-lexer.ts'
import { tempDirSync } from '../temp-dirs.ts'

let plan: Plan
let manifest: KitManifest
const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const

beforeAll(async () => {
  const dir = tempDirSync('sd-hostile-ps-')
  const services = createServices({ dataDir: dir })
  const snapshot = await services.scan(ref)
  const packages = writeTrainingKit(join(dir, 'kit'), 'KB5086672', 'arm64')
  plan = planInstallation({ id: 'p1', createdAt: '2026-11-21T08:00:00Z', targets: ['KB5086672'], snapshot, machineRef: ref, packages, method: 'sequence', scope: { kind: 'online' }, elevated: true })
  manifest = {
    schemaVersion: KitManifestSchema.shape.schemaVersion.value, tool: { name: 'servicing-desk', version: '0.1.0' }, created: '2026-11-21T08:00:00Z',
    target: { kb: 'KB5086672', arch: 'arm64', build: 26100, ubr: 1150, machine: 'PC-1', title: '2026-05 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)' },
    files: packages.map((p, i) => ({ order: i + 1, role: i === packages.length - 1 ? 'target' : 'checkpoint', kb: p.kb, arch: 'arm64', fileName: p.fileName, sizeBytes: p.sizeBytes ?? 1, sha1: p.sha1!, sha256: p.sha256! })) as KitManifest['files'],
    notes: ['built for a test'],
  }
})

describe('the PowerShell lexer used here', () => {
  it('knows comments, verbatim literals (with typographic quotes) and code', () => {
    const s = `# a ${MARKER}\n<# ${MARKER} #>\n'${MARKER}' \u2018it\u2019\u2019s ${MARKER}\u2019\n"${MARKER}" ${MARKER}`
    const r = regionsOf(s)
    const hits = markerInCode(s, MARKER)
    expect(hits.length).toBe(2)
    expect(r[s.indexOf(`'${MARKER}'`) + 1]).toBe('literal')
  })
})

describe('no hostile string becomes PowerShell code', () => {
  it('plan export: every string field of a plan, with every hostile string', () => {
    const leaves = stringLeaves(plan)
    const escapes: string[] = []
    for (const p of leaves) {
      for (const h of HOSTILE) {
        const evil = setAt(plan, p, `${getAt(plan, p) as string}${h}`)
        // Fields the schema constrains (ids, enums, codes) cannot carry it: a plan read back is validated.
        if (!PlanSchema.safeParse(evil).success) continue
        const script = planToPowerShell(evil)
        if (markerInCode(script, MARKER).length) escapes.push(`${p.join('.')} ← ${JSON.stringify(h)}`)
      }
    }
    expect(leaves.length).toBeGreaterThan(30)
    expect(escapes).toEqual([])
  })

  it('plan export of a refused plan keeps the reason a literal', () => {
    for (const h of HOSTILE) expect(markerInCode(planToPowerShell({ ...plan, refused: `no: ${h}` }), MARKER)).toEqual([])
  })

  it("a kit's Install-Kit.ps1: every string field of the manifest, with every hostile string", () => {
    const escapes: string[] = []
    for (const p of stringLeaves(manifest)) {
      for (const h of HOSTILE) {
        const evil = setAt(manifest, p, `${getAt(manifest, p) as string}${h}`)
        if (!KitManifestSchema.safeParse(evil).success) continue
        if (markerInCode(renderInstallScript(evil), MARKER).length) escapes.push(`${p.join('.')} ← ${JSON.stringify(h)}`)
      }
    }
    expect(escapes).toEqual([])
  })

  it('the Authenticode check quotes the package path as a literal', () => {
    for (const h of HOSTILE) expect(markerInCode(authenticodeScript(`C:\\cache\\${h}.msu`), MARKER)).toEqual([])
  })

  it('the hostile plan still validates (the test reaches the renderer, not a schema refusal)', () => {
    expect(PlanSchema.safeParse(setAt(plan, ['machine', 'name'], HOSTILE[0])).success).toBe(true)
  })
})
