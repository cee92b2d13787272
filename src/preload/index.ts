import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, functionName, type JobProgress } from '../shared/contract.ts';
import { PROGRESS_CHANNEL, type PreloadApi } from './api.ts';

// Named functions over the contract and nothing else: ipcRenderer itself never reaches the page.
const api: Record<string, unknown> = {};
for (const channel of CHANNELS) {
  api[functionName(channel)] = (request: unknown) => ipcRenderer.invoke(channel, request);
}
api.onProgress = (listener: (p: JobProgress) => void) => {
  const wrapped = (_e: IpcRendererEvent, p: JobProgress) => listener(p);
  ipcRenderer.on(PROGRESS_CHANNEL, wrapped);
  return () => {
    ipcRenderer.removeListener(PROGRESS_CHANNEL, wrapped);
  };
};

contextBridge.exposeInMainWorld('shotcast', api as PreloadApi);
