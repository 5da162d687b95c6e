/** Saves bytes the app made as a file, without any network request. */
export function downloadFile(name: string, contents: string | Uint8Array, type: string): void {
  // Copied into a fresh ArrayBuffer: Blob does not take views of shared memory.
  const part = typeof contents === 'string' ? contents : new Uint8Array(contents);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const fileStem = (name: string) =>
  name.slice(name.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '') || 'image';
