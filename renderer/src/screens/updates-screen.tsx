/**
 * Updates: search the Catalog, see the update chain for this PC's native architecture (checkpoint →
 * target, as the download dialog lists it since 24H2), download with a progress bar per file, and
 * export a repair kit for a PC with no network.
 */
import { useEffect } from 'react'
import { useMachine } from '../stores/index.ts'
import { updatesStore, useUpdates } from '../stores/updates-store.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import type { MachineArch } from '../../../preload/model/common.ts'
import type { ChainFile, DownloadProgress } from '../../../preload/model/catalog.ts'
import { withContentKeys } from '../components/list-keys.ts'

export const updatesStrings = {
  nav: 'Updates',
  title: 'Updates from the Catalog',
  /** Which Catalog a machine's searches use: a training machine (and the preview) uses the local training Catalog. */
  source: {
    training: 'Training Catalog — local, synthetic packages for rehearsal; not the Microsoft Update Catalog.',
    microsoft: 'Microsoft Update Catalog (catalog.update.microsoft.com).',
  } as Record<string, string>,
  intro:
    "Find the update, see which files it needs on this PC's architecture and in which order, download them verified, or put them in a repair kit for a PC with no network.",
  query: 'KB number or title words',
  arch: 'Architecture',
  search: 'Search',
  noResults: (q: string) => `No updates found for "${q}".`,
  chainOf: 'Show files',
  chainTitle: (kb: string, arch: string) => `What ${kb} needs on ${arch}, in order`,
  download: 'Download and verify',
  outDir: 'Kit folder',
  chooseFolder: 'Choose folder…',
  noFolder: 'none chosen',
  exportKit: 'Export repair kit',
  kitDone: (dir: string, n: number) =>
    `Kit written to ${dir}: ${n} file(s), manifest.json, PLAN.md and Install-Kit.ps1.`,
  verified: 'verified (SHA-1 + SHA-256)',
  fromCache: 'from the cache',
  role: { checkpoint: 'checkpoint', target: 'target', other: 'other' } as Record<string, string>,
  state: {
    queued: 'queued',
    'hashing-partial': 'checking the partial download',
    downloading: 'downloading',
    waiting: 'waiting for another window',
    verifying: 'verifying',
    verified: 'verified',
    cached: 'already downloaded',
    failed: 'failed',
  } as Record<string, string>,
}

const t = updatesStrings
const ARCHES: MachineArch[] = ['x64', 'arm64', 'x86', 'arm']

function FileProgress({ file, p }: { file: ChainFile; p: DownloadProgress | undefined }) {
  if (!p) return null
  const value = p.bytesTotal ? p.bytesDone / p.bytesTotal : p.state === 'verified' || p.state === 'cached' ? 1 : null
  const rate = p.bytesPerSecond ? ` · ${(p.bytesPerSecond / 1024 / 1024).toFixed(1)} MB/s` : ''
  const eta = p.etaSeconds ? ` · ${Math.ceil(p.etaSeconds)} s left` : ''
  return (
    <div data-testid={`progress-${file.kb}`} data-state={p.state}>
      <ProgressBar label={`${file.fileName}: ${t.state[p.state] ?? p.state}`} value={value} />
      <span className="muted">
        {t.state[p.state] ?? p.state}
        {rate}
        {eta}
        {p.error ? ` — ${p.error}` : ''}
        {p.detail ? ` — ${p.detail}` : ''}
      </span>
    </div>
  )
}

export function UpdatesScreen() {
  const machine = useMachine((s) => s.machine)
  const snapshot = useMachine((s) => s.snapshot)
  const s = useUpdates((x) => x)
  const nativeArch = snapshot?.os.status === 'known' ? snapshot.os.value.nativeArch : null

  useEffect(() => {
    updatesStore.getState().setMachine(machine, nativeArch)
  }, [machine, nativeArch])

  return (
    <section aria-labelledby="updates-title" className="screen">
      <h1 id="updates-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      {(() => {
        const source = s.result?.catalog ?? s.chain?.catalog ?? (machine?.kind === 'training' ? 'training' : null)
        return source ? (
          <p className="muted" data-testid="updates-catalog" data-catalog={source}>
            {t.source[source]}
          </p>
        ) : null
      })()}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          void s.search()
        }}
        data-testid="updates-search"
      >
        <label>
          {t.query}{' '}
          <input
            value={s.query}
            onChange={(e) => s.setQuery(e.target.value)}
            data-testid="updates-query"
            placeholder="KB5086672"
          />
        </label>
        <label>
          {t.arch}{' '}
          <select value={s.arch} onChange={(e) => s.setArch(e.target.value as MachineArch)} data-testid="updates-arch">
            {ARCHES.map((a) => (
              <option key={a} value={a}>
                {a}
                {a === nativeArch ? ' (this PC)' : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={s.busy !== null} data-testid="updates-search-button">
          {t.search}
        </button>
      </form>
      <div className="progress-slot">
        {(s.busy === 'search' || s.busy === 'chain') && <ProgressBar label={s.busy} value={null} />}
      </div>
      {s.error && (
        <p role="alert" className="error" data-testid="updates-error">
          {s.error}
        </p>
      )}
      {s.result &&
        (s.result.updates.length === 0 ? (
          <p data-testid="updates-none">{t.noResults(s.result.query)}</p>
        ) : (
          <ul className="results" style={{ listStyle: 'none', paddingLeft: 0 }} data-testid="updates-results">
            {s.result.updates.map((u) => (
              <li key={u.updateId} className="card" data-testid={`update-${u.updateId}`}>
                <strong>{u.title}</strong> <span className="tag">{u.arch ?? '?'}</span>{' '}
                <span className="muted">
                  {u.lastUpdated} · {u.sizeText} · {u.classification}
                </span>
                {u.kb && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={s.busy !== null}
                    onClick={() => void s.showChain(u.kb as string)}
                    data-testid={`chain-${u.kb}`}
                  >
                    {t.chainOf}
                  </button>
                )}
              </li>
            ))}
          </ul>
        ))}
      {s.chain && (
        <section aria-labelledby="updates-chain-title" className="card" data-testid="updates-chain">
          <h2 id="updates-chain-title">{t.chainTitle(s.chain.targetKb, s.chain.arch)}</h2>
          <ol className="chain" aria-label={t.chainTitle(s.chain.targetKb, s.chain.arch)}>
            {s.chain.files.map((f, i) => {
              const v = s.verified?.find((x) => x.fileName === f.fileName)
              return (
                <li key={f.fileName} data-testid={`chain-file-${f.kb}`} data-role={f.role} data-order={f.order}>
                  <span className="tag">{t.role[f.role] ?? f.role}</span> <strong>{f.kb}</strong>
                  {i < s.chain!.files.length - 1 ? ' →' : ''}
                  <div className="mono" style={{ overflowWrap: 'anywhere' }}>
                    {f.fileName}
                  </div>
                  <div className="muted">{f.reason}</div>
                  <FileProgress file={f} p={s.progress[f.fileName]} />
                  {v && (
                    <div data-testid={`verified-${f.kb}`}>
                      {t.verified}
                      {v.fromCache ? ` · ${t.fromCache}` : ''} ·{' '}
                      {v.signature.status === 'valid' ? `signed by ${v.signature.signer}` : v.signature.reason}
                    </div>
                  )}
                </li>
              )
            })}
          </ol>
          {s.chain.notes.length > 0 && (
            <ul className="muted">
              {withContentKeys(s.chain.notes).map(([key, n]) => (
                <li key={key}>{n}</li>
              ))}
            </ul>
          )}
          <div className="row">
            <button
              type="button"
              disabled={s.busy !== null}
              onClick={() => void s.download()}
              data-testid="updates-download"
            >
              {t.download}
            </button>
          </div>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault()
              void s.exportKit()
            }}
          >
            <span>
              {t.outDir}: <span data-testid="updates-outdir">{s.outFolder?.label ?? t.noFolder}</span>
            </span>
            <button
              type="button"
              disabled={s.busy !== null}
              onClick={() => void s.chooseOutFolder()}
              data-testid="updates-choose-outdir"
            >
              {t.chooseFolder}
            </button>
            <button type="submit" disabled={s.busy !== null} data-testid="updates-export">
              {t.exportKit}
            </button>
          </form>
          {s.kit && <p data-testid="updates-kit-done">{t.kitDone(s.kit.dir, s.kit.manifest.files.length)}</p>}
        </section>
      )}
    </section>
  )
}
