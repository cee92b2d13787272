/**
 * An on-demand frame source for deck.gl's render loop. deck.gl asks for a new animation frame after
 * every frame, forever, and each idle tick still checks its layers and reads the canvas size (a forced
 * style and layout). While nothing changes that is pure overhead, and on a two-core machine rendering
 * in software GL it takes CPU from the frames that do draw. After `idleAfter` frames without a draw
 * the loop parks; `wake()` (called whenever the map's layers or view change) resumes it.
 */
export class OnDemandFrames {
  private parked: FrameRequestCallback | null = null;
  private quiet = 0;
  private drew = false;

  constructor(private readonly idleAfter = 30) {}

  readonly requestAnimationFrame = (cb: FrameRequestCallback): number => {
    if (this.quiet >= this.idleAfter) {
      this.parked = cb;
      return 0;
    }
    return window.requestAnimationFrame((t) => {
      this.quiet = this.drew ? 0 : this.quiet + 1;
      this.drew = false;
      cb(t);
    });
  };

  readonly cancelAnimationFrame = (id: number): void => {
    if (id) window.cancelAnimationFrame(id);
    else this.parked = null;
  };

  /** deck.gl drew a frame (its onAfterRender). */
  drawn(): void {
    this.drew = true;
  }

  /** Something changed: keep the loop running until it has been idle again for a while. */
  wake(): void {
    this.quiet = 0;
    const cb = this.parked;
    this.parked = null;
    if (cb) this.requestAnimationFrame(cb);
  }
}
