// A page's data and its changes: `load` fetches (on mount and whenever `deps` change); `act`
// wraps a change into a handler that clears the banner, runs it, then `done`, then reloads;
// any error (Okta's error envelope, or a local one) goes to the page's banner (`error`).
import { useEffect, useState } from 'preact/hooks';

export type Act = (f: () => Promise<unknown>, done?: () => void) => () => Promise<void>;

export function useResource(load: () => Promise<unknown>, deps: unknown[] = []) {
  const [error, setError] = useState<unknown>(null);
  const reload = () => load().catch(setError);
  useEffect(() => {
    reload();
  }, deps);
  const act: Act = (f, done) => async () => {
    setError(null);
    try {
      await f();
      done?.();
      await reload();
    } catch (err) {
      setError(err);
    }
  };
  return { error, setError, act, reload };
}
