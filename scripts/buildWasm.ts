/**
 * Assembles the project's hand-written WebAssembly kernels (`*.wat` beside the code that uses
 * them) into TypeScript modules that embed the binary, so the browser, the worker and Node load
 * them the same way with no extra request. Run after editing a `.wat`: npm run build:wasm
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import wabtInit from 'wabt';

const root = resolve(import.meta.dirname, '..');

/** Each kernel's source, its generated module, and the exported constant's name. */
export const WASM_KERNELS = [
  {
    source: 'src/core/sam2/stabilityScan/maskLogitKernel.wat',
    module: 'src/core/sam2/stabilityScan/maskLogitKernelWasm.ts',
    constant: 'MASK_LOGIT_KERNEL_WASM',
  },
] as const;

export type WasmKernel = (typeof WASM_KERNELS)[number];

/** The binary of a `.wat` file (SIMD enabled), validated by wabt. */
export async function assembleWat(sourcePath: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const wasm = wabt.parseWat(basename(sourcePath), readFileSync(sourcePath, 'utf8'), {
    simd: true,
  });
  try {
    wasm.resolveNames();
    wasm.validate();
    return wasm.toBinary({}).buffer;
  } finally {
    wasm.destroy();
  }
}

/** The generated TypeScript module for a kernel's binary. */
export function kernelModuleText(kernel: WasmKernel, binary: Uint8Array): string {
  const base64 = Buffer.from(binary).toString('base64');
  return (
    `// Generated from ${basename(kernel.source)} by \`npm run build:wasm\`; do not edit.\n` +
    `export const ${kernel.constant} = Uint8Array.from(\n` +
    `  atob(\n    '${base64}',\n  ),\n` +
    `  (char) => char.charCodeAt(0),\n` +
    `);\n`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const kernel of WASM_KERNELS) {
    const binary = await assembleWat(resolve(root, kernel.source));
    writeFileSync(resolve(root, kernel.module), kernelModuleText(kernel, binary));
    console.log(`${kernel.module}: ${binary.length} bytes`);
  }
}
