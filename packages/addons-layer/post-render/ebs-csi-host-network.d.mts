/** Types of ebs-csi-host-network.mjs, for the tests that import its pure core. */
export declare const CHECKED_CHART: string;
export declare class PostRenderError extends Error {}
export declare function addControllerHostNetwork(manifests: string): string;
