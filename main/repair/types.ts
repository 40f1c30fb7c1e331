/**
 * The repair definition interface (README.md in this folder says how to add one). A definition is data
 * and small pure functions: when it is offered, its steps as intent, and its verification by re-scan.
 * Commands are never part of a definition: step kinds (step-kinds.ts) build them from the intent.
 */
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { RepairRunnerId } from '../../preload/model/repair-ids.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { ManualStep, RepairJournal, RepairStepIntent } from '../../preload/model/repair.ts'
import type { MountedMedium } from './media.ts'

/** Where the plan is for: the host kind decides e.g. whether a restart needs a RunOnce resume entry. */
export interface RepairEnv {
  hostKind: 'this-pc' | 'training' | 'snapshot' | 'remote'
  /** The app's data folder on the PC (work files such as an expanded repair source live under it). */
  dataDir: string
  /** argv that resumes this repair after a restart (RunOnce), or null where the app survives the restart. */
  resumeCommand: string[] | null
  /**
   * How the machine names a path of this computer's data folder in a command (host/pc-path.ts): a training
   * machine's is C:\ProgramData\ServicingDesk. Absent: the path is the PC's own.
   */
  pcArg?: (arg: string) => string
  /**
   * This computer's data folder, where a definition keeps a small choice across processes (reset-wu-components'
   * folder stamp). Absent: kept in this process's memory (a script planned for another PC).
   */
  stateDir?: string
}

/** A path of the data folder as the machine's commands name it. */
export const onPc = (env: Pick<RepairEnv, 'pcArg'>, path: string): string => (env.pcArg ? env.pcArg(path) : path)

export interface OfferInput {
  snapshot: MachineSnapshot
  findings: Finding[]
  /** When this repair last ended verified on this machine (ISO time), or null: a fix the scan cannot see
   *  (e.g. renamed Windows Update folders) is not offered again for failures older than it. */
  lastVerifiedAt?: string | null
}

export interface PlanInput extends OfferInput {
  ref: MachineRef
  env: RepairEnv
  /** The reason `offer` gave. */
  reason: string
  /** Choices the person made (e.g. restart in N seconds instead of now). */
  choices?: RepairChoices
  /**
   * The installation media mounted on the machine (media.ts), read for a definition that `needs.media`;
   * null or absent when not looked for (a snapshot, another definition).
   */
  media?: MountedMedium[] | null
}

export interface RepairChoices {
  /** `restart`: restart after this many seconds (shutdown /t N); default now. */
  restartInSeconds?: number
}

export interface PlannedSteps {
  steps: RepairStepIntent[]
  warnings: string[]
  manual: ManualStep[]
  refused: string | null
}

export interface VerifyInput {
  snapshot: MachineSnapshot
  journal: RepairJournal
  /** The run's environment (its `stateDir`); absent where a journal is only judged. */
  env?: RepairEnv
}

export interface RepairDefinition {
  id: RepairRunnerId
  /**
   * Every step kind its plan makes (main/repair/step-kinds.ts): a journal of this repair whose steps name another kind
   * is refused (a journal named for `restart` that removes a package never runs), so a kind the plan makes and this
   * list lacks is refused at its first step. Read through KINDS_BY_REPAIR (definitions/index.ts).
   */
  kinds: readonly string[]
  title: string
  /** One sentence for the Fix-it button and the CLI list. */
  summary: string
  /** What the service reads from a live machine before planning (e.g. mounted installation media). */
  needs?: { media?: boolean }
  /** Null when the repair does not apply to this PC; otherwise why it is offered. */
  offer(input: OfferInput): { reason: string } | null
  plan(input: PlanInput): PlannedSteps
  verify(input: VerifyInput): { verified: boolean; detail: string }
  /** What to do after a verified run (e.g. retry the update that failed), as texts and commands. */
  next?(input: VerifyInput): ManualStep[]
}

/** A step intent with the defaults most steps use. */
export function step(
  id: string,
  kind: string,
  params: Record<string, unknown>,
  title: string,
  explanation: string,
  opts: Partial<Pick<RepairStepIntent, 'gate' | 'mayFail' | 'destructive'>> = {},
): RepairStepIntent {
  return {
    id,
    kind,
    params,
    title,
    explanation,
    gate: opts.gate ?? 'always',
    mayFail: opts.mayFail ?? false,
    destructive: opts.destructive ?? true,
  }
}
