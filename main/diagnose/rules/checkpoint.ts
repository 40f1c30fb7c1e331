/**
 * Missing checkpoint before a later LCU (Windows 11 24H2/25H2): a cumulative update after KB5043080
 * installs only on a PC that has it (learn.microsoft.com catalog-checkpoint-cumulative-updates). The
 * install fails (0x800F0922 in practice; community scripts also name 0x800F0838) until the checkpoint is in.
 */
import type { Rule, Finding } from '../rule.ts'
import { codesInPlay, known, recentFailures, factEvidence, osContext } from '../facts.ts'
import { finding, remedy, customRemedy, technical } from '../finding.ts'
import { knownUpdate, checkpointChain, branchForBuild } from '../../knowledge/servicing-chains.ts'

const CHECKPOINT_CODES = ['0x800F0922', '0x800F0838', '0x800F081F', '0x80073712', '0x800F0823']

export const missingCheckpointRule: Rule = {
  id: 'missing-checkpoint',
  evaluate(input): Finding[] {
    const snap = input.snapshot
    const pk = known(snap?.packages)
    const os = known(snap?.os)
    const codes = codesInPlay(input)
    const failedLcus = recentFailures(snap).filter((h) => h.kb && knownUpdate(h.kb)?.prerequisites.length)
    const cp = pk?.checkpoint
    // Build 26100 is also Windows Server 2025: the edition decides the branch, and a checkpoint judged for
    // another branch (a snapshot taken before the packages fact saw the edition) is not this PC's.
    const branch = branchForBuild(os?.build ?? cp?.build ?? null, osContext(os))
    const ours = !branch || branch.checkpoints.includes(cp?.kb ?? '')
    if (cp?.present === false && cp.kb && ours) {
      const target = failedLcus[0]?.kb ?? null
      const chain = target ? checkpointChain(target).map((u) => u.kb) : [cp.kb]
      const codeHits = CHECKPOINT_CODES.filter((c) => codes.has(c))
      const confidence = failedLcus.length > 0 ? 0.95 : codeHits.length > 0 ? 0.75 : 0.55
      const arch = os?.nativeArch === 'arm64' ? 'arm64' : os?.nativeArch === 'x86' ? 'x86' : 'x64'
      const evidence = [
        { source: 'Installed packages (DISM)', excerpt: cp.reason },
        ...failedLcus.slice(0, 2).map((h) => ({
          source: 'Windows Update history',
          excerpt: `${h.date ?? ''}  failed  ${h.hresult}  ${h.title}`,
        })),
        ...codeHits
          .flatMap((c) => codes.get(c)!.evidence.filter((e) => e.source !== 'Windows Update history'))
          .slice(0, 4),
        ...factEvidence(snap?.packages, 1),
      ]
      return [
        finding({
          id: 'missing-checkpoint',
          title: `The checkpoint update ${cp.kb} is missing, so later cumulative updates cannot install`,
          technical: `Checkpoint cumulative update ${cp.kb} (${cp.build}.${cp.ubr}) absent at ${os?.build ?? '?'}.${os?.ubr ?? '?'}${codeHits.length ? `; ${technical(...codeHits)}` : ''}`,
          severity: failedLcus.length > 0 ? 'critical' : 'error',
          confidence,
          causes: [
            `This PC is at ${os?.build ?? '?'}.${os?.ubr ?? '?'}, below the checkpoint ${cp.kb} (${cp.build}.${cp.ubr})${branch ? ` of ${branch.product} ${branch.displayVersion}` : ''}; every cumulative update after the checkpoint needs it installed first.`,
            ...(target ? [`${target} lists ${chain.join(', ')} as prerequisite.`] : []),
            'Windows Update normally handles this; it fails when updates come from the Catalog, WSUS without the checkpoint, or an image that never got it.',
          ],
          remedies: [
            customRemedy(
              'install-checkpoint',
              `Install ${chain.join(' then ')} first, then ${target ?? 'the cumulative update'}`,
              `The ${arch} MSUs of ${[...chain, ...(target ? [target] : [])].join(', ')} in one folder (nothing else in it), the target added with DISM: DISM discovers and installs the checkpoint first, in order. Servicing Desk's install does exactly that, with the files fetched from the Microsoft Update Catalog and verified. Restart when asked.`,
              // A command that runs as shown: it fetches the files itself, rather than naming a folder the PC does not have.
              target ? [`servicing-desk install --kb ${target}`] : [],
              'install-checkpoint',
              ['S19', 'S20'],
            ),
            remedy('R1'),
            remedy('R4'),
          ],
          evidence,
          repair: 'install-checkpoint',
          codes: codeHits,
          // The update to install (a verified install of it moves the finding to history).
          ...(cp.kb ? { kbs: [cp.kb] } : {}),
        }),
      ]
    }
    // No snapshot (or unknown packages) but a code that community scripts tie to a missing checkpoint.
    if (!pk && input.code?.code === '0x800F0838') {
      return [
        finding({
          id: 'missing-checkpoint',
          title: 'A prerequisite (checkpoint) update may be missing',
          technical: `${technical('0x800F0838')} — name and mapping from community scripts, not Microsoft`,
          severity: 'error',
          confidence: 0.45,
          causes: [
            'Community scripts for 24H2 and later link this code with a missing checkpoint or a missing earlier cumulative update (unverified). They name it 0x800F0838.',
          ],
          remedies: [remedy('R7'), remedy('R4')],
          evidence: [{ source: 'the code you entered', excerpt: input.code.input }],
          repair: null,
          codes: ['0x800F0838'],
        }),
      ]
    }
    return []
  },
}
