/**
 * A run's end screen: what to do next, as buttons. Taken from the PC as it is now — the
 * fresh diagnosis the app made by itself after the run (look-again.ts) and, for a repair whose next step is an
 * update, the update its definition names from the fresh scan (`ManualStep.kb`) — never a command line to copy.
 * While the app is still looking, it says so; when nothing is left to do, it says that.
 */
import { navigate } from '../router.ts'
import { useMachine } from '../stores/index.ts'
import type { Finding } from '../../../preload/model/diagnosis.ts'
import { REPAIR_RUNNER_IDS } from '../../../preload/model/repair.ts'
import { ProgressBar } from './progress-bar.tsx'

export const nextStrings = {
  title: 'Next step',
  looking: 'Looking at the PC again…',
  nothing: 'The PC was checked again: nothing else needs fixing.',
  install: (kb: string) => `Install ${kb}`,
  fix: (what: string) => `Fix it: ${what}`,
  overview: 'See the PC’s overview',
}

/** The screen that runs a repair (the same mapping as the diagnosis' Fix-it buttons). */
function screenFor(repair: string): string | null {
  if ((REPAIR_RUNNER_IDS as readonly string[]).includes(repair)) return 'repair'
  if (repair.startsWith('winre-')) return 'recovery'
  if (repair === 'install-checkpoint' || repair === 'install-update') return 'install'
  return null
}

interface NextAction {
  key: string
  label: string
  go: () => void
}

/** The actions, most likely first: updates to install, then the repairs the fresh findings offer. Pure. */
export function nextActions(findings: readonly Finding[], installs: readonly string[]): NextAction[] {
  const out: NextAction[] = []
  const seen = new Set<string>()
  const add = (a: NextAction) => {
    if (!seen.has(a.key)) {
      seen.add(a.key)
      out.push(a)
    }
  }
  for (const kb of installs)
    add({
      key: `install-${kb}`,
      label: nextStrings.install(kb),
      go: () => navigate('install', { repair: 'install-update', kb }),
    })
  for (const f of findings) {
    // A finding the diagnosis marks as past (resolved since) is history, not a next step.
    if ((f as unknown as { state?: string }).state === 'past' || f.severity === 'info' || !f.repair) continue
    const screen = screenFor(f.repair)
    if (!screen) continue
    const kb = f.kbs?.length === 1 ? f.kbs[0]! : null
    if ((f.repair === 'install-update' || f.repair === 'install-checkpoint') && kb) {
      add({
        key: `install-${kb}`,
        label: nextStrings.install(kb),
        go: () => navigate('install', { repair: f.repair!, kb }),
      })
    } else {
      add({
        key: `repair-${f.repair}`,
        label: nextStrings.fix(f.title),
        go: () => navigate(screen, { repair: f.repair! }),
      })
    }
  }
  return out
}

export function NextSteps({ installs = [] }: { installs?: readonly string[] }) {
  const scanning = useMachine((s) => s.scanning)
  const findings = useMachine((s) => s.findings)
  const looking = scanning || findings === null
  const actions = looking ? [] : nextActions(findings, installs)
  return (
    <section
      aria-labelledby="next-steps-title"
      data-testid="next-steps"
      data-state={looking ? 'looking' : actions.length ? 'actions' : 'nothing'}
    >
      <h3 id="next-steps-title">{nextStrings.title}</h3>
      {looking && (
        <div className="progress-slot">
          <ProgressBar label={nextStrings.looking} value={null} />
        </div>
      )}
      {!looking && actions.length === 0 && <p data-testid="next-steps-nothing">{nextStrings.nothing}</p>}
      {!looking && (
        <div className="row">
          {actions.map((a) => (
            <button type="button" key={a.key} onClick={a.go} data-testid={`next-${a.key}`}>
              {a.label}
            </button>
          ))}
          <button type="button" className="secondary" onClick={() => navigate('overview')} data-testid="next-overview">
            {nextStrings.overview}
          </button>
        </div>
      )}
    </section>
  )
}
