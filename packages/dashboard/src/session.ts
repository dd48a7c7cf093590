import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { DozenClient } from '@dozen/contracts/client';

export interface Session {
  client: DozenClient;
  label: string;
  admin: boolean;
  /** The API said UNAUTHORIZED: the session ended; back to sign-in. */
  expired: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
