/**
 * The update chain as a picture: checkpoint → cumulative updates, with what this PC has. An SVG with
 * a title and description for screen readers, and the same content as a list ("As text").
 */
import { useEffect } from 'react'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { strings } from '../strings.ts'
import { chainStore, useChain } from '../stores/index.ts'
import { chainFor, chainInputOf } from '../stores/chain-store.ts'
import { chainItems, failedInstallKbs, positionOf, stagedUbrs, type ChainItemState } from './chain-items.ts'

const W = 150
const H = 116
const stateText = (s: ChainItemState) =>
  ({
    installed: strings.chain.installed,
    staged: strings.chain.staged,
    missing: strings.chain.missing,
    failed: strings.chain.failed,
    'not-installed': strings.chain.notYet,
  })[s]

export function UpdateChain({ snapshot }: { snapshot: MachineSnapshot | null }) {
  const t = strings.chain
  const os = snapshot?.os.status === 'known' ? snapshot.os.value : null
  const build = os?.build ?? null
  // The PC's edition / product / UBR go with the build: a Server 2025 PC (26100) gets Server 2025's chain.
  const chain = useChain((s) => chainFor(s, os))
  const error = useChain((s) => s.error)
  // Loaded again when one of the four facts changes (not on every render's new object).
  const { ubr: inputUbr, edition, productName } = chainInputOf(os)
  useEffect(() => {
    if (snapshot) void chainStore.getState().load({ build, ubr: inputUbr, edition, productName })
  }, [snapshot, build, inputUbr, edition, productName])

  const pk = snapshot?.packages.status === 'known' ? snapshot.packages.value : null
  const currentUbr = pk?.lcu?.ubr ?? os?.ubr ?? null
  const failed = failedInstallKbs(snapshot?.history.status === 'known' ? snapshot.history.value : [])
  // An update installed and waiting for the restart is drawn as such, not as one still to install.
  const items = chain ? chainItems(chain, currentUbr, failed, build, stagedUbrs(pk?.packages ?? [])) : []
  const here = positionOf(items, currentUbr)
  const width = Math.max(1, items.length) * W + 40
  const branch = chain?.branch ? `${chain.branch.product} ${chain.branch.displayVersion}` : ''
  const hereX = here < 0 ? 8 : 20 + (here + 1) * W - 12

  return (
    <section aria-labelledby="chain-title" className="figure-section">
      <h2 id="chain-title">
        {t.title} <span className="muted small-inline">({t.technical})</span>
      </h2>
      <div className="figure-slot chain-slot">
        {!snapshot ? null : build === null ? (
          <p className="muted">{t.unknownBuild}</p>
        ) : error && !chain ? (
          <p className="error">{t.loadError}</p>
        ) : chain && items.length === 0 ? (
          <p className="muted">{t.noChain}</p>
        ) : (
          chain && (
            <svg
              viewBox={`0 0 ${width} ${H}`}
              width={width}
              height={H}
              className="chain-svg"
              role="img"
              aria-labelledby="chain-svg-title chain-svg-desc"
              data-testid="update-chain"
              preserveAspectRatio="xMinYMid meet"
            >
              <title id="chain-svg-title">{t.figureLabel(branch)}</title>
              <desc id="chain-svg-desc">
                {items
                  .map((it) => t.item(it.kb, it.build, it.checkpoint ? t.checkpoint : t.lcu, stateText(it.state)))
                  .join('; ')}
                . {t.here}: {os?.build}.{currentUbr ?? '?'}
              </desc>
              <defs>
                <marker
                  id="arrow"
                  viewBox="0 0 10 10"
                  refX="9"
                  refY="5"
                  markerWidth="7"
                  markerHeight="7"
                  orient="auto-start-reverse"
                >
                  <path d="M0,0 L10,5 L0,10 z" className="chain-arrowhead" />
                </marker>
              </defs>
              {items.map((it, i) => {
                const x = 20 + i * W
                return (
                  <g key={it.kb} className={`chain-node chain-${it.state}`} data-state={it.state} data-kb={it.kb}>
                    {i > 0 && (
                      <line
                        x1={x - W + 120}
                        y1={48}
                        x2={x - 4}
                        y2={48}
                        className="chain-link"
                        markerEnd="url(#arrow)"
                      />
                    )}
                    <rect x={x} y={22} width={120} height={52} rx={8} />
                    <text x={x + 60} y={42} textAnchor="middle" className="chain-kb">
                      {it.kb}
                    </text>
                    <text x={x + 60} y={60} textAnchor="middle" className="chain-build">
                      {it.build}
                    </text>
                    <text x={x + 60} y={14} textAnchor="middle" className="chain-tag">
                      {it.checkpoint ? t.checkpoint : it.released}
                    </text>
                    <text x={x + 60} y={92} textAnchor="middle" className="chain-state">
                      {stateText(it.state)}
                    </text>
                  </g>
                )
              })}
              {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG <g> without tabindex is not focusable; the marker's words are in the text alternative */}
              <g className="chain-here" aria-hidden="true">
                <line x1={hereX} y1={18} x2={hereX} y2={100} />
                <text x={hereX} y={112} textAnchor={here < 0 ? 'start' : here === items.length - 1 ? 'end' : 'middle'}>
                  {t.here} {os?.build}.{currentUbr ?? '?'}
                </text>
              </g>
            </svg>
          )
        )}
        {chain && items.length > 0 && (
          <details className="text-alt">
            <summary>{t.textAlt}</summary>
            <ol>
              {items.map((it) => (
                <li key={it.kb}>
                  {t.item(it.kb, it.build, it.checkpoint ? t.checkpoint : t.lcu, stateText(it.state))}
                </li>
              ))}
            </ol>
            <p className="muted small">{t.asOf(chain.asOf)}</p>
          </details>
        )}
      </div>
    </section>
  )
}
