/**
 * Paste: analyse text someone copied from a command window, pasted or dropped as a file (UTF-8 or
 * UTF-16). The `analyze` call says what it is (kind), the facts in it, findings and warnings.
 */
import { useState, type DragEvent } from 'react'
import { strings } from '../strings.ts'
import { pasteStore, usePaste } from '../stores/index.ts'
import { decodeTextBytes } from '../text-decode.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { StatusTag, toneOf } from '../components/status-tag.tsx'

const MAX_BYTES = 50_000_000

async function readFileText(file: File): Promise<string | null> {
  if (file.size > MAX_BYTES) return null
  return decodeTextBytes(new Uint8Array(await file.arrayBuffer()))
}

/** One fact family as a table when it is a list of records, else as readable JSON. */
function FactView({ name, value }: { name: string; value: unknown }) {
  if (Array.isArray(value) && value.length > 0 && value.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
    const cols = [...new Set(value.flatMap((r) => Object.keys(r as object)))]
    return (
      <div className="table-scroll short" tabIndex={0} role="region" aria-label={name}>
        <table className="data"><caption className="visually-hidden">{name}</caption>
          <thead><tr>{cols.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
          <tbody>{value.slice(0, 500).map((r, i) => <tr key={i}>{cols.map((c) => <td key={c} className="wrap">{fmt((r as Record<string, unknown>)[c])}</td>)}</tr>)}</tbody>
        </table>
      </div>
    )
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return <dl className="facts compact">{Object.entries(value).map(([k, v]) => <div key={k} className="fact-pair"><dt>{k}</dt><dd className="mono">{fmt(v)}</dd></div>)}</dl>
  }
  return <pre className="mono">{fmt(value)}</pre>
}

const fmt = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v))

export function PasteScreen() {
  const t = strings.paste
  const text = usePaste((s) => s.text)
  const busy = usePaste((s) => s.busy)
  const result = usePaste((s) => s.result)
  const error = usePaste((s) => s.error)
  const [dragging, setDragging] = useState(false)
  const [fileError, setFileError] = useState<string | null>(null)
  const st = pasteStore.getState()

  const takeFile = async (file: File | undefined) => {
    if (!file) return
    const content = await readFileText(file)
    if (content === null) { setFileError(t.tooBig); return }
    setFileError(null)
    st.setText(content)
    await pasteStore.getState().analyze()
  }
  const onDrop = (e: DragEvent) => { e.preventDefault(); setDragging(false); void takeFile(e.dataTransfer.files?.[0]) }

  return (
    <section aria-labelledby="paste-title" className="screen">
      <h1 id="paste-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      <div className={dragging ? 'drop-zone dragging' : 'drop-zone'} onDragOver={(e) => { e.preventDefault(); setDragging(true) }} onDragLeave={() => setDragging(false)} onDrop={onDrop} data-testid="drop-zone">
        <label htmlFor="paste-text">{t.label}</label>
        <textarea id="paste-text" className="mono" rows={10} spellCheck={false} value={text} onChange={(e) => st.setText(e.target.value)} data-testid="paste-text" />
        <div className="row">
          <button type="button" onClick={() => void pasteStore.getState().analyze()} disabled={busy} data-testid="paste-analyse">{t.analyse}</button>
          <button type="button" className="secondary" onClick={() => { st.clear(); setFileError(null) }}>{t.clear}</button>
          <span className="muted">{t.drop}</span>
          <label className="button-like secondary">{t.choose}
            <input type="file" accept=".txt,.log,.csv,.json,text/*" className="visually-hidden" onChange={(e) => void takeFile(e.target.files?.[0])} data-testid="paste-file" />
          </label>
        </div>
      </div>
      <div className="progress-slot">{busy && <ProgressBar label={t.busy} value={null} />}</div>
      {(error || fileError) && <p role="alert" className="error">{error === 'empty' ? t.empty : error ?? fileError}</p>}
      <div aria-live="polite">
        {result && (
          <div className="card" data-testid="paste-result">
            <h2>{t.kind}</h2>
            <p data-testid="paste-kind" data-kind={result.kind}>{t.kinds[result.kind] ?? result.kind}</p>
            <h2>{t.facts}</h2>
            {Object.keys(result.facts).length === 0 ? <p className="muted">{t.none}</p>
              : Object.entries(result.facts).map(([k, v]) => <div key={k}><h3>{k}</h3><FactView name={k} value={v} /></div>)}
            <h2>{t.findings}</h2>
            {result.findings.length === 0 ? <p className="muted">{t.none}</p>
              : <ul>{result.findings.map((f, i) => <li key={i}><strong>{f.title}</strong> <StatusTag tone={toneOf(f.severity)}>{strings.diagnosis.severity[f.severity] ?? f.severity}</StatusTag><br />{f.detail}</li>)}</ul>}
            <h2>{t.warnings}</h2>
            {result.warnings.length === 0 ? <p className="muted">{t.none}</p> : <ul data-testid="paste-warnings">{result.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul>}
          </div>
        )}
      </div>
    </section>
  )
}
