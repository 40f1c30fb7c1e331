/**
 * Folders the person chose: the renderer never names a path. It asks main to show its own folder
 * dialog (`pickFolder`) and gets back an opaque handle, which kit calls take instead of a path.
 */
import { z } from 'zod'

/** What the folder is for: `kit-export`, `fix-package` and `fleet-fix` (a fleet group's fix files) may be written to; the others are only read (`media-read`: an installation medium's folder). */
export const FolderPurposeSchema = z.enum([
  'kit-export',
  'kit-import',
  'kit-verify',
  'fix-package',
  'media-read',
  'fleet-fix',
])
export type FolderPurpose = z.infer<typeof FolderPurposeSchema>

/** An opaque, unguessable reference to a folder the person picked in this session. */
export const FolderHandleSchema = z.string().regex(/^fh-[A-Za-z0-9_-]{22,64}$/, 'a folder handle from pickFolder')
export type FolderHandle = z.infer<typeof FolderHandleSchema>

export const PickFolderInputSchema = z
  .object({
    purpose: FolderPurposeSchema,
    /**
     * Preview bridge only (no Electron, no dialog): a plain folder name inside the preview's own folder
     * area. The Electron app refuses it: there the person picks in the main process's dialog.
     */
    previewName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
      .refine((n) => !n.includes('..'), 'no ".."')
      .optional(),
  })
  .strict()

/** The chosen folder, or null when the person cancelled the dialog. `label` is for display only. */
export const PickFolderOutputSchema = z.object({ handle: FolderHandleSchema, label: z.string() }).nullable()
export type PickedFolder = z.infer<typeof PickFolderOutputSchema>
