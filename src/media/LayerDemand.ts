/**
 * Dynacast bookkeeping: how many simulcast layers (counted from the lowest)
 * each consumer of a producer wants, and what the producer's sender was last
 * told. A sender encodes only what someone watches: the lowest layers up to
 * the highest anyone wants, so a receiver whose bandwidth drops still finds
 * a lower layer to fall back on; nothing at all when nobody watches.
 */
export class LayerDemand {
  private readonly wanted = new Map<string, Map<string, number>>();
  private readonly told = new Map<string, number>();
  private readonly dirty = new Set<string>();

  /** A consumer wants `layers` layers of a producer (0 while it is paused). */
  set(producerId: string, consumerId: string, layers: number): void {
    const consumers = this.wanted.get(producerId) ?? new Map<string, number>();
    this.wanted.set(producerId, consumers);
    if (consumers.get(consumerId) === layers) return;
    consumers.set(consumerId, layers);
    this.dirty.add(producerId);
  }

  /** The consumer closed. */
  forget(producerId: string, consumerId: string): void {
    if (this.wanted.get(producerId)?.delete(consumerId)) this.dirty.add(producerId);
  }

  /** A new producer: its sender starts with every layer on, so it hears once what is wanted. */
  track(producerId: string): void {
    this.wanted.set(producerId, this.wanted.get(producerId) ?? new Map());
    this.dirty.add(producerId);
  }

  /** The producer closed. */
  drop(producerId: string): void {
    this.wanted.delete(producerId);
    this.told.delete(producerId);
    this.dirty.delete(producerId);
  }

  of(producerId: string): number {
    let most = 0;
    for (const layers of this.wanted.get(producerId)?.values() ?? []) most = Math.max(most, layers);
    return most;
  }

  /** What changed since the last call, for senders to be told; marks it told. */
  changes(): Array<{ producerId: string; spatialLayers: number }> {
    const result: Array<{ producerId: string; spatialLayers: number }> = [];
    for (const producerId of this.dirty) {
      if (!this.wanted.has(producerId)) continue;
      const spatialLayers = this.of(producerId);
      if (this.told.get(producerId) === spatialLayers) continue;
      this.told.set(producerId, spatialLayers);
      result.push({ producerId, spatialLayers });
    }
    this.dirty.clear();
    return result;
  }

  /** What a producer's sender was last told, to tell a page again after it reconnected. */
  lastTold(producerId: string): number | undefined {
    return this.told.get(producerId);
  }
}
