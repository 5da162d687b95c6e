/** Files of a drop, folders walked recursively, each with its path inside the drop. */
import type { NamedFile } from './pairGroundTruth';

const readEntries = (reader: FileSystemDirectoryReader) =>
  new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));

const fileOf = (entry: FileSystemFileEntry) =>
  new Promise<File>((resolve, reject) => entry.file(resolve, reject));

async function walk(entry: FileSystemEntry, into: NamedFile[]): Promise<void> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    into.push({ path, file: await fileOf(entry as FileSystemFileEntry) });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns folders in chunks; an empty chunk means the end.
  for (let chunk = await readEntries(reader); chunk.length > 0; chunk = await readEntries(reader)) {
    for (const child of chunk) await walk(child, into);
  }
}

export async function collectDroppedFiles(transfer: DataTransfer): Promise<NamedFile[]> {
  // Entries must be taken synchronously, before the drop event returns.
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.());
  if (entries.length > 0 && entries.every((entry) => entry)) {
    const files: NamedFile[] = [];
    for (const entry of entries) if (entry) await walk(entry, files);
    return files;
  }
  return namedFiles([...transfer.files]);
}

/** Files from a picker (with webkitRelativePath for folder pickers) or a paste. */
export function namedFiles(files: readonly File[]): NamedFile[] {
  return files.map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}
