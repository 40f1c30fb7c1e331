// @vitest-environment jsdom
/**
 * The Recovery screen's store and picture against the real handlers in-process: nothing runs before the
 * user acknowledges the commands; confirming runs the repair and shows the verified result; after a crash
 * the interrupted repair can be finished, or given up (after a confirmation) for a fresh plan; the picture's
 * 250 MB line sits where the free space must reach.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { realApi } from '../renderer/real-api.ts'
import { createRecoveryStore } from '../../../renderer/src/stores/recovery-store.ts'
import { recoveryScale, layoutBoxes, RecoveryLayout } from '../../../renderer/src/components/recovery-layout.tsx'
import type { Disk, Partition } from '../../../preload/model/snapshot.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { createWinreService } from '../../../main/winre/winre-service.ts'
import { hangMs } from '../../load.ts'

const MB = 1024 * 1024
const { api, dataDir } = realApi()
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
afterEach(() => cleanup())

describe('recovery store', () => {
  it('does not run before the user acknowledged; runs the shown repair after, and shows it verified', async () => {
    const store = createRecoveryStore(() => api)
    const machine = { kind: 'training' as const, name: 'arm64-winre-disabled' }
    await store.getState().load(machine)
    const report = store.getState().report!
    expect(report.repair.steps.length).toBe(8)
    await store.getState().confirmAndRun()
    expect(store.getState().run).toBeNull()
    expect(store.getState().report?.health.winre?.status).toBe('disabled')
    store.getState().acknowledge(true)
    await store.getState().confirmAndRun()
    expect(store.getState().run).toMatchObject({ status: 'completed', verification: { verified: true } })
    expect(store.getState().report?.health.winre?.status).toBe('enabled')
    expect(store.getState().acknowledged).toBe(false)
  })

  it('giving up: does nothing without an interrupted repair; a refusal is shown and the report stays', async () => {
    const store = createRecoveryStore(() => api)
    const calls: unknown[] = []
    const counting = {
      ...api,
      winreAbandon: (input: Parameters<typeof api.winreAbandon>[0]) => {
        calls.push(input)
        return api.winreAbandon(input)
      },
    }
    const counted = createRecoveryStore(() => counting)
    await counted.getState().abandonInterrupted() // no machine, no report
    const machine: MachineRef = { kind: 'training', name: 'x64-healthy' }
    await counted.getState().load(machine)
    expect(counted.getState().report?.interrupted).toBeNull()
    await counted.getState().abandonInterrupted() // nothing interrupted
    expect(calls).toEqual([])

    // The run was given up elsewhere (the CLI) after the screen showed it: the back end's refusal is shown.
    const trainingStore = new TrainingStore(dataDir)
    const host = (ref: MachineRef) => new TrainingHost((ref as { name: string }).name, trainingStore)
    const svc = createWinreService({ dataDir, hostFor: host, scan: (ref) => scanMachine(host(ref)) })
    const arm: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }
    trainingStore.reset(arm.name)
    const { repair } = await svc.report(arm)
    await expect(
      svc.repair(arm, repair.id, {
        checkpointHook: (p) => {
          if (p === `command:${repair.steps[0].id}`) throw new Error('crash')
        },
      }),
    ).rejects.toThrow('crash')
    await store.getState().load(arm)
    expect(store.getState().report?.interrupted?.repairId).toBe(repair.id)
    svc.abandon(arm)
    await store.getState().abandonInterrupted()
    expect(store.getState().error).toBe(
      `Repair ${repair.id} was given up already; look at the machine again for a new repair.`,
    )
    expect(store.getState().abandoning).toBe(false)
    expect(store.getState().report?.repair.id).toBe(repair.id)
    trainingStore.reset(arm.name)
  })

  it("shows the back end's error for a machine that does not exist", async () => {
    const store = createRecoveryStore(() => api)
    await store.getState().load({ kind: 'training', name: 'no-such-pc' })
    expect(store.getState().error).toMatch(/no-such-pc/)
    expect(store.getState().report).toBeNull()
  })
})

describe('recovery layout picture', () => {
  const part = (n: number, offset: number, size: number, free: number | null, role: Partition['role']): Partition => ({
    diskNumber: 0,
    partitionNumber: n,
    offsetBytes: offset,
    sizeBytes: size,
    freeBytes: free,
    type: null,
    role,
    driveLetter: role === 'os' ? 'C' : null,
    label: null,
    holdsWinre: role === 'recovery',
  })
  const disk: Disk = {
    number: 0,
    sizeBytes: 1000 * MB,
    partitionStyle: 'GPT',
    partitions: [part(3, 0, 500 * MB, 100 * MB, 'os'), part(4, 500 * MB, 500 * MB, 83 * MB, 'recovery')],
  }

  it('draws partitions to scale and puts the 250 MB line at used + 250 MB', () => {
    const boxes = layoutBoxes(disk, 700)
    expect(boxes.map((b) => Math.round(b.w))).toEqual([350, 350])
    const s = recoveryScale(disk.partitions[1], 250 * MB, 700)!
    expect(Math.round(s.usedW)).toBe(Math.round((417 / 500) * 700))
    expect(s.needX).toBe(700)
    expect(s.short).toBe(true)
    expect(recoveryScale({ ...disk.partitions[1], freeBytes: null }, 250 * MB)).toBeNull()
  })

  it('renders an accessible SVG with the facts as a list', () => {
    render(<RecoveryLayout disk={disk} recovery={4} requiredFree={250 * MB} idPrefix="t" caption="Disk 0 now" />)
    expect(screen.getByTestId('t-zoom').getAttribute('data-short')).toBe('yes')
    expect(screen.getByRole('img').getAttribute('aria-labelledby')).toBe('t-title t-desc')
    fireEvent.click(screen.getByText('The same as a list'))
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Partition 3: Windows, 500 MB, 100 MB free',
      'Partition 4: Recovery, 500 MB, 83 MB free, WinRE',
    ])
    expect(screen.getByRole('img').textContent).toContain('Partition 4: Recovery, 500 MB, 83 MB free, WinRE')
  })
})

describe('Recovery screen', () => {
  it('lists the commands and keeps the confirm disabled until acknowledged', async () => {
    window.servicingDesk = api
    const { RecoveryScreen } = await import('../../../renderer/src/screens/recovery-screen.tsx')
    const { machineStore } = await import('../../../renderer/src/stores/index.ts')
    machineStore.setState({ machine: { kind: 'training', name: 'x64-winre-partition-full' } })
    render(<RecoveryScreen />)
    await waitFor(() => expect(screen.getByTestId('recovery-steps')).toBeTruthy(), { timeout: hangMs(120_000) })
    expect(screen.getAllByTestId('recovery-command')[0].textContent).toBe(
      '%SystemRoot%\\System32\\ReAgentc.exe /disable',
    )
    const confirm = screen.getByTestId('recovery-confirm') as HTMLButtonElement
    expect(confirm.disabled).toBe(true)
    fireEvent.click(screen.getByTestId('recovery-acknowledge'))
    expect(confirm.disabled).toBe(false)
    expect(screen.getByTestId('recovery-version').getAttribute('data-verdict')).toBe('stale')
  })

  /** A run that died right after diskpart returned (before its end was written), in the screen's data folder. */
  async function crashRightAfterDiskpart(
    resetFirst: boolean,
  ): Promise<{ machine: MachineRef; repair: { id: string } }> {
    const trainingStore = new TrainingStore(dataDir)
    const machine: MachineRef = { kind: 'training', name: 'x64-winre-partition-full' }
    if (resetFirst) trainingStore.reset(machine.name)
    const host = (ref: MachineRef) => new TrainingHost((ref as { name: string }).name, trainingStore)
    const svc = createWinreService({ dataDir, hostFor: host, scan: (ref) => scanMachine(host(ref)) })
    const { repair } = await svc.report(machine)
    await expect(
      svc.repair(machine, repair.id, {
        checkpointHook: (p) => {
          if (p === 'command:s3-diskpart') throw new Error('crash')
        },
      }),
    ).rejects.toThrow('crash')
    return { machine, repair }
  }

  it('after a crash mid-repair: says where it stopped, offers to finish it, and finishing shows the re-checked step', async () => {
    const { machine } = await crashRightAfterDiskpart(false)

    window.servicingDesk = api
    const { RecoveryScreen } = await import('../../../renderer/src/screens/recovery-screen.tsx')
    const { machineStore } = await import('../../../renderer/src/stores/index.ts')
    const { recoveryStore } = await import('../../../renderer/src/stores/recovery-store.ts')
    machineStore.setState({ machine })
    await recoveryStore.getState().load(machine)
    render(<RecoveryScreen />)
    const banner = await screen.findByTestId('recovery-interrupted', {}, { timeout: hangMs(120_000) })
    expect(banner.getAttribute('data-step')).toBe('3')
    expect(banner.textContent).toMatch(/A repair did not finish.*interrupted at step 3 of 11.*run it again to finish/)
    expect(screen.getByTestId('recovery-status').getAttribute('data-status')).toBe('disabled')
    const confirm = screen.getByTestId('recovery-confirm') as HTMLButtonElement
    expect(confirm.textContent).toBe('Finish the repair (9 steps left)')
    fireEvent.click(screen.getByTestId('recovery-acknowledge'))
    fireEvent.click(confirm)
    const result = await screen.findByTestId('recovery-result', {}, { timeout: hangMs(120_000) })
    expect(result.getAttribute('data-status')).toBe('completed')
    expect(result.getAttribute('data-verified')).toBe('yes')
    expect(result.textContent).toContain('re-checked after the interruption, not run again')
    expect(screen.queryByTestId('recovery-interrupted')).toBeNull()
  })

  it('after a crash mid-repair: offers to give it up; after confirming, the repair is abandoned and a fresh plan is shown', async () => {
    // The same crash as above, on the machine put back as it was.
    const { machine, repair } = await crashRightAfterDiskpart(true)

    window.servicingDesk = api
    const abandon = vi.spyOn(api, 'winreAbandon')
    const { RecoveryScreen } = await import('../../../renderer/src/screens/recovery-screen.tsx')
    const { machineStore } = await import('../../../renderer/src/stores/index.ts')
    const { recoveryStore } = await import('../../../renderer/src/stores/recovery-store.ts')
    machineStore.setState({ machine })
    await recoveryStore.getState().load(machine)
    render(<RecoveryScreen />)
    await screen.findByTestId('recovery-interrupted', {}, { timeout: hangMs(120_000) })
    expect(screen.getByTestId('recovery-confirm').textContent).toBe('Finish the repair (9 steps left)')

    // Give up sits next to Finish, needs no tick, and first asks in plain words; keeping it changes nothing.
    const giveUp = screen.getByRole('button', { name: 'Give up this repair' }) as HTMLButtonElement
    expect(giveUp.disabled).toBe(false)
    expect(giveUp.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByRole('dialog')).toBeNull()
    fireEvent.click(giveUp)
    const dialog = screen.getByRole('dialog', { name: 'Give up this repair?' })
    expect(giveUp.getAttribute('aria-expanded')).toBe('true')
    expect(dialog.getAttribute('aria-describedby')).toBe('recovery-give-up-text')
    expect(dialog.textContent).toContain(
      'The 2 of 11 steps already done stay done: nothing is undone, and the steps left will not run.',
    )
    expect(dialog.textContent).toContain('WinRE may stay off until a new repair runs.')
    expect(dialog.textContent).toMatch(/looks at this PC again and offers a fresh plan/)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep the repair' }))
    fireEvent.click(screen.getByRole('button', { name: 'Keep the repair' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(giveUp)
    fireEvent.click(giveUp)
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(abandon).not.toHaveBeenCalled()
    expect(screen.getByTestId('recovery-interrupted')).toBeTruthy()

    // Confirmed: the call names the interrupted repair; the screen looks again and shows a fresh plan.
    fireEvent.click(giveUp)
    fireEvent.click(screen.getByRole('button', { name: 'Give it up and look again' }))
    await waitFor(
      () => expect(screen.getByTestId('recovery-confirm').textContent).toMatch(/^Run these \d+ commands$/),
      { timeout: hangMs(120_000) },
    )
    expect(abandon).toHaveBeenCalledTimes(1)
    expect(abandon).toHaveBeenCalledWith({ machine, repairId: repair.id, confirmed: true })
    expect(await abandon.mock.results[0].value).toMatchObject({
      ok: true,
      value: { abandoned: { repairId: repair.id, stepNumber: 3 } },
    })
    expect(screen.queryByTestId('recovery-interrupted')).toBeNull()
    expect(screen.queryByRole('button', { name: 'Give up this repair' })).toBeNull()
    expect(screen.queryByTestId('recovery-error')).toBeNull()
    expect(screen.getByTestId('recovery-steps')).toBeTruthy()
    const fresh = recoveryStore.getState().report!
    expect(fresh.interrupted).toBeNull()
    expect(fresh.repair.id).not.toBe(repair.id)
    expect(screen.getByTestId('recovery-status').getAttribute('data-status')).toBe('disabled')
    const journal = JSON.parse(readFileSync(join(dataDir, 'winre-repairs', `${repair.id}.run.json`), 'utf8'))
    expect(journal.status).toBe('abandoned')
    abandon.mockRestore()
  })
})
