/**
 * The Electron app's own resume after a Windows restart. Pure: no Electron import, so it is
 * tested in-process (test/unit/app/resume-args.test.ts).
 *
 * - `appResumeLaunchers` builds the argv the RunOnce entry starts after sign-in: the app's own executable
 *   (and, for `electron .` in development, the app's folder), then exactly one of
 *   `--resume-install <plan file>` or `--resume-repair <repair id>`. The install and repair services turn
 *   it into the reg.exe line (main/install/step-commands.ts runOnceValue, main/repair/step-kinds.ts
 *   'schedule-resume'); the value comes from the app itself, never from a file.
 * - `parseResumeArgs` reads the app's command line on start. Only those two flags, each with one value:
 *   a plan file must be `<data folder>\plans\<plan id>.json` exactly as the install service names it, a
 *   repair id one the repair runner knows. Anything else is ignored with a reason (logged by the caller),
 *   never executed: a command line is untrusted input like a file.
 * - `resumeRoute` is the screen the window opens on; that screen shows the run (what was done, what remains)
 *   and waits for the person's "Continue" (never confirmed by the app on its own), which resumes it
 *   (install: `resume`; repair: `repairRun`, which finishes the unfinished journal).
 */
import { posix, win32 } from 'node:path'
import { z } from 'zod'

export const RESUME_INSTALL_FLAG = '--resume-install'
export const RESUME_REPAIR_FLAG = '--resume-repair'

/** A plan id as the install service makes and accepts them (install-service.ts planFile). */
const PLAN_ID = /^[A-Za-z0-9_-]{1,80}$/

export interface AppIdentity {
  /** process.execPath: the app's .exe (packaged) or electron.exe (development). */
  execPath: string
  /** process.defaultApp: true when started as `electron <folder>`, so the folder must be named again. */
  defaultApp: boolean
  /** app.getAppPath(): the folder `electron .` was given (only used when defaultApp). */
  appPath: string
}

export interface AppResumeLaunchers {
  install: (planFile: string) => string[]
  repair: (repairId: string) => string[]
}

/** How this copy of the app starts itself again to continue an install plan or a repair. */
export function appResumeLaunchers(id: AppIdentity): AppResumeLaunchers {
  const head = id.defaultApp ? [id.execPath, id.appPath] : [id.execPath]
  return {
    install: (planFile) => [...head, RESUME_INSTALL_FLAG, planFile],
    repair: (repairId) => [...head, RESUME_REPAIR_FLAG, repairId],
  }
}

export type ResumeIntent = { kind: 'install'; planId: string; planFile: string } | { kind: 'repair'; repairId: string }

export interface ResumeParse {
  intent: ResumeIntent | null
  /** Why the command line was not used (null when it was, or when it asked for nothing). */
  ignored: string | null
}

export interface ResumeContext extends AppIdentity {
  /** `<data folder>/plans`, as the install service joins it. */
  plansDir: string
  /** The repair ids the runner knows (REPAIR_RUNNER_IDS). */
  repairIds: readonly string[]
  platform: NodeJS.Platform
}

/**
 * A value that can never be a flag or a second command: printable, none of the characters Windows forbids in a
 * path (`"<>|?*`). A data folder may hold `'`, `%`, `&` … (C:\\Users\\O'Brien, a folder named 100%): the plan
 * file is then compared exactly with the app's own, so those are allowed in it (a `'` or `%` made the
 * app ignore its own RunOnce entry); a repair id is one of a fixed list and has none of them.
 */
const NOT_IN_A_PATH = /[\u0000-\u001f\u007f"<>|*?\n\r]/
const NOT_IN_A_REPAIR_ID = /[\u0000-\u001f\u007f"'`$%^&|<>;*?\n\r\s]/
const Value = z
  .string()
  .min(1)
  .max(400)
  .refine((v) => !v.startsWith('-'), 'a value must not start with "-"')
  .refine((v) => !NOT_IN_A_PATH.test(v), 'the value holds characters no plan file or repair id has')
const RepairValue = Value.refine(
  (v) => !NOT_IN_A_REPAIR_ID.test(v),
  'the value holds characters no plan file or repair id has',
)
const ResumeArgs = z.union([
  z.tuple([z.literal(RESUME_INSTALL_FLAG), Value]),
  z.tuple([z.literal(RESUME_REPAIR_FLAG), RepairValue]),
])

const show = (a: readonly string[]) =>
  JSON.stringify(a.map((x) => (x.length > 80 ? `${x.slice(0, 80)}…` : x))).slice(0, 300)

/**
 * The resume the app's command line asks for, or null with the reason it is ignored. `argv` is
 * process.argv: the executable first, then (development) the app folder, then the arguments.
 */
export function parseResumeArgs(argv: readonly string[], ctx: ResumeContext): ResumeParse {
  let args = argv.slice(1)
  if (ctx.defaultApp && args.length && !args[0]!.startsWith('-')) args = args.slice(1)
  if (!args.length) return { intent: null, ignored: null }
  if (!args.some((a) => a.startsWith('--resume'))) {
    return {
      intent: null,
      ignored: `the command line ${show(args)} asks for no resume; only ${RESUME_INSTALL_FLAG} <plan file> or ${RESUME_REPAIR_FLAG} <repair id> are read`,
    }
  }
  const r = ResumeArgs.safeParse(args)
  if (!r.success) {
    return {
      intent: null,
      ignored: `the command line ${show(args)} is not exactly ${RESUME_INSTALL_FLAG} <plan file> or ${RESUME_REPAIR_FLAG} <repair id> (${r.error.issues[0]?.message ?? 'invalid'})`,
    }
  }
  const [flag, value] = r.data
  if (flag === RESUME_REPAIR_FLAG) {
    if (!ctx.repairIds.includes(value))
      return {
        intent: null,
        ignored: `${JSON.stringify(value)} is not a repair this app runs (${ctx.repairIds.join(', ')})`,
      }
    return { intent: { kind: 'repair', repairId: value }, ignored: null }
  }
  const path = ctx.platform === 'win32' ? win32 : posix
  const base = path.basename(value)
  const planId = base.endsWith('.json') ? base.slice(0, -'.json'.length) : ''
  if (value.split(/[\\/]/).some((part) => part === '..' || part === '.'))
    return { intent: null, ignored: `the plan file ${JSON.stringify(value)} has a "." or ".." part` }
  if (!PLAN_ID.test(planId))
    return { intent: null, ignored: `the plan file ${JSON.stringify(value)} is not named <plan id>.json` }
  const expected = path.join(ctx.plansDir, `${planId}.json`)
  if (value !== expected)
    return {
      intent: null,
      ignored: `the plan file ${JSON.stringify(value)} is not the app's own plan ${JSON.stringify(expected)} in ${ctx.plansDir}`,
    }
  return { intent: { kind: 'install', planId, planFile: expected }, ignored: null }
}

/** The screen (hash route) the window opens on to resume the run. */
export function resumeRoute(intent: ResumeIntent): string {
  return intent.kind === 'install'
    ? `#/install?${new URLSearchParams({ resume: intent.planId }).toString()}`
    : `#/repair?${new URLSearchParams({ repair: intent.repairId, resume: '1' }).toString()}`
}
