/**
 * The disk WinRE lives on, drawn to scale, with the recovery partition enlarged: used space, free space,
 * and the line the free space must reach — 250 MB, what WinRE updates need (KB5034441, KB5028997).
 * An SVG with a title and description, plus the same facts as a list for screen readers.
 */
import type { Disk, Partition } from '../../../preload/model/snapshot.ts'
import { formatBytes } from '../../../preload/model/health.ts'
import { strings } from '../strings.ts'

const W = 700
const MB = 1024 * 1024

export interface LayoutBox {
  p: Partition
  x: number
  w: number
}

/** x and width of each partition, to scale; a sliver gets 2 px so it stays visible. */
export function layoutBoxes(disk: Disk, width = W): LayoutBox[] {
  const size =
    disk.sizeBytes > 0 ? disk.sizeBytes : disk.partitions.reduce((n, p) => Math.max(n, p.offsetBytes + p.sizeBytes), 1)
  return [...disk.partitions]
    .sort((a, b) => a.offsetBytes - b.offsetBytes)
    .map((p) => ({ p, x: (p.offsetBytes / size) * width, w: Math.max(2, (p.sizeBytes / size) * width) }))
}

/** Where, in the enlarged recovery partition, used space ends and the 250 MB requirement line sits. */
export function recoveryScale(
  p: Partition,
  requiredFree: number,
  width = W,
): { usedW: number; needX: number; short: boolean } | null {
  if (p.freeBytes === null || p.sizeBytes <= 0) return null
  const used = Math.max(0, p.sizeBytes - p.freeBytes)
  return {
    usedW: (used / p.sizeBytes) * width,
    needX: Math.min(width, ((used + requiredFree) / p.sizeBytes) * width),
    short: p.freeBytes < requiredFree,
  }
}

export function RecoveryLayout({
  disk,
  recovery,
  requiredFree,
  idPrefix,
  caption,
}: {
  disk: Disk
  recovery: number | null
  requiredFree: number
  idPrefix: string
  caption: string
}) {
  const t = strings.recovery
  const boxes = layoutBoxes(disk)
  const rec = boxes.find((b) => b.p.partitionNumber === recovery) ?? null
  const scale = rec ? recoveryScale(rec.p, requiredFree) : null
  const role = (p: Partition) => strings.disk.roles[p.role] ?? p.role
  const describePartition = (p: Partition) =>
    t.partitionText(
      p.partitionNumber,
      role(p),
      formatBytes(p.sizeBytes),
      p.freeBytes === null ? null : formatBytes(p.freeBytes),
      p.partitionNumber === recovery,
    )
  const titleId = `${idPrefix}-title`
  const descId = `${idPrefix}-desc`
  const y2 = 96
  return (
    <figure className="disk recovery-layout" data-testid={`${idPrefix}-layout`}>
      <svg
        viewBox={`0 0 ${W + 20} ${rec ? 170 : 64}`}
        className="disk-svg"
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
      >
        <title id={titleId}>{caption}</title>
        <desc id={descId}>{disk.partitions.map(describePartition).join('; ')}</desc>
        <rect x={10} y={10} width={W} height={34} className="disk-frame" />
        {boxes.map(({ p, x, w }) => (
          <g
            key={p.partitionNumber}
            className={`part part-${p.role}${p.partitionNumber === recovery ? ' part-winre' : ''}`}
            data-testid={`${idPrefix}-part-${p.partitionNumber}`}
            data-size={p.sizeBytes}
          >
            <rect x={10 + x} y={10} width={w} height={34} />
            {w > 80 && (
              <text x={10 + x + w / 2} y={32} textAnchor="middle">
                {role(p)}
                {p.driveLetter ? ` ${p.driveLetter}:` : ''} · {formatBytes(p.sizeBytes)}
              </text>
            )}
          </g>
        ))}
        {rec && (
          <g className="recovery-zoom" data-testid={`${idPrefix}-zoom`} data-short={scale?.short ? 'yes' : 'no'}>
            <path d={`M${10 + rec.x},44 L10,${y2} M${10 + rec.x + rec.w},44 L${10 + W},${y2}`} className="zoom-lines" />
            <rect x={10} y={y2} width={W} height={30} className="recovery-free" />
            {scale && <rect x={10} y={y2} width={scale.usedW} height={30} className="recovery-used" />}
            {scale && (
              <line
                x1={10 + scale.needX}
                y1={y2 - 6}
                x2={10 + scale.needX}
                y2={y2 + 36}
                className={scale.short ? 'need-mark need-short' : 'need-mark'}
                data-testid={`${idPrefix}-need-line`}
              />
            )}
            <text x={16} y={y2 + 20}>
              {t.zoomLabel(
                rec.p.partitionNumber,
                formatBytes(rec.p.sizeBytes),
                rec.p.freeBytes === null ? null : formatBytes(rec.p.freeBytes),
              )}
            </text>
            <text x={10} y={y2 + 56} className="small-svg">
              {t.needLine(Math.round(requiredFree / MB))}
            </text>
          </g>
        )}
      </svg>
      <figcaption className="muted small">{caption}</figcaption>
      <details className="text-alt">
        <summary>{t.asList}</summary>
        <ul>
          {disk.partitions.map((p) => (
            <li key={p.partitionNumber}>{describePartition(p)}</li>
          ))}
        </ul>
      </details>
    </figure>
  )
}
