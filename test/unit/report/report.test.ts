/** The report: JSON, one self-contained HTML file with strict escaping, the ticket summary, journals, CLI. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { escapeHtml } from '../../../main/report/escape.ts'
import { renderReportHtml } from '../../../main/report/html.ts'
import { buildReport } from '../../../main/report/build-report.ts'
import { summaryOf } from '../../../main/report/summary.ts'
import { actionFromJournal, readActions } from '../../../main/report/journals.ts'
import { exportReport, makeReport } from '../../../main/report/export-report.ts'
import { chainOfBuild } from '../../../main/report/chain-of-build.ts'
import { ReportSchema } from '../../../preload/model/report.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { Finding } from '../../../preload/model/diagnosis.ts'
import { runCli } from '../../../main/cli/run-cli.ts'

let home: string
let services: ReturnType<typeof createServices>
let snapshot: MachineSnapshot

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'sd-report-'))
  services = createServices({ dataDir: home, platform: 'linux' })
  snapshot = await services.scan({ kind: 'training', name: 'arm64-missing-checkpoint' })
})
afterAll(() => rmSync(home, { recursive: true, force: true, maxRetries: 5 }))

const finding = (over: Partial<Finding> = {}): Finding => ({
  id: 'missing-checkpoint',
  title: 'The checkpoint update is missing',
  technical: 'CBS_E_INSTALLERS_FAILED (0x800F0922)',
  severity: 'critical',
  confidence: 0.9,
  causes: ['KB5043080 was never installed'],
  remedies: [
    {
      id: 'R-cp',
      title: 'Install the checkpoint first',
      text: 'Install KB5043080, then KB5086672.',
      commands: ['DISM /Online /Add-Package /PackagePath:C:\\kb'],
      repair: 'install-checkpoint',
      sources: [],
      verified: true,
    },
  ],
  evidence: [
    { source: 'Get-WindowsPackage', excerpt: 'Package_for_RollupFix~31bf3856ad364e35~arm64~~26100.1150.1.10' },
  ],
  repair: 'install-checkpoint',
  codes: ['0x800F0922'],
  ...over,
})

/** A snapshot as another PC might send it: markup in every string the report prints. */
function hostile(s: MachineSnapshot): MachineSnapshot {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&`'
  const copy = structuredClone(s)
  copy.origin = { kind: 'snapshot', name: evil, title: evil }
  if (copy.os.status === 'known') copy.os.value.computerName = evil
  copy.history = {
    status: 'known',
    value: [
      {
        title: evil,
        kb: null,
        date: '2026-04-15T02:41:09Z',
        operation: 'install',
        result: 'failed',
        hresult: '0x800F0922',
      },
    ],
    evidence: [{ source: evil, excerpt: `${evil}\u0000\u0007` }],
  }
  copy.winre = { status: 'unknown', error: evil, evidence: [{ source: 'reagentc /info', excerpt: evil }] }
  return copy
}

describe('escapeHtml', () => {
  it('escapes markup, quotes and backticks', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;')
  })
  it('turns control characters and lone surrogates into U+FFFD, keeps tabs and newlines', () => {
    expect(escapeHtml('a\u0000b\u001Fc\td\ne\uD800')).toBe('a\uFFFDb\uFFFDc\td\ne\uFFFD')
  })
  it('prints null and undefined as empty', () => {
    expect(escapeHtml(null)).toBe('')
    expect(escapeHtml(undefined)).toBe('')
  })
  it('never lets a tag through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeHtml(s)
        return !/[<>"'`]/.test(out) && !/&(?!(amp|lt|gt|quot|#39|#96);)/.test(out)
      }),
    )
  })
})

describe('buildReport and renderReportHtml', () => {
  it('names the cause the diagnosis ranked first, in JSON, HTML and the summary', () => {
    const r = buildReport({
      snapshot,
      diagnosis: { available: true, findings: [finding(), finding({ id: 'other', title: 'Second cause' })], notes: [] },
      actions: [],
      appVersion: '9.9.9',
      now: new Date('2026-05-01T10:00:00Z'),
    })
    expect(ReportSchema.parse(r).topCause).toEqual({
      id: 'missing-checkpoint',
      title: 'The checkpoint update is missing',
      technical: 'CBS_E_INSTALLERS_FAILED (0x800F0922)',
      codes: ['0x800F0922'],
    })
    const html = renderReportHtml(r)
    expect(html).toMatch(/id="top-cause">The checkpoint update is missing/)
    expect(html).toContain('Package_for_RollupFix~31bf3856ad364e35~arm64~~26100.1150.1.10')
    expect(summaryOf(r)).toContain(
      'Most likely cause: The checkpoint update is missing\n  technical: CBS_E_INSTALLERS_FAILED (0x800F0922)',
    )
    expect(summaryOf(r)).toContain('Other findings: Second cause')
  })

  it('is one self-contained file: no script, no external resource, a CSP that forbids both', () => {
    const html = renderReportHtml(
      buildReport({
        snapshot,
        diagnosis: { available: true, findings: [finding()], notes: [] },
        actions: [],
        appVersion: '1',
        now: new Date(),
      }),
    )
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|url\(|@import|https?:\/\//i)
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`)
    expect(html).toContain('@media print')
  })

  it('escapes every value of an untrusted snapshot from another PC', () => {
    const bad = hostile(snapshot)
    const html = renderReportHtml(
      buildReport({
        snapshot: bad,
        diagnosis: {
          available: true,
          findings: [
            finding({ title: '<b>x</b>', evidence: [{ source: '<i>', excerpt: '</pre><script>1</script>' }] }),
          ],
          notes: ['<u>note</u>'],
        },
        actions: [],
        appVersion: '<v>',
        now: new Date(),
      }),
    )
    expect(html).not.toMatch(/<script|<img|<b>|<i>|<u>|<v>|onerror=alert\(2\)>/)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).not.toContain('\u0000')
  })

  it('says honestly when no diagnosis ran and which facts could not be read', () => {
    const bad = hostile(snapshot)
    const r = buildReport({
      snapshot: bad,
      diagnosis: { available: false, findings: [], notes: ['The diagnosis engine is not part of this build.'] },
      actions: [],
      appVersion: '1',
      now: new Date(),
    })
    expect(r.topCause).toBeNull()
    expect(r.unknownFacts.map((u) => u.fact)).toContain('winre')
    expect(renderReportHtml(r)).toContain('not diagnosed')
    expect(summaryOf(r)).toContain('not diagnosed')
  })

  it('verification: a failed latest attempt and a missing checkpoint are problems; unknown facts are unknown, not passes', () => {
    const r = buildReport({
      snapshot,
      diagnosis: { available: false, findings: [], notes: [] },
      actions: [],
      appVersion: '1',
      now: new Date(),
    })
    const latest = r.verification.checks.find((c) => c.id === 'latest-attempt')!
    if (snapshot.history.status === 'known') {
      expect(latest.ok).toBe(false)
      expect(latest.detail).not.toContain('0x800F0922')
      expect(latest.technical).toContain('0x800F0922')
    } else {
      expect(latest.ok).toBeNull()
    }
    const blank = structuredClone(snapshot)
    for (const k of ['packages', 'history', 'reboot', 'storage', 'services', 'winre'] as const)
      blank[k] = { status: 'unknown', error: `no ${k}`, evidence: [] }
    const r2 = buildReport({
      snapshot: blank,
      diagnosis: { available: false, findings: [], notes: [] },
      actions: [],
      appVersion: '1',
      now: new Date(),
    })
    expect(r2.verification.status).toBe('unknown')
    expect(r2.verification.checks.every((c) => c.ok === null)).toBe(true)
  })
})

describe('install journals', () => {
  const journal = (planId: string, ref: unknown, name = 'FIELD-ARM-07') => ({
    schemaVersion: 1,
    planId,
    status: 'completed',
    updatedAt: `2026-05-0${planId.length % 9}T00:00:00Z`,
    plan: {
      machine: { ref, name },
      targets: ['KB5086672'],
      steps: [
        {
          id: 's1',
          title: 'Install KB5043080 (checkpoint)',
          command: { commandLine: 'DISM /Online /Add-Package /PackagePath:"C:\\cp.msu"' },
        },
        {
          id: 's2',
          title: 'Install KB5086672',
          command: { commandLine: 'DISM /Online /Add-Package /PackagePath:"C:\\lcu.msu"' },
        },
        { id: 's3', title: 'Restart' },
      ],
    },
    results: {
      s1: { kind: 'ok' },
      s2: { kind: 'failed', code: '0x800F0922', message: 'failed to apply', evidence: [] },
    },
    verification: { verified: false, detail: 'UBR did not move' },
  })

  it('reads each step result, the failure code and the verification', () => {
    const a = actionFromJournal(journal('p1', { kind: 'training', name: 'x' }))!
    expect(a.steps.map((s) => [s.result, s.code])).toEqual([
      ['ok', null],
      ['failed', '0x800F0922'],
      ['not-run', null],
    ])
    expect(a.steps[0].commandLine).toContain('Add-Package')
    expect(a.verification).toEqual({ verified: false, detail: 'UBR did not move' })
  })

  it('rejects what is not a journal', () => {
    for (const bad of [null, 1, 'x', [], {}, { planId: 'x' }, { planId: 'x', plan: { steps: 'no' } }])
      expect(actionFromJournal(bad)).toBeNull()
  })

  it('reports a real installation from its journal, and notes a damaged journal without failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-report-install-'))
    try {
      const svc = createServices({ dataDir: dir, platform: 'linux' })
      const machine = { kind: 'training' as const, name: 'arm64-missing-checkpoint' }
      const plan = await svc.install.makePlan({ ref: machine, kbs: ['KB5086672'] })
      expect(plan.refused).toBeNull()
      const journal = await svc.install.install(plan, {})
      mkdirSync(join(dir, 'journals'), { recursive: true })
      writeFileSync(join(dir, 'journals', 'torn.json'), '{ torn')
      const handlers = createHandlers(svc)
      const out = await invokeCall(handlers, 'exportReport', { machine, format: 'json' })
      if (!out.ok) throw new Error(out.error.message)
      const r = ReportSchema.parse(JSON.parse(out.value.content))
      expect(r.actions).toHaveLength(1)
      expect(r.actions[0]).toMatchObject({ planId: plan.id, targets: ['KB5086672'], status: journal.status })
      expect(r.actions[0].steps.map((s) => s.id)).toEqual(plan.steps.map((s) => s.id))
      expect(r.actions[0].steps.every((s) => s.result !== 'not-run')).toBe(journal.status === 'completed')
      expect(r.diagnosis.notes.join(' ')).toContain('torn.json')
      expect(out.value.summary).toContain(`Done: install KB5086672 — ${journal.status}`)
      // Another machine's report does not show this installation.
      const other = await makeReport(
        { scan: (m) => svc.scan(m), dataDir: dir, appVersion: '1' },
        { kind: 'training', name: 'x64-healthy' },
      )
      expect(other.actions).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a missing journals folder means nothing was done', async () => {
    expect(await readActions(join(home, 'nope'), { kind: 'this-pc' }, 'x')).toEqual({
      actions: [],
      notes: [],
      firstFailure: null,
    })
  })
})

describe('exportReport', () => {
  it('through the contract handler: HTML, JSON and summary for a training machine', async () => {
    const handlers = createHandlers(services)
    const html = await invokeCall(handlers, 'exportReport', {
      machine: { kind: 'training', name: 'arm64-missing-checkpoint' },
      format: 'html',
    })
    expect(html.ok).toBe(true)
    if (!html.ok) return
    expect(html.value.fileName).toMatch(/^servicing-report-arm64-missing-checkpoint-\d{4}-\d{2}-\d{2}\.html$/)
    expect(html.value.content.startsWith('<!doctype html>')).toBe(true)
    expect(html.value.savedPath).toBeNull()
    expect(html.value.saveStatus).toBe('not-asked')
    const noSaver = await invokeCall(handlers, 'exportReport', {
      machine: { kind: 'training', name: 'x64-healthy' },
      format: 'json',
      save: true,
    })
    expect(noSaver.ok && noSaver.value.saveStatus).toBe('unavailable')
    const json = await invokeCall(handlers, 'exportReport', {
      machine: { kind: 'training', name: 'arm64-missing-checkpoint' },
      format: 'json',
    })
    expect(json.ok && ReportSchema.parse(JSON.parse(json.value.content)).snapshot.origin.name).toBe(
      'arm64-missing-checkpoint',
    )
  })

  it('names the same first cause as the diagnose call, on every training machine', async () => {
    const handlers = createHandlers(services)
    for (const m of services.listTrainingMachines().machines) {
      const machine = { kind: 'training' as const, name: m.name }
      const d = await invokeCall(handlers, 'diagnose', { machine })
      const r = await invokeCall(handlers, 'exportReport', { machine, format: 'html' })
      if (!d.ok || !r.ok) throw new Error(`${m.name}: ${JSON.stringify(d.ok ? r : d)}`)
      expect(r.value.diagnosisAvailable).toBe(true)
      // The first problem (a note, severity info, is never the top cause).
      const first = d.value.findings.find((f) => f.severity !== 'info')
      expect(r.value.topCause?.id ?? null, m.name).toBe(first?.id ?? null)
      if (first) expect(r.value.content).toContain(escapeHtml(first.title))
    }
  })

  it('rejects bad input and an unknown machine with a clear error', async () => {
    const handlers = createHandlers(services)
    const bad = await invokeCall(handlers, 'exportReport', {
      machine: { kind: 'training', name: 'arm64-missing-checkpoint' },
      format: 'pdf',
    })
    expect(bad.ok ? null : bad.error.code).toBe('invalid-input')
    const missing = await invokeCall(handlers, 'exportReport', {
      machine: { kind: 'training', name: 'no-such-pc' },
      format: 'html',
    })
    expect(missing.ok ? null : missing.error.code).toBe('not-found')
    const snap = await invokeCall(handlers, 'exportReport', {
      machine: { kind: 'snapshot', id: 'nope' },
      format: 'json',
    })
    expect(snap.ok ? null : snap.error.code).toBe('not-found')
  })

  it('asks the injected saver to save when told to, and reports where', async () => {
    const saved: string[] = []
    const out = await exportReport(
      {
        scan: async () => snapshot,
        dataDir: home,
        appVersion: '1',
        saveFile: async (name) => {
          saved.push(name)
          return `/saved/${name}`
        },
      },
      { machine: { kind: 'this-pc' }, format: 'summary', save: true },
    )
    expect(saved).toHaveLength(1)
    expect(out.savedPath).toBe(`/saved/${saved[0]}`)
    expect(out.saveStatus).toBe('saved')
    const cancelled = await exportReport(
      { scan: async () => snapshot, dataDir: home, appVersion: '1', saveFile: async () => null },
      { machine: { kind: 'this-pc' }, format: 'html', save: true },
    )
    expect(cancelled).toMatchObject({ savedPath: null, saveStatus: 'cancelled' })
    expect(out.content).toBe(`${out.summary}\n`)
  })

  it('a diagnosis that throws leaves a report that says so', async () => {
    const r = await makeReport(
      {
        scan: async () => snapshot,
        dataDir: home,
        appVersion: '1',
        diagnose: async () => {
          throw new Error('rule crashed')
        },
      },
      { kind: 'this-pc' },
    )
    expect(r.diagnosis).toMatchObject({ available: false, findings: [] })
    expect(r.diagnosis.notes[0]).toContain('rule crashed')
  })
})

describe('servicingChain', () => {
  it('lists the 24H2 checkpoint before later cumulative updates', () => {
    const c = chainOfBuild(26100)
    expect(c.branch?.checkpoints).toEqual(['KB5043080'])
    expect(c.updates[0]).toMatchObject({ kb: 'KB5043080', checkpoint: true, ubr: 1742 })
    expect(c.updates.map((u) => u.ubr)).toEqual([...c.updates.map((u) => u.ubr)].sort((a, b) => a - b))
  })
  it('an unknown build has no chain', () => {
    expect(chainOfBuild(null)).toMatchObject({ branch: null, updates: [] })
    expect(chainOfBuild(12345)).toMatchObject({ branch: null, updates: [] })
  })
})

describe('servicing-desk report', () => {
  // The CLI reads its data folder from SERVICING_DESK_HOME. Restored after these tests: left pointing at `home`,
  // a later file in the same worker (isolate: false; e.g. diagnose/cli-and-calls.test.ts, whose CLI runs take the
  // environment's folder) made `home` again after afterAll removed it, and one empty sd-report-* stayed in the temp folder.
  const before = process.env.SERVICING_DESK_HOME
  beforeAll(() => {
    process.env.SERVICING_DESK_HOME = home
  })
  afterAll(() => {
    if (before === undefined) delete process.env.SERVICING_DESK_HOME
    else process.env.SERVICING_DESK_HOME = before
  })
  const capture = () => {
    const out: string[] = []
    const err: string[] = []
    return {
      io: {
        json: (v: unknown) => out.push(JSON.stringify(v)),
        text: (l = '') => out.push(l),
        note: (l: string) => err.push(l),
      },
      out,
      err,
    }
  }

  it('writes HTML and JSON for a training machine and a snapshot file', async () => {
    const c = capture()
    const html = join(home, 'r.html')
    expect(await runCli(['report', '--machine', 'arm64-missing-checkpoint', '--out', html, '--summary'], c.io)).toBe(0)
    expect(readFileSync(html, 'utf8')).toContain('Servicing Desk report')
    expect(c.out.join('\n')).toContain('Training machine — ARM64 laptop, 24H2, missing checkpoint')
    const snapFile = join(home, 'snap.json')
    writeFileSync(snapFile, JSON.stringify(snapshot))
    const json = join(home, 'r.json')
    expect(await runCli(['report', '--snapshot', snapFile, '--out', json], capture().io)).toBe(0)
    const fromFile = JSON.parse(readFileSync(json, 'utf8'))
    expect(fromFile.snapshot.os).toEqual(snapshot.os)
    expect(fromFile.machineLabel).toMatch(
      /^Snapshot from another PC — FIELD-ARM-07 \(training machine ARM64 laptop, 24H2, missing checkpoint\), taken \d{4}-/,
    )
  })

  it('refuses an output that is neither .html nor .json, and a missing snapshot file', async () => {
    const c = capture()
    expect(await runCli(['report', '--machine', 'x64-healthy', '--out', join(home, 'r.pdf')], c.io)).toBe(2)
    expect(c.err.join()).toContain('must end in .html or .json')
    const d = capture()
    expect(
      await runCli(['report', '--snapshot', join(home, 'missing.json'), '--out', join(home, 'x.json')], d.io),
    ).toBe(2)
    expect(d.err.join()).toContain('Cannot read the snapshot file')
  })
})

describe('remedy risk in the report', () => {
  it("prints each remedy's risk, a destructive step's reason and undo, and what was withheld and when", async () => {
    const { adviseRemedies, NO_EVIDENCE } = await import('../../../main/knowledge/remedy-steps.ts')
    const { standardRemedy } = await import('../../../main/knowledge/error-codes.ts')
    const { UNKNOWN_PC } = await import('../../../main/knowledge/preconditions.ts')
    // A PC whose whole state was read and allows it (main/knowledge/preconditions.ts): no servicing mid-way, no good update pending.
    const pc = {
      ...UNKNOWN_PC,
      seen: true,
      servicingInProgress: false,
      pendingGoodUpdate: false,
      bitlocker: 'off' as const,
    }
    const held = {
      ...NO_EVIDENCE,
      failed: new Set(['0x80070BC9']),
      failedAgain: new Set(['0x80070BC9']),
      pendingXml: true,
      pendingPackages: true,
      pc,
    }
    const shown = adviseRemedies([standardRemedy('R8')!], held)
    const withheld = adviseRemedies([standardRemedy('R8')!], NO_EVIDENCE)
    const html = (remedies: Finding['remedies']) =>
      renderReportHtml(
        buildReport({
          snapshot,
          diagnosis: { available: true, findings: [finding({ remedies })], notes: [] },
          actions: [],
          appVersion: '1',
          now: new Date(),
        }),
      )
    const on = html(shown)
    expect(on).toMatch(
      /Destructive step — Revert the pending servicing actions[^<]*Offered because[^<]*It undoes:[^<]*To undo it:/,
    )
    const off = html(withheld)
    expect(off).toContain('Risk: reads only, changes nothing.')
    expect(off).toMatch(/Not offered \(destructive\): Revert the pending servicing actions[^<]*— only when/)
    expect(off).not.toContain('/RevertPendingActions</pre>')
  })
})
