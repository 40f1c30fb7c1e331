/**
 * BitLocker protection on with key protectors that could not be read: the whole-PC plan (`fix --machine M`) holds no
 * step that changes partitions, the boot chain or Secure Boot — the same as with "no recovery password". Unknown is
 * never "fine": a changed boot measurement may ask for a key nobody can say exists.
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'

const training = (name: string): MachineRef => ({ kind: 'training', name })

function withProtectors(name: string, how: 'unread' | 'readable') {
  const services = createServices({ dataDir: tempDirSync('sd-pc-plan-bl-') })
  const s = services.trainingStore.load(name)
  s.bitlocker = {
    protectionStatus: 'On',
    encryptionPercentage: 100,
    tpmProtector: true,
    ...(how === 'unread' ? { protectorsUnread: true } : {}),
  }
  services.trainingStore.save(s)
  return services
}

async function boundaryWork(name: string, how: 'unread' | 'readable') {
  const services = withProtectors(name, how)
  const snapshot = await services.scan(training(name))
  const plan = await services.pcPlans.plan(training(name))
  const winre = await services.winre.report(training(name))
  return {
    recoveryPassword:
      snapshot.storage.status === 'known' ? snapshot.storage.value.bitlocker.recoveryPassword : 'unread',
    repairs: plan.steps.map((s) => s.repairId).filter(Boolean),
    winreOps: plan.steps.some((s) => s.kind === 'winre') ? winre.repair.steps.map((s) => s.op) : [],
  }
}

describe('unreadable BitLocker protectors stop partition, boot-chain and Secure Boot work in the whole-PC plan', () => {
  it('x64-winre-partition-full: no KB5028997 resize (diskpart) in the plan', async () => {
    const unread = await boundaryWork('x64-winre-partition-full', 'unread')
    expect(unread.recoveryPassword).toBeNull()
    expect(unread.winreOps).not.toContain('diskpart')
    // The same PC with its protectors read (TPM + recovery password) gets the resize.
    expect((await boundaryWork('x64-winre-partition-full', 'readable')).winreOps).toContain('diskpart')
  })

  it('x64-secureboot-2011: no Secure Boot certificate update in the plan', async () => {
    const unread = await boundaryWork('x64-secureboot-2011', 'unread')
    expect(unread.recoveryPassword).toBeNull()
    expect(unread.repairs).not.toContain('secure-boot-update')
    expect((await boundaryWork('x64-secureboot-2011', 'readable')).repairs).toContain('secure-boot-update')
  })
})
