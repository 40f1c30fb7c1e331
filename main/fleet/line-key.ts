/**
 * The facts of a collector line that the diagnosis reads (line-diagnosis.ts): two lines with the same key get the same
 * findings. Apart from the diagnosis, so the store and the intake key lines without loading it.
 */
import type { CollectorLine } from '../../preload/model/collector.ts'

export function lineKey(l: CollectorLine): string {
  return `${l.build ?? '?'}|${(l.arch ?? '?').toUpperCase()}|${l.winre ?? '?'}|${[...l.codes].sort().join(',')}`
}
