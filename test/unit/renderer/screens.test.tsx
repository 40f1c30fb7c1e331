// @vitest-environment jsdom
/**
 * Screens in jsdom against the real handlers in-process: the Overview's tiles and package filters, the
 * Proof screen's report, the Paste screen, the banner and the guided flow's Back/Next.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DeskApi } from '../../../preload/contract.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { realApi } from './real-api.ts'
import { runStateWords } from '../../../preload/model/run-record.ts'
import { hangMs } from '../../load.ts'

// findBy*/waitFor default to 1 s, which a loaded machine (npm test at load ~8) can exceed while a training
// machine is scanned; they wait up to 20 s instead (a condition that never holds still fails).
configure({ asyncUtilTimeout: hangMs(120_000) })

let dataDir: string
let real: ReturnType<typeof realApi>
beforeAll(() => {
  const r = realApi()
  real = r
  window.servicingDesk = r.api
  window.scrollTo = () => {}
  dataDir = r.dataDir
})
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
afterEach(() => {
  cleanup()
  location.hash = ''
})

const { App } = await import('../../../renderer/src/app.tsx')
const { machineStore, pasteStore } = await import('../../../renderer/src/stores/index.ts')

async function chooseMachine(name: string) {
  render(<App />)
  const button = await screen.findByTestId(`check-${name}`)
  fireEvent.click(button)
  await waitFor(() => expect(machineStore.getState().snapshot?.origin.name).toBe(name))
}

describe('Overview', () => {
  it('tiles say what the diagnosis says: the corrupt store is a Packages problem, a stale WinRE is not OK', async () => {
    await chooseMachine('x64-component-store-corrupt')
    await waitFor(() => expect(machineStore.getState().findings).not.toBeNull())
    const findings = machineStore.getState().findings!
    expect(findings.map((f) => f.id)).toContain('component-store-corruption')
    await waitFor(() => expect(screen.getByTestId('tile-packages').getAttribute('data-level')).toBe('bad'))
    expect(screen.getByTestId('tile-packages').textContent).toMatch(/The diagnosis found: .*component store/i)
    if (findings.some((f) => f.id === 'winre-stale'))
      expect(screen.getByTestId('tile-winre').getAttribute('data-level')).not.toBe('ok')
  })

  it('shows the machine card, tiles from the snapshot and a filterable package list', async () => {
    await chooseMachine('arm64-missing-checkpoint')
    await waitFor(() => expect(screen.getByTestId('fact-build').textContent).toBe('26100.1150'))
    expect(screen.getByTestId('machine-banner').textContent).toContain(
      'Training machine — ARM64 laptop, 24H2, missing checkpoint',
    )
    expect(screen.getByTestId('emulated-warning')).toBeTruthy()
    expect(screen.getByTestId('tile-packages').getAttribute('data-level')).toBe('bad')
    expect(screen.getByTestId('tile-packages').textContent).toContain('KB5043080')
    for (const id of ['restart', 'space', 'services', 'winre'])
      expect(screen.getByTestId(`tile-${id}`).getAttribute('data-level')).not.toBe('pending')
    const count = screen.getByTestId('package-count')
    const total = Number(/of (\d+)/.exec(count.textContent ?? '')?.[1])
    expect(total).toBeGreaterThan(3)
    fireEvent.change(screen.getByTestId('filter-text'), { target: { value: 'rollupfix' } })
    expect(count.textContent).toBe(`1 of ${total} packages`)
    fireEvent.change(screen.getByTestId('filter-text'), { target: { value: '' } })
    fireEvent.change(screen.getByTestId('filter-state'), { target: { value: 'installed' } })
    expect(count.textContent).toMatch(new RegExp(`^\\d+ of ${total} packages$`))
    await waitFor(() => expect(screen.getByTestId('update-chain')).toBeTruthy())
    expect(screen.getByTestId('update-chain').querySelector('[data-kb="KB5043080"]')?.getAttribute('data-state')).toBe(
      'missing',
    )
    expect(screen.getByTestId('recovery-zoom')).toBeTruthy()
  })

  it('the flow footer leads from the Overview to the history and on to Proof', async () => {
    await chooseMachine('x64-pending-restart')
    const next = await screen.findByTestId('flow-next')
    expect(next.getAttribute('href')).toBe('#/history')
    expect(screen.getByTestId('flow-back').getAttribute('href')).toBe('#/start')
  })
})

describe('Proof', () => {
  it('makes the report and names the cause the diagnosis ranks first', async () => {
    await chooseMachine('x64-winre-partition-full')
    location.hash = '#/proof'
    fireEvent.click(await screen.findByTestId('proof-verify'))
    const cause = await screen.findByTestId('proof-top-cause', {}, { timeout: hangMs(120_000) })
    const d = await window.servicingDesk!.diagnose({ machine: { kind: 'training', name: 'x64-winre-partition-full' } })
    if (!d.ok) throw new Error(d.error.message)
    expect(cause.textContent).toContain(d.value.findings[0].title)
    expect(screen.getByTestId('proof-verification').getAttribute('data-status')).toBe('problems')
    expect((screen.getByTestId('proof-summary') as HTMLTextAreaElement).value).toContain(
      `Most likely cause: ${d.value.findings[0].title}`,
    )
  })

  it('without a machine, asks for one', async () => {
    machineStore.setState({ machine: null, snapshot: null })
    location.hash = '#/proof'
    render(<App />)
    expect(await screen.findByText('Choose a machine first.')).toBeTruthy()
  })
})

describe('Paste', () => {
  it('analyses pasted text and shows kind, facts and warnings; empty text asks for some', async () => {
    pasteStore.getState().clear()
    location.hash = '#/paste'
    render(<App />)
    fireEvent.click(await screen.findByTestId('paste-analyse'))
    expect((await screen.findByRole('alert')).textContent).toBe('Paste or drop some text first.')
    fireEvent.change(screen.getByTestId('paste-text'), {
      target: {
        value:
          'PS C:\\> Get-HotFix\n\nSource        Description      HotFixID      InstalledBy          InstalledOn\n------        -----------      --------      -----------          -----------\nPC01          Update           KB5043080     NT AUTHORITY\\SYSTEM  9/10/2024 12:00:00 AM\n',
      },
    })
    fireEvent.click(screen.getByTestId('paste-analyse'))
    // The analysis runs in a worker thread (analyze-off-thread.ts), whose start loads the analyzers: allow it time.
    const kind = await screen.findByTestId('paste-kind', {}, { timeout: hangMs(120_000) })
    expect(kind.getAttribute('data-kind')).toBe('hotfix-list')
    expect(within(screen.getByTestId('paste-result')).getAllByText('KB5043080').length).toBeGreaterThan(0)
    // Plain words: the kind in words, no kind id, no JSON, no camelCase keys; codes kept whole.
    const shown = screen.getByTestId('paste-result').textContent ?? ''
    expect(kind.textContent).toBe('A list of installed updates (Get-HotFix or wmic qfe)')
    expect(shown).not.toMatch(/hotfix-list|[[{]"/)
    const names = [...screen.getByTestId('paste-result').querySelectorAll('th, dt, h3')].map((e) => e.textContent ?? '')
    expect(names.length).toBeGreaterThan(0)
    for (const n of names) expect(n).not.toMatch(/[a-z][A-Z]/)
    expect(shown).toContain('Installed on')
    for (const kb of screen.getByTestId('paste-result').querySelectorAll('.nowrap'))
      expect(kb.textContent).toMatch(/^(0x[0-9A-F]{8}|KB\d+|[\d.]+)$/i)
  })
})

describe("Paste: the diagnosis's verdict, as the CLI's analyze prints it", () => {
  // A failure only the diagnosis's rules name (no code, no reader's finding), and a code the text answers itself.
  const blocked =
    "Windows Update on my Windows 7 PC (new Intel Core i5-7500) shows: Unsupported hardware. Your PC uses a processor that isn't supported on this version of Windows and you won't receive updates."
  const answered =
    "2024-03-01 10:00:00, Error  CBS  Failed to download KB5040442 [HRESULT = 0x80240022]\nLater that day the update installed successfully after a restart and Windows Update says You're up to date."

  it('shows the verdict the CLI shows for the same text: the cause the rules name, a failure answered as a warning', async () => {
    const { analyzeText } = await import('../../../main/analyze/analyze.ts')
    const { withDiagnosisVerdict } = await import('../../../main/diagnose/text-verdict.ts')
    for (const text of [blocked, answered]) {
      const cli = withDiagnosisVerdict(text, analyzeText(text))
      pasteStore.getState().clear()
      location.hash = '#/paste'
      render(<App />)
      fireEvent.change(await screen.findByTestId('paste-text'), { target: { value: text } })
      fireEvent.click(screen.getByTestId('paste-analyse'))
      await screen.findByTestId('paste-kind', {}, { timeout: hangMs(120_000) })
      const items = [...screen.getByTestId('paste-result').querySelectorAll('li strong')].map((e) => e.textContent)
      expect(items.slice(0, cli.findings.length)).toEqual(cli.findings.map((f) => f.title))
      cleanup()
    }
    expect(withDiagnosisVerdict(blocked, analyzeText(blocked)).findings[0]).toMatchObject({
      id: 'diagnosis:setup-blocked:processor-generation',
      severity: 'error',
    })
    expect(pasteStore.getState().result?.findings[0]).toMatchObject({ id: 'cbs-first-error', severity: 'warning' })
  })
})

describe('Paste: a large file dropped in the app', () => {
  it('goes to main as a token for its path: the text never enters the page or the analyze call', async () => {
    const lines = readFileSync(
      join(import.meta.dirname, '../../fixtures/dism-packages/en-gb-list-fod-dismtools220.txt'),
      'utf8',
    )
      .split('\n')
      .slice(1)
      .join('\n')
    const content = lines.repeat(Math.ceil(1_200_000 / lines.length))
    const onDisk = join(dataDir, 'dropped-packages.txt')
    writeFileSync(onDisk, content)
    const api = window.servicingDesk as DeskApi & Record<string, unknown>
    const analyze = api.analyze
    const textCalls: unknown[] = []
    api.analyze = (input) => {
      textCalls.push(input)
      return analyze(input)
    }
    // As the preload does (webUtils.getPathForFile): the File's path on disk, registered in main.
    api.fileToken = async () => real.fileTokens.register(onDisk)
    try {
      pasteStore.getState().clear()
      location.hash = '#/paste'
      render(<App />)
      const file = new File([content], 'dropped-packages.txt', { type: 'text/plain' })
      fireEvent.drop(await screen.findByTestId('drop-zone'), { dataTransfer: { files: [file] } })
      const kind = await screen.findByTestId('paste-kind', {}, { timeout: hangMs(120_000) })
      expect(kind.getAttribute('data-kind')).toBe('dism-packages')
      expect(screen.getByTestId('paste-drop-note').textContent).toBe(
        'Read from dropped-packages.txt (too large to show here)',
      )
      expect((screen.getByTestId('paste-text') as HTMLTextAreaElement).value).toBe('')
      expect(textCalls).toEqual([])
    } finally {
      api.analyze = analyze
      delete api.fileToken
    }
  })
})

describe('Diagnosis: a large log dropped in the app', () => {
  it('goes to main as a token for its path: the diagnose call names the token, never the text; read once', async () => {
    const log = loadFixture('cbs-log/0x800f0922-scheduled-task.log').text
    // Over 1 MB: the log's lines again and again, as a long CBS.log is.
    const content = log.repeat(Math.ceil(1_200_000 / log.length))
    const onDisk = join(dataDir, 'CBS.log')
    writeFileSync(onDisk, content)
    const api = window.servicingDesk as DeskApi & Record<string, unknown>
    const diagnose = api.diagnose
    const inputs: Array<Record<string, unknown>> = []
    api.diagnose = (input) => {
      inputs.push(input as Record<string, unknown>)
      return diagnose(input)
    }
    api.fileToken = async () => real.fileTokens.register(onDisk)
    try {
      const { diagnosisStore } = await import('../../../renderer/src/stores/index.ts')
      diagnosisStore.getState().clear()
      location.hash = '#/diagnosis'
      render(<App />)
      fireEvent.drop(await screen.findByTestId('diagnosis-drop'), {
        dataTransfer: { files: [new File([content], 'CBS.log', { type: 'text/plain' })] },
      })
      await screen.findByText('Loaded CBS.log')
      expect((screen.getByTestId('diagnosis-text') as HTMLTextAreaElement).value).toBe('')
      fireEvent.click(screen.getByTestId('diagnosis-run'))
      await screen.findByTestId('diagnosis-findings', {}, { timeout: hangMs(120_000) })
      expect(inputs).toHaveLength(1)
      expect(inputs[0]).toEqual({ file: expect.stringMatching(/^ft-/) })
      expect(screen.getByTestId('diagnosis-findings').textContent).toMatch(/0x800F0922/)
    } finally {
      api.diagnose = diagnose
      delete api.fileToken
    }
  })
})

describe('Proof after a repair', () => {
  it('lists what was installed, step by step, from the install journal', async () => {
    const api = window.servicingDesk!
    const machine = { kind: 'training' as const, name: 'arm64-missing-checkpoint' }
    const plan = await api.plan({ machine, kbs: ['KB5086672'] })
    if (!plan.ok) throw new Error(plan.error.message)
    const done = await api.install({ machine, planId: plan.value.id, operationId: 'proof-test' })
    if (!done.ok) throw new Error(done.error.message)
    await chooseMachine('arm64-missing-checkpoint')
    location.hash = '#/proof'
    fireEvent.click(await screen.findByTestId('proof-verify'))
    const actions = await screen.findByTestId('proof-actions', {}, { timeout: hangMs(120_000) })
    // The run's state in words, never its enum value.
    expect(actions.textContent).toContain(`Install KB5086672 — ${runStateWords(done.value.journal.status)}`)
    expect(actions.textContent).not.toContain(done.value.journal.status)
    expect(actions.querySelectorAll('li[data-result]').length).toBe(plan.value.steps.length)
  })
})
