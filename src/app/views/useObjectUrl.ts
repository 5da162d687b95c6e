/**
 * An object URL for a blob, shared by every element showing it (so the browser decodes it once)
 * and revoked when the last of them unmounts.
 */
import { useEffect } from 'react';

const shared = new Map<Blob, { url: string; users: number }>();

function urlOf(blob: Blob): string {
  let entry = shared.get(blob);
  if (!entry) {
    entry = { url: URL.createObjectURL(blob), users: 0 };
    shared.set(blob, entry);
  }
  return entry.url;
}

function retain(blob: Blob): void {
  const entry = shared.get(blob);
  if (entry) entry.users++;
}

function release(blob: Blob): void {
  const entry = shared.get(blob);
  if (!entry || --entry.users > 0) return;
  shared.delete(blob);
  URL.revokeObjectURL(entry.url);
}

export function useObjectUrl(blob: Blob | undefined): string | undefined {
  useEffect(() => {
    if (!blob) return;
    urlOf(blob);
    retain(blob);
    return () => release(blob);
  }, [blob]);
  return blob ? urlOf(blob) : undefined;
}
