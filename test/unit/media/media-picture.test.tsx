// @vitest-environment jsdom
/**
 * The layer picture and the plan as components (jsdom), fed by the real media handlers: each box says
 * "Stale", "Current" or "Not judged" in words, the winre.wim box sits inside its install.wim index, FAT32's
 * limit is shown only on a FAT32 medium, and every plan step has its command with a Copy button.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen, within } from '@testing-library/react'
import { createMediaHandlers } from '../../../main/media/media-handlers.ts'
import { createServices } from '../../../main/services.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { MediaLayers } from '../../../renderer/src/components/media-layers.tsx'
import { MediaPlanSteps } from '../../../renderer/src/components/media-plan.tsx'

const dataDir = tempDirSync('sd-media-picture-')
const h = createMediaHandlers(createServices({ dataDir, platform: 'linux' }).media, dataDir)
afterEach(cleanup)

describe('the layer picture', () => {
  it('marks in words: install.wim current against the checkpoint, its winre.wim not judged (no Safe OS DU is known for September 2024 or before: the month of the target decides), setup.exe not judged', async () => {
    const { scan, files } = await h.mediaScan({ medium: 'iso-x64-24h2', kb: 'KB5043080' })
    render(<MediaLayers scan={scan} files={files} plan={null} />)
    for (const n of [1, 2, 3]) {
      const box = screen.getByTestId(`layer-install-${n}`)
      expect(box.getAttribute('data-staleness')).toBe('current')
      const mark = within(box).getAllByTestId('layer-mark')[0]
      expect(mark.textContent).toBe('Current')
      expect(mark.getAttribute('data-tone')).toBe('ok')
      const winre = within(box).getByTestId(`layer-winre-${n}`)
      expect(within(winre).getByTestId('layer-mark').textContent).toBe('Not judged')
      expect(winre.textContent).not.toContain('KB5089593')
      expect(box.getAttribute('aria-label')).toBe(`Index ${n}: Current`)
    }
    expect(within(screen.getByTestId('layer-setup')).getByTestId('layer-mark').textContent).toBe('Not judged')
    expect(screen.getByTestId('media-stale-count').textContent).toBe('0 of 9 layers are stale.')
    expect(screen.queryByTestId('media-fat32')).toBeNull()
  })

  it('on the FAT32 stick: install.wim against the 4 GiB - 1 limit, and with the plan, that it goes back split', async () => {
    const { scan, files, plan } = await h.mediaPlan({ medium: 'usb-fat32-x64', kb: 'KB5086672' })
    const { rerender } = render(<MediaLayers scan={scan} files={files} plan={null} />)
    expect(screen.getByTestId('media-fat32').textContent).toContain(
      'install.wim is 4.20 GB (4,200,000,000 bytes); FAT32 holds no file larger than 4.29 GB (4,294,967,295 bytes)',
    )
    expect(screen.queryByTestId('media-fat32-plan')).toBeNull()
    rerender(<MediaLayers scan={scan} files={files} plan={plan} />)
    expect(screen.getByTestId('media-fat32-plan').textContent).toContain('install.swm pieces of at most 3800 MB')
  })
})

describe('the plan', () => {
  it('numbers every step as the CLI does, each with its exact command and a Copy button', async () => {
    const { plan } = await h.mediaPlan({ medium: 'usb-stale-mount', kb: 'KB5086672' })
    render(<MediaPlanSteps plan={plan} />)
    const commands = screen.getAllByTestId('media-command').map((e) => e.textContent)
    expect(commands).toEqual(plan.commands)
    expect(screen.getAllByTestId('copy-command')).toHaveLength(plan.steps.length)
    expect(screen.getByTestId('media-step-1').getAttribute('value')).toBe('1')
    expect(within(screen.getByTestId('media-group-prepare')).getByText('Clean up mounts left behind')).toBeTruthy()
    // The stale mount's space counts as free: DISM /Cleanup-Mountpoints gives it back.
    expect(screen.getByTestId('media-space').getAttribute('data-enough')).toBe('true')
    expect(screen.getByTestId('media-space').textContent).not.toContain('Not enough space')
  })

  it('says when the work folder is too small', async () => {
    const { plan } = await h.mediaPlan({ medium: 'usb-fat32-x64', kb: 'KB5086672' })
    render(
      <MediaPlanSteps
        plan={{ ...plan, space: { neededBytes: 36_900_000_000, freeBytes: 9_700_000_000, enough: false } }}
      />,
    )
    expect(screen.getByTestId('media-space').textContent).toBe(
      'Work folder: needs about 36.90 GB, 9.70 GB free. Not enough space: free some or choose another work folder before running.',
    )
  })
})
