import type { TranslateOptions } from './options.js';
import { lacksText, TIDB_FEATURES, type FeatureTarget, type TargetFeature, type TidbFeatureName, type Version } from '../diagnostics/target-features.js';


/** tidbVersion as [major, minor, patch]; absent means 8.5.0. */
export function tidbVersionOf(options: Pick<TranslateOptions, 'tidbVersion'>): [number, number, number] {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(options.tidbVersion ?? '8.5.0');
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : [8, 5, 0];
}

export { TIDB_FEATURES, type TargetFeature, type TidbFeatureName } from '../diagnostics/target-features.js';

type TargetOptions = Pick<TranslateOptions, 'tidbVersion' | 'cloudStarter'>;

function atLeast(v: Version, want: Version): boolean {
  for (let i = 0; i < 3; i++) if (v[i]! !== want[i]!) return v[i]! > want[i]!;
  return true;
}

/** Whether the target TiDB (tidbVersion, default 8.5.0, or TiDB Cloud Starter) has a feature. */
export function targetHas(options: TargetOptions, feature: TidbFeatureName): boolean {
  const row: TargetFeature = TIDB_FEATURES[feature];
  if (options.cloudStarter === true) return row.cloudStarter;
  return row.since !== undefined && atLeast(tidbVersionOf(options), row.since);
}

/** The target as a target-feature diagnostic records it. */
export function featureTarget(options: TargetOptions): FeatureTarget {
  return options.cloudStarter === true ? { cloudStarter: true } : { version: tidbVersionOf(options).join('.') };
}

/**
 * Why the target lacks a feature, naming what has it: "TiDB v6.6.0 or later is needed for
 * multi-valued indexes; the target is TiDB v6.5.0".
 */
export function targetLacks(options: TargetOptions, feature: TidbFeatureName): string {
  return lacksText(feature, featureTarget(options));
}
