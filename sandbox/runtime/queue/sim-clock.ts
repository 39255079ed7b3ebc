/**
 * Queue time runs `timeScale` times faster than real time, so a test can watch a
 * 900 s delay or a retryAfter pass in under a second. Deadlines are kept in real
 * milliseconds (they survive a restart with another scale); only simulated
 * durations are divided by the scale.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalForgeError } from '../local-forge-error';

export class SimClock {
  constructor(readonly timeScale: number) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new LocalForgeError(`timeScale must be a positive number, got ${timeScale}.`);
    }
  }

  /** Real milliseconds that `simulatedMs` of platform time take here. */
  realMs(simulatedMs: number): number {
    return simulatedMs / this.timeScale;
  }

  /** The real epoch ms at which `simulatedSeconds` from now have passed. */
  deadlineAfter(simulatedSeconds: number): number {
    return Date.now() + this.realMs(simulatedSeconds * 1000);
  }

  sleepSimulated(simulatedMs: number): Promise<void> {
    return sleep(this.realMs(simulatedMs));
  }
}
