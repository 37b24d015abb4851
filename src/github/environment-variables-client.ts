import { normalizeSecretName, parseRepository } from "../rules";
import { RepositoryNotFoundError } from "./errors";
import {
  type CallOptions,
  type EnvironmentRef,
  type EnvironmentSecretsClient,
  isoFromDateHeader,
} from "./environment-secrets-client";

/** One Actions variable of one environment. */
export interface VariableRef extends EnvironmentRef {
  readonly variableName: string;
}

/** What GitHub tells about a variable: variables are not secret, so the value too. */
export interface VariableMetadata {
  readonly name: string;
  readonly value: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

// GitHub caps the variables listing at 30 per page (secrets: 100).
const PAGE_SIZE = 30;

function statusOf(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

/**
 * GitHub Actions environment variables over the REST API. Runs its calls through the secrets client
 * (`EnvironmentSecretsClient.call`), so both share one Octokit: one write pacing, one retry and
 * rate-limit policy, and the same typed errors, which then name the variable.
 */
export class EnvironmentVariablesClient {
  private readonly listings = new Map<string, Promise<Map<string, VariableMetadata> | undefined>>();

  constructor(private readonly client: EnvironmentSecretsClient) {}

  private static key(ref: EnvironmentRef): string {
    return JSON.stringify([ref.repository.toLowerCase(), ref.environment.toLowerCase()]);
  }

  private subject(ref: EnvironmentRef, variableName?: string) {
    return { repository: ref.repository, environment: ref.environment, variableName };
  }

  /**
   * Every variable of the environment by upper-case name, listed once per process (a write drops it).
   * Undefined when the environment does not exist; a missing repository is an error.
   */
  listVariables(
    ref: EnvironmentRef,
    options: CallOptions = {},
  ): Promise<Map<string, VariableMetadata> | undefined> {
    const key = EnvironmentVariablesClient.key(ref);
    let pending = this.listings.get(key);
    if (!pending) {
      pending = this.list(ref, options);
      this.listings.set(key, pending);
      pending.catch(() => this.listings.delete(key));
    }
    return pending;
  }

  private async list(
    ref: EnvironmentRef,
    options: CallOptions,
  ): Promise<Map<string, VariableMetadata> | undefined> {
    try {
      return await this.client.call(this.subject(ref), options, async (api) => {
        const { owner, name } = parseRepository(ref.repository);
        const variables = await api.paginate(api.rest.actions.listEnvironmentVariables, {
          owner,
          repo: name,
          environment_name: ref.environment,
          per_page: PAGE_SIZE,
          request: { signal: options.signal },
        });
        return new Map(
          variables.map((v) => [
            normalizeSecretName(v.name),
            { name: v.name, value: v.value, createdAt: v.created_at, updatedAt: v.updated_at },
          ]),
        );
      });
    } catch (error) {
      if (error instanceof RepositoryNotFoundError) throw error;
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** One variable by a direct GET (import uses it); undefined when absent. */
  async getVariable(ref: VariableRef, options: CallOptions = {}): Promise<VariableMetadata | undefined> {
    const variableName = normalizeSecretName(ref.variableName);
    try {
      return await this.client.call(this.subject(ref, variableName), options, async (api) => {
        const { owner, name } = parseRepository(ref.repository);
        const { data } = await api.rest.actions.getEnvironmentVariable({
          owner,
          repo: name,
          environment_name: ref.environment,
          name: variableName,
          request: { signal: options.signal },
        });
        return { name: data.name, value: data.value, createdAt: data.created_at, updatedAt: data.updated_at };
      });
    } catch (error) {
      if (error instanceof RepositoryNotFoundError) throw error;
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * Creates or changes a variable (an upsert, like a secret's PUT): GitHub splits it into POST (409 when
   * the variable exists) and PATCH (404 when it does not), so the other is tried once on that answer.
   */
  async putVariable(
    ref: VariableRef,
    value: string,
    options: CallOptions & { exists?: boolean } = {},
  ): Promise<{ created: boolean; answeredAt: string }> {
    const variableName = normalizeSecretName(ref.variableName);
    this.listings.delete(EnvironmentVariablesClient.key(ref));
    const subject = this.subject(ref, variableName);
    const { owner, name } = parseRepository(ref.repository);
    const base = { owner, repo: name, environment_name: ref.environment, name: variableName, value };
    const create = () =>
      this.client.call(subject, options, (api) =>
        api.rest.actions.createEnvironmentVariable({ ...base, request: { signal: options.signal } }),
      );
    const update = () =>
      this.client.call(subject, options, (api) =>
        api.rest.actions.updateEnvironmentVariable({ ...base, request: { signal: options.signal } }),
      );
    const answered = (created: boolean, response: { headers: { date?: string } }) => ({
      created,
      answeredAt: isoFromDateHeader(response.headers.date),
    });
    if (options.exists === true) {
      try {
        return answered(false, await update());
      } catch (error) {
        if (statusOf(error) !== 404 || error instanceof RepositoryNotFoundError) throw error;
        return answered(true, await create());
      }
    }
    try {
      return answered(true, await create());
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      return answered(false, await update());
    }
  }

  /** Deletes a variable; false when it was already gone (404), which callers treat as success. */
  async deleteVariable(ref: VariableRef, options: CallOptions = {}): Promise<boolean> {
    const variableName = normalizeSecretName(ref.variableName);
    this.listings.delete(EnvironmentVariablesClient.key(ref));
    try {
      await this.client.call(this.subject(ref, variableName), options, async (api) => {
        const { owner, name } = parseRepository(ref.repository);
        await api.rest.actions.deleteEnvironmentVariable({
          owner,
          repo: name,
          environment_name: ref.environment,
          name: variableName,
          request: { signal: options.signal },
        });
      });
      return true;
    } catch (error) {
      if (error instanceof RepositoryNotFoundError) throw error;
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }
}
