import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Test files whose browsers keep both cores busy with video (they take the CPU slot, test/support/cpuSlot.ts). */
export const CPU_HEAVY = [
  /test\/browsers?\//,
  /test\/slowLine\//,
  /test\/media\/(browserMedia|dynacast)\.test\.ts$/,
];

/**
 * Orders the files for two workers: each video-heavy file is followed by
 * other files lasting a little less than it (the other worker runs them
 * while the first holds the CPU slot), so that the next video-heavy file
 * comes up about when the slot frees.
 */
export class TwoLaneSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const duration = (spec: TestSpecification) =>
      this.ctx.cache.getFileTestResults(
        `${spec.project.name}:${spec.moduleId.slice(this.ctx.config.root.length + 1)}`,
      )?.duration ?? 5_000;
    const isHeavy = (spec: TestSpecification) => CPU_HEAVY.some((pattern) => pattern.test(spec.moduleId));
    const heavy = sorted.filter(isHeavy);
    const others = sorted.filter((spec) => !isHeavy(spec));
    const order: TestSpecification[] = [];
    for (const file of heavy) {
      order.push(file);
      let covered = 0;
      while (others.length && covered < 0.85 * duration(file)) {
        const next = others.shift()!;
        order.push(next);
        covered += duration(next);
      }
    }
    return [...order, ...others];
  }
}
