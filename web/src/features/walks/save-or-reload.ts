/**
 * One save of the studio (a walk's settings, a hotspot's status or group) with optimistic
 * concurrency: on a 412 (someone else changed it first) the panel says so and the current version
 * is read again, so the next try starts from what is really stored; any other failure is reported.
 * Resolves true when the save went through.
 */
import { describeError } from '../../api/client.ts';
import { StaleError } from '../../api/walk-endpoints.ts';

export interface SaveHooks {
  /** Read the current version again after a 412; null when there is nothing to read. */
  reload: (() => Promise<void>) | null;
  onStale: (err: StaleError) => void;
  onError: (message: string) => void;
}

export async function saveOrReload(save: () => Promise<void>, hooks: SaveHooks): Promise<boolean> {
  try {
    await save();
    return true;
  } catch (err) {
    if (err instanceof StaleError && hooks.reload) {
      hooks.onStale(err);
      try {
        await hooks.reload();
      } catch (again) {
        hooks.onError(describeError(again));
      }
    } else {
      hooks.onError(describeError(err));
    }
    return false;
  }
}
