/**
 * Fix it (repairs run by main/repair: restart, restore-health): the repair the diagnosis offered, its
 * steps with their exact commands, a confirmation, a progress bar per step while it runs, and the proof
 * (verified or not, each step's outcome, what to do by hand if needed, what to do next). For a snapshot
 * (read-only) the repair is offered as a PowerShell script to save, never a button that cannot work.
 * Opened from a finding's Fix-it button: `#/repair?repair=<id>`.
 */
import { useEffect } from 'react'
import { useThisPcForResume } from '../resume-route.ts'
import { useMachine } from '../stores/index.ts'
import { useRouteParam, navigate } from '../router.ts'
import { repairStore, useRepair } from '../stores/repair-store.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { CommandBlock } from '../components/command-block.tsx'
import { RepairSteps } from '../components/repair-steps.tsx'
import { repairStrings as t } from '../components/repair-strings.ts'
import { RepairIdSchema } from '../../../preload/model/diagnosis.ts'
import { useLookAgainAfter } from '../stores/look-again.ts'
import { NextSteps } from '../components/next-steps.tsx'
import { ChooseMachine } from '../components/choose-machine.tsx'
import { strings } from '../strings.ts'
import { PcPlanCard } from '../components/pc-plan-card.tsx'
import { withContentKeys } from '../components/list-keys.ts'

const capitalized = (s: string | undefined) => (s ? s[0]!.toUpperCase() + s.slice(1) : undefined)

export function RepairScreen() {
  const machine = useMachine((s) => s.machine)
  const param = useRouteParam('repair')
  const repairId = RepairIdSchema.safeParse(param).success ? RepairIdSchema.parse(param) : null
  const s = useRepair((x) => x)
  const st = repairStore.getState()

  useEffect(() => {
    const now = repairStore.getState()
    if (machine && (JSON.stringify(machine) !== JSON.stringify(now.machine) || repairId !== now.repairId))
      void now.load(machine, repairId)
  }, [machine, repairId])

  const offer = s.offers?.offers.find((o) => o.repairId === repairId) ?? null
  // After a Windows restart the app opens here with `#/repair?repair=<id>&resume=1` (main/app/resume-args.ts,
  // from the RunOnce entry) on this PC: the screen shows the unfinished run of that repair — what was done and
  // what remains — and runs nothing until the person presses Continue (a resumed repair is never
  // confirmed by the app on its own). Continue finishes it through the same call as the run button.
  const routeResume = useRouteParam('resume')
  useThisPcForResume(routeResume, machine)
  const resumeHere = routeResume === '1' && !!repairId && machine?.kind === 'this-pc' && !!offer?.unfinished && !s.run
  const continueResumed = () => {
    if (!repairId) return
    navigate('repair', { repair: repairId })
    st.acknowledge(true)
    void st.confirmAndRun()
  }
  const steps = s.run?.steps ?? offer?.steps ?? []
  const elsewhere = s.offers?.elsewhere ?? []
  const openElsewhere = (e: (typeof elsewhere)[number]) => {
    if (e.repairId.startsWith('winre-')) navigate('recovery', { repair: e.repairId })
    else navigate('install', e.kb ? { repair: e.repairId, kb: e.kb } : { repair: e.repairId })
  }
  // The run changed the PC: every screen shows the new state without "Check again".
  useLookAgainAfter(
    s.run ? s.machine : null,
    s.run ? `${s.run.runId}:${s.run.status}:${s.run.verification?.checkedAt ?? ''}` : null,
  )
  const nextByHand = s.run?.next.filter((m) => !m.kb) ?? []
  const nextInstalls = s.run?.next.flatMap((m) => (m.kb ? [m.kb] : [])) ?? []
  return (
    <section aria-labelledby="repair-title" className="screen" data-testid="repair-screen" data-repair={repairId ?? ''}>
      <h1 id="repair-title">
        {repairId ? t.title(offer?.title ?? s.run?.journal.plan.title ?? repairId) : t.listTitle}
      </h1>
      {!machine && <ChooseMachine then="repair" repair={repairId} testId="repair-no-machine" />}
      {s.error && (
        <p role="alert" className="error" data-testid="repair-error">
          {s.error}
        </p>
      )}
      <div className="progress-slot">{s.loading && <ProgressBar label={t.loading} value={null} />}</div>
      {machine && s.offers && repairId && !offer && !s.run && (
        <>
          <p data-testid="repair-not-offered">
            {t.notOffered(t.labels[repairId] ?? strings.diagnosis.repairs[repairId] ?? t.listTitle)}
          </p>
          <button type="button" className="secondary" onClick={() => navigate('repair')} data-testid="repair-see-all">
            {t.seeAll}
          </button>
        </>
      )}
      {/* The first offer on Fix it: the plan for the whole PC; the single repairs below are its parts. */}
      {machine && !repairId && <PcPlanCard machine={machine} />}
      {machine &&
        s.offers &&
        !repairId &&
        (s.offers.offers.length === 0 && elsewhere.length === 0 ? (
          <p data-testid="repair-none">{t.none}</p>
        ) : (
          <ul data-testid="repair-list">
            {s.offers.offers.map((o) => (
              <li key={o.repairId} data-offer={o.repairId}>
                <button
                  type="button"
                  onClick={() => navigate('repair', { repair: o.repairId })}
                  data-testid={`repair-open-${o.repairId}`}
                >
                  {t.title(o.title)}
                </button>{' '}
                <span className="muted">{o.reason}</span>
              </li>
            ))}
            {/* Installs and the WinRE repair run from their own screens: offered here too, each starting its flow. */}
            {elsewhere.map((e) => (
              <li key={`${e.repairId}-${e.kb ?? ''}`} data-offer={e.repairId} data-kb={e.kb ?? ''}>
                <button
                  type="button"
                  onClick={() => openElsewhere(e)}
                  data-testid={`repair-open-${e.repairId}${e.kb ? `-${e.kb}` : ''}`}
                >
                  {t.title(
                    e.repairId.startsWith('winre-')
                      ? (capitalized(strings.diagnosis.repairs[e.repairId]) ?? t.elsewhereWinre)
                      : t.elsewhereInstall(e.kb ?? null),
                  )}
                </button>{' '}
                <span className="muted">{e.title}</span>
              </li>
            ))}
          </ul>
        ))}

      {(offer || s.run) && (
        <div aria-live="polite">
          {offer && (
            <>
              <p className="lead">{offer.summary}</p>
              <p>
                <strong>{t.why}:</strong> {offer.reason}
              </p>
              {offer.risk && (
                <p className="card" data-testid="repair-risk" data-risk={offer.risk.risk}>
                  {strings.diagnosis.destructiveStep(offer.risk.intent, offer.risk.when)}
                  {offer.risk.undoes ? ` ${strings.diagnosis.undoes(offer.risk.undoes, offer.risk.undo)}` : ''}
                </p>
              )}
              {offer.unfinished && (
                <p className="card" data-testid="repair-unfinished">
                  {t.unfinished} {offer.unfinished.message}
                </p>
              )}
              {offer.warnings.length > 0 && (
                <>
                  <h2>{t.warnings}</h2>
                  <ul data-testid="repair-warnings">
                    {withContentKeys(offer.warnings).map(([key, w]) => (
                      <li key={key}>{w}</li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
          <h2>{s.offers?.readOnly && !s.run ? t.stepsOnThatPc(s.offers.machineName) : t.steps}</h2>
          <RepairSteps
            steps={steps}
            progress={s.steps}
            results={s.run?.results ?? offer?.unfinished?.results ?? []}
            active={s.running}
          />
          {s.running && <ProgressBar label={t.running} value={s.fraction} />}

          {offer && !s.run && s.offers?.readOnly && (
            <div className="card" data-testid="repair-readonly">
              <p>{t.readOnly}</p>
              <div className="row">
                <button type="button" onClick={() => void st.saveScript()} data-testid="repair-save-script">
                  {t.saveScript}
                </button>
              </div>
              {s.script &&
                (s.script.savedTo ? (
                  <p data-testid="repair-script-saved">{t.savedTo(s.script.savedTo)}</p>
                ) : (
                  <>
                    <p>{t.scriptShown(s.script.fileName)}</p>
                    <CommandBlock command={s.script.content} label={s.script.fileName} shell="powershell" />
                  </>
                ))}
            </div>
          )}
          {resumeHere && offer?.unfinished && (
            <div className="confirm" data-testid="repair-resume">
              <p>{t.resumeAsk(offer.unfinished.done, offer.unfinished.total)}</p>
              <div className="row">
                <button type="button" disabled={s.running} onClick={continueResumed} data-testid="repair-continue">
                  {t.continue}
                </button>
              </div>
            </div>
          )}
          {offer && !s.run && !s.offers?.readOnly && !offer.refused && !resumeHere && (
            <div className="confirm">
              <label>
                <input
                  type="checkbox"
                  checked={s.acknowledged}
                  disabled={s.running}
                  onChange={(e) => st.acknowledge(e.target.checked)}
                  data-testid="repair-acknowledge"
                />{' '}
                {t.acknowledge}
              </label>
              <div className="row">
                <button
                  type="button"
                  disabled={!s.acknowledged || s.running}
                  onClick={() => void st.confirmAndRun()}
                  data-testid="repair-confirm"
                >
                  {t.run(offer.steps.length)}
                </button>
              </div>
            </div>
          )}
          {offer?.refused && (
            <p className="error" role="alert" data-testid="repair-refused">
              {offer.refused}
            </p>
          )}

          {s.run && (
            <section
              className="card"
              data-testid="repair-proof"
              data-verified={s.run.verified ? 'yes' : 'no'}
              data-status={s.run.status}
            >
              <h2>{t.proofTitle(s.run.verified)}</h2>
              <p>
                {t.status[s.run.status] ?? s.run.status}
                {s.run.verification ? ` — ${s.run.verification.detail}` : ''}
              </p>
              {s.run.manual.length > 0 && (
                <>
                  <h3>{t.manual}</h3>
                  <ul>
                    {withContentKeys(s.run.manual).map(([key, m]) => (
                      <li key={key}>
                        <strong>{m.title}</strong> — {m.detail}
                        <CommandBlock command={m.commands} label={m.title} />
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {nextByHand.length > 0 && (
                <>
                  <h3>{t.next}</h3>
                  <ul data-testid="repair-next">
                    {withContentKeys(nextByHand).map(([key, m]) => (
                      <li key={key}>
                        <strong>{m.title}</strong> — {m.detail}
                        <CommandBlock command={m.commands} label={m.title} />
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <NextSteps installs={nextInstalls} />
            </section>
          )}
        </div>
      )}
    </section>
  )
}
