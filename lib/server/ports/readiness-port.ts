/** The conditions `/ready` checks; each is read on every request, so they must be cheap. */
export interface ReadinessPort {
  modelsLoaded(): boolean;
  logWritable(): boolean;
  pipelinesRunning(): boolean;
}
