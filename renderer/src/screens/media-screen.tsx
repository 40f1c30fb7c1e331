/**
 * Installation media: choose a medium, see its layers as one picture with what is stale
 * against the chosen cumulative update, and the update plan in Microsoft's documented order with every
 * command copyable. `#/media?medium=<name>` opens a medium directly.
 */
import { useEffect, type FormEvent } from 'react'
import { mediaStore, useMedia } from '../stores/media-store.ts'
import { useRouteParam } from '../router.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { MediaLayers } from '../components/media-layers.tsx'
import { MediaPlanSteps } from '../components/media-plan.tsx'
import { mediaStrings as t } from '../components/media-strings.ts'
import { CommandBlock } from '../components/command-block.tsx'
import { MediaRun } from '../components/media-run.tsx'
import { withContentKeys } from '../components/list-keys.ts'

export function MediaScreen() {
  const list = useMedia((s) => s.list)
  const listError = useMedia((s) => s.listError)
  const medium = useMedia((s) => s.medium)
  const folder = useMedia((s) => s.folder)
  const kb = useMedia((s) => s.kb)
  const scan = useMedia((s) => s.scan)
  const files = useMedia((s) => s.files)
  const plan = useMedia((s) => s.plan)
  const busy = useMedia((s) => s.busy)
  const error = useMedia((s) => s.error)
  const fromRoute = useRouteParam('medium')
  const st = mediaStore.getState()

  useEffect(() => {
    if (!mediaStore.getState().list) void mediaStore.getState().loadList()
  }, [])
  useEffect(() => {
    if (fromRoute && fromRoute !== mediaStore.getState().medium) void mediaStore.getState().choose(fromRoute)
  }, [fromRoute])

  const onPlan = (e: FormEvent) => {
    e.preventDefault()
    void st.makePlan()
  }
  const cleanup = plan?.steps.findIndex((s) => s.kind === 'cleanup-mountpoints') ?? -1
  const changed = list?.find((m) => m.name === medium)?.changed === true
  const running = useMedia((s) => s.operationId !== null)

  return (
    <section aria-labelledby="media-title" className="screen" data-testid="media-screen">
      <h1 id="media-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      {listError && (
        <p role="alert" className="error">
          {listError}
        </p>
      )}
      <div className="card media-choose">
        <div className="media-field">
          <label htmlFor="media-medium">{t.choose}</label>
          <select
            id="media-medium"
            value={folder ? '' : (medium ?? '')}
            disabled={!list || busy !== null || running}
            onChange={(e) => {
              if (e.target.value) void st.choose(e.target.value)
            }}
            aria-describedby="media-medium-hint"
            data-testid="media-medium"
          >
            <option value="">{t.none}</option>
            {list?.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name} — {m.title}
                {m.changed ? ` ${t.changed}` : ''}
              </option>
            ))}
          </select>
          <p id="media-medium-hint" className="muted small">
            {t.chooseHint}
          </p>
          <div className="row">
            <button
              type="button"
              className="secondary"
              disabled={busy !== null || running}
              onClick={() => void st.chooseFolder()}
              data-testid="media-choose-folder"
            >
              {t.chooseFolder}
            </button>
          </div>
          {folder && (
            <p className="muted small" data-testid="media-folder">
              {t.folderChosen(folder.label)}
            </p>
          )}
          {changed && (
            <div className="row">
              <button
                type="button"
                className="secondary"
                disabled={busy !== null || running}
                onClick={() => void st.reset()}
                aria-describedby="media-reset-hint"
                data-testid="media-reset"
              >
                {t.run.reset}
              </button>
              <span id="media-reset-hint" className="muted small">
                {t.run.resetHint}
              </span>
            </div>
          )}
        </div>
        {scan && (
          <form className="media-field media-kb" onSubmit={onPlan}>
            <label htmlFor="media-kb">{t.kb}</label>
            <div className="row">
              <input
                id="media-kb"
                className="mono"
                value={kb}
                size={12}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => st.setKb(e.target.value)}
                data-testid="media-kb"
              />
              <button type="submit" className="secondary" disabled={busy !== null} data-testid="media-plan-button">
                {t.plan}
              </button>
            </div>
          </form>
        )}
      </div>
      <div className="progress-slot">
        {busy && <ProgressBar label={busy === 'reading' ? t.reading : t.planning} value={null} />}
      </div>
      {error && (
        <p role="alert" className="error" data-testid="media-error">
          {error}
        </p>
      )}
      {scan && scan.staleMounts.length > 0 && (
        <div className="warning" data-testid="media-stale-mount">
          <strong>{t.staleMountTitle}.</strong> {t.staleMount(scan.staleMounts.join(', '))}
          {cleanup >= 0 && plan && (
            <CommandBlock command={plan.commands[cleanup]} label={t.step(plan.steps[cleanup])} />
          )}
        </div>
      )}
      {scan && scan.warnings.length > 0 && (
        <div className="warning" data-testid="media-warnings">
          <strong>{t.warnings}:</strong>
          <ul>
            {withContentKeys(scan.warnings).map(([key, w]) => (
              <li key={key}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {scan && files && (
        <section aria-labelledby="media-layers-title">
          <h2 id="media-layers-title">{t.pictureTitle}</h2>
          <MediaLayers scan={scan} files={files} plan={plan} />
        </section>
      )}
      {plan && <MediaPlanSteps plan={plan} />}
      {plan && scan && !folder && <MediaRun plan={plan} scan={scan} />}
      {scan && folder && scan.needsWindows && scan.needsWindows.length > 0 && (
        <div className="card" data-testid="media-needs-windows">
          <h2>{t.needsWindowsTitle}</h2>
          <p>{t.needsWindows}</p>
          <ul>
            {withContentKeys(scan.needsWindows).map(([key, n]) => (
              <li key={key}>{n}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}
