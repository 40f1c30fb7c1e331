/**
 * The app's RunOnce value on real Windows, without Electron: the command line written as the
 * reg.exe /d data (main/install/step-commands.ts runOnceValue of main/app/resume-args.ts's launcher) is handed
 * to CreateProcess verbatim, as Windows does with a RunOnce entry, and the started program must see exactly
 * the launcher's arguments — paths with spaces included — which parseResumeArgs then accepts. The program is
 * node.exe with a script standing in for the app folder (the `electron <folder>` form: node.exe would refuse
 * the packaged form's --resume-* flags as its own options).
 */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appResumeLaunchers, parseResumeArgs } from '../../main/app/resume-args.ts'
import { runOnceValue } from '../../main/install/step-commands.ts'
import { REPAIR_RUNNER_IDS } from '../../preload/model/repair.ts'
import { noteSkipped, onWindows } from './on-windows.ts'

noteSkipped('the RunOnce resume command line test')

/** Starts `commandLine` as Windows starts a RunOnce value: one command line, split by the program itself. */
function startAsRunOnce(commandLine: string): string[] {
  const m = /^("[^"]*"|\S+)\s?(.*)$/s.exec(commandLine)!
  const exe = m[1]!.replace(/^"|"$/g, '')
  const r = spawnSync(exe, m[2] ? [m[2]] : [], {
    argv0: m[1],
    windowsVerbatimArguments: true,
    encoding: 'utf8',
    timeout: 60_000,
  })
  if (r.status !== 0) throw new Error(`${commandLine} exited ${r.status}: ${r.stderr}`)
  return JSON.parse(r.stdout) as string[]
}

describe.skipIf(!onWindows)("the app's resume command line on Windows", () => {
  it("reaches the app as the launcher's argv (spaces kept) and parses back to the same run", () => {
    const root = mkdtempSync(join(tmpdir(), 'sd resume '))
    try {
      const appDir = join(root, 'Servicing Desk app')
      mkdirSync(appDir, { recursive: true })
      const script = join(appDir, 'print argv.js')
      writeFileSync(script, 'process.stdout.write(JSON.stringify(process.argv))\n')
      const plansDir = join(root, 'data dir', 'plans')
      const identity = { execPath: process.execPath, defaultApp: true, appPath: script }
      const launchers = appResumeLaunchers(identity)
      const ctx = { ...identity, plansDir, repairIds: REPAIR_RUNNER_IDS, platform: 'win32' as const }
      const planFile = join(plansDir, '20261123T040000-AbC_dEf-this-pc-KB5086672.json')

      const install = startAsRunOnce(runOnceValue(launchers.install(planFile)))
      expect(install.slice(1)).toEqual([script, '--resume-install', planFile])
      expect(parseResumeArgs(install, ctx)).toEqual({
        intent: { kind: 'install', planId: '20261123T040000-AbC_dEf-this-pc-KB5086672', planFile },
        ignored: null,
      })

      const repair = startAsRunOnce(runOnceValue(launchers.repair('restore-health')))
      expect(repair.slice(1)).toEqual([script, '--resume-repair', 'restore-health'])
      expect(parseResumeArgs(repair, ctx)).toEqual({
        intent: { kind: 'repair', repairId: 'restore-health' },
        ignored: null,
      })
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
