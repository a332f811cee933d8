import { Timestamp } from 'bson';

/** Cluster times carry the logical clock in their increment (clock + 1, so that time 0 is not the null timestamp). */
export function timestampOf(clock: number): Timestamp {
  return new Timestamp({ t: Math.floor(Date.now() / 1000), i: clock + 1 });
}
