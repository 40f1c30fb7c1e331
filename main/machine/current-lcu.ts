/**
 * Which cumulative update a snapshot says the PC runs now: a fact of the snapshot, read by the restore-health repair
 * (its same-build source) and by a training machine made from a collector file (main/machine/training-from-snapshot.ts).
 */
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import { localeOrder } from '../parse/locale-free.ts'

/** The KB of the cumulative update the PC runs now (its UBR), read from the installed packages. */
export function currentLcuKb(s: MachineSnapshot): { kb: string; build: number; ubr: number } | null {
  if (s.packages.status !== 'known' || s.os.status !== 'known') return null
  const lcu = s.packages.value.lcu
  const build = s.os.value.build
  if (!lcu || !build) return null
  const pkg = s.packages.value.packages.find((p) => p.identity === lcu.identity && p.kb)
  if (pkg?.kb) return { kb: pkg.kb, build, ubr: lcu.ubr }
  // A RollupFix identity carries no KB: the newest cumulative update for Windows that installed (update
  // history), and that Get-HotFix still lists, is the one that made this UBR.
  if (s.history.status !== 'known') return null
  const hotfixes = new Set(s.hotfixes.status === 'known' ? s.hotfixes.value.map((h) => h.kb) : [])
  const h = s.history.value
    .filter(
      (e) =>
        e.operation === 'install' &&
        e.result === 'succeeded' &&
        e.kb &&
        /Cumulative Update (Preview )?for Windows/i.test(e.title) &&
        hotfixes.has(e.kb),
    )
    .sort((a, b) => localeOrder(b.date ?? '', a.date ?? ''))[0]
  return h?.kb ? { kb: h.kb, build, ubr: lcu.ubr } : null
}
