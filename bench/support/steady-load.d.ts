export interface LoadStats {
  ok: number;
  failed: number;
  errors: string[];
  longestGapMs: number;
}

export function steadyLoad(options: { port: number; host: string; path?: string; pauseMs?: number }): { stats: LoadStats; stop(): Promise<LoadStats> };
