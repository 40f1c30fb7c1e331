/** Whether these tests can run here, and the note printed when they cannot. */
export const onWindows = process.platform === 'win32'

export function noteSkipped(what: string): void {
  if (!onWindows)
    console.log(
      `test/windows: skipped ${what} — it reads a real Windows PC (runs in .github/workflows/windows.yml); this is ${process.platform}.`,
    )
}

/** The architecture the workflow's matrix says this runner has (x64 or arm64), when set. */
export const expectedArch = process.env.SD_EXPECT_ARCH ?? null
