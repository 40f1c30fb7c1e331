/**
 * Diagnosis: type or paste an error code, drop or paste a log; the app combines them with the chosen
 * machine's facts and logs and lists the likely causes, most likely first. Each finding shows its causes,
 * the remedies in order (with commands), its evidence (expandable), and a button for the repair the app
 * can run, which opens the Fix step.
 */
import { useEffect, useEffectEvent, useState, type DragEvent } from 'react'
import { strings } from '../strings.ts'
import { diagnosisStore, useDiagnosis, useMachine } from '../stores/index.ts'
import { useRouteParam, navigate } from '../router.ts'
import { decodeTextBytes } from '../text-decode.ts'
import { getApi } from '../bridge/api.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { flowOrder } from '../flow.ts'
import { registeredScreens } from '../screen-registry.ts'
import { topRisk, type Finding, type Remedy } from '../../../preload/model/diagnosis.ts'
import { REPAIR_RUNNER_IDS } from '../../../preload/model/repair.ts'
import { repairStrings } from '../components/repair-strings.ts'
import { CommandBlock } from '../components/command-block.tsx'
import { StatusTag, toneOf } from '../components/status-tag.tsx'
import { PlainText } from '../components/plain-text.tsx'
import { splitTechnical } from '../../../preload/model/technical-words.ts'
import { withContentKeys } from '../components/list-keys.ts'

const MAX_BYTES = 50_000_000
/** Files up to this size are read into the text box; larger ones, in the app, are read by main from their path. */
const SHOW_MAX_BYTES = 1_000_000

/**
 * The screen that runs a repair: main/repair's own Fix-it screen, the Recovery screen for WinRE, the Install
 * screen for an update. A repair id with no such screen gets no working button (null), never another page.
 */
function fixScreenFor(repair: string): { id: string } | null {
  // Repairs main/repair runs have their own Fix-it screen (confirmation, progress per step, proof).
  const screens = registeredScreens()
  if ((REPAIR_RUNNER_IDS as readonly string[]).includes(repair)) return screens.find((s) => s.id === 'repair') ?? null
  const fixes = flowOrder(screens).filter((s) => s.step === 3)
  if (repair.startsWith('winre-')) return fixes.find((s) => s.id === 'recovery') ?? null
  if (repair === 'install-checkpoint' || repair === 'install-update')
    return fixes.find((s) => s.id === 'install') ?? null
  return null
}

/** The one update a finding is about (computed by the diagnosis, `kbs`), to plan on the Install screen. */
function kbOf(f: Finding): string | null {
  return f.kbs?.length === 1 ? f.kbs[0]! : null
}

function RepairButton({ repair, kb }: { repair: string; kb?: string | null }) {
  const t = strings.diagnosis
  const fix = fixScreenFor(repair)
  const label = t.repairs[repair] ?? repairStrings.labels[repair] ?? repair
  return (
    <button
      type="button"
      className="repair"
      disabled={!fix}
      title={fix ? undefined : t.noFixStep}
      onClick={() => {
        if (fix) navigate(fix.id, kb && repair === 'install-update' ? { repair, kb } : { repair })
      }}
      data-testid={`repair-${repair}`}
    >
      {t.runRepair(label)}
    </button>
  )
}

/** Each remedy's risk and when its destructive steps are safe, in plain words (main/knowledge/remedy-steps.ts). */
function RemedyRisk({ r }: { r: Remedy }) {
  const t = strings.diagnosis
  const steps = r.steps ?? []
  if (!steps.length && !r.withheld?.length) return null
  const top = topRisk(steps) ?? 'read-only'
  return (
    <div className="remedy-risk" data-testid={`risk-${r.id}`} data-risk={top}>
      {top !== 'destructive' && steps.length > 0 && <p className="muted">{t.risk[top]}</p>}
      {steps
        .filter((s) => s.risk === 'destructive')
        .map((s) => (
          <div key={s.kind} className="remedy-destructive">
            <StatusTag tone="warn">{t.risk.destructive}</StatusTag>{' '}
            <PlainText
              text={`${t.destructiveStep(s.intent, s.when)}${s.undoes ? ` ${t.undoes(s.undoes, s.undo)}` : ''}`}
              fallback={t.destructiveFallback}
            />
          </div>
        ))}
      {(r.withheld ?? []).map((s) => (
        <PlainText
          as="div"
          key={s.kind}
          className="muted"
          text={t.withheld(s.intent, s.when)}
          fallback={t.withheldFallback}
          testId={`withheld-${r.id}-${s.kind}`}
        />
      ))}
    </div>
  )
}

/**
 * "Why": each reason in plain words, its identifiers behind a disclosure; a reason with no plain sentence at all (a
 * log line, a constant) is not a bullet of its own with a stand-in sentence, but one more line of the technical
 * details under the plain ones. The knowledge gives every finding at least one plain reason
 * (test/unit/knowledge/plain-why.test.ts).
 */
function Causes({ causes, id }: { causes: readonly string[]; id: string }) {
  const t = strings.diagnosis
  const plain = causes.filter((c) => splitTechnical(c, '').plain.trim())
  const technical = causes.filter((c) => !splitTechnical(c, '').plain.trim())
  return (
    <>
      <h4>{t.causes}</h4>
      <ul data-testid={`causes-${id}`}>
        {plain.map((c) => (
          <li key={c}>
            <PlainText text={c} />
          </li>
        ))}
      </ul>
      {technical.length > 0 && (
        <details className="technical-details" data-testid={`causes-technical-${id}`}>
          <summary>{t.moreCauses(technical.length)}</summary>
          <ul className="mono technical">
            {technical.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </details>
      )}
    </>
  )
}

function FindingCard({ f, rank }: { f: Finding; rank: number }) {
  const t = strings.diagnosis
  return (
    <li
      className={`card finding severity-${f.severity}`}
      data-testid={`finding-${f.id}`}
      data-severity={f.severity}
      data-state={f.state ?? 'current'}
      data-repair={f.repair ?? ''}
    >
      <h3>
        <span className="visually-hidden">{t.rank(rank)} </span>
        <StatusTag tone={toneOf(f.severity)}>{t.severity[f.severity] ?? f.severity}</StatusTag> {f.title}
      </h3>
      {/* Error constants, package names and codes: behind a disclosure, plain words in front. */}
      <details className="technical-details" data-testid={`technical-${f.id}`}>
        <summary>{t.technicalDetails}</summary>
        <p className="mono technical">{f.technical}</p>
      </details>
      <p className="muted">{t.confidence(Math.round(f.confidence * 100))}</p>
      {f.causes.length > 0 && <Causes causes={f.causes} id={f.id} />}
      {f.remedies.length > 0 && (
        <>
          <h4>{t.remedies}</h4>
          <ol>
            {f.remedies.map((r) => (
              <li key={r.id}>
                <strong>{r.title}</strong>
                {!r.verified && <StatusTag tone="warn">{t.unverified}</StatusTag>}
                <PlainText as="div" text={r.text} />
                {r.commands.length > 0 && <CommandBlock command={r.commands} label={`${t.commands}: ${r.title}`} />}
                {r.fillIn && r.fillIn.length > 0 && (
                  <div className="fill-in" data-testid={`fill-in-${r.id}`}>
                    <p className="muted">{t.fillIn}</p>
                    <ul>
                      {withContentKeys(r.fillIn).map(([key, c]) => (
                        <li key={key}>
                          <code className="mono">{c}</code>
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                <RemedyRisk r={r} />
              </li>
            ))}
          </ol>
        </>
      )}
      {f.repair && (
        <div className="row">
          <RepairButton repair={f.repair} kb={kbOf(f)} />
        </div>
      )}
      {f.evidence.length > 0 && (
        <details data-testid={`evidence-${f.id}`}>
          <summary>{t.evidence(f.evidence.length)}</summary>
          <ul className="evidence">
            {withContentKeys(f.evidence).map(([key, e]) => (
              <li key={key}>
                <div className="muted">{e.source}</div>
                <pre className="mono" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {e.excerpt}
                </pre>
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  )
}

export function DiagnosisScreen() {
  const t = strings.diagnosis
  const routeCode = useRouteParam('code')
  const machine = useMachine((s) => s.machine)
  const code = useDiagnosis((s) => s.code)
  const text = useDiagnosis((s) => s.text)
  const textName = useDiagnosis((s) => s.textName)
  const busy = useDiagnosis((s) => s.busy)
  const asked = useDiagnosis((s) => s.result)
  // With a machine chosen and nothing typed or pasted, the machine's verdict is shown at once: the same
  // one the Overview's tiles and the CLI render; Diagnose is for a code or a log to add.
  const verdict = useMachine((s) => s.verdict)
  const result = asked ?? (machine && !code.trim() && !text.trim() && !textName ? verdict : null)
  const explanation = useDiagnosis((s) => s.explanation)
  const error = useDiagnosis((s) => s.error)
  const [dragging, setDragging] = useState(false)
  const [fileError, setFileError] = useState<string | null>(null)
  const st = diagnosisStore.getState()

  // A link such as #/diagnosis?code=0x800F0922 (from the update history) fills in the code and runs.
  // Run on the machine chosen now, when the link changes (choosing another machine does not run it again).
  const runOnMachine = useEffectEvent(() => {
    void diagnosisStore.getState().run(machine)
  })
  useEffect(() => {
    if (routeCode && routeCode !== diagnosisStore.getState().code) {
      diagnosisStore.getState().setCode(routeCode)
      runOnMachine()
    }
  }, [routeCode])

  const takeFile = async (file: File | undefined) => {
    if (!file) return
    // In the app, a large log goes to main as a token for its path: main streams a CBS or DISM log of any
    // size, as `diagnose --log` does; the page never holds it. Small files (and the preview: no paths) are shown.
    const token = file.size > SHOW_MAX_BYTES ? await getApi().fileToken?.(file) : null
    if (token) {
      setFileError(null)
      st.setFile(token, file.name)
      return
    }
    if (file.size > MAX_BYTES) {
      setFileError(t.tooBig)
      return
    }
    setFileError(null)
    st.setText(decodeTextBytes(new Uint8Array(await file.arrayBuffer())), file.name)
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    void takeFile(e.dataTransfer.files?.[0])
  }

  return (
    <section aria-labelledby="diagnosis-title" className="screen">
      <h1 id="diagnosis-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      <p className="muted" data-testid="diagnosis-scope">
        {machine ? t.withMachine : t.withoutMachine}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void diagnosisStore.getState().run(machine)
        }}
      >
        <label htmlFor="diagnosis-code">{t.codeLabel}</label>
        <input
          id="diagnosis-code"
          className="mono"
          type="text"
          value={code}
          autoComplete="off"
          spellCheck={false}
          placeholder="0x800F0922"
          aria-describedby="diagnosis-code-hint"
          onChange={(e) => st.setCode(e.target.value)}
          data-testid="diagnosis-code"
        />
        <p id="diagnosis-code-hint" className="muted">
          {t.codeHint}
        </p>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for dragged files only; the text box and the file chooser inside are the keyboard's way in */}
        <div
          className={dragging ? 'drop-zone dragging' : 'drop-zone'}
          onDragOver={(e) => {
            e.preventDefault()
            setDragging(true)
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="diagnosis-drop"
        >
          <label htmlFor="diagnosis-text">{t.textLabel}</label>
          <textarea
            id="diagnosis-text"
            className="mono"
            rows={6}
            spellCheck={false}
            value={text}
            onChange={(e) => st.setText(e.target.value)}
            data-testid="diagnosis-text"
          />
          <div className="row">
            <span className="muted">{textName ? t.loaded(textName) : t.drop}</span>
            <label className="button-like secondary">
              {t.choose}
              <input
                type="file"
                accept=".txt,.log,text/*"
                className="visually-hidden"
                onChange={(e) => void takeFile(e.target.files?.[0])}
                data-testid="diagnosis-file"
              />
            </label>
          </div>
        </div>
        <div className="row">
          <button type="submit" disabled={busy} data-testid="diagnosis-run">
            {t.run}
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
        </div>
      </form>
      <div className="progress-slot">{busy && <ProgressBar label={t.busy} value={null} />}</div>
      {(error || fileError) && (
        <p role="alert" className="error">
          {error === 'empty' ? t.empty : (error ?? fileError)}
        </p>
      )}
      <div aria-live="polite">
        {explanation && (
          <div className="card" data-testid="diagnosis-explanation">
            <h2>{t.codeTitle(explanation.code)}</h2>
            <p>
              <strong>{explanation.name ?? (explanation.known ? t.unnamed : t.unknown)}</strong>
              {explanation.component && <> — {explanation.component}</>}
            </p>
            <p>{explanation.meaning}</p>
            {!explanation.verified && <p className="muted">{t.unverifiedCode}</p>}
          </div>
        )}
        {result && (
          <>
            <h2>{t.findings}</h2>
            {result.findings.filter((f) => f.state !== 'past').length === 0 ? (
              <p data-testid="diagnosis-none">{t.none}</p>
            ) : (
              <ol className="findings" data-testid="diagnosis-findings">
                {withContentKeys(
                  result.findings.filter((f) => f.state !== 'past'),
                  (f) => f.id,
                ).map(([key, f], i) => (
                  <FindingCard key={key} f={f} rank={i + 1} />
                ))}
              </ol>
            )}
            {/* Past findings: history, never a problem — no severity tag, no Fix it. */}
            {result.findings.some((f) => f.state === 'past') && (
              <>
                <h3>{strings.proof.resolved}</h3>
                <ul data-testid="diagnosis-history">
                  {result.findings
                    .filter((f) => f.state === 'past')
                    .map((f) => (
                      <li key={f.id} data-finding={f.id} data-state="past">
                        {strings.proof.resolvedBy(f.title, f.resolvedBy ?? '…')}
                      </li>
                    ))}
                </ul>
              </>
            )}
            {result.notes.length > 0 && (
              <ul className="muted" data-testid="diagnosis-notes">
                {withContentKeys(result.notes).map(([key, n]) => (
                  <li key={key}>{n}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </section>
  )
}
