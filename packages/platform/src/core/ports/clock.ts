/** Time, for the core: it takes time from nowhere else. */
export interface Clock {
  now(): Date;
}
