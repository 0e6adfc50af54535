/** The paper venue's positions and profit and loss, returned as JSON exactly as the venue builds them. */
export interface PositionsPort {
  positions(): unknown;
}
