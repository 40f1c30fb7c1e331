/**
 * The CbsPersist_*.cab archives of a training machine: older CBS history Windows compressed out of CBS.log.
 * Keyed by profile, then by archive name; each gives the text of the log the archive holds
 * (CbsPersist_<stamp>.log), written with the same line writer and the same lines as scenarios.ts
 * (routine applicability/planning activity of packages the machine has installed), no other format.
 */
import { LogWriter, routineActivity } from './log-format.ts'

export const CBS_PERSIST_DIR = 'C:\\Windows\\Logs\\CBS'

/** What a training archive's bytes stand for (expand -F:* on the training machine gives its log). */
export const TRAINING_CAB_BYTES = 'MSCF (training: a CBS log archive; expand -F:* gives its CbsPersist log)'

const FOUNDATION = (arch: string, base: string) =>
  `Microsoft-Windows-Foundation-Package~31bf3856ad364e35~${arch}~~10.0.${base}.1`

/** x64-component-store-corrupt, 9 October 2024: the October cumulative update (KB5044285) installs cleanly. */
function storeCorruptOctoberLcu(): string {
  const w = new LogWriter('2024-10-09T08:12:40Z')
  routineActivity(
    w,
    'Package_for_RollupFix~31bf3856ad364e35~amd64~~22621.4317.1.10',
    'UpdateAgentLCU',
    '31134512_1840223107',
    240,
    FOUNDATION('amd64', '22621'),
  )
  return w.text()
}

/** x64-component-store-corrupt, 23 October 2024: routine servicing of the installed .NET rollup. */
function storeCorruptLateOctober(): string {
  const w = new LogWriter('2024-10-23T19:20:11Z')
  routineActivity(
    w,
    'Package_for_DotNetRollup_481~31bf3856ad364e35~amd64~~10.0.9300.1',
    'WindowsUpdateAgent',
    '31137930_2650193364',
    180,
    FOUNDATION('amd64', '22621'),
  )
  return w.text()
}

export const trainingCbsPersist: Record<string, Record<string, () => string>> = {
  'x64-component-store-corrupt': {
    'CbsPersist_20241009083105.cab': storeCorruptOctoberLcu,
    'CbsPersist_20241023193544.cab': storeCorruptLateOctober,
  },
}

/** The archives as files of the machine's CBS folder (listDir shows them; their bytes are a stand-in). */
export function cbsPersistFiles(machine: string): Record<string, () => string> {
  return Object.fromEntries(
    Object.keys(trainingCbsPersist[machine] ?? {}).map((n) => [`${CBS_PERSIST_DIR}\\${n}`, () => TRAINING_CAB_BYTES]),
  )
}
