export interface ElectronBuildStamp {
  electron: string;
  modules: string;
  platform: string;
  arch: string;
  betterSqlite3: string;
}
export interface RebuildRequest {
  buildPath: string;
  projectRootPath: string;
  electronVersion: string;
  platform: string;
  arch: string;
  onlyModules: string[];
  force: boolean;
  mode: 'sequential';
}
export const ROOT: string;
export function buildDir(root: string, platform?: string, arch?: string): string;
export function expectedStamp(root?: string, platform?: string, arch?: string): Promise<ElectronBuildStamp>;
export function isCurrent(root: string, stamp: ElectronBuildStamp): boolean;
export function buildElectronSqlite(options?: {
  root?: string;
  platform?: string;
  arch?: string;
  force?: boolean;
  rebuild?: (request: RebuildRequest) => Promise<void>;
  log?: (line: string) => void;
}): Promise<{ built: boolean; dir: string; stamp: ElectronBuildStamp }>;
export function reason(log: string): string;
