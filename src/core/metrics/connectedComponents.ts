/** Connected components of a binary mask, 8-connected (scipy.ndimage.label with a 3×3 structure). */

export interface Components {
  /** Per pixel: 0 for background, else the component's number 1 … count (in raster order of first pixel). */
  labels: Int32Array;
  count: number;
  /** Pixels per component; index 0 is unused. */
  sizes: Int32Array;
}

/** Two raster passes with union-find over provisional labels. */
export function connectedComponents(mask: Uint8Array, width: number, height: number): Components {
  const provisional = new Int32Array(width * height);
  const parent: number[] = [0];
  const find = (label: number): number => {
    let root = label;
    while (parent[root] !== root) root = parent[root] as number;
    // Path halving keeps later finds short.
    while (parent[label] !== root) {
      const next = parent[label] as number;
      parent[label] = root;
      label = next;
    }
    return root;
  };
  const union = (a: number, b: number) => {
    const [rootA, rootB] = [find(a), find(b)];
    if (rootA !== rootB) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  };
  /** The label a pixel takes given one more labelled neighbour (joining the two sets). */
  const merge = (label: number, neighbour: number): number => {
    if (!neighbour) return label;
    if (label && neighbour !== label) union(label, neighbour);
    return label || neighbour;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      // Already-visited neighbours: west, north-west, north, north-east.
      let label = x > 0 ? (provisional[i - 1] as number) : 0;
      if (y > 0) {
        if (x > 0) label = merge(label, provisional[i - width - 1] as number);
        label = merge(label, provisional[i - width] as number);
        if (x < width - 1) label = merge(label, provisional[i - width + 1] as number);
      }
      if (!label) {
        label = parent.length;
        parent.push(label);
      }
      provisional[i] = label;
    }
  }
  // Number the roots in order of first appearance.
  const final = new Int32Array(parent.length);
  let count = 0;
  const labels = new Int32Array(width * height);
  const sizes: number[] = [0];
  for (let i = 0; i < labels.length; i++) {
    const label = provisional[i] as number;
    if (!label) continue;
    const root = find(label);
    if (!final[root]) {
      final[root] = ++count;
      sizes.push(0);
    }
    const component = final[root] as number;
    labels[i] = component;
    sizes[component] = (sizes[component] as number) + 1;
  }
  return { labels, count, sizes: Int32Array.from(sizes) };
}
