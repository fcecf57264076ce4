/**
 * Files for the user to keep (CSV exports, the PDF report) are offered as downloads: the browser,
 * or Electron (no `will-download` handler, so its default save dialog), asks where to save and
 * before replacing an existing file. The back end never writes a file for the UI.
 */
import type { ExportFile } from '../../shared/operations.ts';

export function downloadBlob(blob: Blob, fileName: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** An `exportCsv` / `createReport` answer as its bytes: UTF-8 text, or base64 for binary files. */
export function exportFileBlob(file: ExportFile): Blob {
  if (file.encoding === 'utf8') return new Blob([file.content], { type: file.mimeType });
  const binary = atob(file.content);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: file.mimeType });
}

export function saveExportFile(file: ExportFile): void {
  downloadBlob(exportFileBlob(file), file.fileName);
}
