/**
 * A PC you are not sitting at, from start to proof: save the collector, open the file it wrote, build
 * the fix package (folder and zip, with what it does in plain words), rehearse it on a model of that PC, and compare
 * before and after. One screen, five numbered steps, each unlocked by the one before; the same services as the CLI's
 * `collector`, `fix-package`, `machines import` and `proof`.
 */
import { useEffect, type ReactNode } from 'react'
import { fixFlowStore, machineStore, useFixFlow as useFlow, useMachine } from '../stores/index.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { CommandBlock } from '../components/command-block.tsx'
import { StatusTag } from '../components/status-tag.tsx'
import { PlainText } from '../components/plain-text.tsx'
import { strings } from '../strings.ts'
import { downloadText } from '../components/download.ts'
import { base64Of, looksLikeZip } from '../components/file-bytes.ts'
import type { ProofResult, RehearseOutput } from '../../../preload/model/fix-flow.ts'
import { withContentKeys } from '../components/list-keys.ts'

export const fixFlowStrings = {
  technicalDetails: 'Technical details',
  nav: 'Fix a PC elsewhere',
  startHint: 'No file from that PC yet?',
  startLink: 'Save the collector, then build and rehearse the fix package',
  title: 'Fix a PC you are not sitting at',
  intro:
    'Five steps: the person at that PC runs one script and sends you its file; you build the fix package from it, try it on a model of that PC, and compare the file from before with the one from after.',
  collectTitle: 'Collect the facts on that PC',
  collectIntro:
    'The collector reads the PC’s update state and logs into one .zip file. It installs nothing and needs no internet.',
  saveCollector: 'Save the collector script',
  savedTo: (where: string) => `Saved: ${where}`,
  downloaded: (name: string) => `Downloaded ${name}. Copy it to that PC.`,
  cancelled: 'Not saved: the save dialog was closed.',
  runIt: 'On that PC, in PowerShell opened as administrator, in the folder that holds the script, run:',
  sendBack: 'It says where it wrote the .zip file. Ask for that file back.',
  openTitle: 'Open the file that PC sent back',
  openIntro: 'The .zip file the collector wrote. It opens read-only: nothing on that PC changes from here.',
  openFile: 'Open the collector file',
  opened: (name: string, when: string) => `Open: ${name}, collected ${when}.`,
  notSnapshot: 'The machine shown now is not a file from another PC; open the collector file here.',
  buildTitle: 'Build the fix package',
  buildIntro:
    'A folder (and the same as a .zip next to it) to copy to that PC: one script runs the repairs first, then the update, then collects the “after” file. You choose an empty folder.',
  build: 'Choose a folder and build',
  building: 'Building the fix package',
  builtIn: (folder: string, zip: string) => `Written to ${folder} and ${zip}.`,
  runTitle: (pc: string) => `How the person at ${pc} runs it`,
  doesTitle: (script: string, pc: string) => `What ${script} does on ${pc}, in this order`,
  files: (n: number) => `${n} files, each checked against its SHA-256 before anything runs.`,
  notes: 'What it does not do',
  needSnapshot: 'Open the collector file first (step 2).',
  rehearseTitle: 'Rehearse it on a model of that PC',
  rehearseIntro:
    'A training machine made from the collector file runs the package’s steps in the same order, with the app’s own repair and install engine. Safe practice: nothing real changes.',
  rehearse: 'Rehearse the fix package',
  rehearsing: 'Rehearsing',
  needPackage: 'Build the fix package first (step 3).',
  rehearsedOn: (title: string) => `Rehearsed on ${title}.`,
  outcome: {
    verified: 'Verified',
    'not-verified': 'Not verified',
    failed: 'Failed',
    'not-rehearsed': 'Not rehearsed',
  } as Record<RehearseOutput['steps'][number]['outcome'], string>,
  proofTitle: 'Compare before and after',
  proofIntro:
    'The findings of the first file against those of the after file: what was a problem before and is gone now is resolved.',
  openAfter: 'Open the after file from that PC',
  comparing: 'Comparing the two files',
  fromRehearsal: 'From the rehearsal’s after file (the model, not the real PC yet).',
  fromAfterFile: 'From the after file the PC sent back.',
  verdict: {
    fixed: 'Resolved: every problem found before is gone.',
    'partly-fixed': 'Partly resolved: some problems remain.',
    'not-fixed': 'Not resolved: the problems found before are still there.',
    'nothing-to-fix': 'Nothing was wrong before.',
    'not-proven': 'Not proven: the after file lacks facts the first file had.',
    'not-rehearsed':
      'Not rehearsed: the model of the PC could not show some problems of the first file (the snapshot lacks their evidence).',
  } as Record<ProofResult['verdict'], string>,
  otherPc: 'The after file is from another computer: this comparison proves nothing.',
  lost: (what: string) =>
    `The after file could not read ${what}: a problem about them that is gone is not proof that it was fixed.`,
  compareCaption: 'The PC before and after',
  fact: 'What',
  before: 'Before',
  after: 'After',
  collected: 'Collected',
  buildRow: 'Build',
  winre: 'Recovery environment (WinRE)',
  restart: 'Restart pending',
  yes: 'Yes',
  no: 'No',
  unknown: 'Unknown',
  resolved: (n: number) => `Resolved (${n})`,
  notRehearsed: (n: number) => `Not rehearsed: the snapshot lacks their evidence (${n})`,
  remaining: (n: number) => `Still there (${n})`,
  added: (n: number) => `New since (${n})`,
  workLeft: (n: number) => `Work left for a person: a newer build to find in the Microsoft Update Catalog (${n})`,
  installed: (kbs: string) => `Installed since: ${kbs}.`,
  removed: (kbs: string) => `Removed since: ${kbs}.`,
}

const yesNo = (v: boolean | null) => (v === null ? fixFlowStrings.unknown : v ? fixFlowStrings.yes : fixFlowStrings.no)
/** "Enabled 10.0.26100.1150" from the proof's "enabled 10.0.26100.1150": the status as a word, capitalised. */
const winreWords = (w: string) => (w === 'unknown' ? fixFlowStrings.unknown : w.charAt(0).toUpperCase() + w.slice(1))
/**
 * A package as a technician names it: its KB; a cumulative update listed without one (DISM's Package_for_RollupFix…
 * identity) as "the cumulative update for build N"; any other identity as DISM lists it.
 */
export function packageWords(p: string): string {
  const m = /^Package_for_RollupFix~[^~]*~[^~]*~[^~]*~([\d.]+)$/i.exec(p)
  if (!m) return p
  const v = m[1]!.split('.')
  // 10.0.22621.4460 (major.minor.build.ubr) or 22621.4460.1.10 (build.ubr.x.y), as DISM lists them.
  const [build, ubr] = v.length === 4 && v[0] === '10' ? [v[2], v[3]] : [v[0], v[1]]
  return build && ubr ? `the cumulative update for build ${build}.${ubr}` : p
}
const factWords: Record<string, string> = {
  os: 'the Windows version',
  packages: 'the installed packages',
  history: 'the update history',
  hotfixes: 'the hotfix list',
  reboot: 'the restart state',
  storage: 'the disks',
  services: 'the services',
  winre: 'the recovery environment',
  bootChain: 'the boot chain',
}

function Step({ n, title, children, testId }: { n: number; title: string; children: ReactNode; testId: string }) {
  return (
    <li className="card flow-step" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <h2 id={`${testId}-title`}>
        <span className="step-no" aria-hidden="true">
          {n}
        </span>{' '}
        {title}
      </h2>
      {children}
    </li>
  )
}

export function ProofView({ proof, from }: { proof: ProofResult; from: 'rehearsal' | 'after-file' | null }) {
  const t = fixFlowStrings
  const tone =
    proof.verdict === 'fixed' || proof.verdict === 'nothing-to-fix'
      ? 'ok'
      : proof.verdict === 'partly-fixed' || proof.verdict === 'not-proven' || proof.verdict === 'not-rehearsed'
        ? 'warn'
        : 'bad'
  const list = (title: string, items: ProofResult['resolved'], testId: string) =>
    items.length > 0 && (
      <>
        <h3>{title}</h3>
        <ul data-testid={testId}>
          {items.map((f) => (
            <li key={f.id}>{f.title}</li>
          ))}
        </ul>
      </>
    )
  return (
    <div data-testid="flow-proof" data-verdict={proof.verdict}>
      {from && <p className="muted small">{from === 'rehearsal' ? t.fromRehearsal : t.fromAfterFile}</p>}
      <p>
        <StatusTag tone={tone} testId="flow-proof-verdict">
          {t.verdict[proof.verdict]}
        </StatusTag>
      </p>
      {!proof.samePc && (
        <p role="alert" className="error">
          {t.otherPc}
        </p>
      )}
      {proof.lostFacts.length > 0 && (
        <p className="warning">{t.lost(proof.lostFacts.map((k) => factWords[k] ?? k).join(', '))}</p>
      )}
      <table className="data">
        <caption className="visually-hidden">{t.compareCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.fact}</th>
            <th scope="col">{t.before}</th>
            <th scope="col">{t.after}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t.collected}</th>
            <td>{proof.before.takenAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</td>
            <td>{proof.after.takenAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</td>
          </tr>
          <tr>
            <th scope="row">{t.buildRow}</th>
            <td className="mono">{proof.before.build ?? t.unknown}</td>
            <td className="mono" data-testid="flow-proof-build-after">
              {proof.after.build ?? t.unknown}
            </td>
          </tr>
          <tr>
            <th scope="row">{t.winre}</th>
            <td>{winreWords(proof.before.winre)}</td>
            <td>{winreWords(proof.after.winre)}</td>
          </tr>
          <tr>
            <th scope="row">{t.restart}</th>
            <td>{yesNo(proof.before.restartPending)}</td>
            <td>{yesNo(proof.after.restartPending)}</td>
          </tr>
        </tbody>
      </table>
      {proof.packagesAdded.length > 0 && (
        <p data-testid="flow-proof-installed">{t.installed(proof.packagesAdded.map(packageWords).join(', '))}</p>
      )}
      {proof.packagesRemoved.length > 0 && <p>{t.removed(proof.packagesRemoved.map(packageWords).join(', '))}</p>}
      {list(t.notRehearsed(proof.notRehearsed?.length ?? 0), proof.notRehearsed ?? [], 'flow-proof-not-rehearsed')}
      {list(t.resolved(proof.resolved.length), proof.resolved, 'flow-proof-resolved')}
      {list(t.remaining(proof.remaining.length), proof.remaining, 'flow-proof-remaining')}
      {list(t.added(proof.added.length), proof.added, 'flow-proof-added')}
      {list(t.workLeft(proof.workLeft?.length ?? 0), proof.workLeft ?? [], 'flow-proof-work-left')}
    </div>
  )
}

export function FixPackageScreen() {
  const t = fixFlowStrings
  const machine = useMachine((s) => s.machine)
  const snapshot = useMachine((s) => s.snapshot)
  const scanError = useMachine((s) => s.scanError)
  const snapshotId = machine?.kind === 'snapshot' ? machine.id : null
  useEffect(() => {
    fixFlowStore.getState().forSnapshot(snapshotId)
  }, [snapshotId])
  const collector = useFlow((s) => s.collector)
  const pkg = useFlow((s) => s.pkg)
  const rehearsal = useFlow((s) => s.rehearsal)
  const proof = useFlow((s) => s.proof)
  const proofFrom = useFlow((s) => s.proofFrom)
  const busy = useFlow((s) => s.busy)
  const progress = useFlow((s) => s.progress)
  const error = useFlow((s) => s.error)
  const os = snapshot?.os.status === 'known' ? snapshot.os.value : null
  const pcName = os?.computerName ?? snapshot?.origin.name ?? ''

  const save = async () => {
    const out = await fixFlowStore.getState().saveCollector()
    if (out?.saveStatus === 'unavailable') downloadText(out.fileName, 'text/plain', out.content)
  }
  const open = async (file: File | undefined) => {
    if (!file) return
    const bytes = new Uint8Array(await file.arrayBuffer())
    if (looksLikeZip(bytes)) await machineStore.getState().importSnapshot(base64Of(bytes), 'base64')
    else await machineStore.getState().importSnapshot(new TextDecoder().decode(bytes))
  }
  const openAfter = async (file: File | undefined) => {
    if (!file) return
    await fixFlowStore.getState().compareAfter(base64Of(new Uint8Array(await file.arrayBuffer())))
  }
  const bar = (what: string) =>
    busy === what && <ProgressBar label={progress?.label ?? t.building} value={progress?.fraction ?? null} />
  const label = (what: string) =>
    busy === what &&
    progress && (
      <p className="muted small" role="status" data-testid={`flow-progress-${what}`}>
        {progress.label}
      </p>
    )

  return (
    <section aria-labelledby="flow-title" className="screen" data-testid="fix-package-screen">
      <h1 id="flow-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      {error && (
        <p role="alert" className="error" data-testid="flow-error">
          {error}
        </p>
      )}
      <ol className="flow-steps">
        <Step n={1} title={t.collectTitle} testId="flow-collect">
          <p className="muted">{t.collectIntro}</p>
          <button type="button" onClick={() => void save()} disabled={busy !== null} data-testid="flow-save-collector">
            {t.saveCollector}
          </button>
          {collector && (
            <>
              <p role="status" data-testid="flow-collector-saved">
                {collector.saveStatus === 'saved' && collector.savedTo
                  ? t.savedTo(collector.savedTo)
                  : collector.saveStatus === 'cancelled'
                    ? t.cancelled
                    : t.downloaded(collector.fileName)}
              </p>
              <p>{t.runIt}</p>
              <CommandBlock command={collector.runCommand} shell="powershell" testId="flow-collector-command" />
              <p className="muted small">{t.sendBack}</p>
            </>
          )}
        </Step>
        <Step n={2} title={t.openTitle} testId="flow-open">
          <p className="muted">{t.openIntro}</p>
          {snapshotId && snapshot?.origin.kind === 'snapshot' ? (
            <p data-testid="flow-opened">
              <strong>{t.opened(pcName, snapshot.takenAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</strong>
            </p>
          ) : (
            machine && <p className="muted small">{t.notSnapshot}</p>
          )}
          {scanError && (
            <p role="alert" className="error">
              {scanError}
            </p>
          )}
          <label className="button-like secondary">
            {t.openFile}
            <input
              type="file"
              accept=".zip,application/zip,.json,application/json"
              className="visually-hidden"
              onChange={(e) => {
                void open(e.target.files?.[0])
                e.target.value = ''
              }}
              data-testid="flow-open-file"
            />
          </label>
        </Step>
        <Step n={3} title={t.buildTitle} testId="flow-build">
          <p className="muted">{t.buildIntro}</p>
          <button
            type="button"
            onClick={() => void fixFlowStore.getState().build()}
            disabled={!snapshotId || busy !== null}
            aria-describedby={snapshotId ? undefined : 'flow-build-need'}
            data-testid="flow-build-package"
          >
            {t.build}
          </button>
          {!snapshotId && (
            <p id="flow-build-need" className="muted small">
              {t.needSnapshot}
            </p>
          )}
          {bar('build')}
          {label('build')}
          {pkg && (
            <div data-testid="flow-package">
              <p role="status">{t.builtIn(pkg.folderLabel, pkg.zipLabel)}</p>
              {pkg.runOnPc && (
                <>
                  <h3>{t.runTitle(pkg.computer)}</h3>
                  <ol data-testid="flow-package-run">
                    {withContentKeys(pkg.runOnPc).map(([key, s]) => {
                      const [say, ...commands] = s.split('\n')
                      return (
                        <li key={key}>
                          {say}
                          {commands.length > 0 && <pre className="mono">{commands.join('\n')}</pre>}
                        </li>
                      )
                    })}
                  </ol>
                </>
              )}
              <h3>{t.doesTitle(pkg.scriptName, pkg.computer)}</h3>
              <ol data-testid="flow-package-does">
                {withContentKeys(pkg.doesInOrder).map(([key, s]) => (
                  <li key={key}>
                    <PlainText
                      text={s.charAt(0).toUpperCase() + s.slice(1)}
                      fallback={strings.flow.packageStepInDetails}
                    />
                  </li>
                ))}
              </ol>
              <p className="muted small">{t.files(pkg.files)}</p>
              {pkg.notes.length > 0 && (
                <>
                  <h3>{t.notes}</h3>
                  <ul className="small" data-testid="flow-package-notes">
                    {withContentKeys(pkg.notes).map(([key, n]) => (
                      <li key={key}>{n}</li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
        </Step>
        <Step n={4} title={t.rehearseTitle} testId="flow-rehearse">
          <p className="muted">{t.rehearseIntro}</p>
          <button
            type="button"
            onClick={() => void fixFlowStore.getState().rehearse()}
            disabled={!pkg || busy !== null}
            aria-describedby={pkg ? undefined : 'flow-rehearse-need'}
            data-testid="flow-rehearse-package"
          >
            {t.rehearse}
          </button>
          {!pkg && (
            <p id="flow-rehearse-need" className="muted small">
              {t.needPackage}
            </p>
          )}
          {bar('rehearse')}
          {label('rehearse')}
          {rehearsal && (
            <div data-testid="flow-rehearsal">
              <p role="status">{t.rehearsedOn(rehearsal.machineTitle)}</p>
              <ol className="flow-results">
                {withContentKeys(rehearsal.steps).map(([key, s]) => (
                  <li key={key} data-outcome={s.outcome} data-testid="flow-rehearsal-step">
                    <StatusTag tone={s.outcome === 'verified' ? 'ok' : s.outcome === 'failed' ? 'bad' : 'warn'}>
                      {t.outcome[s.outcome]}
                    </StatusTag>{' '}
                    <strong>{s.title}</strong>
                    <p className="muted small">{s.detail}</p>
                    {s.technical && (
                      <details className="technical-details">
                        <summary>{t.technicalDetails}</summary>
                        <p className="mono technical small">{s.technical}</p>
                      </details>
                    )}
                  </li>
                ))}
              </ol>
            </div>
          )}
        </Step>
        <Step n={5} title={t.proofTitle} testId="flow-compare">
          <p className="muted">{t.proofIntro}</p>
          <label className={`button-like secondary${!snapshotId || busy !== null ? ' disabled' : ''}`}>
            {t.openAfter}
            <input
              type="file"
              accept=".zip,application/zip"
              className="visually-hidden"
              disabled={!snapshotId || busy !== null}
              onChange={(e) => {
                void openAfter(e.target.files?.[0])
                e.target.value = ''
              }}
              data-testid="flow-after-file"
            />
          </label>
          {busy === 'compare' && <ProgressBar label={t.comparing} value={null} />}
          {proof && <ProofView proof={proof} from={proofFrom} />}
        </Step>
      </ol>
    </section>
  )
}
