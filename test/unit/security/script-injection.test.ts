/**
 * No value ever becomes PowerShell code. Every generated script — a kit's Install-Kit.ps1,
 * the plan export, the Authenticode check — is parsed with PowerShell's grammar (tree-sitter-powershell,
 * powershell-grammar.ts) with a hostile value appended to **every** string field in turn. For each case:
 * the script parses without errors, its commands are exactly the ones of the benign script, and every
 * occurrence of the marker sits inside a comment or a verbatim string. Nothing is filtered by a schema
 * first (that hid every case before): the renderers are called directly, each case reaches the code, and
 * the test asserts how many ran. A value the renderer refuses must be one with a control character.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { writeTrainingKit } from '../../../main/install/training-kit.ts'
import { planInstallation } from '../../../main/install/planner.ts'
import { StepIntentError } from '../../../main/install/step-commands.ts'
import { planToPowerShell } from '../../../main/install/script-export.ts'
import { renderInstallScript } from '../../../main/kit/install-script.ts'
import { authenticodeScript } from '../../../main/download/signature.ts'
import { PowerShellTextError, powerShellFileText, psComment } from '../../../main/host/powershell-text.ts'
import { KitManifestSchema, type KitManifest } from '../../../preload/model/kit.ts'
import type { Plan } from '../../../preload/model/plan.ts'
import { HOSTILE, MARKER, stringLeaves, setAt, getAt } from '../hostile/hostile-values.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { commandsOf, errorsOf, parsePowerShell, placesOf } from './powershell-grammar.ts'
import { hangMs } from '../../load.ts'

/** The shared hostile strings, and more for the grammar's corners; each carries the marker. */
const VALUES: readonly string[] = [
  ...HOSTILE,
  `\`#> ${MARKER} <#`,
  `##> ${MARKER} <##`,
  `<<##>> ${MARKER} #>#>`,
  `''; ${MARKER}; ''`,
  `\`'; ${MARKER}`,
  `\`$(${MARKER})`,
  `\${${MARKER}}`,
  `x\u0000; ${MARKER}`,
  `x\u2028${MARKER}`,
  `x\u0085${MARKER}`,
  `x\u000B${MARKER}\u000C`,
  `\n.EXTERNALHELP \\\\evil.example\\share\\help.xml\n${MARKER}`,
  `@"\n$(${MARKER})\n"@`,
  `\u2019\u2019\u2019; ${MARKER}; \u2018`,
  `a\u2013and ${MARKER} \u2014Force`,
]
const hasControl = (s: string) => /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(s)

type Outcome = { ran: number; rendered: number; refused: number; unused: number; escapes: string[] }

/**
 * Appends each value to each string field, renders, and checks the tree against the benign script's.
 * A `kind` field picks which lines are written (a step's kind), so another value changes the set of
 * commands without ever being written: for those only "parses, and the value is never code" is checked.
 */
function attack<T>(base: T, render: (v: T) => string): Outcome {
  const baseScript = render(base)
  const baseline = parsePowerShell(baseScript)
  expect(errorsOf(baseline)).toEqual([])
  const expected = commandsOf(baseline)
  const out: Outcome = { ran: 0, rendered: 0, refused: 0, unused: 0, escapes: [] }
  for (const leaf of stringLeaves(base)) {
    for (const v of VALUES) {
      out.ran++
      const where = `${leaf.join('.')} ← ${JSON.stringify(v)}`
      let script: string
      try {
        script = render(setAt(base, leaf, `${getAt(base, leaf) as string}${v}`))
      } catch (err) {
        if (err instanceof PowerShellTextError && hasControl(v)) {
          out.refused++
          continue
        }
        // A plan whose intent no longer fits the builder (a step naming a package the plan does not list) is refused, not written.
        if (err instanceof StepIntentError) {
          out.refused++
          continue
        }
        out.escapes.push(`${where}: threw ${(err as Error).message}`)
        continue
      }
      out.rendered++
      // A field the script does not use gives the benign script, already checked above.
      if (script === baseScript) {
        out.unused++
        continue
      }
      const tree = parsePowerShell(script, { script: baseScript, tree: baseline })
      const errors = errorsOf(tree)
      if (errors.length) out.escapes.push(`${where}: does not parse: ${errors[0]}`)
      const got = commandsOf(tree)
      if (leaf[leaf.length - 1] !== 'kind' && JSON.stringify(got) !== JSON.stringify(expected))
        out.escapes.push(`${where}: commands ${JSON.stringify(got)} instead of ${JSON.stringify(expected)}`)
      const code = placesOf(tree, script, MARKER).filter((p) => p !== 'data')
      if (code.length) out.escapes.push(`${where}: the value is code (${code[0]})`)
      if (/^\s*\.[A-Za-z]+/m.test(script)) out.escapes.push(`${where}: a line starts with a comment-based-help keyword`)
      tree.delete()
    }
  }
  return out
}

let plan: Plan
let manifest: KitManifest
const ref = { kind: 'training', name: 'arm64-missing-checkpoint' } as const

beforeAll(async () => {
  const dir = tempDirSync('sd-sec-ps-')
  const services = createServices({ dataDir: dir, platform: 'linux' })
  const snapshot = await services.scan(ref)
  const packages = writeTrainingKit(join(dir, 'kit'), 'KB5086672', 'arm64')
  plan = planInstallation({
    id: 'p1',
    createdAt: '2026-11-21T08:00:00Z',
    targets: ['KB5086672'],
    snapshot,
    machineRef: ref,
    packages,
    method: 'sequence',
    scope: { kind: 'online' },
    elevated: true,
  })
  // A manifest that passes the schema (the old test's lacked `reason`, so every hostile case was skipped).
  manifest = KitManifestSchema.parse({
    schemaVersion: 1,
    tool: { name: 'servicing-desk', version: '0.1.0' },
    created: '2026-11-21T08:00:00.000Z',
    target: {
      kb: 'KB5086672',
      arch: 'arm64',
      build: 26100,
      ubr: 1150,
      machine: 'PC-1',
      title: '2026-05 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)',
    },
    files: packages.map((p, i) => ({
      order: i + 1,
      role: i === packages.length - 1 ? 'target' : 'checkpoint',
      kb: p.kb,
      arch: 'arm64',
      fileName: p.fileName,
      sizeBytes: p.sizeBytes ?? 1,
      sha1: p.sha1!,
      sha256: p.sha256!,
      reason: 'in the chain',
    })),
    notes: ['built for a test'],
    seal: { installScriptSha256: '0'.repeat(64), planSha256: '1'.repeat(64) },
  })
})

describe('the grammar check itself', () => {
  it('sees code where a value escaped, through each way out we guard against', () => {
    const naive = [
      `<#\n  Title: x #> ${MARKER} <# y\n#>\nWrite-Host 'ok'`,
      `$a = 'x'; ${MARKER}; ''\nWrite-Host 'ok'`,
      `$a = 'x\u2019; ${MARKER}; \u2019'\nWrite-Host 'ok'`,
      `# x\n${MARKER}\nWrite-Host 'ok'`,
      `Write-Host "a $(${MARKER})"`,
    ]
    for (const s of naive)
      expect(
        placesOf(parsePowerShell(s), s, MARKER).some((p) => p !== 'data'),
        s,
      ).toBe(true)
    const safe = `<# x # > ${MARKER} < # y #>\n$a = 'x''; ${MARKER}; '''\n$b = 'x\u2019\u2019; ${MARKER}'\n# ${MARKER}\nWrite-Host 'ok'`
    expect(placesOf(parsePowerShell(safe), safe, MARKER)).toEqual(['data', 'data', 'data', 'data'])
    expect(commandsOf(parsePowerShell(safe))).toEqual({ names: ['write-host'], count: 1 })
  })
})

describe('no value ever becomes PowerShell code', () => {
  it('Install-Kit.ps1: a hostile value in every string field of the manifest', () => {
    const leaves = stringLeaves(manifest).length
    const r = attack(manifest, (m) => renderInstallScript(m, [26100, 26200]))
    expect(r.escapes).toEqual([])
    expect(leaves).toBeGreaterThanOrEqual(20)
    expect(r.ran).toBe(leaves * VALUES.length)
    expect(r.rendered).toBeGreaterThan(r.ran * 0.7)
  })

  it('Install-Kit.ps1: the hostile values a valid manifest can carry (title, machine, notes, reasons) pass the schema and are rendered as data', () => {
    let valid = 0
    for (const path of [
      ['target', 'title'],
      ['target', 'machine'],
      ['notes', 0],
      ['files', 0, 'reason'],
    ] as const) {
      for (const v of VALUES.filter((x) => !hasControl(x))) {
        const evil = setAt(manifest, [...path], `${getAt(manifest, [...path]) as string}${v}`)
        expect(KitManifestSchema.safeParse(evil).success, `${path.join('.')} ← ${v}`).toBe(true)
        const script = renderInstallScript(evil)
        expect(placesOf(parsePowerShell(script), script, MARKER).every((p) => p === 'data')).toBe(true)
        valid++
      }
    }
    expect(valid).toBe(4 * VALUES.filter((x) => !hasControl(x)).length)
    // A line break or NUL cannot even get into a manifest's title.
    expect(KitManifestSchema.safeParse(setAt(manifest, ['target', 'title'], `x\n${MARKER}`)).success).toBe(false)
  })

  it('plan export: a hostile value in every string field of a plan', { timeout: hangMs(120_000) }, () => {
    const leaves = stringLeaves(plan).length
    const r = attack(plan, planToPowerShell)
    expect(r.escapes).toEqual([])
    expect(leaves).toBeGreaterThanOrEqual(30)
    expect(r.ran).toBe(leaves * VALUES.length)
    expect(r.rendered).toBeGreaterThan(r.ran * 0.7)
  }) // Thousands of incremental parses of a script that now carries its work-folder checks.

  it('plan export of a refused plan keeps the reason data', () => {
    for (const v of VALUES) {
      const script = planToPowerShell({ ...plan, refused: `no: ${v}` })
      const tree = parsePowerShell(script)
      expect(errorsOf(tree)).toEqual([])
      expect(
        placesOf(tree, script, MARKER).every((p) => p === 'data'),
        v,
      ).toBe(true)
    }
  })

  it('the Authenticode check keeps the package path a literal', () => {
    for (const v of VALUES.filter((x) => !hasControl(x))) {
      const script = authenticodeScript(`C:\\cache\\${v}.msu`)
      const tree = parsePowerShell(script)
      expect(errorsOf(tree)).toEqual([])
      expect(
        placesOf(tree, script, MARKER).every((p) => p === 'data'),
        v,
      ).toBe(true)
    }
  })
})

describe('the script file', () => {
  it('has a UTF-8 BOM: without one, Windows PowerShell 5.1 reads the ANSI code page and the bytes of đ become ‘, a quote', () => {
    const bytes = Buffer.from(`'a\u0111; ${MARKER}; \u0111'`, 'utf8')
    const asAnsi = new TextDecoder('windows-1252').decode(bytes)
    expect(asAnsi).toContain('\u2018')
    expect(placesOf(parsePowerShell(asAnsi), asAnsi, MARKER).some((p) => p !== 'data')).toBe(true)
    const file = powerShellFileText(planToPowerShell(plan))
    expect(file.startsWith('\uFEFF')).toBe(true)
    expect(file.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  })

  it('a comment cannot be closed, however the value is built', () => {
    for (const v of ['#>', '##>', '#>>', '<##>>', '#\u0000>', '#\n>', `a#>${MARKER}`])
      expect(psComment(v)).not.toMatch(/#>|<#|[\r\n\u0000]/)
  })
})
