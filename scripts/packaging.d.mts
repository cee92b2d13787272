export const PACKAGING_DIR: string;
export const TOOLCHAIN: string[];
export const MIN_NODE: [number, number];
export function nodeCanPackage(version?: string): boolean;
export function toolchainInstalled(dir?: string): boolean;
export function installReason(log: string): string;
export class ToolchainInstallError extends Error {
  reason: string;
  log: string;
  constructor(reason: string, log: string);
}
export function ensureToolchain(options?: { dir?: string; log?: (line: string) => void }): boolean;
export function toolchainRequire(dir?: string): NodeRequire;
