// A page's data and its changes: `load` fetches (on mount and whenever `deps` change); `act`
// wraps a change into a handler that clears the banner, runs it, then `done`, then reloads;
// any error (Okta's error envelope, or a local one) goes to the page's banner (`error`). `run` is
// `act` without the reload, for a change after which the page moves on (a delete that leaves it).
import { useEffect, useState } from 'preact/hooks';

export type Act = (f: () => Promise<unknown>, done?: () => void) => () => Promise<void>;

export function useResource(load: () => Promise<unknown>, deps: unknown[] = []) {
  const [error, setError] = useState<unknown>(null);
  const reload = () => load().catch(setError);
  useEffect(() => {
    reload();
  }, deps);
  const change = (f: () => Promise<unknown>, after: () => unknown) => async () => {
    setError(null);
    try {
      await f();
      await after();
    } catch (err) {
      setError(err);
    }
  };
  const act: Act = (f, done) =>
    change(f, () => {
      done?.();
      return reload();
    });
  const run = (f: () => Promise<unknown>) => change(f, () => {});
  return { error, setError, act, run };
}
