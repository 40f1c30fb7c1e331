// @vitest-environment jsdom
/**
 * The Updates screen in jsdom against the real handlers in-process (local Catalog): search, the chain
 * checkpoint → target for the machine's arch, per-file progress from real downloadProgress events,
 * and kit export.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, configure, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { mkdtempSync, rmSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { callNames, type DeskApi, type EventName } from '../../../preload/contract.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { hangMs } from '../../load.ts'

// findBy*/waitFor default to 1 s, which a loaded machine (npm test at load ~8) can exceed while a training
// machine is scanned; they wait up to 20 s instead (a condition that never holds still fails).
configure({ asyncUtilTimeout: hangMs(120_000) })

const dataDir = mkdtempSync(join(tmpdir(), 'sd-updates-ui-'))
const listeners = new Map<string, Set<(p: unknown) => void>>()
beforeAll(() => {
  const handlers = createHandlers(createServices({ dataDir, platform: 'linux' }))
  const api: Record<string, unknown> = {}
  const emit = (name: EventName, payload: unknown) => {
    for (const l of listeners.get(name) ?? []) l(payload)
  }
  for (const name of callNames) api[name] = (input: unknown) => invokeCall(handlers, name, input, { emit })
  api.on = (name: string, l: (p: unknown) => void) => {
    const set = listeners.get(name) ?? new Set()
    set.add(l)
    listeners.set(name, set)
    return () => set.delete(l)
  }
  window.servicingDesk = api as unknown as DeskApi
  window.scrollTo = () => {}
})
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
afterEach(() => {
  cleanup()
  location.hash = ''
})

const { UpdatesScreen } = await import('../../../renderer/src/screens/updates-screen.tsx')
const { machineStore } = await import('../../../renderer/src/stores/index.ts')

describe('Updates screen', () => {
  it('searches, draws checkpoint → target for the arm64 machine, downloads with progress and exports a kit', async () => {
    await machineStore.getState().choose({ kind: 'training', name: 'arm64-missing-checkpoint' })
    render(<UpdatesScreen />)
    await waitFor(() => expect((screen.getByTestId('updates-arch') as HTMLSelectElement).value).toBe('arm64'))
    fireEvent.change(screen.getByTestId('updates-query'), { target: { value: 'KB5086672' } })
    fireEvent.click(screen.getByTestId('updates-search-button'))
    await waitFor(() => expect(screen.getByTestId('updates-results').querySelectorAll('li')).toHaveLength(2))
    // The local training Catalog answered, and the screen says so (never "Microsoft Update Catalog" for it).
    expect(screen.getByTestId('updates-catalog').getAttribute('data-catalog')).toBe('training')
    expect(screen.getByTestId('updates-catalog').textContent).toMatch(
      /^Training Catalog — .*not the Microsoft Update Catalog\.$/,
    )
    expect(document.body.textContent).not.toMatch(/from the Microsoft Update Catalog/)
    fireEvent.click(screen.getAllByTestId('chain-KB5086672')[0])
    await waitFor(() => expect(screen.getByTestId('updates-chain')).toBeTruthy())
    expect(screen.getByTestId('chain-file-KB5043080').getAttribute('data-role')).toBe('checkpoint')
    expect(screen.getByTestId('chain-file-KB5043080').getAttribute('data-order')).toBe('1')
    expect(screen.getByTestId('chain-file-KB5086672').getAttribute('data-role')).toBe('target')
    fireEvent.click(screen.getByTestId('updates-download'))
    await waitFor(() => expect(screen.getByTestId('verified-KB5086672')).toBeTruthy(), { timeout: hangMs(120_000) })
    expect(screen.getByTestId('progress-KB5043080').getAttribute('data-state')).toBe('verified')
    expect(
      screen.getByTestId('progress-KB5086672').querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow'),
    ).toBe('100')
    // No Electron here: the preview chooser gives a new empty folder inside <dataDir>/preview-folders.
    fireEvent.click(screen.getByTestId('updates-choose-outdir'))
    await waitFor(() =>
      expect(screen.getByTestId('updates-outdir').textContent).toContain(join(dataDir, 'preview-folders')),
    )
    const out = screen.getByTestId('updates-outdir').textContent as string
    fireEvent.click(screen.getByTestId('updates-export'))
    await waitFor(() => expect(screen.getByTestId('updates-kit-done').textContent).toContain('2 file(s)'), {
      timeout: hangMs(120_000),
    })
    expect(readdirSync(out)).toContain('Install-Kit.ps1')
  })

  it('says plainly when a KB is not published for the architecture', async () => {
    render(<UpdatesScreen />)
    fireEvent.change(screen.getByTestId('updates-query'), { target: { value: 'KB5034441' } })
    fireEvent.click(screen.getByTestId('updates-search-button'))
    await waitFor(() => expect(screen.getByTestId('updates-none').textContent).toContain('KB5034441'))
  })
})
