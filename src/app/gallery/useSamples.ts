/**
 * Loads the bundled samples once (samples/index.json, written at build time; absent → none), and
 * adds them to the gallery again on request.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { samplesIndexUrl } from '../config';
import { addSamples, type SampleEntry } from './addFiles';

async function fetchSamples(): Promise<SampleEntry[]> {
  try {
    const response = await fetch(samplesIndexUrl());
    if (!response.ok) return [];
    const index = (await response.json()) as { samples?: SampleEntry[] };
    return Array.isArray(index.samples) ? index.samples : [];
  } catch {
    return [];
  }
}

// Samples join the gallery once per page, even when effects run twice (React's strict mode).
let samplesAdded = false;

/** Adds the samples on first use; `addAgain` brings them back after they were removed. */
export function useSamples(): { count: number; addAgain: () => void } {
  const samples = useQuery({ queryKey: ['samples'], queryFn: fetchSamples, staleTime: Infinity });
  const list = samples.data;
  useEffect(() => {
    if (!list || list.length === 0 || samplesAdded) return;
    samplesAdded = true;
    void addSamples(list, samplesIndexUrl());
  }, [list]);
  return {
    count: list?.length ?? 0,
    addAgain: () => {
      if (list) void addSamples(list, samplesIndexUrl());
    },
  };
}
