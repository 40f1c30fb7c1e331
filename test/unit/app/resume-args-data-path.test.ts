/**
 * A data folder whose path holds a `'` or a `%` (C:\Users\O'Brien, a folder named 100%) is still the app's
 * own: the RunOnce entry the app wrote is read back after the restart and the run resumes (it was
 * ignored as "characters no plan file has"). Hostile values stay refused.
 */
import { describe, it, expect } from 'vitest'
import { win32 } from 'node:path'
import { appResumeLaunchers, parseResumeArgs, type ResumeContext } from '../../../main/app/resume-args.ts'
import { REPAIR_RUNNER_IDS } from '../../../preload/model/repair.ts'

const exe = 'C:\\Program Files\\Servicing Desk\\Servicing Desk.exe'
const packaged = { execPath: exe, defaultApp: false, appPath: 'C:\\Program Files\\Servicing Desk\\resources\\app.asar' }

describe('the app resumes from a data folder with unusual characters', () => {
  for (const dataDir of [
    "C:\\Users\\O'Brien\\AppData\\Roaming\\Servicing Desk",
    'D:\\100%\\ServicingDesk',
    'D:\\%TEMP%\\sd',
    'D:\\R&D\\sd',
    "E:\\it's 50%; ok\\sd",
  ]) {
    it(`its own plan file in ${dataDir}`, () => {
      const plansDir = win32.join(dataDir, 'plans')
      const ctx: ResumeContext = { ...packaged, plansDir, repairIds: REPAIR_RUNNER_IDS, platform: 'win32' }
      const planFile = win32.join(plansDir, 'p-1.json')
      const r = parseResumeArgs(appResumeLaunchers(packaged).install(planFile), ctx)
      expect(r.ignored).toBeNull()
      expect(r.intent).toEqual({ kind: 'install', planId: 'p-1', planFile })
      // Another folder with the same characters is still not the app's own.
      expect(
        parseResumeArgs([exe, '--resume-install', win32.join(dataDir, 'other', 'p-1.json')], ctx).intent,
      ).toBeNull()
    })
  }
  it('repair ids keep the strict rule', () => {
    const ctx: ResumeContext = {
      ...packaged,
      plansDir: 'C:\\x\\plans',
      repairIds: REPAIR_RUNNER_IDS,
      platform: 'win32',
    }
    for (const v of ["restart'", 'restart%', 'restart & calc'])
      expect(parseResumeArgs([exe, '--resume-repair', v], ctx).ignored).toMatch(
        /characters no plan file or repair id has/,
      )
  })
})
