export declare const SERVED_BASE_PLACEHOLDER: string;
/** Bundles src/link/browser/ into dist/link-scripts.js (written only when it changed). */
export declare function buildLinkScripts(): Promise<{ file: string; changed: boolean }>;
