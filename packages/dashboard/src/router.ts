import { useEffect, useState } from 'preact/hooks';

/** Client routes live under /ui/ (the API serves index.html there); `/` is the apps page. */
export type Route =
  | { page: 'apps' }
  | { page: 'sign-in' }
  | { page: 'app'; app: string; tab: AppTab };

export type AppTab = 'overview' | 'activity' | 'config' | 'logs' | 'metrics' | 'addons' | 'domains' | 'drains' | 'access';

export function parseRoute(path: string): Route {
  if (path === '/ui/sign-in') return { page: 'sign-in' };
  const match = /^\/ui\/apps\/([^/]+)(?:\/(activity|config|logs|metrics|addons|domains|drains|access))?\/?$/.exec(path);
  if (match) return { page: 'app', app: decodeURIComponent(match[1]!), tab: (match[2] as AppTab | undefined) ?? 'overview' };
  return { page: 'apps' };
}

export function appPath(app: string, tab: AppTab = 'overview'): string {
  return `/ui/apps/${encodeURIComponent(app)}${tab === 'overview' ? '' : `/${tab}`}`;
}

const listeners = new Set<() => void>();

export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function useRoute(): Route {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return parseRoute(path);
}

/** A same-page link: navigates without reloading, keeps middle-click and ctrl-click. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(anchor.pathname);
}
