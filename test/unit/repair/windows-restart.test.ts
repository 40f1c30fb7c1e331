/**
 * The restart repair on a real PC, by construction through the Host (a fake Windows host that records the
 * argv it is given): the RunOnce entry is written before the restart, the run stops after `shutdown /r`
 * (Windows restarts; this process's part ends, journal still running), and the run started again after
 * sign-in continues from the journal to the verification without asking for a second restart.
 */
import { describe, it, expect } from 'vitest'
import { tempDirSync } from '../temp-dirs.ts'
import { RepairJournalStore } from '../../../main/repair/journal.ts'
import { runRepairJournal } from '../../../main/repair/runner.ts'
import { restartRepair } from '../../../main/repair/definitions/restart.ts'
import { createServices } from '../../../main/services.ts'
import type { CommandResult, CommandSpec, Host } from '../../../main/host/host.ts'
import type { RepairPlan } from '../../../preload/model/repair.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { renderCommandLine } from '../../../main/host/host.ts'

function fakeWindows(ran: string[]): Host {
  return {
    info: () => ({ kind: 'this-pc', name: 'PC-1', title: 'PC-1', processArch: 'x64', elevated: true }),
    async run(spec: CommandSpec): Promise<CommandResult> {
      const commandLine = renderCommandLine(spec.file, spec.args)
      ran.push(commandLine)
      return {
        name: spec.name,
        exitCode: 0,
        stdout: '',
        stderr: '',
        ok: true,
        timedOut: false,
        cancelled: false,
        truncated: false,
        durationMs: 1,
        commandLine,
      }
    },
    openRead: async () => {
      throw new Error('no')
    },
    listDir: async () => [],
    exists: async () => false,
  }
}

describe('restart on a real PC (fake Windows host)', () => {
  it('RunOnce first, then shutdown /r /t 0; the run resumes after sign-in and verifies', async () => {
    const home = tempDirSync('sd-repair-win-')
    // Two snapshots of the same machine from the training model: pending before, clear after.
    const services = createServices({ dataDir: tempDirSync('sd-repair-win-snap-'), platform: 'linux' })
    const ref = { kind: 'training' as const, name: 'x64-pending-restart' }
    const before: MachineSnapshot = await services.scan(ref)
    await services.repairs.run(ref, 'restart')
    const after: MachineSnapshot = await services.scan(ref)
    const env = {
      hostKind: 'this-pc' as const,
      dataDir: 'C:\\ProgramData\\ServicingDesk',
      resumeCommand: [
        'C:\\Program Files\\Servicing Desk\\node.exe',
        'C:\\sd\\bin.ts',
        'repair',
        'restart',
        '--machine',
        'this-pc',
        '--yes',
      ],
    }
    const p = restartRepair.plan({ snapshot: before, findings: [], ref: { kind: 'this-pc' }, env, reason: 'pending' })
    expect(p.steps.map((s) => s.kind)).toEqual(['schedule-resume', 'restart'])
    const plan: RepairPlan = {
      repairId: 'restart',
      title: restartRepair.title,
      summary: restartRepair.summary,
      machine: { kind: 'this-pc' },
      reason: 'pending',
      steps: p.steps,
      warnings: p.warnings,
      manual: p.manual,
      refused: null,
      createdAt: new Date().toISOString(),
    }
    const journals = new RepairJournalStore(home)
    const ran: string[] = []
    const deps = {
      host: fakeWindows(ran),
      env,
      journals,
      definition: restartRepair,
      fetchPackage: async () => {
        throw new Error('unused')
      },
    }
    const first = await runRepairJournal(journals.create('run-1', plan), { ...deps, scan: async () => before })
    expect(first.restarting).toBe(true)
    expect(first.journal.status).toBe('running')
    expect(ran).toEqual([
      'reg.exe add HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce /v ServicingDeskRepair /t REG_SZ /d "\\"C:\\Program Files\\Servicing Desk\\node.exe\\" C:\\sd\\bin.ts repair restart --machine this-pc --yes" /f',
      'shutdown.exe /r /t 0',
    ])
    // After sign-in: the same journal, the machine restarted.
    const second = await runRepairJournal(journals.load('run-1'), { ...deps, scan: async () => after })
    expect(second.resumed).toBe(true)
    expect(second.journal.status).toBe('completed')
    expect(second.journal.verification?.verified).toBe(true)
    expect(ran).toHaveLength(2) // no second restart
  })
})
