/**
 * The sandboxed preload (bundled into one CommonJS file, out/preload/index.cjs): exposes the
 * contract's calls and events as `window.jiraMirror`, and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { JiraMirrorApi } from '../shared/contract.ts';
import { createApi } from './api.ts';

export const API_KEY = 'jiraMirror';

const api = createApi(ipcRenderer) satisfies JiraMirrorApi;
contextBridge.exposeInMainWorld(API_KEY, api);
