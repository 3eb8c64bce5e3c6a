/**
 * How many `rows` requests the packet list has on their way (issue 16). Following a capture at
 * 50,000 packets/s, the end of the list moves by 1,000 rows (about 4 pages of 256) at each 20 ms
 * progress report, so a page asked for at the end is off screen before it comes. Asking anew at
 * each report kept the worker busy with pages nobody sees (bench-follow --webview: its rows round
 * trip grew to 1.1 s median, and a selection's details waited 1 to 3 s behind them). While
 * following, one request at a time: when it is answered the list renders again and asks for the
 * page then on screen. Otherwise (a finished index, a settled file) every page is asked at once.
 */
export class RowRequests {
  private inFlight = 0;
  private putOff = false;

  /** May a request start now? False (and remembered) while following with one on its way. */
  allowed(following: boolean): boolean {
    if (following && this.inFlight > 0) {
      this.putOff = true;
      return false;
    }
    return true;
  }

  /** A request went out (the page cache called its loader: it was neither here nor on its way). */
  start(): void {
    this.inFlight++;
  }

  /** A request is answered (or failed, or was dropped): true when one was put off meanwhile, so the list should render again. */
  end(): boolean {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const again = this.putOff;
    this.putOff = false;
    return again;
  }

  get pending(): number {
    return this.inFlight;
  }
}
