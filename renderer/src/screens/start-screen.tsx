/** The first screen: choose this PC, a training machine, or a snapshot from another PC. */
import { useRef } from 'react'
import { strings } from '../strings.ts'
import { machineStore, useMachine } from '../stores/index.ts'
import { hrefOf, navigate } from '../router.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import type { MachineRef } from '../../../preload/model/common.ts'

export function StartScreen() {
  const list = useMachine((s) => s.list)
  const listError = useMachine((s) => s.listError)
  const scanning = useMachine((s) => s.scanning)
  const fraction = useMachine((s) => s.scanFraction)
  const scanError = useMachine((s) => s.scanError)
  const fileInput = useRef<HTMLInputElement>(null)

  const check = async (machine: MachineRef) => {
    navigate('overview')
    await machineStore.getState().choose(machine)
  }

  const onFile = async (file: File | undefined) => {
    if (!file) return
    await machineStore.getState().importSnapshot(await file.text())
    if (!machineStore.getState().scanError) navigate('overview')
  }

  return (
    <section aria-labelledby="start-title" className="screen">
      <h1 id="start-title">{strings.start.title}</h1>
      <p className="lead">{strings.start.intro}</p>
      {listError && <p role="alert" className="error">{listError}</p>}
      {scanError && <p role="alert" className="error">{scanError}</p>}
      <div className="card-row">
        <div className="card">
          <h2>{strings.start.thisPc}</h2>
          {list?.thisPcAvailable
            ? <button type="button" onClick={() => void check({ kind: 'this-pc' })}>{strings.start.thisPc}</button>
            : <p className="muted">{strings.start.thisPcUnavailable}</p>}
        </div>
        <div className="card">
          <h2>{strings.start.importSnapshot}</h2>
          <p className="muted">{strings.start.importHint}</p>
          <label className="button-like">
            {strings.start.importSnapshot}
            <input ref={fileInput} type="file" accept=".json,application/json" className="visually-hidden" onChange={(e) => void onFile(e.target.files?.[0])} data-testid="snapshot-file" />
          </label>
          <p className="muted small">{strings.start.pasteHint} <a href={hrefOf('paste')}>{strings.start.pasteLink}</a></p>
        </div>
      </div>
      <h2>{strings.start.training}</h2>
      <p className="muted">{strings.start.trainingIntro}</p>
      {scanning && <ProgressBar label={strings.start.scanning} value={fraction} />}
      <ul className="machine-list" aria-label={strings.start.training}>
        {list?.machines.map((m) => (
          <li key={m.name} className="machine-item">
            <div>
              <strong>{m.title}</strong>
              <span className="tag">{m.nativeArch}</span>
              <span className="tag">{m.displayVersion}</span>
              <span className="tag mono">{m.build}</span>
              <p className="muted small">{m.scenario}</p>
            </div>
            <button type="button" onClick={() => void check({ kind: 'training', name: m.name })} aria-label={`${strings.start.check}: ${m.title}`} data-testid={`check-${m.name}`}>
              {strings.start.check}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
