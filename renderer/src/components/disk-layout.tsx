/**
 * The disk layout as a picture: every partition drawn to scale on its disk, and the recovery partition
 * (the one holding WinRE) enlarged below with its used and free space to scale and the 250 MB a WinRE
 * update needs (KB5028997). An SVG with title/description, and the same content as a list.
 * The Recovery screen reuses it: `<DiskLayout storage={…} />`.
 */
import type { Disk, Partition, StorageFact } from '../../../preload/model/snapshot.ts'
import type { Fact } from '../../../preload/model/common.ts'
import { formatBytes } from '../../../preload/model/health.ts'
import { strings } from '../strings.ts'

const W = 720
const MB = 1024 * 1024
/** Free space a WinRE update needs on the recovery partition (KB5028997). */
const WINRE_NEEDS = 250 * MB

function describePartition(p: Partition): string {
  const t = strings.disk
  const role = t.roles[p.role] ?? p.role
  const extra = [p.driveLetter ? `${p.driveLetter}:` : '', p.label ?? '', p.holdsWinre ? t.winre : '']
    .filter(Boolean)
    .join(', ')
  return t.partition(
    p.partitionNumber,
    role,
    formatBytes(p.sizeBytes),
    p.freeBytes === null ? '' : t.free(formatBytes(p.freeBytes)),
    extra,
  )
}

/** x and width of each partition, to scale; a partition too small to see gets 2 px so it is not lost. */
export function partitionBoxes(disk: Disk, width = W): { p: Partition; x: number; w: number }[] {
  const size =
    disk.sizeBytes > 0 ? disk.sizeBytes : disk.partitions.reduce((n, p) => Math.max(n, p.offsetBytes + p.sizeBytes), 1)
  return [...disk.partitions]
    .sort((a, b) => a.offsetBytes - b.offsetBytes)
    .map((p) => ({
      p,
      x: (p.offsetBytes / size) * width,
      w: Math.max(2, (p.sizeBytes / size) * width),
    }))
}

function DiskPicture({ disk }: { disk: Disk }) {
  const t = strings.disk
  const boxes = partitionBoxes(disk)
  const recovery = disk.partitions.find((p) => p.holdsWinre) ?? null
  const height = recovery ? 170 : 70
  const titleId = `disk-${disk.number}-title`
  const descId = `disk-${disk.number}-desc`
  return (
    <figure className="disk" data-testid={`disk-${disk.number}`}>
      <svg
        viewBox={`0 0 ${W + 20} ${height}`}
        width={W + 20}
        height={height}
        className="disk-svg"
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
      >
        <title id={titleId}>{t.figureLabel(disk.number, formatBytes(disk.sizeBytes))}</title>
        <desc id={descId}>{disk.partitions.map(describePartition).join('; ')}</desc>
        <rect x={10} y={10} width={W} height={34} className="disk-frame" />
        {boxes.map(({ p, x, w }) => (
          <g
            key={p.partitionNumber}
            className={`part part-${p.role}${p.holdsWinre ? ' part-winre' : ''}`}
            data-role={p.role}
          >
            <rect x={10 + x} y={10} width={w} height={34} />
            {w > 70 && (
              <text x={10 + x + w / 2} y={32} textAnchor="middle">
                {t.roles[p.role] ?? p.role}
                {p.driveLetter ? ` ${p.driveLetter}:` : ''} · {formatBytes(p.sizeBytes)}
              </text>
            )}
          </g>
        ))}
        {recovery && <RecoveryZoom p={recovery} box={boxes.find((b) => b.p === recovery)!} />}
      </svg>
      <figcaption className="muted small">{t.figureLabel(disk.number, formatBytes(disk.sizeBytes))}</figcaption>
      <details className="text-alt">
        <summary>{strings.chain.textAlt}</summary>
        <ul>
          {disk.partitions.map((p) => (
            <li key={p.partitionNumber}>{describePartition(p)}</li>
          ))}
        </ul>
      </details>
    </figure>
  )
}

/** The recovery partition enlarged: used and free space to scale, and the 250 MB mark. */
function RecoveryZoom({ p, box }: { p: Partition; box: { x: number; w: number } }) {
  const t = strings.disk
  const y = 92
  const size = Math.max(p.sizeBytes, 1)
  const used = p.freeBytes === null ? null : Math.max(0, p.sizeBytes - p.freeBytes)
  const usedW = used === null ? 0 : (used / size) * W
  const needX = used === null ? null : Math.min(W, ((used + WINRE_NEEDS) / size) * W)
  return (
    <g className="recovery-zoom" data-testid="recovery-zoom">
      <path d={`M${10 + box.x},44 L10,${y} M${10 + box.x + box.w},44 L${10 + W},${y}`} className="zoom-lines" />
      <rect x={10} y={y} width={W} height={30} className="recovery-free" />
      {used !== null && <rect x={10} y={y} width={usedW} height={30} className="recovery-used" />}
      {needX !== null && (
        <line
          x1={10 + needX}
          y1={y - 4}
          x2={10 + needX}
          y2={y + 34}
          className={p.freeBytes !== null && p.freeBytes < WINRE_NEEDS ? 'need-mark need-short' : 'need-mark'}
        />
      )}
      <text x={10} y={y + 46}>
        {t.roles.recovery} {p.partitionNumber}: {formatBytes(p.sizeBytes)}
        {p.freeBytes !== null ? ` · ${t.free(formatBytes(p.freeBytes))}` : ''}
      </text>
      <text x={10} y={y + 64} className="small-svg">
        {t.recoveryZoom}
      </text>
    </g>
  )
}

export function DiskLayout({ storage }: { storage: Fact<StorageFact> | null }) {
  const t = strings.disk
  return (
    <section aria-labelledby="disk-title" className="figure-section">
      <h2 id="disk-title">
        {t.title} <span className="muted small-inline">({t.technical})</span>
      </h2>
      <div className="figure-slot disk-slot">
        {storage?.status === 'unknown' && (
          <p className="muted" data-testid="disk-unknown">
            {t.unknown(storage.error)}
          </p>
        )}
        {storage?.status === 'known' && (
          <>
            {storage.value.disks.map((d) => (
              <DiskPicture key={d.number} disk={d} />
            ))}
            <p className="small">{t.bitlocker(storage.value.bitlocker.protectionStatus)}</p>
          </>
        )}
      </div>
    </section>
  )
}
