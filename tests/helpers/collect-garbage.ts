// Full garbage collections on demand, for tests that check what stays reachable.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Whether the WeakRef's target was collected. A WeakRef holds its target until the current job ends, hence the macrotask first. */
export async function collected(ref: WeakRef<object>): Promise<boolean> {
  await new Promise((r) => setTimeout(r, 0));
  gc();
  return ref.deref() === undefined;
}
