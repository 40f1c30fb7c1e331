/**
 * The medium as one picture of its layers: boxes inside boxes, as the files nest on the stick —
 * install.wim with one box per index and the winre.wim inside each, boot.wim's two indexes, and
 * sources\setup.exe. Every box names its build and says in words whether it is stale or current against the
 * target (the tag's colour only repeats it). On FAT32 the install.wim box shows its size against the 4 GiB
 * file limit. A screen reader reads the same boxes as nested groups with their headings.
 */
import type { ReactNode } from 'react'
import type { MediaPlan, MediumFiles, MediumLayer, MediumScan } from '../../../preload/model/media-calls.ts'
import { StatusTag, type Tone } from './status-tag.tsx'
import { mediaStrings as t } from './media-strings.ts'

const toneOf = (s: MediumLayer['staleness']): Tone => (s === 'stale' ? 'warn' : s === 'current' ? 'ok' : 'neutral')

/** Decimal gigabytes (as a stick's label says: "4.2 GB"). */
export function formatGb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`
}

function LayerBox({
  layer,
  title,
  testId,
  children,
}: {
  layer: MediumLayer
  title: string
  testId: string
  children?: ReactNode
}) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a named group of facts and text, no form fields: <fieldset> is for form controls
    <div
      className={`layer-box layer-${layer.layer}`}
      role="group"
      aria-label={`${title}: ${t.staleness[layer.staleness]}`}
      data-testid={testId}
      data-staleness={layer.staleness}
    >
      <div className="layer-head">
        <strong>{title}</strong>
        <StatusTag tone={toneOf(layer.staleness)} testId="layer-mark">
          {t.staleness[layer.staleness]}
        </StatusTag>
      </div>
      {layer.name && layer.layer !== 'setup' && <div className="small">{layer.name}</div>}
      <div className="mono layer-version" data-testid="layer-version">
        {layer.version ?? '?'}
      </div>
      {layer.staleness === 'unknown' ? (
        <p className="muted small">{layer.reason}</p>
      ) : (
        layer.target && <p className="muted small">{t.target(layer.target)}</p>
      )}
      {children}
    </div>
  )
}

const sized = (bytes: number) => t.size(formatGb(bytes), bytes.toLocaleString('en-US'))

/** install.wim (or, once split, its largest .swm part) against FAT32's file limit, and what the plan does about it. */
function Fat32Bar({ files, plan }: { files: MediumFiles; plan: MediaPlan | null }) {
  if (files.maxFileBytes === null || files.installFileBytes === null) return null
  const parts = files.swmParts
  const largest = parts ? Math.max(...parts) : files.installFileBytes
  const fraction = Math.min(1, largest / files.maxFileBytes)
  const split = plan?.steps.find((s) => s.kind === 'split-image')
  return (
    <div className="fat32" data-testid="media-fat32">
      <div className="fat32-bar" aria-hidden="true">
        <div className="fat32-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
        <span className="fat32-limit" />
      </div>
      <p className="small">
        <strong>{t.fat32Title}:</strong>{' '}
        {parts
          ? t.fat32Parts(parts.map(formatGb).join(', '), sized(files.maxFileBytes))
          : t.fat32(sized(files.installFileBytes), sized(files.maxFileBytes))}
      </p>
      {plan && !parts && (
        <p className="small" data-testid="media-fat32-plan">
          {split?.kind === 'split-image' ? t.fat32Split(split.maxMb) : t.fat32Fits}
        </p>
      )}
    </div>
  )
}

function FileBox({
  file,
  name,
  bytes,
  children,
}: {
  file: 'install' | 'boot' | 'setup'
  name?: string
  bytes?: number | null
  children: ReactNode
}) {
  return (
    <section className="wim-file" aria-labelledby={`media-file-${file}`} data-testid={`media-file-${file}`}>
      <h3 id={`media-file-${file}`} className="wim-file-head">
        <span className="mono">{name ?? t.file[file]}</span>{' '}
        <span className="muted small-inline">
          {t.fileRole[file]}
          {bytes ? ` · ${formatGb(bytes)}` : ''}
        </span>
      </h3>
      {children}
    </section>
  )
}

export function MediaLayers({ scan, files, plan }: { scan: MediumScan; files: MediumFiles; plan: MediaPlan | null }) {
  const install = scan.layers.filter((l) => l.layer === 'install')
  const boot = scan.layers.filter((l) => l.layer === 'boot')
  const setup = scan.layers.find((l) => l.layer === 'setup') ?? null
  const winreOf = (n: number | null) => scan.layers.find((l) => l.layer === 'winre' && l.index === n) ?? null
  const stale = scan.layers.filter((l) => l.staleness === 'stale').length
  return (
    <figure className="media-picture" aria-labelledby="media-picture-title" data-testid="media-picture">
      <figcaption id="media-picture-title" className="media-frame-head">
        <strong>{scan.title}</strong>
        <span className="muted small-inline">
          {t.pictureCaption(scan.root, scan.fileSystem, scan.arch, scan.windows)}
        </span>
      </figcaption>
      <p className="small">
        {t.judged(scan.targetKb)} <span data-testid="media-stale-count">{t.counts(stale, scan.layers.length)}</span>
      </p>
      {install.length > 0 && (
        <FileBox
          file="install"
          name={files.swmParts ? t.file.swm : undefined}
          bytes={files.swmParts ? null : files.installFileBytes}
        >
          <Fat32Bar files={files} plan={plan} />
          <div className="layer-grid">
            {install.map((l) => {
              const w = winreOf(l.index)
              return (
                <LayerBox key={l.index} layer={l} title={t.index(l.index ?? 0)} testId={`layer-install-${l.index}`}>
                  {w && <LayerBox layer={w} title={t.winreIn(w.index ?? 0)} testId={`layer-winre-${w.index}`} />}
                </LayerBox>
              )
            })}
          </div>
        </FileBox>
      )}
      {boot.length > 0 && (
        <FileBox file="boot" bytes={files.bootFileBytes}>
          <div className="layer-grid">
            {boot.map((l) => (
              <LayerBox key={l.index} layer={l} title={t.index(l.index ?? 0)} testId={`layer-boot-${l.index}`} />
            ))}
          </div>
        </FileBox>
      )}
      {setup && (
        <FileBox file="setup">
          <div className="layer-grid">
            <LayerBox layer={setup} title="setup.exe" testId="layer-setup" />
          </div>
        </FileBox>
      )}
    </figure>
  )
}
