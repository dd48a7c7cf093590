import { useEffect, useRef, useState } from 'preact/hooks';
import type { LogLine, LogSource } from '@dozen/contracts';
import { ErrorBox, useAction } from '../components.js';
import { useSession } from '../session.js';

const KEEP = 1000;
/** Lines per "Load older" page. */
const OLDER_PAGE = 200;

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
  /** Older lines the user loaded are kept on top of the live KEEP. */
  const loaded = useRef(0);
  const [atStart, setAtStart] = useState(false);
  const action = useAction();
  const older = useAction();
  const keep = (all: LogLine[]) => all.slice(-(KEEP + loaded.current));
  useEffect(() => {
    const stop = new AbortController();
    setLines([]);
    held.current = [];
    loaded.current = 0;
    setAtStart(false);
    void action.run(async () => {
      const options = { lines: 200, signal: stop.signal, reconnect: true, source: source || undefined, process: process.trim() || undefined };
      try {
        for await (const line of client.tailLogs(app, options)) {
          // A line the stream of the previous filters had in flight when they changed: not shown.
          if (stop.signal.aborted) break;
          if (pausedRef.current) held.current.push(line);
          else setLines((previous) => keep([...previous, line]));
        }
      } catch (error) {
        if (!stop.signal.aborted) throw error;
      }
    });
    return () => stop.abort();
  }, [app, source, process]);
  const resume = () => {
    setLines((previous) => keep([...previous, ...held.current]));
    held.current = [];
    setPaused(false);
  };
  const loadOlder = () => void older.run(async () => {
    const before = lines[0]?.id;
    const page = await client.call('getLogs', { params: { app }, query: { lines: OLDER_PAGE, before, source: source || undefined, process: process.trim() || undefined } });
    const fresh = before === undefined ? page.filter((l) => !lines.some((x) => x.id === l.id)) : page;
    loaded.current += fresh.length;
    if (fresh.length < OLDER_PAGE) setAtStart(true);
    setLines((previous) => [...fresh, ...previous]);
  });
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
      <ErrorBox error={action.error ?? older.error} />
      <div class="actions">
        <button type="button" disabled={older.busy || atStart} onClick={loadOlder}>{atStart ? 'Start of the history' : 'Load older lines'}</button>
      </div>
      <pre class="output logs" aria-label={`Logs of ${app}`} aria-live={paused ? 'off' : 'polite'} tabIndex={0}>
        {shown.map((l) => <div key={l.id} data-source={l.source}>{`${l.time} ${l.source}[${l.process}]: ${l.message}`}</div>)}
      </pre>
    </>
  );
}
