/**
 * The Coder API's answers, as far as this project reads them (Coder v2.36.0, measured in
 * tests/coder). Every field is optional where the code must survive its absence: answers are
 * parsed, not trusted.
 */

export type ProvisionerJobStatus = 'pending' | 'running' | 'succeeded' | 'canceling' | 'canceled' | 'failed';
export type BuildTransition = 'start' | 'stop' | 'delete';

export interface ProvisionerJob {
  status: ProvisionerJobStatus;
  error?: string;
}

export interface WorkspaceAgent {
  id: string;
  status: string;
  lifecycle_state: string;
}

export interface WorkspaceBuild {
  id: string;
  build_number: number;
  transition: BuildTransition;
  status: string;
  created_at: string;
  initiator_name: string;
  job: ProvisionerJob;
  resources?: { agents?: WorkspaceAgent[] }[];
}

export interface Workspace {
  id: string;
  name: string;
  owner_id: string;
  owner_name?: string;
  template_id: string;
  organization_id: string;
  latest_build: WorkspaceBuild;
}

export interface Template {
  id: string;
  name: string;
  organization_id: string;
  active_version_id: string;
  /** False (or absent) for a template with dynamic parameters: its delete reads the owner. */
  use_classic_parameter_flow?: boolean;
}

export interface Preset {
  ID: string;
  Name: string;
  Parameters?: { Name: string; Value: string }[] | null;
  DesiredPrebuildInstances?: number | null;
}

/** A parameter of a template version (`GET /api/v2/templateversions/{id}/rich-parameters`). */
export interface TemplateVersionParameter {
  name: string;
  type: string;
  mutable: boolean;
  ephemeral: boolean;
  required: boolean;
}

export interface WorkspaceBuildParameter {
  name: string;
  value: string;
}

export interface CreateWorkspaceRequest {
  name: string;
  template_id?: string;
  template_version_id?: string;
  template_version_preset_id?: string;
  rich_parameter_values?: WorkspaceBuildParameter[];
  automatic_updates?: 'always' | 'never';
}

/** `POST /api/v2/authcheck`: each named check answered true or false. */
export interface AuthorizationRequest {
  checks: Record<
    string,
    {
      object: { resource_type: string; resource_id?: string; owner_id?: string; organization_id?: string };
      action: string;
    }
  >;
}
export type AuthorizationResponse = Record<string, boolean>;

/** `GET /api/v2/buildinfo` (no token needed): `version` is `v<major>.<minor>.<patch>`, often `+<commit>`. */
export interface BuildInfo {
  version?: string;
}

/** Coder's error body: a message, often a detail, and for a 400 the fields that failed. */
export interface CoderErrorBody {
  message?: string;
  detail?: string;
  validations?: { field: string; detail: string }[];
}
