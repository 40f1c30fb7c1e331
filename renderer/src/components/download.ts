/**
 * Hands a file to the user. In the app the main process saves it (a save dialog); in the preview the
 * page offers it as a download through a Blob URL (the CSP allows no other way, and needs none).
 */
export function inApp(): boolean {
  return typeof window !== 'undefined' && Boolean(window.servicingDesk)
}

export function downloadText(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${mimeType};charset=utf-8` }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
