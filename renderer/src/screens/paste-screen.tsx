/**
 * Paste: analyse text someone copied from a command window, pasted or dropped as a file (UTF-8 or
 * UTF-16). The `analyze` call says what it is (kind), the facts in it, findings and warnings.
 */
import { useState, type DragEvent } from 'react'
import { strings } from '../strings.ts'
import { pasteStore, usePaste } from '../stores/index.ts'
import { decodeTextBytes } from '../text-decode.ts'
import { getApi } from '../bridge/api.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { StatusTag, toneOf } from '../components/status-tag.tsx'
import { PasteFacts, PasteNext, Whole, kindText } from '../components/paste-reading.tsx'
import { withContentKeys } from '../components/list-keys.ts'

const MAX_BYTES = 50_000_000
/** Files up to this size are read into the text box; larger ones, in the app, are read by main from their path. */
const SHOW_MAX_BYTES = 1_000_000

async function readFileText(file: File): Promise<string | null> {
  if (file.size > MAX_BYTES) return null
  return decodeTextBytes(new Uint8Array(await file.arrayBuffer()))
}

export function PasteScreen() {
  const t = strings.paste
  const text = usePaste((s) => s.text)
  const fileName = usePaste((s) => s.fileName)
  const busy = usePaste((s) => s.busy)
  const result = usePaste((s) => s.result)
  const error = usePaste((s) => s.error)
  const [dragging, setDragging] = useState(false)
  const [fileError, setFileError] = useState<string | null>(null)
  const st = pasteStore.getState()

  const takeFile = async (file: File | undefined) => {
    if (!file) return
    // In the app, a large file goes to main as a token for its path, never as its text: main reads it
    // bounded, and neither the page nor IPC holds 50 MB. Small files (and the preview, which has no paths) are shown.
    const token = file.size > SHOW_MAX_BYTES && file.size <= MAX_BYTES ? await getApi().fileToken?.(file) : null
    if (token) {
      setFileError(null)
      await pasteStore.getState().analyzeFile(token, file.name)
      return
    }
    const content = await readFileText(file)
    if (content === null) {
      setFileError(t.tooBig)
      return
    }
    setFileError(null)
    st.setText(content)
    await pasteStore.getState().analyze()
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    void takeFile(e.dataTransfer.files?.[0])
  }

  return (
    <section aria-labelledby="paste-title" className="screen">
      <h1 id="paste-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for dragged files only; the text box and the file chooser inside are the keyboard's way in */}
      <div
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <label htmlFor="paste-text">{t.label}</label>
        <textarea
          id="paste-text"
          className="mono"
          rows={10}
          spellCheck={false}
          value={text}
          onChange={(e) => st.setText(e.target.value)}
          data-testid="paste-text"
        />
        <div className="row">
          <button
            type="button"
            onClick={() => void pasteStore.getState().analyze()}
            disabled={busy}
            data-testid="paste-analyse"
          >
            {t.analyse}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              st.clear()
              setFileError(null)
            }}
          >
            {t.clear}
          </button>
          <span className="muted" data-testid="paste-drop-note">
            {fileName ? t.readFromFile(fileName) : t.drop}
          </span>
          <label className="button-like secondary">
            {t.choose}
            <input
              type="file"
              accept=".txt,.log,.csv,.json,text/*"
              className="visually-hidden"
              onChange={(e) => void takeFile(e.target.files?.[0])}
              data-testid="paste-file"
            />
          </label>
        </div>
      </div>
      <div className="progress-slot">{busy && <ProgressBar label={t.busy} value={null} />}</div>
      {(error || fileError) && (
        <p role="alert" className="error">
          {error === 'empty' ? t.empty : (error ?? fileError)}
        </p>
      )}
      <div aria-live="polite">
        {result && (
          <div className="card" data-testid="paste-result">
            <h2>{t.kind}</h2>
            <p data-testid="paste-kind" data-kind={result.kind}>
              {kindText(result.kind)}
            </p>
            <h2>{t.findings}</h2>
            {result.findings.length === 0 ? (
              <p className="muted">{t.noFindings}</p>
            ) : (
              <ul>
                {withContentKeys(result.findings).map(([key, f]) => (
                  <li key={key}>
                    <StatusTag tone={toneOf(f.severity)}>
                      {strings.diagnosis.severity[f.severity] ?? f.severity}
                    </StatusTag>{' '}
                    <strong>
                      <Whole text={f.title} />
                    </strong>
                    <br />
                    <Whole text={f.detail} />
                  </li>
                ))}
              </ul>
            )}
            {result.warnings.length > 0 && (
              <>
                <h2>{t.warnings}</h2>
                <ul data-testid="paste-warnings">
                  {withContentKeys(result.warnings).map(([key, w]) => (
                    <li key={key}>
                      <Whole text={w} />
                    </li>
                  ))}
                </ul>
              </>
            )}
            <PasteNext facts={result.facts} />
            <h2>{t.facts}</h2>
            {Object.keys(result.facts).length === 0 && <p className="muted">{t.none}</p>}
            <PasteFacts facts={result.facts} />
          </div>
        )}
      </div>
    </section>
  )
}
