/**
 * The IPC contract: every schema in `preload/contract.ts` and `invokeCall` with the real handlers
 * (training machines, a temp data folder). Inputs: anything structured clone can carry, valid inputs
 * with one to four members edited (hostile strings, wrong types, prototype keys), mutated real snapshots.
 * Properties: safeParse never throws; invokeCall never throws/rejects and returns `{ok: true, value}`
 * with a schema-valid value or `{ok: false, error: {code, message}}`.
 */
import fc from 'fast-check'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { calls, events, callNames, ErrorSchema, type CallName } from '../../../preload/contract.ts'
import { MachineSnapshotSchema } from '../../../preload/model/snapshot.ts'
import { createServices } from '../../../main/services.ts'
import { createHandlers, invokeCall } from '../../../main/handlers.ts'
import { jsonMutant } from '../json-mutate.ts'
import { textArbitrary } from '../mutate.ts'
import { target, violated, type FuzzTarget } from '../target.ts'

const ANY = fc.anything({
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withSparseArray: true,
  withBoxedValues: true,
  maxDepth: 3,
})

/** Valid inputs for every call (typed as a full Record, so a new call does not compile until it has one). */
export async function validInputs(snapshotJson: string): Promise<Record<CallName, unknown[]>> {
  const training = (name: string) => ({ kind: 'training', name })
  return {
    listTrainingMachines: [{}],
    resetTrainingMachine: [{ name: 'x64-healthy' }, { name: 'no-such-machine' }],
    scan: [
      { machine: training('x64-healthy') },
      { machine: { kind: 'snapshot', id: 'abc' } },
      { machine: { kind: 'this-pc' } },
    ],
    importSnapshot: [{ content: snapshotJson }],
    importTrainingMachine: [{ content: Buffer.from('PK\u0003\u0004 not a zip').toString('base64') }],
    analyze: [{ text: 'Error: 0x800f0922', kind: 'dism-output' }, { text: '' }],
    analyzeFile: [{ file: 'ft-AAAAAAAAAAAAAAAAAAAAAA' }, { file: 'ft-AAAAAAAAAAAAAAAAAAAAAA', kind: 'dism-packages' }],
    exportReport: [
      { machine: training('x64-pending-restart'), format: 'summary' },
      { machine: training('x64-healthy'), format: 'html' },
    ],
    servicingChain: [{ build: 26100 }, { build: null }],
    winre: [{ machine: training('arm64-winre-disabled') }],
    winreRepair: [{ machine: training('x64-winre-partition-full'), repairId: 'not-the-current-one', confirmed: true }],
    winreAbandon: [{ machine: training('x64-winre-partition-full'), repairId: 'not-the-current-one', confirmed: true }],
    repairOffers: [{ machine: training('x64-component-store-corrupt') }],
    repairRun: [{ machine: training('x64-healthy'), repairId: 'restore-health', confirmed: true }],
    pcPlan: [{ machine: training('x64-healthy') }, { machine: { kind: 'snapshot', id: 'abc' } }],
    pcPlanRun: [{ machine: training('x64-healthy'), stepIds: ['not-the-plan'], confirmed: true }],
    repairScript: [{ machine: training('x64-healthy'), repairId: 'restart' }],
    explain: [{ code: '0x800f0922' }, { code: 'CBS_E_PENDING' }],
    diagnose: [
      { machine: training('x64-component-store-corrupt') },
      { code: '0x800f0922' },
      { text: 'Error: 0x800f081f' },
    ],
    catalogSearch: [{ query: 'KB5043080', machine: training('arm64-missing-checkpoint') }],
    catalogChain: [{ kb: 'KB5043080', arch: 'arm64', machine: training('arm64-missing-checkpoint') }],
    download: [{ kb: 'KB5043080', arch: 'x64', operationId: 'fuzz-1', machine: training('x64-healthy') }],
    // Folder handles are unguessable: a fuzzed one is refused (forbidden), never a path.
    pickFolder: [{ purpose: 'kit-export', previewName: 'kit-out' }, { purpose: 'kit-verify' }],
    exportKit: [
      {
        kb: 'KB5043080',
        arch: 'x64',
        folder: 'fh-AAAAAAAAAAAAAAAAAAAAAA',
        operationId: 'fuzz-2',
        machine: training('x64-healthy'),
      },
    ],
    importKit: [{ folder: 'fh-AAAAAAAAAAAAAAAAAAAAAA', arch: 'x64' }],
    verifyKit: [{ folder: 'fh-AAAAAAAAAAAAAAAAAAAAAA' }],
    plan: [{ machine: training('x64-pending-restart'), kbs: ['KB5043080'] }],
    install: [{ machine: training('x64-healthy'), planId: 'no-such-plan', operationId: 'fuzz-3' }],
    resume: [{ machine: training('x64-healthy'), planId: 'no-such-plan', operationId: 'fuzz-4', restart: false }],
    cancel: [{ operationId: 'fuzz-5' }],
    installState: [{ machine: training('x64-healthy') }],
    mediaList: [{}],
    mediaScan: [{ medium: 'usb-fat32-x64' }, { medium: 'iso-x64-24h2', kb: 'KB5086672' }, { medium: 'no-such-medium' }],
    mediaPlan: [
      { medium: 'usb-stale-mount', kb: 'KB5086672' },
      { medium: 'usb-arm64-24h2', kb: 'KB5043080' },
    ],
    mediaUpdate: [
      { medium: 'no-such-medium', kb: 'KB5086672', operationId: 'fuzz-6', confirmed: true, cleanStaleMount: false },
    ],
    mediaReset: [{ medium: 'usb-fat32-x64' }],
    mediaCancel: [{ operationId: 'fuzz-7' }],
    saveCollector: [{}],
    buildFixPackage: [{ snapshot: 'abc', folder: 'fh-AAAAAAAAAAAAAAAAAAAAAA', operationId: 'fuzz-8' }],
    rehearseFixPackage: [{ package: 'fp-AAAAAAAAAAAAAAAAAAAAAA', operationId: 'fuzz-9' }],
    compareSnapshots: [{ before: 'abc', after: 'def' }],
    fleetOverview: [{ fleet: 'yours' }, { fleet: 'training' }],
    fleetDevices: [
      { fleet: 'yours', offset: 0, limit: 50 },
      { fleet: 'training', search: 'PC-0', state: 'failing', offset: 10, limit: 5 },
    ],
    fleetDevice: [{ fleet: 'yours', name: 'NO-SUCH-PC' }],
    fleetImportTraining: [{ devices: 10, collectedFiles: false, operationId: 'fuzz-10' }],
    fleetTrainingReport: [{ cause: 'esp-full' }],
    fleetBuildFix: [{ fleet: 'training', cause: 'esp-full', folder: 'fh-AAAAAAAAAAAAAAAAAAAAAA' }],
    fleetReport: [{ fleet: 'yours', format: 'csv' }],
  }
}

/**
 * Folder fields (`dir`, `outDir`) would let a fuzzed input write anywhere on the developer's disk (the
 * real handlers run): they are kept inside the sandbox. (Kit calls now take folder handles; `pickFolder`'s
 * `previewName` is a plain name inside `<dataDir>/preview-folders` by its schema.) Hostile folders are tested on purpose in
 * test/unit/hostile/.
 */
export function confineFolders(input: unknown, sandbox: string): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input
  const o = input as Record<string, unknown>
  const out: Record<string, unknown> = { ...o }
  for (const k of ['dir', 'outDir']) {
    if (Object.hasOwn(o, k) && typeof o[k] === 'string')
      out[k] = `${sandbox}/f-${Buffer.from(o[k] as string)
        .toString('hex')
        .slice(0, 40)}`
  }
  return out
}

async function realSnapshot(dataDir: string): Promise<unknown> {
  const services = createServices({ dataDir, platform: 'linux' })
  return services.scan({ kind: 'training', name: 'arm64-missing-checkpoint' })
}

export const contractTargets: FuzzTarget<unknown>[] = [
  target(
    'contract/schemas',
    'every call input/output, event and error schema: safeParse returns, never throws',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sd-fuzz-schemas-'))
      const snap = await realSnapshot(dir)
      const bases = [...Object.values(await validInputs(JSON.stringify(snap))).flat(), snap]
      const schemas = [
        ...Object.values(calls).flatMap((c) => [c.input, c.output]),
        ...Object.values(events),
        ErrorSchema,
        MachineSnapshotSchema,
      ]
      return {
        arbitrary: fc.oneof({ weight: 2, arbitrary: ANY }, { weight: 3, arbitrary: jsonMutant(bases) }),
        run: (value) => {
          for (const s of schemas) {
            const r = (s as { safeParse(v: unknown): { success: boolean } }).safeParse(value)
            if (typeof r.success !== 'boolean') violated('safeParse returned no success flag')
          }
        },
        close: async () => rmSync(dir, { recursive: true, force: true }),
      }
    },
  ),
  target(
    'contract/invoke-call',
    'invokeCall(real handlers, any name, any input): {ok:true, schema-valid value} or {ok:false, error}',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sd-fuzz-invoke-'))
      const services = createServices({ dataDir: dir, platform: 'linux' })
      const handlers = createHandlers(services)
      const snap = await services.scan({ kind: 'training', name: 'x64-component-store-corrupt' })
      const snapJson = JSON.stringify(snap)
      const valid = await validInputs(snapJson)
      const nameArb = fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...callNames) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', ''),
        },
        { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
      )
      const inputFor = (name: string) => {
        const bases = Object.hasOwn(valid, name) ? (valid as Record<string, unknown[]>)[name]! : [{}]
        return fc.oneof(
          { weight: 4, arbitrary: jsonMutant(bases) },
          { weight: 1, arbitrary: ANY },
          { weight: 1, arbitrary: fc.constantFrom(...bases) },
          // A snapshot from another PC, mutated as text (truncated, wrapped, injected) and as JSON.
          {
            weight: name === 'importSnapshot' ? 4 : 0,
            arbitrary: textArbitrary([snapJson]).map((content) => ({ content })),
          },
          {
            weight: name === 'importSnapshot' ? 4 : 0,
            arbitrary: jsonMutant([snap]).map((s) => ({ content: JSON.stringify(s) ?? '' })),
          },
        )
      }
      return {
        arbitrary: nameArb.chain((name) => fc.tuple(fc.constant(name), inputFor(name))),
        run: async ([name, input]) => {
          let r: Awaited<ReturnType<typeof invokeCall>>
          try {
            r = await invokeCall(handlers, name as CallName, confineFolders(input, join(dir, 'sandbox')))
          } catch (err) {
            violated(`invokeCall('${name}') threw: ${(err as Error)?.stack ?? err}`)
          }
          if (!r || typeof r !== 'object') violated('invokeCall returned a non-object')
          if (r.ok === true) {
            const out = (
              calls as Record<
                string,
                {
                  output: {
                    safeParse(v: unknown): {
                      success: boolean
                      error?: { issues: Array<{ path: unknown[]; message: string }> }
                    }
                  }
                }
              >
            )[name]!.output.safeParse(r.value)
            if (!out.success)
              violated(
                `${name}: ok value off-schema: ${out.error?.issues
                  .slice(0, 2)
                  .map((i) => `${i.path.join('.')} ${i.message}`)
                  .join('; ')}`,
              )
          } else if (r.ok === false) {
            if (!ErrorSchema.safeParse(r.error).success || !r.error.message)
              violated(`${name}: error without code/message: ${JSON.stringify(r.error)}`)
            if (
              r.error.code === 'failed' &&
              /TypeError|ReferenceError|RangeError|Cannot read prop|is not a function|undefined/.test(r.error.message)
            ) {
              violated(`${name}: a handler crashed (a bug, not a clear refusal): ${r.error.message}`)
            }
          } else violated(`invokeCall returned ${JSON.stringify(r).slice(0, 200)}`)
        },
        close: async () => rmSync(dir, { recursive: true, force: true }),
      }
    },
  ),
]
