/**
 * Whether a live child (the runner, the orchestrator) still works, from what each poll of its
 * health port sees: a child that is stopped (state T: a session can SIGSTOP it, and it then
 * neither exits nor answers), or whose health port has not answered for longer than the bound,
 * does not. The supervisor acts on it as on one that exited.
 */
export class ChildLiveness {
  /** Since when the health port has not answered: the child's start until its first answer. */
  private silentSince: number;

  constructor(
    private readonly child: string,
    startedAt: number,
    readonly boundMs: number,
  ) {
    this.silentSince = startedAt;
  }

  /** Why the child no longer works, or undefined while it works. */
  observe(now: number, answered: boolean, stoppedPid: number | undefined): string | undefined {
    if (stoppedPid !== undefined) return `the ${this.child} process ${stoppedPid} is stopped (state T)`;
    if (answered) {
      this.silentSince = now;
      return undefined;
    }
    if (now - this.silentSince > this.boundMs) {
      return `its /healthz has not answered for more than ${Math.round(this.boundMs / 1000)} s`;
    }
    return undefined;
  }
}
