/** The first screen: choose this PC, a training machine (or start one over), or a snapshot from another PC. */

/** Asks before a training machine starts over; focus goes to the question, Escape keeps the machine as it is. */
function ResetConfirm({
  m,
  busy,
  onConfirm,
  onKeep,
}: {
  m: TrainingMachineInfo
  busy: boolean
  onConfirm: () => void
  onKeep: () => void
}) {
  const t = strings.start
  const keep = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    keep.current?.focus()
  }, [])
  return (
    <div
      role="alertdialog"
      aria-modal="false"
      aria-labelledby={`reset-q-${m.name}`}
      className="warning reset-confirm"
      data-testid={`reset-confirm-${m.name}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onKeep()
      }}
    >
      <p id={`reset-q-${m.name}`}>{t.resetAsk(m.title)}</p>
      <div className="row">
        <button type="button" disabled={busy} onClick={onConfirm} data-testid={`reset-confirm-yes-${m.name}`}>
          {t.resetConfirm}
        </button>
        <button
          type="button"
          className="secondary"
          ref={keep}
          disabled={busy}
          onClick={onKeep}
          data-testid={`reset-keep-${m.name}`}
        >
          {t.resetKeep}
        </button>
      </div>
    </div>
  )
}
import { useEffect, useRef, useState } from 'react'
import { strings } from '../strings.ts'
import { machineStore, reportStore, useMachine } from '../stores/index.ts'
import { hrefOf, navigate, useRouteParam } from '../router.ts'
import { afterChoosing } from '../components/choose-machine.tsx'
import { ProgressBar } from '../components/progress-bar.tsx'
import { installStore } from '../stores/install-store.ts'
import type { TrainingMachineInfo } from '../../../preload/model/training.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { connectStrings } from './connect-screen.tsx'
import { base64Of, looksLikeZip } from '../components/file-bytes.ts'
import { fixFlowStrings } from './fix-package-screen.tsx'

export function StartScreen() {
  const thenParam = useRouteParam('then')
  const repairParam = useRouteParam('repair')
  const list = useMachine((s) => s.list)
  const listError = useMachine((s) => s.listError)
  const scanning = useMachine((s) => s.scanning)
  const fraction = useMachine((s) => s.scanFraction)
  const scanError = useMachine((s) => s.scanError)
  const fileInput = useRef<HTMLInputElement>(null)
  const [asking, setAsking] = useState<string | null>(null)
  const [resetting, setResetting] = useState(false)
  const [resetNotice, setResetNotice] = useState<string | null>(null)
  const [resetError, setResetError] = useState<string | null>(null)

  const reset = async (m: TrainingMachineInfo) => {
    setResetting(true)
    setResetError(null)
    try {
      // What the app showed of this machine is from before the reset: the machine is read again, the report
      // and the install state are dropped and reloaded.
      const shown = machineStore.getState().machine
      if (shown?.kind === 'training' && shown.name === m.name) reportStore.setState({ latest: null, machineKey: null })
      const r = await machineStore.getState().resetTraining(m.name)
      if (shown?.kind === 'training' && shown.name === m.name) void installStore.getState().open(shown)
      setResetNotice(r.archived ? strings.start.resetDoneArchived(m.title) : strings.start.resetDone(m.title))
      setAsking(null)
    } catch (err) {
      setResetError((err as Error).message)
    } finally {
      setResetting(false)
    }
  }

  const check = async (machine: MachineRef) => {
    // Opened from a screen that needed a machine (`#/start?then=repair&repair=…`): back there, else the Overview.
    afterChoosing(thenParam, repairParam)()
    await machineStore.getState().choose(machine)
  }

  const onFile = async (file: File | undefined) => {
    if (!file) return
    // The collector's file is a zip (sent as base64); a snapshot written by `scan --out FILE.json` is text.
    const bytes = new Uint8Array(await file.arrayBuffer())
    if (looksLikeZip(bytes)) await machineStore.getState().importSnapshot(base64Of(bytes), 'base64')
    else await machineStore.getState().importSnapshot(new TextDecoder().decode(bytes))
    if (!machineStore.getState().scanError) navigate('overview')
  }

  const onRehearse = async (file: File | undefined) => {
    if (!file) return
    navigate('overview')
    await machineStore.getState().importTrainingMachine(base64Of(new Uint8Array(await file.arrayBuffer())))
  }

  return (
    <section aria-labelledby="start-title" className="screen">
      <h1 id="start-title">{strings.start.title}</h1>
      <p className="lead">{strings.start.intro}</p>
      {listError && (
        <p role="alert" className="error">
          {listError}
        </p>
      )}
      {scanError && (
        <p role="alert" className="error">
          {scanError}
        </p>
      )}
      <div className="card-row">
        <div className="card">
          <h2>{strings.start.thisPc}</h2>
          {list?.thisPcAvailable ? (
            <button type="button" onClick={() => void check({ kind: 'this-pc' })}>
              {strings.start.thisPc}
            </button>
          ) : (
            <p className="muted">{strings.start.thisPcUnavailable}</p>
          )}
        </div>
        <div className="card">
          <h2>{strings.start.importSnapshot}</h2>
          <p className="muted">{strings.start.importHint}</p>
          <label className="button-like">
            {strings.start.importSnapshot}
            <input
              ref={fileInput}
              type="file"
              accept=".json,.zip,application/json,application/zip"
              className="visually-hidden"
              onChange={(e) => void onFile(e.target.files?.[0])}
              data-testid="snapshot-file"
            />
          </label>
          <p className="muted small">{strings.start.rehearseHint}</p>
          <label className="button-like secondary">
            {strings.start.rehearse}
            <input
              type="file"
              accept=".zip,application/zip"
              className="visually-hidden"
              onChange={(e) => void onRehearse(e.target.files?.[0])}
              data-testid="rehearse-file"
            />
          </label>
          <p className="muted small">
            {fixFlowStrings.startHint}{' '}
            <a href={hrefOf('fix-package')} data-testid="start-fix-package">
              {fixFlowStrings.startLink}
            </a>
          </p>
          <p className="muted small">
            {strings.start.pasteHint} <a href={hrefOf('paste')}>{strings.start.pasteLink}</a>
          </p>
        </div>
        <div className="card">
          <h2>{connectStrings.title}</h2>
          <p className="muted">{connectStrings.intro}</p>
          <a className="button-like" href={hrefOf('connect')} data-testid="start-connect">
            {connectStrings.title}
          </a>
        </div>
      </div>
      <h2>{strings.start.training}</h2>
      <p className="muted">{strings.start.trainingIntro}</p>
      {scanning && <ProgressBar label={strings.start.scanning} value={fraction} />}
      <div className="notice-slot" role="status" data-testid="reset-notice">
        {resetNotice}
      </div>
      {resetError && (
        <p role="alert" className="error" data-testid="reset-error">
          {resetError}
        </p>
      )}
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
            <div className="row machine-actions">
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setResetNotice(null)
                  setAsking(m.name)
                }}
                aria-label={strings.start.resetLabel(m.title)}
                aria-expanded={asking === m.name}
                data-testid={`reset-${m.name}`}
              >
                {strings.start.reset}
              </button>
              <button
                type="button"
                onClick={() => void check({ kind: 'training', name: m.name })}
                aria-label={`${strings.start.check}: ${m.title}`}
                data-testid={`check-${m.name}`}
              >
                {strings.start.check}
              </button>
            </div>
            {asking === m.name && (
              <ResetConfirm m={m} busy={resetting} onConfirm={() => void reset(m)} onKeep={() => setAsking(null)} />
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
