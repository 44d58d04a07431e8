/**
 * The addons the addons layer installs in every cell, in install order. Each
 * one can be turned off, or pinned to another chart version or image tag, in
 * `flag.yaml` `addons:`; the versions themselves live in the addons layer.
 */
export const ADDON_NAMES = [
  'flannel',
  'cloudControllerManager',
  'coredns',
  'ebsCsiDriver',
  'clusterAutoscaler',
  'nodeTerminationHandler',
  'metricsServer',
] as const;

export type AddonName = (typeof ADDON_NAMES)[number];

/** One addon's settings in `flag.yaml`; what is left out takes the addons layer's default. */
export interface AddonSettings {
  /** @default true */
  readonly enabled?: boolean;
  /** Helm chart version. @default the version pinned by the addons layer */
  readonly chartVersion?: string;
  /** Tag of the addon's main image. @default the tag pinned by the addons layer */
  readonly imageTag?: string;
}

/** `flag.yaml` `addons:`, by addon. */
export type AddonsSettings = { readonly [name in AddonName]?: AddonSettings };
