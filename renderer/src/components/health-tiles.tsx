/**
 * The health tiles (packages, restart, space, services, WinRE, Secure Boot, the latest update). Each tile has a
 * fixed height, so nothing jumps while a scan runs: a tile waiting for the verdict says so in the same space.
 * A tile's level is the highest current finding of its area in the machine's verdict: the tiles wait
 * for it, and show the snapshot's own checks only when the diagnosis could not run.
 */
import { assessHealth, type HealthCheck } from '../../../preload/model/health.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { HealthFinding } from '../../../preload/model/health.ts'
import { strings } from '../strings.ts'

const order = ['packages', 'restart', 'space', 'services', 'winre', 'boot', 'failures'] as const
const icon: Record<string, string> = { ok: '✓', warn: '!', bad: '✕', unknown: '?' }

/**
 * `findings`: the machine's verdict (null while it is computed); `verdictFailed`: the diagnosis could not run, so the
 * snapshot's own checks are all there is.
 */
export function HealthTiles({
  snapshot,
  findings,
  verdictFailed = false,
}: {
  snapshot: MachineSnapshot | null
  findings?: readonly HealthFinding[] | null
  verdictFailed?: boolean
}) {
  // The machine's verdict decides: findings with states; a past one is a sentence, never a problem.
  const checks =
    snapshot && findings
      ? assessHealth(snapshot, strings.health.words, findings, { verdict: true })
      : snapshot && verdictFailed
        ? assessHealth(snapshot, strings.health.words)
        : null
  const t = strings.health
  return (
    <section aria-labelledby="health-title">
      <h2 id="health-title">{strings.overview.tiles}</h2>
      <ul className="tiles">
        {order.map((id) => {
          const c: HealthCheck | undefined = checks?.find((x) => x.id === id)
          const [plain, technical] = t.names[id]
          const level = c?.level ?? 'pending'
          return (
            <li key={id} className={`tile tile-${level}`} data-testid={`tile-${id}`} data-level={level}>
              <div className="tile-head">
                <span className="tile-icon" aria-hidden="true">
                  {c ? icon[c.level] : '…'}
                </span>
                <span>{plain}</span> <span className="muted small-inline">({technical})</span>
              </div>
              <div className="tile-value" data-testid={`tile-${id}-headline`} title={c?.headline ?? c?.value}>
                {c ? `${t.levels[c.level]}: ${c.headline ?? c.value}` : strings.overview.waiting}
              </div>
              <p className="tile-detail">{c?.detail ?? ''}</p>
              {c?.technical && (
                <details className="technical-details tile-technical" data-testid={`tile-${id}-technical`}>
                  <summary>{strings.diagnosis.technicalDetails}</summary>
                  <p className="mono technical">{c.technical}</p>
                </details>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
