import { planAxisResampling } from '../../image/axisResampling';
import { KernelPlaneScan } from './kernelScan';
import type { LogitPlaneScan } from './logitPlaneScan';
import { createMaskLogitKernel } from './maskLogitKernel';
import { ReferencePlaneScan } from './referenceScan';

export * from './logitPlaneScan';

/**
 * The stability scan for S × S planes and an H × W image: on the WebAssembly kernel where it can
 * run, else the reference scan (`kernel: false` asks for the reference scan).
 */
export function createLogitPlaneScan(
  width: number,
  height: number,
  lowResSize = 256,
  options: { kernel?: boolean } = {},
): LogitPlaneScan {
  const kernel =
    options.kernel === false
      ? undefined
      : createMaskLogitKernel(
          lowResSize,
          planAxisResampling(lowResSize, height),
          planAxisResampling(lowResSize, width),
        );
  return kernel
    ? new KernelPlaneScan(width, height, lowResSize, kernel)
    : new ReferencePlaneScan(width, height, lowResSize);
}
