/**
 * The contract handlers for installation: plan, install, resume, cancel, installState. `main/handlers.ts`
 * spreads them in. Progress goes out as `progress` events (operationId `<op>/<stepId>`, one bar per step)
 * and every journal entry as a `journal` event, so the UI can show a resumed session's history.
 * Restarts are never taken without the person: `install` stops at `awaiting-restart`; `resume` with
 * `restart: true` takes that one restart and goes on.
 */
import type { MachineRef } from '../../preload/model/common.ts'
import type { InstallOutput, InstallStateOutput, Journal, Plan, PlanMethod } from '../../preload/model/plan.ts'
import type { EventName, EventPayload } from '../../preload/contract.ts'
import { AppError } from '../errors.ts'
import type { InstallService } from './install-service.ts'
import { InstallServiceError } from './install-service.ts'
import type { ExecuteOptions } from './executor.ts'

interface Ctx {
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void
  signal?: AbortSignal
}

export function createInstallHandlers(install: InstallService) {
  const running = new Map<string, AbortController>()

  function guard(err: unknown): never {
    if (err instanceof InstallServiceError) {
      const code =
        err.code === 'not-found' || err.code === 'invalid-input' || err.code === 'unsupported'
          ? err.code
          : err.code === 'refused'
            ? 'forbidden'
            : 'failed'
      throw new AppError(code, err.message)
    }
    throw err
  }

  function planFor(machine: MachineRef, planId: string): Plan {
    let plan: Plan
    try {
      plan = install.loadPlan(planId)
    } catch (err) {
      return guard(err)
    }
    if (JSON.stringify(plan.machine.ref) !== JSON.stringify(machine))
      throw new AppError('invalid-input', `Plan ${planId} is for another machine.`)
    return plan
  }

  async function run(plan: Plan, operationId: string, ctx: Ctx, restartsAllowed: number): Promise<InstallOutput> {
    if (running.has(operationId)) throw new AppError('invalid-input', `Operation ${operationId} is already running.`)
    const controller = new AbortController()
    ctx.signal?.addEventListener('abort', () => controller.abort(), { once: true })
    running.set(operationId, controller)
    let allowed = restartsAllowed
    const opts: Omit<ExecuteOptions, 'host' | 'journals'> = {
      signal: controller.signal,
      confirmRestart: async () => allowed-- > 0,
      onProgress: (p) =>
        ctx.emit('progress', { operationId: `${operationId}/${p.stepId}`, label: p.label, fraction: p.fraction }),
      onJournal: (entry) => ctx.emit('journal', { operationId, entry: entry as unknown as Record<string, unknown> }),
    }
    try {
      const journal: Journal = await install.install(plan, opts)
      return { journal, verified: journal.verification?.verified === true }
    } catch (err) {
      return guard(err)
    } finally {
      running.delete(operationId)
    }
  }

  return {
    plan: async (input: {
      machine: MachineRef
      kbs: string[]
      method?: PlanMethod
      arch?: 'x86' | 'x64' | 'arm64' | 'arm'
    }): Promise<Plan> => {
      try {
        return await install.makePlan({
          ref: input.machine,
          kbs: input.kbs,
          method: input.method,
          arch: input.arch ?? null,
        })
      } catch (err) {
        return guard(err)
      }
    },
    install: async (
      input: { machine: MachineRef; planId: string; operationId: string },
      ctx: Ctx,
    ): Promise<InstallOutput> => run(planFor(input.machine, input.planId), input.operationId, ctx, 0),
    resume: async (
      input: { machine: MachineRef; planId: string; operationId: string; restart: boolean },
      ctx: Ctx,
    ): Promise<InstallOutput> =>
      run(planFor(input.machine, input.planId), input.operationId, ctx, input.restart ? 1 : 0),
    cancel: async (input: { operationId: string }): Promise<{ cancelled: boolean }> => {
      const c = running.get(input.operationId)
      c?.abort()
      return { cancelled: Boolean(c) }
    },
    installState: async (input: { machine: MachineRef }): Promise<InstallStateOutput> => {
      const mine = install.journals
        .all()
        .filter((j) => JSON.stringify(j.plan.machine.ref) === JSON.stringify(input.machine))
      const open = mine.find(
        (j) => j.status === 'running' || j.status === 'awaiting-restart' || j.status === 'cancelled',
      )
      return { journal: open ?? mine[0] ?? null, unfinished: Boolean(open) }
    },
  }
}
