import { TickflowError } from './errors.js';

/**
 * A typed key for a shared service (the model cache, the event log, the paper venue). The
 * module that defines a service also defines its key, so the container needs no import of it.
 */
export class ServiceKey<T> {
  /** Carries the service type for the compiler only. */
  declare readonly serviceType?: T;

  constructor(readonly name: string) {}
}

/** A small container of shared services, handed to stages and routes through their context. */
export class Services {
  private readonly entries = new Map<ServiceKey<unknown>, unknown>();

  set<T>(key: ServiceKey<T>, value: T): this {
    this.entries.set(key, value);
    return this;
  }

  get<T>(key: ServiceKey<T>): T | undefined {
    return this.entries.get(key) as T | undefined;
  }

  /** Returns the service or throws `service-missing` naming it. */
  require<T>(key: ServiceKey<T>): T {
    if (!this.entries.has(key)) {
      throw new TickflowError('service-missing', `service "${key.name}" is not configured in this engine`, { service: key.name });
    }

    return this.entries.get(key) as T;
  }
}
