// A minimal Azure ML REST client in TypeScript, typed only by what openapi-typescript generates from specs/.
// It proves the specs serve other languages: `python -m tools.ts` generates build/<group>.ts and type-checks this
// file with tsc. Runtime: the platform's fetch/FormData only, no dependencies. Secrets never reach error text.
import type { components as Mgmt } from "./build/management";
import type { components as Disc } from "./build/discovery";
import type { components as Hist } from "./build/history";
import type { components as Exec } from "./build/execution";
import type { components as MM } from "./build/modelmanagement";

export type Workspace = Mgmt["schemas"]["Workspace"];
export type DiscoveryDocument = Disc["schemas"]["DiscoveryDocument"];
export type StartRunResult = Exec["schemas"]["StartRunResult"];
export type Run = Hist["schemas"]["Run"];
export type Model = MM["schemas"]["Model"];
export type AuthKeys = MM["schemas"]["AuthKeys"];

const TERMINAL: ReadonlyArray<string> = ["Completed", "Failed", "Canceled"];

export interface WorkspaceRef { subscriptionId: string; resourceGroup: string; workspace: string }

export class AzureMlClient {
  constructor(private readonly token: string, private readonly arm = "https://management.azure.com") {}

  private async call<T>(url: string, init: RequestInit = {}, auth = true): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (auth) headers["Authorization"] = `Bearer ${this.token}`;
    if (typeof init.body === "string") headers["Content-Type"] = "application/json";
    const res = await fetch(url, { ...init, headers });
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${init.method ?? "GET"} ${new URL(url).pathname}`);
    return (await res.json()) as T;
  }

  private wsPath(w: WorkspaceRef): string {
    return `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}` +
      `/providers/Microsoft.MachineLearningServices/workspaces/${w.workspace}`;
  }

  getWorkspace(w: WorkspaceRef): Promise<Workspace> {
    return this.call<Workspace>(`${this.arm}${this.wsPath(w)}?api-version=2019-11-01`);
  }

  createWorkspace(w: WorkspaceRef, body: Workspace): Promise<Workspace> {
    const url = `${this.arm}${this.wsPath(w)}?api-version=2019-11-01`;
    return this.call<Workspace>(url, { method: "PUT", body: JSON.stringify(body) });
  }

  /** The discovery document is fetched without an Authorization header (specs/README.md, Discovery: "No authentication"). */
  async discover(ws: Workspace): Promise<DiscoveryDocument> {
    const url = ws.properties?.discoveryUrl;
    if (!url) throw new Error("workspace has no discoveryUrl");
    return this.call<DiscoveryDocument>(url, {}, false);
  }

  startRun(api: string, w: WorkspaceRef, experiment: string, runId: string,
           definition: Blob, project: Blob): Promise<StartRunResult> {
    const form = new FormData();
    form.append("runDefinitionFile", definition, "definition.json");
    form.append("projectZipFile", project, "project.zip");
    const url = `${api}/execution/v1.0${this.wsPath(w)}/experiments/${experiment}/startrun?runId=${runId}`;
    return this.call<StartRunResult>(url, { method: "POST", body: form });
  }

  async waitForRun(api: string, w: WorkspaceRef, experiment: string, runId: string, everyMs = 5000): Promise<Run> {
    const url = `${api}/history/v1.0${this.wsPath(w)}/experiments/${experiment}/runs/${runId}`;
    for (;;) {
      const run = await this.call<Run>(url);
      if (run.status && TERMINAL.includes(run.status)) return run;
      await new Promise((done) => setTimeout(done, everyMs));
    }
  }

  registerModel(api: string, w: WorkspaceRef, model: Model): Promise<Model> {
    const url = `${api}/modelmanagement/v1.0${this.mmPath(w)}/models`;
    return this.call<Model>(url, { method: "POST", body: JSON.stringify(model) });
  }

  serviceKeys(api: string, w: WorkspaceRef, serviceId: string): Promise<AuthKeys> {
    return this.call<AuthKeys>(`${api}/modelmanagement/v1.0${this.mmPath(w)}/services/${serviceId}/listkeys`, { method: "POST" });
  }

  /** Scoring takes the service key as the bearer token; the payload is whatever the scoring script reads. */
  async score(scoringUri: string, keys: AuthKeys, data: unknown): Promise<unknown> {
    const res = await fetch(scoringUri, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${keys.primaryKey ?? ""}` },
      body: JSON.stringify({ data }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status} from scoring`);
    return res.json();
  }

  private mmPath(w: WorkspaceRef): string {
    return `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}` +
      `/providers/Microsoft.MachineLearningServices/workspaces/${w.workspace}`;
  }
}
