import { useEffect, useRef, useState } from 'preact/hooks';
import type { LogLine, LogSource } from '@dozen/contracts';
import { ErrorBox, useAction } from '../components.js';
import { useSession } from '../session.js';

const KEEP = 1000;

/** The live log stream (the one `dozen logs --tail` follows) with source and process filters, a text search and pause. */
export function Logs({ app }: { app: string }) {
  const { client } = useSession();
  const [source, setSource] = useState<LogSource | ''>('');
  const [process, setProcess] = useState('');
  const [search, setSearch] = useState('');
  const [paused, setPaused] = useState(false);
  const [lines, setLines] = useState<LogLine[]>([]);
  const held = useRef<LogLine[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const action = useAction();
  useEffect(() => {
    const stop = new AbortController();
    setLines([]);
    held.current = [];
    void action.run(async () => {
      const options = { lines: 200, signal: stop.signal, reconnect: true, source: source || undefined, process: process.trim() || undefined };
      try {
        for await (const line of client.tailLogs(app, options)) {
          // A line the stream of the previous filters had in flight when they changed: not shown.
          if (stop.signal.aborted) break;
          if (pausedRef.current) held.current.push(line);
          else setLines((previous) => [...previous, line].slice(-KEEP));
        }
      } catch (error) {
        if (!stop.signal.aborted) throw error;
      }
    });
    return () => stop.abort();
  }, [app, source, process]);
  const resume = () => {
    setLines((previous) => [...previous, ...held.current].slice(-KEEP));
    held.current = [];
    setPaused(false);
  };
  const needle = search.toLowerCase();
  // The stream is filtered by the platform; the lines already shown are filtered here at once.
  const shown = lines.filter((l) => (!source || l.source === source) && (!needle || l.message.toLowerCase().includes(needle)));
  return (
    <>
      <h2>Logs</h2>
      <form class="inline" aria-label="Log filters" onSubmit={(e) => e.preventDefault()}>
        <label>Source
          <select value={source} onChange={(e) => setSource((e.currentTarget as HTMLSelectElement).value as LogSource | '')}>
            <option value="">all</option><option value="app">app</option><option value="router">router</option><option value="dozen">dozen</option>
          </select>
        </label>
        <label>Process<input value={process} placeholder="web or web.1" onChange={(e) => setProcess((e.currentTarget as HTMLInputElement).value)} /></label>
        <label>Search<input type="search" value={search} onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)} /></label>
        <button type="button" aria-pressed={paused} onClick={() => (paused ? resume() : setPaused(true))}>{paused ? `Resume (${held.current.length} held)` : 'Pause'}</button>
      </form>
      <ErrorBox error={action.error} />
      <pre class="output logs" aria-label={`Logs of ${app}`} aria-live={paused ? 'off' : 'polite'} tabIndex={0}>
        {shown.map((l) => <div key={l.id} data-source={l.source}>{`${l.time} ${l.source}[${l.process}]: ${l.message}`}</div>)}
      </pre>
    </>
  );
}
