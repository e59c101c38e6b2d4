import { execa, type ResultPromise } from 'execa';

/**
 * Stalls the event loop of a live Node process from outside, as a call that never returns
 * would: its main thread (tid = pid) alone is frozen with ptrace (PTRACE_SEIZE, then
 * PTRACE_INTERRUPT: a stop of that one thread, no group stop), so every other thread, the stall
 * watchdog's worker among them, goes on running. Nothing in the process is made for this, so what
 * follows is the path any stall takes. The tracer holds the thread until the process is gone.
 * Python's ctypes, because Node has no ptrace; the test runs as root (CAP_SYS_PTRACE).
 */
const tracer = `
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
tid = int(sys.argv[1])
for request, name in ((0x4206, "PTRACE_SEIZE"), (0x4207, "PTRACE_INTERRUPT")):
    if libc.ptrace(request, tid, None, None) != 0:
        sys.exit(name + ": " + os.strerror(ctypes.get_errno()))
print("frozen", flush=True)
while os.path.exists("/proc/%d" % tid):
    time.sleep(0.2)
`;

export interface FrozenLoop {
  /** The tracer: it exits once the frozen process is gone. */
  tracer: ResultPromise;
}

export async function freezeEventLoop(pid: number): Promise<FrozenLoop> {
  const child = execa('python3', ['-c', tracer, String(pid)], { reject: false, stdin: 'ignore', buffer: false });
  const frozen = await new Promise<boolean>((resolve) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().startsWith('frozen')));
    void child.then(() => resolve(false));
  });
  if (!frozen) throw new Error(`could not freeze the main thread of ${pid}: ${String((await child).stderr)}`);
  return { tracer: child };
}
