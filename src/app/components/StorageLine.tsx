import { useEffect, useState } from 'react';
import { connectStorage, onStorageEvent, type StorageEvent } from '../../data/database';
import { describeStorage, readStorageInfo, requestPersistentStorage, type StorageInfo } from '../storage-info';

/**
 * The data panels' line about browser storage, and where an upgrade of the stored layout by another tab
 * shows up. `largeDataStored`: full MNIST or Quick Draw is stored, so ask the browser to keep it.
 * `refresh`: any value that changes when data was stored or removed.
 */
export function StorageLine({ largeDataStored, refresh }: { largeDataStored: boolean; refresh: unknown }) {
  const [info, setInfo] = useState<StorageInfo | null>(null);
  const [event, setEvent] = useState<StorageEvent | null>(null);

  useEffect(() => {
    const stop = onStorageEvent(setEvent);
    // An open connection is what hears another tab's upgrade.
    connectStorage().then(
      () => setEvent((shown) => (shown?.kind === 'blocked' ? null : shown)), // the older tabs have closed
      (err: unknown) => setEvent({ kind: 'replaced', message: err instanceof Error ? err.message : String(err) }),
    );
    return stop;
  }, []);

  useEffect(() => {
    let live = true;
    const asked = largeDataStored ? requestPersistentStorage() : Promise.resolve(false);
    void asked.then(readStorageInfo).then((next) => live && setInfo(next));
    return () => {
      live = false;
    };
  }, [largeDataStored, refresh]);

  return (
    <>
      {event && (
        <p className={`small ${event.kind === 'migrated' ? 'muted' : 'error-text'}`} role="alert" data-testid="storage-alert">
          {event.message}
        </p>
      )}
      {info && <p className="small muted" data-testid="storage-info">{describeStorage(info)}</p>}
    </>
  );
}
