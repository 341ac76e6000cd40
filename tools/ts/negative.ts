// Must NOT type-check: the generated Workspace type has `discoveryUrl`, not `discoveryURL`. `python -m tools.ts`
// runs tsc on this file too and fails if tsc accepts it (the proof above could otherwise never fail).
import type { components as Mgmt } from "./build/management";

export function wrong(ws: Mgmt["schemas"]["Workspace"]): string | null | undefined {
  return ws.properties?.discoveryURL;
}
