/**
 * Overview: the machine card, the five health tiles, the update chain, the disk layout and the package
 * list, at a glance. Every region keeps its height while a scan runs, so nothing jumps.
 */
import { strings } from '../strings.ts'
import { machineStore, useChain, useMachine } from '../stores/index.ts'
import { chainFor } from '../stores/chain-store.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { HealthTiles } from '../components/health-tiles.tsx'
import { UpdateChain } from '../components/update-chain.tsx'
import { DiskLayout } from '../components/disk-layout.tsx'
import { PackageList } from '../components/package-list.tsx'
import { hrefOf } from '../router.ts'
import { PcPlanCard } from '../components/pc-plan-card.tsx'

export function OverviewScreen() {
  const snapshot = useMachine((s) => s.snapshot)
  const findings = useMachine((s) => s.findings)
  const verdictFailed = useMachine((s) => s.findingsFailed)
  const scanning = useMachine((s) => s.scanning)
  const fraction = useMachine((s) => s.scanFraction)
  const error = useMachine((s) => s.scanError)
  const machine = useMachine((s) => s.machine)
  const t = strings.overview
  const os0 = snapshot?.os.status === 'known' ? snapshot.os.value : null
  // The knowledge's own age (not this PC's): shown last, so its arrival after the scan moves nothing above it.
  const knowledgeWarning = useChain((s) => chainFor(s, os0)?.knowledgeWarning ?? null)
  if (!machine)
    return (
      <section className="screen">
        <h1>{t.title}</h1>
        <p>{t.notScanned}</p>
        <a className="button-like" href={hrefOf('start')}>
          {t.chooseMachine}
        </a>
      </section>
    )
  const os = snapshot?.os.status === 'known' ? snapshot.os.value : null
  const v = (x: string | number | null | undefined) =>
    x === null || x === undefined ? (scanning ? t.waiting : t.unknown) : String(x)
  return (
    <section aria-labelledby="overview-title" className="screen">
      <div className="screen-head">
        <h1 id="overview-title">{t.title}</h1>
        {machine.kind !== 'snapshot' && (
          <button type="button" onClick={() => void machineStore.getState().rescan()} disabled={scanning}>
            {t.rescan}
          </button>
        )}
      </div>
      <div className="progress-slot">{scanning && <ProgressBar label={strings.start.scanning} value={fraction} />}</div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {/* The first offer: one plan for the whole PC, reviewed once and run to a proof. */}
      <PcPlanCard machine={machine} />
      {/* biome-ignore lint/a11y/useSemanticElements: a named group of facts (a <dl>), no form fields: <fieldset> is for form controls */}
      <div className="card machine-card" role="group" aria-label={t.machine} data-testid="machine-card">
        <dl className="facts">
          <dt>{t.machine}</dt>
          <dd data-testid="fact-computer">{v(os?.computerName ?? snapshot?.origin.name)}</dd>
          <dt>{t.edition}</dt>
          <dd data-testid="fact-edition">
            {v(os?.productName)}
            {os?.edition ? ` (${os.edition})` : ''}
          </dd>
          <dt>{t.version}</dt>
          <dd data-testid="fact-version">{v(os?.displayVersion)}</dd>
          <dt>{t.build}</dt>
          <dd className="mono" data-testid="fact-build">
            {os?.build != null ? `${os.build}.${v(os.ubr)}` : v(null)}
          </dd>
          <dt>{t.nativeArch}</dt>
          <dd data-testid="fact-native-arch">{v(os?.nativeArch)}</dd>
          <dt>{t.processArch}</dt>
          <dd data-testid="fact-process-arch">{v(os?.processArch)}</dd>
        </dl>
        <div className="warning-slot">
          {os?.emulated && os.nativeArch && os.processArch && (
            <p className="warning" role="note" data-testid="emulated-warning">
              {t.emulatedWarning(os.nativeArch, os.processArch)}
            </p>
          )}
          {snapshot?.os.status === 'unknown' && <p className="error">{snapshot.os.error}</p>}
        </div>
      </div>
      <HealthTiles snapshot={snapshot} findings={findings} verdictFailed={verdictFailed} />
      <UpdateChain snapshot={snapshot} />
      <DiskLayout storage={snapshot?.storage ?? null} />
      <PackageList fact={snapshot?.packages ?? null} osBuild={os?.build ?? null} />
      {knowledgeWarning && (
        <p className="muted small" data-testid="knowledge-warning">
          {knowledgeWarning}
        </p>
      )}
    </section>
  )
}
